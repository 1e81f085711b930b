namespace Passkeys.Server.Storage;

/// <summary>
/// Runs <see cref="IPasskeyStore.ListenForChangesAsync"/> for the life of the server, so that the
/// caches of tenants and signing keys hear of changes made on other nodes.
/// </summary>
public sealed class StoreChangeListener(IPasskeyStore store) : BackgroundService
{
    /// <inheritdoc />
    protected override Task ExecuteAsync(CancellationToken stoppingToken) => store.ListenForChangesAsync(stoppingToken);
}
