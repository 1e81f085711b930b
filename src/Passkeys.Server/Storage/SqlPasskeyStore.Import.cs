using System.Data.Common;

namespace Passkeys.Server.Storage;

// Imports: one transaction for a whole tenant's users and credentials.
public abstract partial class SqlPasskeyStore
{
    // ON CONFLICT (id) DO NOTHING: a credential id already registered inserts nothing (0 rows), as in registration.
    private protected string InsertCredentialWithStatusSql =>
        $"INSERT INTO credentials ({CredentialReadColumns}) VALUES (@t, @id, @u, @uh, @pk, @alg, @sc, @uv, @be, @bs, {Typed("@tr", SqlType.JsonList)}, " +
        $"@aaguid, @fmt, @trusted, @name, @at, @used, @st, @sr, {Typed("@sat", SqlType.Time)}, {Typed("@csa", SqlType.Time)}, @atype) ON CONFLICT (id) DO NOTHING";

    /// <inheritdoc />
    public async Task<ImportResult> ImportAsync(TenantImport import, AuditEventRecord auditEvent, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(import);
        ArgumentNullException.ThrowIfNull(auditEvent);
        using var _ = Measure();
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        using var gate = await EnterWriteAsync(cancellationToken).ConfigureAwait(false);
        // Returning without commit rolls back: nothing of a refused import stays.
        await using var tx = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        async Task<bool> ExistsAsync(string sql, params (string, object?)[] p) =>
            await ScalarAsync(connection, tx, sql, cancellationToken, p).ConfigureAwait(false) is not null;

        var at = -1;
        var inserting = ImportOutcome.TenantExists;
        try
        {
            if (import.NewTenant is { } tenant)
            {
                if (await ExecuteAsync(connection, tx, CreateTenantSql, cancellationToken, StoreParameters.Tenant(tenant)).ConfigureAwait(false) != 1)
                {
                    return new ImportResult(ImportOutcome.TenantExists);
                }
            }
            else if (!await ExistsAsync("SELECT 1 FROM tenants WHERE id = @t", ("@t", import.TenantId)).ConfigureAwait(false))
            {
                return new ImportResult(ImportOutcome.TenantMissing);
            }
            // No checking query per row: the unique keys answer (0 rows inserted: taken, by a stored
            // row or an earlier one of this import), as in registration. A check over the user's four
            // unique columns walked every user of the tenant for each imported user.
            inserting = ImportOutcome.UserExists;
            for (at = 0; at < import.Users.Count; at++)
            {
                if (await ExecuteAsync(connection, tx, InsertNewUserSql, cancellationToken, StoreParameters.User(import.Users[at])).ConfigureAwait(false) == 0)
                {
                    return new ImportResult(ImportOutcome.UserExists, at);
                }
            }
            inserting = ImportOutcome.CredentialExists;
            for (at = 0; at < import.Credentials.Count; at++)
            {
                var credential = import.Credentials[at];
                if (await ExecuteAsync(connection, tx, InsertCredentialWithStatusSql, cancellationToken,
                    [
                        .. StoreParameters.Credential(credential),
                        ("@st", credential.Status), ("@sr", credential.SuspendedReason), ("@sat", credential.SuspendedAt), ("@csa", credential.CloneSuspectedAt),
                    ]).ConfigureAwait(false) == 0)
                {
                    return new ImportResult(ImportOutcome.CredentialExists, at);
                }
            }
            foreach (var user in import.Users)
            {
                if (user.DefaultCredentialId is { } defaultId)
                {
                    await ExecuteAsync(connection, tx, "UPDATE users SET default_credential_id = @c WHERE tenant_id = @t AND id = @u", cancellationToken,
                        ("@c", defaultId), ("@t", import.TenantId), ("@u", user.Id)).ConfigureAwait(false);
                }
            }
        }
        catch (DbException e) when (ViolationOf(e) == ConstraintViolation.Unique)
        {
            // Not expected (every insert above skips a taken key), kept so that a key added to the
            // schema later is refused as a conflict rather than a 500.
            return new ImportResult(inserting, -1);
        }
        // The import's event in the import's own commit: an imported tenant is never without it.
        await WriteAuditEventAsync(connection, tx, auditEvent, cancellationToken).ConfigureAwait(false);
        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
        if (import.NewTenant is not null)
        {
            await AnnounceAsync(new StoreChange(StoreChangeKind.Tenant, import.TenantId), cancellationToken).ConfigureAwait(false);
        }
        return new ImportResult(ImportOutcome.Imported);
    }
}
