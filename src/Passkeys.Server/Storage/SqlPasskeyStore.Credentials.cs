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
        // SQLite: BEGIN IMMEDIATE (the provider's default), so the checks and inserts see no
        // interleaved writer. Returning without commit rolls back: no user without its credential.
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
    /// The checks and inserts of <see cref="AddCredentialAsync(CredentialRecordRow, UserRecord?, CancellationToken)"/>
    /// inside <paramref name="tx"/>, which the caller commits only on <see cref="AddCredentialResult.Added"/>
    /// (any other result leaves it to be rolled back: on PostgreSQL a refused insert has aborted it).
    /// </summary>
    /// <remarks>
    /// PostgreSQL runs read committed: the checks give the same answers, in the same order, but a
    /// writer that slips in between a check and an insert is caught by the unique and foreign keys,
    /// whose violations map to the same results.
    /// </remarks>
    private protected async Task<AddCredentialResult> AddCredentialAsync(DbConnection connection, DbTransaction tx, CredentialRecordRow credential, UserRecord? newUser,
        CancellationToken cancellationToken)
    {
        async Task<bool> ExistsAsync(string sql, params (string, object?)[] p) =>
            await ScalarAsync(connection, tx, sql, cancellationToken, p).ConfigureAwait(false) is not null;

        var insertingCredential = false;
        try
        {
            if (await ExistsAsync("SELECT 1 FROM credentials WHERE id = @id", ("@id", credential.Id)).ConfigureAwait(false))
            {
                return AddCredentialResult.CredentialExists;
            }
            if (newUser is not null)
            {
                if (await ExistsAsync("SELECT 1 FROM users WHERE tenant_id = @t AND (id = @id OR name = @n OR name_key = @nk OR handle = @h)",
                        ("@t", newUser.TenantId), ("@id", newUser.Id), ("@n", newUser.Name), ("@nk", Security.Usernames.UsernameRules.Key(newUser.Name)),
                        ("@h", newUser.Handle)).ConfigureAwait(false))
                {
                    return AddCredentialResult.UserExists;
                }
                await ExecuteAsync(connection, tx, InsertUserSql, cancellationToken, StoreParameters.User(newUser)).ConfigureAwait(false);
            }
            else if (!await ExistsAsync("SELECT 1 FROM users WHERE tenant_id = @t AND id = @id", ("@t", credential.TenantId), ("@id", credential.UserId)).ConfigureAwait(false))
            {
                return AddCredentialResult.UserMissing;
            }

            insertingCredential = true;
            await ExecuteAsync(connection, tx,
                $"INSERT INTO credentials ({CredentialColumns}, attestation_type) VALUES (@t, @id, @u, @uh, @pk, @alg, @sc, @uv, @be, @bs, {Typed("@tr", SqlType.JsonList)}, " +
                $"@aaguid, @fmt, @trusted, @name, @at, @used, {Typed("@atype", SqlType.Text)})",
                cancellationToken, StoreParameters.Credential(credential)).ConfigureAwait(false);
            return AddCredentialResult.Added;
        }
        catch (DbException e) when (ViolationOf(e) == ConstraintViolation.Unique)
        {
            // A concurrent registration committed first; which insert hit a key says who was faster.
            return insertingCredential ? AddCredentialResult.CredentialExists : AddCredentialResult.UserExists;
        }
        catch (DbException e) when (ViolationOf(e) == ConstraintViolation.ForeignKey)
        {
            // The existing user (or the tenant) was deleted between the check and the insert.
            return AddCredentialResult.UserMissing;
        }
    }

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
