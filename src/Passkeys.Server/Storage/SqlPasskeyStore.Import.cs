using System.Data.Common;

namespace Passkeys.Server.Storage;

// Imports: one transaction for a whole tenant's users and credentials.
public abstract partial class SqlPasskeyStore
{
    private protected string InsertCredentialWithStatusSql =>
        $"INSERT INTO credentials ({CredentialReadColumns}) VALUES (@t, @id, @u, @uh, @pk, @alg, @sc, @uv, @be, @bs, {Typed("@tr", SqlType.JsonList)}, " +
        $"@aaguid, @fmt, @trusted, @name, @at, @used, @st, @sr, {Typed("@sat", SqlType.Time)}, {Typed("@csa", SqlType.Time)}, @atype)";

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
            inserting = ImportOutcome.UserExists;
            for (at = 0; at < import.Users.Count; at++)
            {
                var user = import.Users[at];
                if (await ExistsAsync("SELECT 1 FROM users WHERE tenant_id = @t AND (id = @id OR name = @n OR name_key = @nk OR handle = @h)",
                        ("@t", import.TenantId), ("@id", user.Id), ("@n", user.Name), ("@nk", Security.Usernames.UsernameRules.Key(user.Name)), ("@h", user.Handle))
                    .ConfigureAwait(false))
                {
                    return new ImportResult(ImportOutcome.UserExists, at);
                }
                await ExecuteAsync(connection, tx, InsertUserSql, cancellationToken, StoreParameters.User(user)).ConfigureAwait(false);
            }
            inserting = ImportOutcome.CredentialExists;
            for (at = 0; at < import.Credentials.Count; at++)
            {
                var credential = import.Credentials[at];
                if (await ExistsAsync("SELECT 1 FROM credentials WHERE id = @id", ("@id", credential.Id)).ConfigureAwait(false))
                {
                    return new ImportResult(ImportOutcome.CredentialExists, at);
                }
                await ExecuteAsync(connection, tx, InsertCredentialWithStatusSql, cancellationToken,
                [
                    .. StoreParameters.Credential(credential),
                    ("@st", credential.Status), ("@sr", credential.SuspendedReason), ("@sat", credential.SuspendedAt), ("@csa", credential.CloneSuspectedAt),
                ]).ConfigureAwait(false);
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
            // A concurrent writer committed the same key between a check and an insert.
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
