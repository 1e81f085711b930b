using System.Security.Cryptography.X509Certificates;
using Passkeys.Authenticator.Client;
using Passkeys.Ceremonies;
using Passkeys.Cose;
using Passkeys.Protocol;

namespace Passkeys.Authenticator.Tests;

/// <summary>
/// The library's <see cref="RelyingParty"/> against a software authenticator and client: one
/// registration (direct attestation, only the authenticator's algorithm offered) and sign-in,
/// with the trust anchors a test chooses.
/// </summary>
internal sealed class LibraryRelyingParty : IDisposable
{
    public const string RpId = "example.com";
    public const string Origin = "https://example.com";
    public static readonly byte[] UserId = "user-1"u8.ToArray();

    public LibraryRelyingParty(SoftwareAuthenticatorOptions options)
    {
        Authenticator = new SoftwareAuthenticator(options);
        Client = new SoftwareClient(Authenticator, new SoftwareClientOptions { Origin = Origin });
    }

    public SoftwareAuthenticator Authenticator { get; }

    public SoftwareClient Client { get; }

    /// <summary>Trust on: the authenticator's own attestation roots.</summary>
    public IList<X509Certificate2> OwnRoots() => [.. Authenticator.AttestationRootPems.Select(p => X509Certificate2.CreateFromPem(p))];

    public RelyingParty Create(int algorithm, IList<X509Certificate2> anchors, bool requireTrusted) => new(new RelyingPartyOptions
    {
        RpId = RpId,
        RpName = "Example",
        Origins = [Origin],
        Algorithms = [(CoseAlgorithm)algorithm],
        Attestation = AttestationConveyancePreference.Direct,
        TrustAnchors = anchors,
        RequireTrustedAttestation = requireTrusted,
    });

    /// <param name="rp">The relying party.</param>
    /// <param name="alter">Rewrites the RegistrationResponseJSON on its way to the relying party (a tampering network), when set.</param>
    public async Task<RegisteredPasskey> RegisterAsync(RelyingParty rp, Func<string, string>? alter = null)
    {
        var ceremony = rp.BeginRegistration(new RegistrationRequest { User = new UserIdentity(UserId, "alice", "Alice") });
        string response = await Client.CreateAsync(ceremony.OptionsJson);
        return rp.FinishRegistration(alter is null ? response : alter(response), ceremony.State);
    }

    public async Task<VerifiedAuthentication> SignInAsync(RelyingParty rp, RegisteredPasskey passkey)
    {
        var ceremony = rp.BeginAuthentication(new AuthenticationRequest());
        return rp.FinishAuthentication(await Client.GetAsync(ceremony.OptionsJson), ceremony.State, passkey.Credential);
    }

    public void Dispose() => Authenticator.Dispose();
}
