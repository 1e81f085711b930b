using System.Data.Common;
using System.Text;
using System.Text.Json;

namespace Passkeys.Server.Storage;

// Webhook endpoints, their subscriptions and the outbox of deliveries (docs/webhooks.md).
public abstract partial class SqlPasskeyStore
{
    private protected const string WebhookEndpointColumns =
        "id, tenant_id, url, event_types, description, enabled, secret, previous_secret, previous_secret_expires_at, created_at, updated_at";
    private protected const string WebhookDeliveryColumns =
        "id, tenant_id, endpoint_id, event_id, event_type, payload, status, attempts, created_at, next_attempt_at, locked_until, locked_by, " +
        "last_attempt_at, last_status_code, last_error, completed_at";

    // The outbox insert run with an audit row that has a subscriber: one delivery per enabled endpoint
    // of the tenant subscribed to the type exactly, to its family ("credential.*") or to everything ("*").
    private const string EnqueueWebhookDeliveriesSql =
        "INSERT INTO webhook_deliveries (tenant_id, endpoint_id, event_id, event_type, payload, status, attempts, created_at, next_attempt_at) " +
        "SELECT e.tenant_id, e.id, @eid, @ty, @p, 'pending', 0, @at, @at FROM webhook_endpoints e " +
        "WHERE e.tenant_id = @t AND e.enabled = @on AND e.id IN " +
        "(SELECT s.endpoint_id FROM webhook_subscriptions s WHERE s.tenant_id = @t AND s.pattern IN (@ty, @fam, '*'))";

    /// <summary>
    /// The audit insert (<see cref="WriteAuditEventAsync"/>), returning the new id and, from the same
    /// statement (so the same snapshot, the same round trip), whether any enabled endpoint of the
    /// tenant subscribes to the event: the condition of <see cref="EnqueueWebhookDeliveriesSql"/>.
    /// Only then is the payload serialized and the outbox insert run; most events of most tenants
    /// have no subscriber, and cost no webhook statement at all. No cache: what decides is the
    /// database inside the event's own transaction, exactly as when the outbox insert ran every time.
    /// </summary>
    private protected const string AppendAuditEventProbingSubscribersSql = AppendAuditEventSql + " RETURNING id, EXISTS (SELECT 1 FROM webhook_endpoints e " +
        "WHERE e.tenant_id = @t AND e.enabled = @on AND e.id IN " +
        "(SELECT s.endpoint_id FROM webhook_subscriptions s WHERE s.tenant_id = @t AND s.pattern IN (@wty, @wfam, '*')))";

    /// <summary>The webhook event type of an audit event: its own type, or the one of its ceremony outcome.</summary>
    private static string WebhookEventType(AuditEventRecord auditEvent) =>
        auditEvent.Type ?? Observability.AuditTypes.OfCeremony(auditEvent.Ceremony, auditEvent.Outcome);

    /// <summary>The subscription pattern of a type's family: "credential.*" for "credential.added".</summary>
    internal static string WebhookFamily(string type) => string.Concat(type.AsSpan(0, type.IndexOf('.') is var dot and >= 0 ? dot : type.Length), ".*");

    /// <summary>
    /// The dialect's row-locking clause for the claim's inner SELECT: PostgreSQL skips rows another
    /// node is claiming at this moment; SQLite has one writer at a time and needs none.
    /// </summary>
    private protected virtual string SkipLockedClause => "";

    /// <summary>
    /// Tells the delivery worker that deliveries were enqueued in <paramref name="tx"/>. SQLite: this
    /// process's worker at once (its claim waits on the write gate, so it reads after the commit).
    /// PostgreSQL overrides it with a NOTIFY inside the transaction, sent to every node on commit.
    /// </summary>
    private protected virtual Task SignalOutboxAsync(DbConnection connection, DbTransaction tx, string tenantId, CancellationToken ct)
    {
        Changes.Raise(new StoreChange(StoreChangeKind.Outbox, tenantId));
        return Task.CompletedTask;
    }

    /// <summary>
    /// Enqueues the deliveries of a just-written audit event (with its id) in the same transaction;
    /// run when its insert found a subscriber (<see cref="AppendAuditEventProbingSubscribersSql"/>).
    /// </summary>
    private async Task EnqueueWebhookDeliveriesAsync(DbConnection connection, DbTransaction tx, AuditEventRecord auditEvent, string type, CancellationToken ct)
    {
        var family = WebhookFamily(type);
        var enqueued = await ExecuteAsync(connection, tx, EnqueueWebhookDeliveriesSql, ct, ("@eid", auditEvent.Id), ("@ty", type), ("@fam", family),
            ("@p", Webhooks.WebhookPayload.Serialize(auditEvent)), ("@at", auditEvent.At), ("@t", auditEvent.TenantId), ("@on", true)).ConfigureAwait(false);
        if (enqueued > 0)
        {
            await SignalOutboxAsync(connection, tx, auditEvent.TenantId, ct).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public async Task<bool> CreateWebhookEndpointAsync(WebhookEndpointRecord endpoint, int maxPerTenant, AuditEventRecord auditEvent,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentNullException.ThrowIfNull(auditEvent);
        using var _ = Measure();
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        using var gate = await EnterWriteAsync(cancellationToken).ConfigureAwait(false);
        await using var tx = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var count = Convert.ToInt64(await ScalarAsync(connection, tx, "SELECT COUNT(*) FROM webhook_endpoints WHERE tenant_id = @t", cancellationToken,
            ("@t", endpoint.TenantId)).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture);
        if (count >= maxPerTenant)
        {
            return false;
        }
        await ExecuteAsync(connection, tx, $"INSERT INTO webhook_endpoints ({WebhookEndpointColumns}) VALUES (@id, @t, @url, @types, @d, @on, @s, @ps, @pse, @at, @up)",
            cancellationToken, WebhookEndpointParameters(endpoint)).ConfigureAwait(false);
        await WriteSubscriptionsAsync(connection, tx, endpoint, cancellationToken).ConfigureAwait(false);
        await WriteAuditEventAsync(connection, tx, auditEvent, cancellationToken).ConfigureAwait(false);
        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<WebhookEndpointRecord>> ListWebhookEndpointsAsync(string tenantId, CancellationToken cancellationToken = default)
    {
        using var _ = Measure();
        return await QueryAsync($"SELECT {WebhookEndpointColumns} FROM webhook_endpoints WHERE tenant_id = @t ORDER BY created_at, id",
            WebhookEndpoint, cancellationToken, ("@t", tenantId)).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<WebhookEndpointRecord?> GetWebhookEndpointAsync(string tenantId, string endpointId, CancellationToken cancellationToken = default)
    {
        using var _ = Measure();
        return await QuerySingleAsync($"SELECT {WebhookEndpointColumns} FROM webhook_endpoints WHERE tenant_id = @t AND id = @id",
            WebhookEndpoint, cancellationToken, ("@t", tenantId), ("@id", endpointId)).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<bool> UpdateWebhookEndpointAsync(WebhookEndpointRecord endpoint, AuditEventRecord auditEvent, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentNullException.ThrowIfNull(auditEvent);
        using var _ = Measure();
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        using var gate = await EnterWriteAsync(cancellationToken).ConfigureAwait(false);
        await using var tx = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var updated = await ExecuteAsync(connection, tx,
            "UPDATE webhook_endpoints SET url = @url, event_types = @types, description = @d, enabled = @on, secret = @s, previous_secret = @ps, " +
            "previous_secret_expires_at = @pse, updated_at = @up WHERE tenant_id = @t AND id = @id",
            cancellationToken, WebhookEndpointParameters(endpoint)).ConfigureAwait(false);
        if (updated != 1)
        {
            return false;
        }
        await ExecuteAsync(connection, tx, "DELETE FROM webhook_subscriptions WHERE endpoint_id = @id", cancellationToken, ("@id", endpoint.Id)).ConfigureAwait(false);
        await WriteSubscriptionsAsync(connection, tx, endpoint, cancellationToken).ConfigureAwait(false);
        await WriteAuditEventAsync(connection, tx, auditEvent, cancellationToken).ConfigureAwait(false);
        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <inheritdoc />
    public async Task<bool> DeleteWebhookEndpointAsync(string tenantId, string endpointId, AuditEventRecord auditEvent, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(auditEvent);
        using var _ = Measure();
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        using var gate = await EnterWriteAsync(cancellationToken).ConfigureAwait(false);
        await using var tx = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        // Subscriptions and deliveries go with it (ON DELETE CASCADE).
        if (await ExecuteAsync(connection, tx, "DELETE FROM webhook_endpoints WHERE tenant_id = @t AND id = @id", cancellationToken,
                ("@t", tenantId), ("@id", endpointId)).ConfigureAwait(false) != 1)
        {
            return false;
        }
        await WriteAuditEventAsync(connection, tx, auditEvent, cancellationToken).ConfigureAwait(false);
        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<WebhookDeliveryRecord>> ClaimWebhookDeliveriesAsync(string node, DateTimeOffset now, DateTimeOffset lockedUntil, int max,
        CancellationToken cancellationToken = default)
    {
        using var _ = Measure();
        // One statement, committed on return: the lease is in the database before any HTTP call, so a
        // node killed mid-attempt leaves a row that is due again once locked_until passes.
        return await WriteQueryAsync(
            "UPDATE webhook_deliveries SET locked_until = @until, locked_by = @node, attempts = attempts + 1, last_attempt_at = @now " +
            "WHERE id IN (SELECT id FROM webhook_deliveries WHERE status = 'pending' AND next_attempt_at <= @now " +
            $"AND (locked_until IS NULL OR locked_until <= @now) ORDER BY next_attempt_at, id LIMIT @max{SkipLockedClause}) " +
            $"RETURNING {WebhookDeliveryColumns}",
            WebhookDelivery, cancellationToken, ("@until", lockedUntil), ("@node", node), ("@now", now), ("@max", max)).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<bool> CompleteWebhookDeliveryAsync(long deliveryId, string node, int attempts, WebhookAttemptResult result, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(result);
        using var _ = Measure();
        // Only while this node still holds this attempt's lease: after it expired another node may have claimed the row.
        var done = result.Status == WebhookDeliveryStatus.Pending ? null : (DateTimeOffset?)result.At;
        return await ExecuteAsync(
            "UPDATE webhook_deliveries SET status = @s, next_attempt_at = @next, locked_until = NULL, locked_by = NULL, last_status_code = @code, " +
            "last_error = @err, completed_at = @done WHERE id = @id AND locked_by = @node AND attempts = @a",
            cancellationToken, ("@s", result.Status), ("@next", result.NextAttemptAt), ("@code", result.StatusCode), ("@err", result.Error),
            ("@done", done), ("@id", deliveryId), ("@node", node), ("@a", attempts)).ConfigureAwait(false) == 1;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<WebhookDeliveryRecord>> ListWebhookDeliveriesAsync(string tenantId, string endpointId, string? status, long? beforeId, int limit,
        CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        using var _ = Measure();
        var sql = new StringBuilder($"SELECT {WebhookDeliveryColumns} FROM webhook_deliveries WHERE tenant_id = @t AND endpoint_id = @e");
        var parameters = new List<(string, object?)> { ("@t", tenantId), ("@e", endpointId) };
        if (status is not null)
        {
            sql.Append(" AND status = @s");
            parameters.Add(("@s", status));
        }
        if (beforeId is not null)
        {
            sql.Append(" AND id < @before");
            parameters.Add(("@before", beforeId));
        }
        sql.Append(" ORDER BY id DESC LIMIT @limit");
        parameters.Add(("@limit", limit));
        return await QueryAsync(sql.ToString(), WebhookDelivery, cancellationToken, [.. parameters]).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<WebhookRetryResult> RetryWebhookDeliveryAsync(string tenantId, string endpointId, long deliveryId, DateTimeOffset now, AuditEventRecord auditEvent,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(auditEvent);
        using var _ = Measure();
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        using var gate = await EnterWriteAsync(cancellationToken).ConfigureAwait(false);
        // Returning without commit rolls back: a retry not scheduled writes nothing.
        await using var tx = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        // Never while a lease stands: resetting it would let a second node send it alongside the first.
        var scheduled = await ExecuteAsync(connection, tx,
            "UPDATE webhook_deliveries SET status = 'pending', attempts = 0, next_attempt_at = @now, completed_at = NULL, locked_until = NULL, locked_by = NULL " +
            "WHERE tenant_id = @t AND endpoint_id = @e AND id = @id AND (locked_until IS NULL OR locked_until <= @now)",
            cancellationToken, ("@now", now), ("@t", tenantId), ("@e", endpointId), ("@id", deliveryId)).ConfigureAwait(false);
        if (scheduled == 1)
        {
            await WriteAuditEventAsync(connection, tx, auditEvent, cancellationToken).ConfigureAwait(false);
            await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
            Changes.Raise(new StoreChange(StoreChangeKind.Outbox, tenantId));
            return WebhookRetryResult.Scheduled;
        }
        var exists = await ScalarAsync(connection, tx, "SELECT 1 FROM webhook_deliveries WHERE tenant_id = @t AND endpoint_id = @e AND id = @id",
            cancellationToken, ("@t", tenantId), ("@e", endpointId), ("@id", deliveryId)).ConfigureAwait(false);
        return exists is null ? WebhookRetryResult.NotFound : WebhookRetryResult.InFlight;
    }

    /// <inheritdoc />
    public async Task<int> PurgeWebhookDeliveriesAsync(string status, DateTimeOffset before, int max, CancellationToken cancellationToken = default)
    {
        using var _ = Measure();
        return await ExecuteAsync(
            "DELETE FROM webhook_deliveries WHERE id IN (SELECT id FROM webhook_deliveries WHERE status = @s AND completed_at < @before ORDER BY completed_at LIMIT @max)",
            cancellationToken, ("@s", status), ("@before", before), ("@max", max)).ConfigureAwait(false);
    }

    private async Task WriteSubscriptionsAsync(DbConnection connection, DbTransaction tx, WebhookEndpointRecord endpoint, CancellationToken ct)
    {
        foreach (var pattern in endpoint.EventTypes.Distinct(StringComparer.Ordinal))
        {
            await ExecuteAsync(connection, tx, "INSERT INTO webhook_subscriptions (tenant_id, pattern, endpoint_id) VALUES (@t, @p, @id)", ct,
                ("@t", endpoint.TenantId), ("@p", pattern), ("@id", endpoint.Id)).ConfigureAwait(false);
        }
    }

    private static (string, object?)[] WebhookEndpointParameters(WebhookEndpointRecord e) =>
    [
        ("@id", e.Id), ("@t", e.TenantId), ("@url", e.Url), ("@types", JsonSerializer.Serialize(e.EventTypes, StoreJson.Default.IReadOnlyListString)),
        ("@d", e.Description), ("@on", e.Enabled), ("@s", e.Secret), ("@ps", e.PreviousSecret), ("@pse", e.PreviousSecretExpiresAt),
        ("@at", e.CreatedAt), ("@up", e.UpdatedAt),
    ];

    private WebhookEndpointRecord WebhookEndpoint(DbDataReader r) => new(
        r.GetString(0), r.GetString(1), r.GetString(2), JsonSerializer.Deserialize(r.GetString(3), StoreJson.Default.IReadOnlyListString) ?? [],
        r.IsDBNull(4) ? null : r.GetString(4), _columns.Bool(r, 5), _columns.Bytes(r, 6), r.IsDBNull(7) ? null : _columns.Bytes(r, 7),
        r.IsDBNull(8) ? null : _columns.Time(r, 8), _columns.Time(r, 9), _columns.Time(r, 10));

    private WebhookDeliveryRecord WebhookDelivery(DbDataReader r) => new(
        r.GetInt64(0), r.GetString(1), r.GetString(2), r.GetInt64(3), r.GetString(4), r.GetString(5), r.GetString(6), r.GetInt32(7),
        _columns.Time(r, 8), _columns.Time(r, 9), r.IsDBNull(10) ? null : _columns.Time(r, 10), r.IsDBNull(11) ? null : r.GetString(11),
        r.IsDBNull(12) ? null : _columns.Time(r, 12), r.IsDBNull(13) ? null : r.GetInt32(13), r.IsDBNull(14) ? null : r.GetString(14),
        r.IsDBNull(15) ? null : _columns.Time(r, 15));
}
