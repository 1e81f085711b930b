using System.Text;
using Microsoft.Data.Sqlite;

namespace Passkeys.Server.Storage.Sqlite;

public sealed partial class SqlitePasskeyStore
{
    private const string ApiKeyColumns = "tenant_id, id, name, hash, created_at, revoked_at";
    private const string SigningKeyColumns = "tenant_id, kid, algorithm, private_key, created_at, retired_at";
    private const string AuditColumns =
        "id, tenant_id, at, ceremony, outcome, ceremony_id, user_id, credential_id, error_code, error, client_address, user_agent, browser, os, duration_ms";

    /// <inheritdoc />
    public async Task CreateApiKeyAsync(ApiKeyRecord key, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        using var _ = Measure();
        await ExecuteAsync($"INSERT INTO api_keys ({ApiKeyColumns}) VALUES (@t, @id, @n, @h, @at, @rev)", cancellationToken,
            StoreParameters.ApiKey(key)).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<ApiKeyRecord?> GetApiKeyAsync(string keyId, CancellationToken cancellationToken = default)
    {
        using var _ = Measure();
        return await QuerySingleAsync($"SELECT {ApiKeyColumns} FROM api_keys WHERE id = @id", Rows.ApiKey, cancellationToken, ("@id", keyId)).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<ApiKeyRecord>> ListApiKeysAsync(string tenantId, CancellationToken cancellationToken = default)
    {
        using var _ = Measure();
        return await QueryAsync($"SELECT {ApiKeyColumns} FROM api_keys WHERE tenant_id = @t ORDER BY created_at, id", Rows.ApiKey, cancellationToken, ("@t", tenantId)).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<bool> RevokeApiKeyAsync(string tenantId, string keyId, DateTimeOffset revokedAt, CancellationToken cancellationToken = default)
    {
        using var _ = Measure();
        return await ExecuteAsync("UPDATE api_keys SET revoked_at = @at WHERE tenant_id = @t AND id = @id AND revoked_at IS NULL", cancellationToken,
            ("@at", revokedAt), ("@t", tenantId), ("@id", keyId)).ConfigureAwait(false) == 1;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<SigningKeyRecord>> ListSigningKeysAsync(string tenantId, CancellationToken cancellationToken = default)
    {
        using var _ = Measure();
        return await QueryAsync($"SELECT {SigningKeyColumns} FROM signing_keys WHERE tenant_id = @t ORDER BY created_at DESC, kid DESC",
            Rows.SigningKey, cancellationToken, ("@t", tenantId)).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task AddSigningKeyAsync(SigningKeyRecord key, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        using var _ = Measure();
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var tx = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using (var retire = Command(connection, "UPDATE signing_keys SET retired_at = @at WHERE tenant_id = @t AND retired_at IS NULL",
            ("@at", key.CreatedAt), ("@t", key.TenantId)))
        {
            retire.Transaction = tx;
            await retire.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        await using (var insert = Command(connection, $"INSERT INTO signing_keys ({SigningKeyColumns}) VALUES (@t, @kid, @alg, @pk, @at, NULL)",
            StoreParameters.SigningKey(key)))
        {
            insert.Transaction = tx;
            await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<int> DeleteRetiredSigningKeysAsync(string tenantId, DateTimeOffset retiredBefore, CancellationToken cancellationToken = default)
    {
        using var _ = Measure();
        return await ExecuteAsync("DELETE FROM signing_keys WHERE tenant_id = @t AND retired_at IS NOT NULL AND retired_at < @before", cancellationToken,
            ("@t", tenantId), ("@before", retiredBefore)).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task AppendAuditEventAsync(AuditEventRecord auditEvent, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(auditEvent);
        using var _ = Measure();
        await ExecuteAsync(
            "INSERT INTO audit_events (tenant_id, at, ceremony, outcome, ceremony_id, user_id, credential_id, error_code, error, client_address, user_agent, browser, os, duration_ms) " +
            "VALUES (@t, @at, @c, @o, @cid, @u, @cred, @ec, @e, @addr, @ua, @b, @os, @d)", cancellationToken,
            StoreParameters.AuditEvent(auditEvent)).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<AuditEventRecord>> QueryAuditEventsAsync(AuditQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        using var _ = Measure();
        var sql = new StringBuilder($"SELECT {AuditColumns} FROM audit_events WHERE tenant_id = @t");
        if (query.Ceremony is not null) sql.Append(" AND ceremony = @c");
        if (query.Outcome is not null) sql.Append(" AND outcome = @o");
        if (query.UserId is not null) sql.Append(" AND user_id = @u");
        if (query.From is not null) sql.Append(" AND at >= @from");
        if (query.To is not null) sql.Append(" AND at < @to");
        if (query.BeforeId is not null) sql.Append(" AND id < @before");
        sql.Append(" ORDER BY id DESC LIMIT @limit");
        return await QueryAsync(sql.ToString(), Rows.AuditEvent, cancellationToken,
            ("@t", query.TenantId), ("@c", query.Ceremony), ("@o", query.Outcome), ("@u", query.UserId), ("@from", query.From),
            ("@to", query.To), ("@before", query.BeforeId), ("@limit", Math.Clamp(query.Limit, 1, 1000))).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<AuditCount>> CountAuditEventsAsync(string tenantId, DateTimeOffset? from, DateTimeOffset? to, CancellationToken cancellationToken = default)
    {
        using var _ = Measure();
        return await QueryAsync(
            "SELECT ceremony, outcome, browser, os, COUNT(*) FROM audit_events WHERE tenant_id = @t " +
            "AND (@from IS NULL OR at >= @from) AND (@to IS NULL OR at < @to) GROUP BY ceremony, outcome, browser, os ORDER BY ceremony, outcome, browser, os",
            RowReaders.AuditCount,
            cancellationToken, ("@t", tenantId), ("@from", from), ("@to", to)).ConfigureAwait(false);
    }
}
