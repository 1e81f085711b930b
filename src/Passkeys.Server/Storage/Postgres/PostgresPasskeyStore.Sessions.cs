namespace Passkeys.Server.Storage.Postgres;

// What PostgreSQL does its own way for sessions (the SQL is in SqlPasskeyStore.Sessions.cs): row
// locks, where SQLite's write transaction holds the whole database.
public sealed partial class PostgresPasskeyStore
{
    private protected override string LockRows(string aliases) => " FOR UPDATE OF " + aliases;

    // A session being rotated right now is left to the next purge.
    private protected override string SkipLockedRows => " FOR UPDATE SKIP LOCKED";
}
