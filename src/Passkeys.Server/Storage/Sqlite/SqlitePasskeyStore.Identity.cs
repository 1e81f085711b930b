namespace Passkeys.Server.Storage.Sqlite;

public sealed partial class SqlitePasskeyStore
{
    // By rowid: one writer at a time, nothing to skip.
    private protected override string PurgeExpiredAttemptsSql { get; } =
        "DELETE FROM attempt_counters WHERE rowid IN (SELECT rowid FROM attempt_counters WHERE expires_at < @now LIMIT @max) RETURNING 1";
}
