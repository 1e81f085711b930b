using System.Data.Common;

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
}
