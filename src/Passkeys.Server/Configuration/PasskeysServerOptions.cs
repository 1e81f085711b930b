namespace Passkeys.Server.Configuration;

/// <summary>
/// The <c>Passkeys</c> configuration section (appsettings, environment variables such as
/// <c>Passkeys__Store</c>, command line such as <c>--Passkeys:DataDirectory=/var/lib/passkeys</c>).
/// Validated at start by <see cref="PasskeysServerOptionsValidator"/>.
/// </summary>
public sealed class PasskeysServerOptions
{
    /// <summary>The configuration section name.</summary>
    public const string Section = "Passkeys";

    /// <summary><c>sqlite</c> (default) or <c>postgres</c>.</summary>
    public string Store { get; set; } = "sqlite";

    /// <summary>Folder for the SQLite database and the generated admin key file. Default <c>./data</c>.</summary>
    public string DataDirectory { get; set; } = "./data";

    /// <summary>The PostgreSQL connection string (Store = postgres).</summary>
    public string? ConnectionString { get; set; }

    /// <summary>
    /// The admin API key (≥ 32 characters). When empty, a key is generated once and written to
    /// <c>{DataDirectory}/admin.key</c>; the log names the file, never the key.
    /// </summary>
    public string? AdminKey { get; set; }

    /// <summary>
    /// A file holding the admin key (≥ 32 characters; surrounding whitespace ignored), e.g. a mounted
    /// secret; used when <see cref="AdminKey"/> is empty. A warning is logged when other accounts can read it.
    /// </summary>
    public string? AdminKeyFile { get; set; }

    /// <summary>
    /// How long a node may serve a tenant's settings or signing keys from memory without reading
    /// them again (default 10 s). Changes made on the node itself are seen at once, and on
    /// PostgreSQL every node is told of a change (LISTEN/NOTIFY) within milliseconds; this bounds
    /// the staleness when that notice is lost (a dropped listening connection, another process
    /// writing the same SQLite file).
    /// </summary>
    public TimeSpan CacheLifetime { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Maximum request body size in bytes (default 64 KiB). Larger bodies get 413.</summary>
    public long MaxRequestBodyBytes { get; set; } = 64 * 1024;

    /// <summary>The tenant created (or updated) from configuration at every start.</summary>
    public DefaultTenantOptions DefaultTenant { get; set; } = new();

    /// <summary>Token settings.</summary>
    public TokenOptions Tokens { get; set; } = new();

    /// <summary>Ceremony timing.</summary>
    public CeremonyOptions Ceremonies { get; set; } = new();

    /// <summary>Rate limits (requests per window per partition).</summary>
    public RateLimitOptions RateLimits { get; set; } = new();

    /// <summary>Per-account recovery-code budgets, shared by all nodes through the store.</summary>
    public RecoveryOptions Recovery { get; set; } = new();
    /// <summary>
    /// The URL users and apps reach this server at, e.g. <c>https://id.example.com</c>: the base of
    /// every token's <c>iss</c> (unless <see cref="TokenOptions.Issuer"/> is set). Empty: the first
    /// address the server listens on, with a wildcard host written as <c>localhost</c>. Never
    /// taken from a request header.
    /// </summary>
    public string? PublicBaseUrl { get; set; }

    /// <summary>Reverse proxies trusted for <c>X-Forwarded-For</c>; none by default.</summary>
    public ProxyOptions Proxy { get; set; } = new();

    /// <summary>Access to <c>/metrics</c>.</summary>
    public MetricsOptions Metrics { get; set; } = new();

    /// <summary>How the token signing keys are encrypted in the database.</summary>
    public KeyProtectionOptions KeyProtection { get; set; } = new();

    /// <summary>Audit event retention.</summary>
    public AuditOptions Audit { get; set; } = new();

    /// <summary>Batching of the background purge.</summary>
    public PurgeOptions Purge { get; set; } = new();

    /// <summary>The FIDO metadata BLOB authenticators are named from (off by default).</summary>
    public MetadataOptions Metadata { get; set; } = new();

    /// <summary>The operator console at <c>/console</c>: operator sessions and enrolment links (docs/console.md).</summary>
    public Passkeys.Server.OperatorConsole.ConsoleOptions Console { get; set; } = new();
}

/// <summary>
/// The key that encrypts the tokens' signing keys in the database, so that the database (or a
/// backup of it) alone cannot sign a token. Either ASP.NET Core Data Protection with its key ring in
/// a folder (the default), or an explicit key-encryption key (KEK). See docs/operations.md, "Security".
/// </summary>
public sealed class KeyProtectionOptions
{
    /// <summary>The Data Protection key ring's folder; empty means <c>{DataDirectory}/keys</c>. Nodes sharing a database must share it (or use a KEK).</summary>
    public string? KeyRingDirectory { get; set; }

    /// <summary>
    /// A 256-bit key-encryption key, base64: when set (here or by <see cref="KeyEncryptionKeyFile"/>),
    /// signing keys are encrypted with it (AES-256-GCM) and no key ring is used. Every node must have the same one.
    /// </summary>
    public string? KeyEncryptionKey { get; set; }

    /// <summary>A file holding <see cref="KeyEncryptionKey"/> (a mounted secret); a warning is logged when other accounts can read it.</summary>
    public string? KeyEncryptionKeyFile { get; set; }

    /// <summary>
    /// When signing keys in the database cannot be decrypted at start (a lost key ring, a wrong KEK, a
    /// copied database), delete them and start, instead of refusing to start. Tokens they signed stop
    /// verifying (at most <c>Tokens:Lifetime</c> of them); sessions are unaffected. Default false.
    /// </summary>
    public bool DangerouslyReplaceUnreadableKeys { get; set; }
}

/// <summary>Audit event retention.</summary>
public sealed class AuditOptions
{
    /// <summary>Events older than this are deleted by the purge (default 90 days); zero or empty keeps them forever.</summary>
    public TimeSpan? Retention { get; set; } = TimeSpan.FromDays(90);
}

/// <summary>
/// How the background purge (every <c>Ceremonies:PurgeInterval</c>) deletes expired ceremonies, ended
/// sessions and audit events past retention: in batches of at most <see cref="BatchSize"/> rows, each
/// its own short transaction, with <see cref="BatchPause"/> between them, so that a backlog of
/// millions of rows never becomes one long write that requests queue behind.
/// </summary>
public sealed class PurgeOptions
{
    /// <summary>Rows deleted per transaction at most (default 500).</summary>
    public int BatchSize { get; set; } = 500;

    /// <summary>The pause between two batches (default 50 ms).</summary>
    public TimeSpan BatchPause { get; set; } = TimeSpan.FromMilliseconds(50);
}

/// <summary>The default tenant's settings.</summary>
public sealed class DefaultTenantOptions
{
    /// <summary>Create/update the default tenant at start (default true).</summary>
    public bool Enabled { get; set; } = true;
    /// <summary>Tenant id, default <c>default</c>.</summary>
    public string Id { get; set; } = "default";
    /// <summary>Relying party id, default <c>localhost</c>.</summary>
    public string RpId { get; set; } = "localhost";
    /// <summary>Relying party name shown by authenticators.</summary>
    public string RpName { get; set; } = "Passkeys demo";
    /// <summary>Allowed origins; null means <c>http://localhost:5080</c>.</summary>
    public string[]? Origins { get; set; }
    /// <summary>Related origins served at /.well-known/webauthn.</summary>
    public string[]? RelatedOrigins { get; set; }
    /// <summary>required | preferred | discouraged.</summary>
    public string UserVerification { get; set; } = "preferred";
    /// <summary>none | indirect | direct | enterprise.</summary>
    public string Attestation { get; set; } = "none";
    /// <summary>Allow the browser to register new users without the app's API key.</summary>
    public bool SelfSignUp { get; set; } = true;
    /// <summary>
    /// COSE algorithms offered at registration, most preferred first, as names ("ES256", "EdDSA",
    /// "ML-DSA-44") or numbers ("-7"); null for the library default.
    /// </summary>
    public string[]? Algorithms { get; set; }

    /// <summary>suspend | flag | ignore: what a signature counter that did not grow does (docs/api.md, Suspended passkeys).</summary>
    public string CloneDetection { get; set; } = Storage.CloneDetectionPolicy.Suspend;

    /// <summary>The default tenant's attestationPolicy; null (absent) for mode any with no lists.</summary>
    public DefaultAttestationPolicyOptions? AttestationPolicy { get; set; }

    /// <summary>The origins in effect.</summary>
    public IReadOnlyList<string> EffectiveOrigins => Origins is { Length: > 0 } o ? o : ["http://localhost:5080"];
}

/// <summary>Token lifetime and signing-key rotation.</summary>
public sealed class TokenOptions
{
    /// <summary>Token lifetime, default 5 minutes.</summary>
    public TimeSpan Lifetime { get; set; } = TimeSpan.FromMinutes(5);
    /// <summary>Base URL for the <c>iss</c> claim; empty means <see cref="PasskeysServerOptions.PublicBaseUrl"/> (never a request header).</summary>
    public string? Issuer { get; set; }
    /// <summary>A signing key older than this is replaced at the next token issue (default 30 days).</summary>
    public TimeSpan KeyRotationInterval { get; set; } = TimeSpan.FromDays(30);
    /// <summary>How long a retired key stays published in the JWKS (default 1 day; at least the lifetime).</summary>
    public TimeSpan KeyOverlap { get; set; } = TimeSpan.FromDays(1);
    /// <summary>
    /// A session's absolute lifetime from sign-in (default 30 days): after it the refresh token is
    /// refused however recently it was used, and the user signs in again.
    /// </summary>
    public TimeSpan SessionLifetime { get; set; } = TimeSpan.FromDays(30);
    /// <summary>A session ends when it is not refreshed for this long (default 7 days; at most <see cref="SessionLifetime"/>).</summary>
    public TimeSpan SessionIdleLifetime { get; set; } = TimeSpan.FromDays(7);
    /// <summary>
    /// How long after a refresh its presented token may be presented once more as a retry (the
    /// response was lost) instead of counting as reuse (default 30 seconds; zero disables; at most
    /// 5 minutes). Theft detection stays: it comes at most one refresh later.
    /// </summary>
    public TimeSpan RefreshReuseGrace { get; set; } = TimeSpan.FromSeconds(30);
}

/// <summary>Ceremony timing.</summary>
public sealed class CeremonyOptions
{
    /// <summary>How long a begun ceremony can be finished (default 5 minutes).</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromMinutes(5);
    /// <summary>How often expired ceremonies are purged and counted as abandoned (default 1 minute).</summary>
    public TimeSpan PurgeInterval { get; set; } = TimeSpan.FromMinutes(1);
    /// <summary>How long a recovery grant is valid (default 10 minutes).</summary>
    public TimeSpan RecoveryGrantLifetime { get; set; } = TimeSpan.FromMinutes(10);
}

/// <summary>Fixed-window limits, per minute.</summary>
public sealed class RateLimitOptions
{
    /// <summary>Turn rate limiting off (tests, benchmarks). Default on.</summary>
    public bool Enabled { get; set; } = true;
    /// <summary>Ceremony begin/finish per client address per minute.</summary>
    public int CeremonyPerAddress { get; set; } = 60;
    /// <summary>Ceremony begin/finish per tenant per minute.</summary>
    public int CeremonyPerTenant { get; set; } = 6000;
    /// <summary>Recovery code redemptions per client address per minute.</summary>
    public int RecoveryPerAddress { get; set; } = 5;
    /// <summary>Admin requests per client address per minute.</summary>
    public int AdminPerAddress { get; set; } = 120;
    /// <summary>Credential management and other API requests per client address per minute.</summary>
    public int ApiPerAddress { get; set; } = 300;
    /// <summary>Session refreshes and sign-outs per client address per minute.</summary>
    public int SessionPerAddress { get; set; } = 120;
}
