namespace Passkeys.Server.Storage;

// Change notices for the in-process caches (tenants, signing keys): raised after this store's own
// writes commit, and published to other nodes where the database can (PostgreSQL NOTIFY).
public abstract partial class SqlPasskeyStore
{
    /// <inheritdoc />
    public StoreChanges Changes { get; } = new();

    /// <inheritdoc />
    public virtual Task ListenForChangesAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>
    /// Tells this process's caches, then the other nodes (<see cref="PublishAsync"/>), that
    /// <paramref name="change"/> was committed. Called after the commit, so a node that reloads on
    /// the notice reads the new rows. Publishing is best effort: a node that misses it still sees
    /// the change within the cache lifetime.
    /// </summary>
    private protected async Task AnnounceAsync(StoreChange change, CancellationToken ct)
    {
        Changes.Raise(change);
        try
        {
            await PublishAsync(change, ct).ConfigureAwait(false);
        }
        catch (System.Data.Common.DbException)
        {
            // The write itself has committed; the cache lifetime bounds how long others serve the old rows.
        }
    }

    /// <summary>Sends <paramref name="change"/> to the other nodes; the default (SQLite) has no channel between processes.</summary>
    private protected virtual Task PublishAsync(StoreChange change, CancellationToken ct) => Task.CompletedTask;
}
