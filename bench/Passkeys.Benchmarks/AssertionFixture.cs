using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Passkeys.Authenticator;
using Passkeys.Authenticator.Client;
using Passkeys.Ceremonies;
using Passkeys.Cose;
using Passkeys.Encoding;
using Passkeys.Protocol;

namespace Passkeys.Benchmarks;

/// <summary>
/// One ES256 passkey and one assertion made with it, set up so that every contender verifies the
/// same bytes: our <see cref="RelyingParty"/> (warm and cold key), bare <see cref="ECDsa"/>, and
/// ASP.NET Core Identity's <see cref="PasskeyHandler{TUser}"/>.
/// </summary>
/// <remarks>
/// The software authenticator runs with <see cref="SignCounterMode.AlwaysZero"/> (as synced passkey
/// providers do), so the stored counter and the assertion's counter are both 0 and §7.2 step 22
/// passes on every repetition, in both libraries, with their default (rejecting) counter policies.
/// The challenge is the one Identity's own <c>MakeRequestOptionsAsync</c> issued; our
/// <see cref="AuthenticationState"/> is a real BeginAuthentication state with that challenge put in,
/// so both sides check the same clientDataJSON against the same challenge.
/// </remarks>
public sealed class AssertionFixture : IDisposable
{
    public const string RpId = "example.com";
    public const string Origin = "https://example.com";
    public const string UserId = "user1";

    private AssertionFixture() { }

    /// <summary>The AuthenticationResponseJSON, allocated once, before anything is measured.</summary>
    public string ResponseJson { get; private set; } = "";
    public AuthenticationState State { get; private set; } = null!;
    public CredentialRecord Credential { get; private set; } = null!;

    /// <summary>Default options: imported keys cached (PublicKeyCacheSize 10 000).</summary>
    public RelyingParty Warm { get; private set; } = null!;
    /// <summary>PublicKeyCacheSize = 0: the COSE key is decoded and imported on every call.</summary>
    public RelyingParty Cold { get; private set; } = null!;

    // The raw baselines' inputs: the decoded bytes of the same assertion.
    public byte[] AuthenticatorData { get; private set; } = [];
    public byte[] ClientDataJson { get; private set; } = [];
    public byte[] Signature { get; private set; } = [];
    public ECParameters KeyParameters { get; private set; }
    public ECDsa ImportedKey { get; private set; } = null!;

    public PasskeyHandler<BenchUser> IdentityHandler { get; private set; } = null!;
    public PasskeyAssertionContext IdentityContext { get; private set; } = null!;

    private SoftwareAuthenticator? _authenticator;

    public static AssertionFixture Create() => CreateAsync().GetAwaiter().GetResult();

    private static async Task<AssertionFixture> CreateAsync()
    {
        var f = new AssertionFixture();
        // Default options otherwise (UV preferred, counter regressions rejected, unrequested extensions ignored).
        f.Warm = new RelyingParty(new RelyingPartyOptions { RpId = RpId, RpName = "Example", Origins = [Origin] });
        f.Cold = new RelyingParty(new RelyingPartyOptions { RpId = RpId, RpName = "Example", Origins = [Origin], PublicKeyCacheSize = 0 });

        f._authenticator = new SoftwareAuthenticator(new SoftwareAuthenticatorOptions
        {
            Seed = 7,
            Algorithms = [(int)CoseAlgorithm.ES256],
            Counter = SignCounterMode.AlwaysZero,
        });
        var client = new SoftwareClient(f._authenticator, new SoftwareClientOptions { Origin = Origin });

        // Register once with our relying party; the stored record is what both libraries verify with.
        var registration = f.Warm.BeginRegistration(new RegistrationRequest
        {
            User = new UserIdentity(System.Text.Encoding.UTF8.GetBytes(UserId), "alice", "Alice"),
        });
        string created = await client.CreateAsync(registration.OptionsJson);
        var passkey = f.Warm.FinishRegistration(created, registration.State);
        f.Credential = passkey.Credential;
        if (f.Credential.Algorithm != CoseAlgorithm.ES256)
        {
            throw new InvalidOperationException($"expected an ES256 credential, got {f.Credential.Algorithm}");
        }

        // ASP.NET Core Identity: a user whose id's UTF-8 is our user handle, holding the same COSE key.
        var store = new InMemoryPasskeyStore();
        var user = new BenchUser { Id = UserId, UserName = "alice", NormalizedUserName = "ALICE" };
        user.Passkeys.Add(new UserPasskeyInfo(
            f.Credential.Id, f.Credential.PublicKey, DateTimeOffset.UtcNow, f.Credential.SignCount, ["internal"],
            isUserVerified: true, isBackupEligible: f.Credential.BackupEligible, isBackedUp: f.Credential.BackupState,
            attestationObject: [], clientDataJson: []));
        store.Add(user);
        var userManager = new UserManager<BenchUser>(store, Microsoft.Extensions.Options.Options.Create(new IdentityOptions()),
            null!, [], [], null!, new IdentityErrorDescriber(), null!, NullLogger<UserManager<BenchUser>>.Instance);
        f.IdentityHandler = new PasskeyHandler<BenchUser>(userManager,
            Microsoft.Extensions.Options.Options.Create(new IdentityPasskeyOptions { ServerDomain = RpId }));
        var http = new DefaultHttpContext();
        http.Request.Scheme = "https";
        http.Request.Host = new HostString(RpId);
        http.Request.Headers.Origin = Origin;

        // Identity issues the challenge (its assertion state is its own format); the software client
        // answers it, and our state carries the same challenge.
        var identityOptions = await f.IdentityHandler.MakeRequestOptionsAsync(null, http);
        byte[] challenge;
        using (var doc = JsonDocument.Parse(identityOptions.RequestOptionsJson))
        {
            challenge = Base64UrlStrict.Decode(doc.RootElement.GetProperty("challenge").GetString()!, "challenge");
        }
        f.ResponseJson = await client.GetAsync(identityOptions.RequestOptionsJson);
        var ours = f.Warm.BeginAuthentication(new AuthenticationRequest());
        f.State = ours.State with { Challenge = challenge, ExpiresAt = DateTimeOffset.UtcNow.AddDays(1) };
        f.IdentityContext = new PasskeyAssertionContext
        {
            HttpContext = http,
            CredentialJson = f.ResponseJson,
            AssertionState = identityOptions.AssertionState,
        };

        var parsed = AuthenticationResponse.Parse(f.ResponseJson);
        f.AuthenticatorData = parsed.AuthenticatorData.ToArray();
        f.ClientDataJson = parsed.ClientDataJson.ToArray();
        f.Signature = parsed.Signature.ToArray();
        f.KeyParameters = CosePublicKey.Decode(f.Credential.PublicKey).GetEcParameters();
        f.ImportedKey = ECDsa.Create(f.KeyParameters);

        f.CheckEveryContenderAccepts();
        return f;
    }

    /// <summary>Fails loudly unless every contender verifies the assertion (a benchmark of a failure path is worthless).</summary>
    public void CheckEveryContenderAccepts()
    {
        _ = Warm.FinishAuthentication(ResponseJson, State, Credential);
        _ = Warm.FinishAuthentication(ResponseJson, State, Credential);
        _ = Cold.FinishAuthentication(ResponseJson, State, Credential);
        if (!RawVerify(ImportedKey))
        {
            throw new InvalidOperationException("raw ECDsa verification failed");
        }
        if (!RawImportAndVerify())
        {
            throw new InvalidOperationException("raw import + verification failed");
        }
        for (int i = 0; i < 2; i++)
        {
            var result = IdentityVerify();
            if (!result.Succeeded)
            {
                throw new InvalidOperationException($"ASP.NET Core Identity rejected the assertion: {result.Failure?.Message}");
            }
        }
    }

    /// <summary>Baseline: SHA-256 of clientDataJSON, then ECDsa.VerifyData(authData ‖ hash) with an imported key.</summary>
    public bool RawVerify(ECDsa key)
    {
        Span<byte> signed = stackalloc byte[AuthenticatorData.Length + 32];
        AuthenticatorData.CopyTo(signed);
        SHA256.HashData(ClientDataJson, signed[AuthenticatorData.Length..]);
        return key.VerifyData(signed, Signature, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
    }

    /// <summary>Cold baseline: import the key from already-extracted ECParameters, verify as above, dispose.</summary>
    public bool RawImportAndVerify()
    {
        using var key = ECDsa.Create(KeyParameters);
        return RawVerify(key);
    }

    public PasskeyAssertionResult<BenchUser> IdentityVerify() =>
        IdentityHandler.PerformAssertionAsync(IdentityContext).GetAwaiter().GetResult();

    public void Dispose()
    {
        ImportedKey?.Dispose();
        _authenticator?.Dispose();
    }
}
