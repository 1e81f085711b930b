namespace Passkeys.Server.Storage;

// Moving passkeys in (docs/export-format.md): a whole import in one transaction.
public partial interface IPasskeyStore
{
    /// <summary>
    /// Writes an import in one transaction: the tenant (when <see cref="TenantImport.NewTenant"/> is
    /// set; it must not exist yet), then every user and credential, then the users' default
    /// credentials, then <paramref name="auditEvent"/> (<c>tenant.imported</c>). Either all of it is
    /// written or nothing is: any conflict rolls back and says which entry conflicted, and a refused
    /// import leaves no event.
    /// </summary>
    Task<ImportResult> ImportAsync(TenantImport import, AuditEventRecord auditEvent, CancellationToken cancellationToken = default);
}

/// <summary>What an import writes.</summary>
/// <param name="NewTenant">The tenant to create, or null to add to the existing <paramref name="TenantId"/>.</param>
/// <param name="Users">New users; none may exist (by id, name or handle) in the tenant.</param>
/// <param name="Credentials">Their credentials; no id may exist in any tenant. Their status columns are written as given.</param>
public sealed record TenantImport(TenantRecord? NewTenant, string TenantId, IReadOnlyList<UserRecord> Users, IReadOnlyList<CredentialRecordRow> Credentials);

/// <summary>How an import ended.</summary>
public enum ImportOutcome
{
    /// <summary>Everything was written.</summary>
    Imported = 0,
    /// <summary>The tenant to create exists; nothing was written.</summary>
    TenantExists = 1,
    /// <summary>The tenant to add to does not exist; nothing was written.</summary>
    TenantMissing = 2,
    /// <summary>A user's id, name or handle is taken in the tenant; nothing was written.</summary>
    UserExists = 3,
    /// <summary>A credential id is registered already (in any tenant); nothing was written.</summary>
    CredentialExists = 4,
}

/// <summary>The outcome and, for a conflict, the index of the user or credential that conflicted (-1 when a concurrent writer won a race).</summary>
public sealed record ImportResult(ImportOutcome Outcome, int Index = -1);
