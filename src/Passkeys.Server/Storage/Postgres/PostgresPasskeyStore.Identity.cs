namespace Passkeys.Server.Storage.Postgres;

public sealed partial class PostgresPasskeyStore
{
    // SKIP LOCKED, as for ceremonies: purging nodes take disjoint batches and leave a counter being incremented alone.
    private protected override string PurgeExpiredAttemptsSql { get; } =
        "DELETE FROM attempt_counters WHERE (tenant_id, subject, window_start) IN " +
        "(SELECT tenant_id, subject, window_start FROM attempt_counters WHERE expires_at < @now LIMIT @max FOR UPDATE SKIP LOCKED) RETURNING 1";
}
