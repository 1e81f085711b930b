using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using Passkeys.Attestation;
using Passkeys.Authenticator;
using Passkeys.Authenticator.Client;
using Passkeys.Ceremonies;
using Passkeys.Cose;
using Passkeys.Protocol;

namespace Passkeys.Tests.Ceremonies;

/// <summary>
/// The software authenticator against the library: every algorithm it can produce × every
/// attestation format × discoverable or not × user verification required or discouraged, each
/// registered and then used to sign in. Produced x5c chains are trusted through the
/// authenticator's exported test root.
/// </summary>
public class RoundTripMatrixTests
{
    public static TheoryData<int, AttestationKind, bool, bool> Matrix()
    {
        var data = new TheoryData<int, AttestationKind, bool, bool>();
        int[] algorithms = [-7, -35, -36, -257, -37, -8];
        foreach (int alg in algorithms)
        {
            foreach (var kind in new[] { AttestationKind.None, AttestationKind.PackedSelf, AttestationKind.Packed })
            {
                foreach (bool discoverable in new[] { true, false })
                {
                    foreach (bool uv in new[] { true, false })
                    {
                        data.Add(alg, kind, discoverable, uv);
                    }
                }
            }
        }
        // fido-u2f exists only for ES256 (U2F keys are P-256).
        foreach (bool discoverable in new[] { true, false })
        {
            foreach (bool uv in new[] { true, false })
            {
                data.Add(-7, AttestationKind.FidoU2f, discoverable, uv);
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Matrix))]
    public async Task Registers_and_signs_in(int alg, AttestationKind attestation, bool discoverable, bool userVerification)
    {
        using var authenticator = new SoftwareAuthenticator(new SoftwareAuthenticatorOptions
        {
            Algorithms = [alg],
            Attestation = attestation,
            Attachment = attestation == AttestationKind.FidoU2f ? AuthenticatorAttachmentKind.CrossPlatform : AuthenticatorAttachmentKind.Platform,
        });
        var client = new SoftwareClient(authenticator, new SoftwareClientOptions { Origin = Scenario.Origin });
        var options = new RelyingPartyOptions
        {
            RpId = Scenario.RpId,
            RpName = "Example",
            Origins = [Scenario.Origin],
            TrustAnchors = [X509Certificate2.CreateFromPem(authenticator.RootCertificatePem)],
        };
        var rp = new RelyingParty(options);
        var uv = userVerification ? UserVerificationRequirement.Required : UserVerificationRequirement.Discouraged;

        var registration = rp.BeginRegistration(new RegistrationRequest
        {
            User = new UserIdentity(Scenario.UserId, "alice", "Alice"),
            ResidentKey = discoverable ? ResidentKeyRequirement.Required : ResidentKeyRequirement.Discouraged,
            UserVerification = uv,
            Attestation = AttestationConveyancePreference.Direct,
        });
        var registered = rp.FinishRegistration(await client.CreateAsync(registration.OptionsJson), registration.State);

        Assert.Equal((CoseAlgorithm)alg, registered.Credential.Algorithm);
        Assert.Equal(FormatOf(attestation), registered.Attestation.Format);
        Assert.Equal(userVerification, registered.UserVerified);
        Assert.Equal(discoverable, registered.Discoverable);
        // packed x5c chains root → intermediate → leaf; the fido-u2f certificate is issued by the root.
        var expectedTrust = attestation is AttestationKind.Packed or AttestationKind.FidoU2f
            ? AttestationTrustStatus.Trusted
            : AttestationTrustStatus.NoTrustPath;
        Assert.Equal(expectedTrust, registered.Trust.Status);

        // Discoverable credentials sign in without a username; others need the user and allowCredentials.
        var request = discoverable
            ? new AuthenticationRequest { UserVerification = uv }
            : new AuthenticationRequest { UserVerification = uv, UserHandle = Scenario.UserId, AllowCredentials = [new CredentialDescriptor(registered.Credential.Id)] };
        var authentication = rp.BeginAuthentication(request);
        var verified = rp.FinishAuthentication(await client.GetAsync(authentication.OptionsJson), authentication.State, registered.Credential);

        Assert.Equal(registered.Credential.Id, verified.CredentialId);
        Assert.Equal(Scenario.UserId, verified.UserHandle);
        Assert.Equal(userVerification, verified.UserVerified);
        Assert.True(verified.SignCount > registered.Credential.SignCount);
    }

    private static string FormatOf(AttestationKind kind) => kind switch
    {
        AttestationKind.None => "none",
        AttestationKind.FidoU2f => "fido-u2f",
        _ => "packed",
    };
}
