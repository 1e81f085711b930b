using System.Data.Common;

namespace Passkeys.Server.Storage;

// Credentials (registered passkeys).
public abstract partial class SqlPasskeyStore
{
    private protected const string CredentialColumns =
        "tenant_id, id, user_id, user_handle, public_key, algorithm, sign_count, uv_initialized, backup_eligible, backup_state, " +
        "transports, aaguid, attestation_format, attestation_trusted, name, created_at, last_used_at";
    // What a read returns: the inserted columns, then the status a new credential starts with (active),
    // then the attestation type (NULL for credentials registered before it was recorded).
    private protected const string CredentialReadColumns = CredentialColumns + ", status, suspended_reason, suspended_at, clone_suspected_at, attestation_type";

    private protected const string GetCredentialSql = $"SELECT {CredentialReadColumns} FROM credentials WHERE id = @id AND tenant_id = @t";
    private protected const string ListCredentialsSql = $"SELECT {CredentialReadColumns} FROM credentials WHERE tenant_id = @t AND user_id = @u ORDER BY created_at, id";
    // Monotonic: the stored counter only grows. Two sign-ins verified against the same stored value
    // commit in either order; the later commit of the smaller counter must not lower it (a clone
    // would then pass with a counter between the two). CASE rather than MAX()/GREATEST(): one
    // spelling for both dialects.
    private protected const string RecordCredentialUseSql =
        "UPDATE credentials SET sign_count = CASE WHEN sign_count > @sc THEN sign_count ELSE @sc END, backup_state = @bs, uv_initialized = @uv, " +
        "last_used_at = @at WHERE id = @id AND tenant_id = @t";
    private protected const string SuspendCredentialSql =
        "UPDATE credentials SET status = 'suspended', suspended_reason = @r, suspended_at = @at WHERE id = @id AND tenant_id = @t AND status = 'active'";
    // A suspended passkey's sessions end with it: one of them may be the copy's (nothing tells which
    // copy made a session), and its refresh token would otherwise outlive the suspension.
    private protected const string RevokeSessionsOfCredentialSql =
        "UPDATE sessions SET revoked_at = @at, revoked_reason = 'credential-suspended' WHERE tenant_id = @t AND credential_id = @id AND revoked_at IS NULL";
    private protected string RenameCredentialSql =>
        $"UPDATE credentials SET name = {Typed("@n", SqlType.Text)} WHERE id = @id AND tenant_id = @t AND user_id = @u";
    private protected const string DeleteCredentialSql = "DELETE FROM credentials WHERE id = @id AND tenant_id = @t AND user_id = @u";
    // One statement: only sets the default when the credential is this user's.
    private protected const string SetDefaultCredentialSql =
        "UPDATE users SET default_credential_id = @id WHERE tenant_id = @t AND id = @u " +
        "AND EXISTS (SELECT 1 FROM credentials c WHERE c.id = @id AND c.tenant_id = @t AND c.user_id = @u)";
    // Reinstating clears the reason, the time and a flag's clone mark: the user or operator has looked at it.
    private protected const string ReinstateCredentialSql =
        "UPDATE credentials SET status = 'active', suspended_reason = NULL, suspended_at = NULL, clone_suspected_at = NULL " +
        "WHERE id = @id AND tenant_id = @t AND user_id = @u";
    private protected const string FlagCloneSuspectedSql =
        "UPDATE credentials SET clone_suspected_at = @at WHERE id = @id AND tenant_id = @t AND clone_suspected_at IS NULL";

    /// <inheritdoc />
    public async Task<AddCredentialResult> AddCredentialAsync(CredentialRecordRow credential, UserRecord? newUser, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(credential);
        using var _ = Measure();
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        // Returning without commit rolls back: no user without its credential.
        using var gate = await EnterWriteAsync(cancellationToken).ConfigureAwait(false);
        await using var tx = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var result = await AddCredentialAsync(connection, tx, credential, newUser, cancellationToken).ConfigureAwait(false);
        if (result == AddCredentialResult.Added)
        {
            await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
        }
        return result;
    }

    /// <summary>
    /// The inserts of <see cref="AddCredentialAsync(CredentialRecordRow, UserRecord?, CancellationToken)"/>
    /// inside <paramref name="tx"/>, which the caller commits only on <see cref="AddCredentialResult.Added"/>
    /// (any other result leaves it to be rolled back: the new user may already be inserted, and on
    /// PostgreSQL a refused foreign key has aborted the transaction).
    /// </summary>
    /// <remarks>
    /// No existence checks before the inserts: the unique and foreign keys answer the same questions
    /// in the same index lookups the inserts make anyway, and they also catch a writer that commits
    /// between a check and an insert. The keys are told apart by which insert was refused, with
    /// <c>ON CONFLICT DO NOTHING</c> (0 rows, the transaction still usable on PostgreSQL): a taken
    /// user id, name, name key or handle refuses the user's insert, a taken credential id the
    /// credential's; an unknown existing user (or tenant) fails the foreign key. A checking query
    /// over four unique columns (<c>id = … OR name = … OR …</c>) had made SQLite walk all of the
    /// tenant's users, under the write lock, once per registration (docs/benchmarks.md,
    /// "Registration (session 5)").
    /// </remarks>
    private protected async Task<AddCredentialResult> AddCredentialAsync(DbConnection connection, DbTransaction tx, CredentialRecordRow credential, UserRecord? newUser,
        CancellationToken cancellationToken)
    {
        try
        {
            if (newUser is not null
                && await ExecuteAsync(connection, tx, InsertNewUserSql, cancellationToken, StoreParameters.User(newUser)).ConfigureAwait(false) == 0)
            {
                // A taken credential id is reported before a taken name, whichever was taken first:
                // the same answer as when the credential is inserted alone.
                return await ScalarAsync(connection, tx, CredentialIdTakenSql, cancellationToken, ("@id", credential.Id)).ConfigureAwait(false) is null
                    ? AddCredentialResult.UserExists
                    : AddCredentialResult.CredentialExists;
            }
            return await ExecuteAsync(connection, tx, InsertCredentialSql, cancellationToken, StoreParameters.Credential(credential)).ConfigureAwait(false) == 1
                ? AddCredentialResult.Added
                : AddCredentialResult.CredentialExists;
        }
        catch (DbException e) when (ViolationOf(e) == ConstraintViolation.ForeignKey)
        {
            // The existing user, or the tenant of a new one, does not exist (or was deleted since the ceremony began).
            return AddCredentialResult.UserMissing;
        }
    }

    // ON CONFLICT DO NOTHING without a target: any unique key (id, name, name_key, handle) refuses the row.
    private protected const string InsertNewUserSql = InsertUserSql + " ON CONFLICT DO NOTHING";
    private protected const string CredentialIdTakenSql = "SELECT 1 FROM credentials WHERE id = @id";
    private protected string InsertCredentialSql =>
        $"INSERT INTO credentials ({CredentialColumns}, attestation_type) VALUES (@t, @id, @u, @uh, @pk, @alg, @sc, @uv, @be, @bs, {Typed("@tr", SqlType.JsonList)}, " +
        $"@aaguid, @fmt, @trusted, @name, @at, @used, {Typed("@atype", SqlType.Text)}) ON CONFLICT (id) DO NOTHING";

    /// <summary>Every statement that stores new users and credentials (registration, import), for the query-plan test.</summary>
    internal IReadOnlyList<string> AddCredentialStatements => [InsertNewUserSql, CredentialIdTakenSql, InsertCredentialSql, InsertCredentialWithStatusSql];

    /// <inheritdoc />
    public async Task<CredentialRecordRow?> GetCredentialAsync(string tenantId, byte[] credentialId, CancellationToken cancellationToken = default)
    {
        using var _ = Measure();
        return await QuerySingleAsync(GetCredentialSql, Rows.Credential, cancellationToken,
            ("@id", credentialId), ("@t", tenantId)).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<CredentialRecordRow>> ListCredentialsAsync(string tenantId, string userId, CancellationToken cancellationToken = default)
    {
        using var _ = Measure();
        return await QueryAsync(ListCredentialsSql,
            Rows.Credential, cancellationToken, ("@t", tenantId), ("@u", userId)).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<bool> RecordCredentialUseAsync(string tenantId, byte[] credentialId, long signCount, bool backupState, bool uvInitialized, DateTimeOffset usedAt, CancellationToken cancellationToken = default)
    {
        using var _ = Measure();
        return await ExecuteAsync(RecordCredentialUseSql, cancellationToken, ("@sc", signCount), ("@bs", backupState), ("@uv", uvInitialized), ("@at", usedAt),
            ("@id", credentialId), ("@t", tenantId)).ConfigureAwait(false) == 1;
    }

    /// <inheritdoc />
    public async Task<bool> RenameCredentialAsync(string tenantId, string userId, byte[] credentialId, string? name, CancellationToken cancellationToken = default)
    {
        using var _ = Measure();
        // Typed: name is null when cleared (an untyped NULL in SET would do, but explicit is clearer).
        return await ExecuteAsync(RenameCredentialSql, cancellationToken, ("@n", name), ("@id", credentialId), ("@t", tenantId), ("@u", userId)).ConfigureAwait(false) == 1;
    }

    /// <inheritdoc />
    public async Task<bool> DeleteCredentialAsync(string tenantId, string userId, byte[] credentialId, CancellationToken cancellationToken = default)
    {
        using var _ = Measure();
        return await ExecuteAsync(DeleteCredentialSql, cancellationToken, ("@id", credentialId), ("@t", tenantId), ("@u", userId)).ConfigureAwait(false) == 1;
    }

    /// <inheritdoc />
    public async Task<bool> SetCredentialStatusAsync(string tenantId, string userId, byte[] credentialId, string status, string? reason, DateTimeOffset at,
        CancellationToken cancellationToken = default)
    {
        using var _ = Measure();
        return status == CredentialStatus.Active
            ? await ExecuteAsync(ReinstateCredentialSql, cancellationToken, ("@id", credentialId), ("@t", tenantId), ("@u", userId)).ConfigureAwait(false) == 1
            : await SuspendAsync(tenantId, userId, credentialId, reason!, at, cancellationToken).ConfigureAwait(false);
    }

    // Suspends (with its sessions) in one transaction; an already suspended credential of the user counts as done.
    private async Task<bool> SuspendAsync(string tenantId, string userId, byte[] credentialId, string reason, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        using var gate = await EnterWriteAsync(cancellationToken).ConfigureAwait(false);
        await using var tx = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        if (await ExecuteAsync(connection, tx, SuspendCredentialSql + " AND user_id = @u", cancellationToken, ("@r", reason), ("@at", at), ("@id", credentialId),
                ("@t", tenantId), ("@u", userId)).ConfigureAwait(false) == 1)
        {
            await ExecuteAsync(connection, tx, RevokeSessionsOfCredentialSql, cancellationToken, ("@at", at), ("@t", tenantId), ("@id", credentialId)).ConfigureAwait(false);
            await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
            return true;
        }
        return await ScalarAsync(connection, tx, "SELECT 1 FROM credentials WHERE id = @id AND tenant_id = @t AND user_id = @u AND status = 'suspended'",
            cancellationToken, ("@id", credentialId), ("@t", tenantId), ("@u", userId)).ConfigureAwait(false) is not null;
    }

    /// <inheritdoc />
    public async Task<bool> SetDefaultCredentialAsync(string tenantId, string userId, byte[] credentialId, CancellationToken cancellationToken = default)
    {
        using var _ = Measure();
        return await ExecuteAsync(SetDefaultCredentialSql, cancellationToken, ("@id", credentialId), ("@t", tenantId), ("@u", userId)).ConfigureAwait(false) == 1;
    }
}
