using Passkeys.Server.Endpoints;

namespace Passkeys.Server.Migration;

/// <summary>
/// A tenant as a file (docs/export-format.md): its settings as the admin API shows them, its users
/// and their credentials. Never a secret: no API keys, recovery codes, sessions or refresh tokens,
/// signing keys or the tenant's secret; the importing server makes its own.
/// </summary>
/// <param name="Format">Always <see cref="FormatName"/>.</param>
/// <param name="FormatVersion">Always <see cref="CurrentVersion"/>; a reader refuses versions it does not know.</param>
public sealed record TenantExport(string Format, int FormatVersion, DateTimeOffset ExportedAt, TenantView Tenant, IReadOnlyList<ExportedUser> Users)
{
    /// <summary>The <c>format</c> of this server's exports.</summary>
    public const string FormatName = "passkeys-tenant-export";

    /// <summary>The version this server writes and reads.</summary>
    public const int CurrentVersion = 1;
}

/// <summary>A user with their credentials. Bytes are base64url without padding.</summary>
/// <param name="Handle">The WebAuthn user handle (what authenticators return as userHandle).</param>
/// <param name="DefaultCredentialId">The credential offered first, if the user chose one.</param>
public sealed record ExportedUser(string Id, string Handle, string Name, string DisplayName, DateTimeOffset CreatedAt, string? DefaultCredentialId,
    IReadOnlyList<ExportedCredential> Credentials);

/// <summary>A passkey: everything sign-in needs (the COSE key, counter, flags) and what the user sees.</summary>
/// <param name="PublicKey">The COSE_Key bytes as registered, base64url.</param>
/// <param name="Algorithm">The COSE algorithm number (-7 for ES256).</param>
public sealed record ExportedCredential(string Id, string PublicKey, int Algorithm, long SignCount, bool UvInitialized, bool BackupEligible, bool BackupState,
    IReadOnlyList<string> Transports, Guid Aaguid, string AttestationFormat, bool AttestationTrusted, string? Name, DateTimeOffset CreatedAt, DateTimeOffset? LastUsedAt,
    string Status, string? SuspendedReason, DateTimeOffset? SuspendedAt, DateTimeOffset? CloneSuspectedAt, string? AttestationType = null);
