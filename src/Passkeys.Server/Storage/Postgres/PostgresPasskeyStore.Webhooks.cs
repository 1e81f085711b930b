using System.Data.Common;
using Passkeys.Server.Webhooks;

namespace Passkeys.Server.Storage.Postgres;

// The webhook outbox's PostgreSQL parts: claims skip rows another node is claiming, and the wake-up
// notice is a NOTIFY inside the enqueuing transaction, which PostgreSQL delivers only on commit, to
// every node (this one included, through its listening connection).
public sealed partial class PostgresPasskeyStore
{
    private protected override string SkipLockedClause => " FOR UPDATE SKIP LOCKED";

    private protected override async Task SignalOutboxAsync(DbConnection connection, DbTransaction tx, string tenantId, CancellationToken ct) =>
        await ExecuteAsync(connection, tx, "SELECT pg_notify(@c, @p)", ct, ("@c", ChangesChannel),
            ("@p", new StoreChange(StoreChangeKind.Outbox, tenantId).Encode())).ConfigureAwait(false);

    // What WriteAuditEventAsync does in two or three round trips (insert RETURNING id; enqueue the
    // deliveries with that id; NOTIFY when any were enqueued), as one statement whose CTEs run in
    // that order: the id comes from the INSERT's RETURNING, the payload is the serialized event with
    // the id spliced in where the serializer wrote a 0, and the NOTIFY runs only when a delivery row was
    // inserted. The webhook parameters are named apart from the audit row's (@ty there is the stored type, which may be null).
    private const string AuditAndDeliveriesSql =
        "WITH e AS (" + AppendAuditEventSql + " RETURNING id), " +
        "d AS (INSERT INTO webhook_deliveries (tenant_id, endpoint_id, event_id, event_type, payload, status, attempts, created_at, next_attempt_at) " +
        "SELECT w.tenant_id, w.id, e.id, @wty, @wph || e.id::text || @wpt, 'pending', 0, @at, @at FROM e, webhook_endpoints w " +
        "WHERE w.tenant_id = @t AND w.enabled = @won AND w.id IN " +
        "(SELECT s.endpoint_id FROM webhook_subscriptions s WHERE s.tenant_id = @t AND s.pattern IN (@wty, @wfam, '*')) RETURNING 1) " +
        "SELECT pg_notify(@wc, @wn) FROM (SELECT 1 FROM d LIMIT 1) x";

    // The payload's "data" object starts with the event's id; "type" and "timestamp" before it are
    // JSON strings, so the first occurrence of this text is that id.
    private const string PayloadIdMarker = "\"data\":{\"id\":0";

    private protected override StepStatement? AuditStatement(AuditEventRecord auditEvent)
    {
        var payload = WebhookPayload.Serialize(auditEvent with { Id = 0 });
        var at = payload.IndexOf(PayloadIdMarker, StringComparison.Ordinal);
        if (at < 0)
        {
            return null; // not the shape this splices into: the statement-by-statement path
        }
        var idAt = at + PayloadIdMarker.Length - 1;
        var type = auditEvent.Type ?? Observability.AuditTypes.OfCeremony(auditEvent.Ceremony, auditEvent.Outcome);
        (string, object?)[] parameters =
        [
            .. StoreParameters.AuditEvent(auditEvent),
            ("@wty", type), ("@wfam", type.Split('.')[0] + ".*"), ("@won", true), ("@wph", payload[..idAt]), ("@wpt", payload[(idAt + 1)..]),
            ("@wc", ChangesChannel), ("@wn", new StoreChange(StoreChangeKind.Outbox, auditEvent.TenantId).Encode()),
        ];
        return new StepStatement(AuditAndDeliveriesSql, parameters, ReturnsRows: true);
    }
}
