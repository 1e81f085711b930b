using Passkeys.Authenticator;
using Passkeys.Authenticator.Crypto;

namespace Passkeys.Cli.Authenticator;

/// <summary>Where the CLI's software authenticator keeps its credentials and how it is seeded.</summary>
/// <param name="StorePath">The credential store file; created on first save when missing.</param>
/// <param name="Seed">Makes keys and credential ids deterministic (see <see cref="SoftwareAuthenticatorOptions.Seed"/>).</param>
internal sealed record AuthenticatorSettings(string StorePath, int? Seed = null)
{
    public const string DefaultStorePath = "./passkeys-authenticator.json";
}

/// <summary>How this invocation's authenticator behaves beyond its format: fault switches, compound parts, the packed attestation key.</summary>
/// <param name="Faults">The fault switches in effect (`--fault`).</param>
/// <param name="Compound">The sub-statement kinds of compound attestation (`--compound-of`).</param>
/// <param name="AttestationAlgorithm">The packed attestation key's COSE algorithm (`--attestation-alg`).</param>
internal sealed record AuthenticatorBehaviour(AuthenticatorFaults Faults, IReadOnlyList<AttestationKind> Compound, int AttestationAlgorithm = SupportedAlgorithms.ES256);

/// <summary>
/// One CLI invocation's authenticator: the store loaded from its file, the authenticator over it,
/// and the fixed test CA that signs its attestation certificates.
/// </summary>
/// <remarks>
/// The CA is the same in every invocation (fixed seed, fixed issuing date), so `export-root` prints
/// the one root that every packed, fido-u2f and tpm attestation from this CLI chains to (and the
/// one root of each vendor format), whatever store or seed was used. It is a test root: its private key is derivable by anyone with this code.
/// </remarks>
internal sealed class AuthenticatorSession : IDisposable
{
    private const int CertificateAuthoritySeed = 0x0CA0CA;

    /// <summary>2025-01-01: the root is valid 2024-12-31 to 2044, attestation certificates to 2029-12-30.</summary>
    private static readonly DateTimeOffset s_caIssued = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private readonly AuthenticatorSettings _settings;
    private readonly TestCertificateAuthority _ca;

    private AuthenticatorSession(AuthenticatorSettings settings, CredentialStore store, AttestationKind attestation, IReadOnlyList<int>? algorithms, AuthenticatorBehaviour? behaviour)
    {
        _settings = settings;
        _ca = CreateCertificateAuthority();
        Authenticator = new SoftwareAuthenticator(new SoftwareAuthenticatorOptions
        {
            Seed = settings.Seed,
            Attestation = attestation,
            Algorithms = algorithms ?? SupportedAlgorithms.All,
            CertificateAuthority = _ca,
            Faults = behaviour?.Faults ?? AuthenticatorFaults.None,
            CompoundAttestation = behaviour?.Compound ?? AttestationKinds.DefaultCompound,
            AttestationAlgorithm = behaviour?.AttestationAlgorithm ?? SupportedAlgorithms.ES256,
        }, store);
    }

    public SoftwareAuthenticator Authenticator { get; }

    public CredentialStore Store => Authenticator.Store;

    /// <summary>The CLI's test CA (fixed seed and date).</summary>
    public static TestCertificateAuthority CreateCertificateAuthority() =>
        new(CertificateAuthoritySeed, new FixedTime(s_caIssued));

    /// <summary>Loads the store (an empty one when the file does not exist).</summary>
    /// <exception cref="CliException">The file exists and is not a credential store.</exception>
    public static AuthenticatorSession Open(AuthenticatorSettings settings, AttestationKind attestation = AttestationKind.None, IReadOnlyList<int>? algorithms = null,
        AuthenticatorBehaviour? behaviour = null)
    {
        CredentialStore store;
        if (File.Exists(settings.StorePath))
        {
            try
            {
                store = CredentialStore.Load(settings.StorePath);
            }
            catch (Exception e) when (e is FormatException or IOException or UnauthorizedAccessException)
            {
                throw new CliException($"{settings.StorePath}: {e.Message}", e);
            }
        }
        else
        {
            store = new CredentialStore();
        }
        return new AuthenticatorSession(settings, store, attestation, algorithms, behaviour);
    }

    /// <summary>Writes the store back to its file (creating its folder if needed).</summary>
    public void Save()
    {
        try
        {
            string? folder = Path.GetDirectoryName(Path.GetFullPath(_settings.StorePath));
            if (folder is not null)
            {
                Directory.CreateDirectory(folder);
            }
            Store.Save(_settings.StorePath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliException($"cannot save {_settings.StorePath}: {e.Message}", e);
        }
    }

    public void Dispose()
    {
        Authenticator.Dispose();
        _ca.Dispose();
    }

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
