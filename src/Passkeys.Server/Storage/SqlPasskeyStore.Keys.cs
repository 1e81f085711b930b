using System.Data.Common;
using System.Text;

namespace Passkeys.Server.Storage;

// API keys, token signing keys and the audit log.
public abstract partial class SqlPasskeyStore
{
    private protected const string ApiKeyColumns = "tenant_id, id, name, hash, created_at, revoked_at";
    private protected const string SigningKeyColumns = "tenant_id, kid, algorithm, private_key, created_at, retired_at";
    private protected const string AuditColumns =
        "id, tenant_id, at, ceremony, outcome, ceremony_id, user_id, credential_id, error_code, error, client_address, user_agent, browser, os, duration_ms, " +
        "type, actor_kind, actor_id, target_kind, target_id, details";
    private protected const string AppendAuditEventSql =
        "INSERT INTO audit_events (tenant_id, at, ceremony, outcome, ceremony_id, user_id, credential_id, error_code, error, client_address, user_agent, browser, os, duration_ms, " +
        "type, actor_kind, actor_id, target_kind, target_id, details) " +
        "VALUES (@t, @at, @c, @o, @cid, @u, @cred, @ec, @e, @addr, @ua, @b, @os, @d, @ty, @ak, @ai, @tk, @ti, @det)";

    private protected const string CreateApiKeySql = $"INSERT INTO api_keys ({ApiKeyColumns}) VALUES (@t, @id, @n, @h, @at, @rev)";
    private protected const string RevokeApiKeySql = "UPDATE api_keys SET revoked_at = @at WHERE tenant_id = @t AND id = @id AND revoked_at IS NULL";

    /// <inheritdoc />
    public async Task CreateApiKeyAsync(ApiKeyRecord key, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        using var _ = Measure();
        await ExecuteAsync(CreateApiKeySql, cancellationToken, StoreParameters.ApiKey(key)).ConfigureAwait(false);
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
        return await ExecuteAsync(RevokeApiKeySql, cancellationToken,
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
        using var gate = await EnterWriteAsync(cancellationToken).ConfigureAwait(false);
        await using var tx = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await AddSigningKeyAsync(connection, tx, key, cancellationToken).ConfigureAwait(false);
        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
        await AnnounceAsync(new StoreChange(StoreChangeKind.SigningKeys, key.TenantId), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The statements of <see cref="AddSigningKeyAsync(SigningKeyRecord, CancellationToken)"/> inside <paramref name="tx"/>.</summary>
    private protected async Task AddSigningKeyAsync(DbConnection connection, DbTransaction tx, SigningKeyRecord key, CancellationToken cancellationToken)
    {
        await ExecuteAsync(connection, tx, "UPDATE signing_keys SET retired_at = @at WHERE tenant_id = @t AND retired_at IS NULL", cancellationToken,
            ("@at", key.CreatedAt), ("@t", key.TenantId)).ConfigureAwait(false);
        await ExecuteAsync(connection, tx, $"INSERT INTO signing_keys ({SigningKeyColumns}) VALUES (@t, @kid, @alg, @pk, @at, NULL)", cancellationToken,
            StoreParameters.SigningKey(key)).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<int> DeleteRetiredSigningKeysAsync(string tenantId, DateTimeOffset retiredBefore, CancellationToken cancellationToken = default)
    {
        using var _ = Measure();
        var deleted = await ExecuteAsync("DELETE FROM signing_keys WHERE tenant_id = @t AND retired_at IS NOT NULL AND retired_at < @before", cancellationToken,
            ("@t", tenantId), ("@before", retiredBefore)).ConfigureAwait(false);
        if (deleted > 0)
        {
            await AnnounceAsync(new StoreChange(StoreChangeKind.SigningKeys, tenantId), cancellationToken).ConfigureAwait(false);
        }
        return deleted;
    }

    /// <inheritdoc />
    public async Task<bool> ReplaceSigningKeyMaterialAsync(string tenantId, string keyId, byte[] expected, byte[] replacement, CancellationToken cancellationToken = default)
    {
        using var _ = Measure();
        // Compared with the old value: two nodes migrating together replace it once, and neither
        // overwrites the other's result.
        return await ExecuteAsync("UPDATE signing_keys SET private_key = @new WHERE tenant_id = @t AND kid = @kid AND private_key = @old", cancellationToken,
            ("@new", replacement), ("@t", tenantId), ("@kid", keyId), ("@old", expected)).ConfigureAwait(false) == 1;
    }

    /// <inheritdoc />
    public async Task<bool> DeleteSigningKeyAsync(string tenantId, string keyId, CancellationToken cancellationToken = default)
    {
        using var _ = Measure();
        return await ExecuteAsync("DELETE FROM signing_keys WHERE tenant_id = @t AND kid = @kid", cancellationToken,
            ("@t", tenantId), ("@kid", keyId)).ConfigureAwait(false) == 1;
    }

    /// <inheritdoc />
    public async Task<int> PurgeAuditEventsAsync(DateTimeOffset before, int max, CancellationToken cancellationToken = default)
    {
        using var _ = Measure();
        // The oldest rows by primary key, filtered by time: a bounded index range, with no index on
        // "at" to maintain on every insert, whatever the table's size.
        return await ExecuteAsync(PurgeAuditEventsSql, cancellationToken, ("@max", max), ("@before", before)).ConfigureAwait(false);
    }

    private protected const string PurgeAuditEventsSql =
        "DELETE FROM audit_events WHERE id IN (SELECT id FROM (SELECT id, at FROM audit_events ORDER BY id LIMIT @max) oldest WHERE at < @before)";

    /// <inheritdoc />
    public async Task AppendAuditEventAsync(AuditEventRecord auditEvent, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(auditEvent);
        using var _ = Measure();
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        using var gate = await EnterWriteAsync(cancellationToken).ConfigureAwait(false);
        await using var tx = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await WriteAuditEventAsync(connection, tx, auditEvent, cancellationToken).ConfigureAwait(false);
        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The one place an audit row is written, always inside the transaction of the change it
    /// describes: whatever must happen with every event (the webhook outbox) happens here, in
    /// that same transaction. Never write audit rows with SQL of your own.
    /// </summary>
    /// <remarks>
    /// The webhook outbox rides along here: the deliveries of the event (with its id) are enqueued
    /// in the same transaction (<see cref="EnqueueWebhookDeliveriesAsync"/>), so a change is never
    /// committed without them, nor they without it. The insert itself reports whether the event has
    /// a subscriber (<see cref="AppendAuditEventProbingSubscribersSql"/>); without one, no payload is
    /// serialized and no outbox statement runs.
    /// </remarks>
    private protected async Task WriteAuditEventAsync(DbConnection connection, DbTransaction tx, AuditEventRecord auditEvent, CancellationToken ct)
    {
        var webhookType = WebhookEventType(auditEvent);
        long id;
        bool subscribed;
        await using (var command = Command(connection, tx, AppendAuditEventProbingSubscribersSql, StoreParameters.AuditEventProbingSubscribers(auditEvent, webhookType)))
        await using (var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false))
        {
            await reader.ReadAsync(ct).ConfigureAwait(false);
            (id, subscribed) = (reader.GetInt64(0), reader.GetBoolean(1));
        }
        if (subscribed)
        {
            await EnqueueWebhookDeliveriesAsync(connection, tx, auditEvent with { Id = id }, webhookType, ct).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<AuditEventRecord>> QueryAuditEventsAsync(AuditQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfLessThan(query.Limit, 1);
        using var _ = Measure();
        // Only the filters in use become SQL and parameters, so every parameter has a known type.
        var sql = new StringBuilder($"SELECT {AuditColumns} FROM audit_events WHERE tenant_id = @t");
        var parameters = new List<(string, object?)> { ("@t", query.TenantId) };
        void Filter(string condition, string name, object? value)
        {
            if (value is not null)
            {
                sql.Append(" AND ").Append(condition);
                parameters.Add((name, value));
            }
        }
        Filter("ceremony = @c", "@c", query.Ceremony);
        Filter("outcome = @o", "@o", query.Outcome);
        Filter("type = @ty", "@ty", query.Type);
        Filter("user_id = @u", "@u", query.UserId);
        Filter("at >= @from", "@from", query.From);
        Filter("at < @to", "@to", query.To);
        Filter("id < @before", "@before", query.BeforeId);
        sql.Append(" ORDER BY id DESC LIMIT @limit");
        // Exactly the limit asked for: the API validates its range and asks for one more to know whether another page exists.
        parameters.Add(("@limit", query.Limit));
        return await QueryAsync(sql.ToString(), Rows.AuditEvent, cancellationToken, [.. parameters]).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<AuditCount>> CountAuditEventsAsync(string tenantId, DateTimeOffset? from, DateTimeOffset? to, CancellationToken cancellationToken = default)
    {
        using var _ = Measure();
        // Typed: from and to are NULL when the range is open.
        var (fromSql, toSql) = (Typed("@from", SqlType.Time), Typed("@to", SqlType.Time));
        return await QueryAsync(
            "SELECT ceremony, outcome, browser, os, COUNT(*) FROM audit_events WHERE tenant_id = @t " +
            $"AND ({fromSql} IS NULL OR at >= {fromSql}) AND ({toSql} IS NULL OR at < {toSql}) " +
            "GROUP BY ceremony, outcome, browser, os ORDER BY ceremony, outcome, browser, os",
            RowReaders.AuditCount,
            cancellationToken, ("@t", tenantId), ("@from", from), ("@to", to)).ConfigureAwait(false);
    }
}
