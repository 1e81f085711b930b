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
/// registered and then used to sign in (tpm: every algorithm but EdDSA and ML-DSA; fido-u2f: ES256). Produced
/// x5c chains are trusted through the authenticator's exported test root.
/// </summary>
public class RoundTripMatrixTests
{
    public static TheoryData<int, AttestationKind, bool, bool> Matrix()
    {
        var data = new TheoryData<int, AttestationKind, bool, bool>();
        int[] algorithms = [-7, -35, -36, -257, -37, -8, -48, -49, -50];
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
        // tpm: every algorithm a TPM 2.0 has a key type for (RSA, NIST-curve ECC); not EdDSA.
        foreach (int alg in new[] { -7, -35, -36, -257, -37 })
        {
            foreach (bool discoverable in new[] { true, false })
            {
                foreach (bool uv in new[] { true, false })
                {
                    data.Add(alg, AttestationKind.Tpm, discoverable, uv);
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
            // The defaults offer ML-DSA-44 only; ML-DSA-65/87 are offered when asked for.
            Algorithms = [(CoseAlgorithm)alg],
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
        // packed and tpm x5c chain root → intermediate → leaf (the tpm leaf is the AIK certificate);
        // the fido-u2f certificate is issued by the root.
        var expectedTrust = attestation is AttestationKind.Packed or AttestationKind.FidoU2f or AttestationKind.Tpm
            ? AttestationTrustStatus.Trusted
            : AttestationTrustStatus.NoTrustPath;
        Assert.Equal(expectedTrust, registered.Trust.Status);
        if (attestation == AttestationKind.Tpm)
        {
            Assert.Equal(AttestationType.AttCA, registered.Attestation.Type);
        }

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

    [Theory]
    [InlineData(-7)]
    [InlineData(-35)]
    [InlineData(-36)]
    [InlineData(-257)]
    [InlineData(-37)]
    public async Task Tpm_with_an_ES256_AIK_registers_as_trusted_AttCA(int alg)
    {
        using var authenticator = new SoftwareAuthenticator(new SoftwareAuthenticatorOptions
        {
            Seed = 5,
            Algorithms = [alg],
            Attestation = AttestationKind.Tpm,
            TpmAikAlgorithm = SupportedAlgorithms.ES256,
        });
        var client = new SoftwareClient(authenticator, new SoftwareClientOptions { Origin = Scenario.Origin });
        var rp = new RelyingParty(new RelyingPartyOptions
        {
            RpId = Scenario.RpId,
            RpName = "Example",
            Origins = [Scenario.Origin],
            TrustAnchors = [X509Certificate2.CreateFromPem(authenticator.RootCertificatePem)],
        });
        var registration = rp.BeginRegistration(new RegistrationRequest
        {
            User = new UserIdentity(Scenario.UserId, "alice", "Alice"),
            Attestation = AttestationConveyancePreference.Direct,
        });
        var registered = rp.FinishRegistration(await client.CreateAsync(registration.OptionsJson), registration.State);

        Assert.Equal((CoseAlgorithm)alg, registered.Credential.Algorithm);
        Assert.Equal("tpm", registered.Attestation.Format);
        Assert.Equal(AttestationType.AttCA, registered.Attestation.Type);
        Assert.Equal(AttestationTrustStatus.Trusted, registered.Trust.Status);
    }

    public static TheoryData<int, int> PackedMLDsaMatrix()
    {
        var data = new TheoryData<int, int>();
        foreach (int attestationAlg in new[] { -48, -49, -50 })
        {
            foreach (int alg in new[] { -7, -36, -37, -8, -48, -50 })
            {
                data.Add(attestationAlg, alg);
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(PackedMLDsaMatrix))]
    public async Task Packed_with_an_ML_DSA_attestation_key_registers_as_trusted_Basic_and_signs_in(int attestationAlg, int alg)
    {
        // Unseeded: random keys and hedged ML-DSA signatures, the way a device would sign.
        using var authenticator = new SoftwareAuthenticator(new SoftwareAuthenticatorOptions
        {
            Algorithms = [alg],
            Attestation = AttestationKind.Packed,
            AttestationAlgorithm = attestationAlg,
        });
        var client = new SoftwareClient(authenticator, new SoftwareClientOptions { Origin = Scenario.Origin });
        var rp = new RelyingParty(new RelyingPartyOptions
        {
            RpId = Scenario.RpId,
            RpName = "Example",
            Origins = [Scenario.Origin],
            Algorithms = [(CoseAlgorithm)alg],
            TrustAnchors = [X509Certificate2.CreateFromPem(authenticator.RootCertificatePem)],
            RequireTrustedAttestation = true,
        });
        var registration = rp.BeginRegistration(new RegistrationRequest
        {
            User = new UserIdentity(Scenario.UserId, "alice", "Alice"),
            Attestation = AttestationConveyancePreference.Direct,
        });
        var registered = rp.FinishRegistration(await client.CreateAsync(registration.OptionsJson), registration.State);

        Assert.Equal((CoseAlgorithm)alg, registered.Credential.Algorithm);
        Assert.Equal("packed", registered.Attestation.Format);
        Assert.Equal(AttestationType.Basic, registered.Attestation.Type);
        Assert.Equal(AttestationTrustStatus.Trusted, registered.Trust.Status);
        var authentication = rp.BeginAuthentication(new AuthenticationRequest());
        var verified = rp.FinishAuthentication(await client.GetAsync(authentication.OptionsJson), authentication.State, registered.Credential);
        Assert.Equal(registered.Credential.Id, verified.CredentialId);
    }

    private static string FormatOf(AttestationKind kind) => kind switch
    {
        AttestationKind.None => "none",
        AttestationKind.FidoU2f => "fido-u2f",
        AttestationKind.Tpm => "tpm",
        _ => "packed",
    };
}
