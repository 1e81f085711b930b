using Npgsql;

namespace Passkeys.Server.Storage.Postgres;

// Change notices between nodes: NOTIFY after a tenant or signing-key write commits, and one
// LISTENing connection per node that relays the notices into Changes.
public sealed partial class PostgresPasskeyStore
{
    private const string ChangesChannel = "passkeys_changes";

    /// <summary>How long the listening connection may stay quiet before it is checked with a query.</summary>
    private static readonly TimeSpan ListenCheckInterval = TimeSpan.FromSeconds(30);

    /// <summary>How long to wait before listening again after the connection failed.</summary>
    private static readonly TimeSpan ListenRetryDelay = TimeSpan.FromSeconds(1);

    private protected override async Task PublishAsync(StoreChange change, CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct).ConfigureAwait(false);
        await ExecuteAsync(connection, null, "SELECT pg_notify(@c, @p)", ct, ("@c", ChangesChannel), ("@p", change.Encode())).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public override async Task ListenForChangesAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                // Its own unpooled connection: a LISTEN must not outlive it on a pooled connection.
                await using var connection = new NpgsqlConnection(_listenConnectionString);
                await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
                connection.Notification += (_, e) => Changes.Raise(StoreChange.Decode(e.Payload));
                await using (var listen = new NpgsqlCommand("LISTEN " + ChangesChannel, connection))
                {
                    await listen.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }
                // Notices sent while this node was not listening are lost: forget everything once.
                Changes.Raise(new StoreChange(StoreChangeKind.Everything, null));
                while (true)
                {
                    if (!await connection.WaitAsync(ListenCheckInterval, cancellationToken).ConfigureAwait(false))
                    {
                        // Quiet for a while: a query proves the connection (and so the LISTEN) still stands.
                        await using var check = new NpgsqlCommand("SELECT 1", connection);
                        await check.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
                    }
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // any failure of the listening connection: caches are cleared and it listens again
            catch (Exception)
#pragma warning restore CA1031
            {
                Changes.Raise(new StoreChange(StoreChangeKind.Everything, null));
                try
                {
                    await Task.Delay(ListenRetryDelay, cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }
}
