using Microsoft.Extensions.Options;
using Passkeys.Server.Configuration;
using Passkeys.Server.Storage;

namespace Passkeys.Server.Tenants;

/// <summary>
/// Tenants as every request resolves them (access checks, CORS), read from the store at most once
/// per <see cref="PasskeysServerOptions.CacheLifetime"/> and dropped at once on a change notice
/// (<see cref="IPasskeyStore.Changes"/>: this node's writes, and on PostgreSQL every node's).
/// </summary>
public sealed class TenantCache
{
    private readonly IPasskeyStore _store;
    private readonly ReadCache<TenantRecord> _cache;

    /// <summary>Creates the cache and subscribes it to the store's change notices.</summary>
    public TenantCache(IPasskeyStore store, IOptions<PasskeysServerOptions> options)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(options);
        _store = store;
        _cache = new ReadCache<TenantRecord>(options.Value.CacheLifetime);
        store.Changes.Changed += change =>
        {
            switch (change.Kind)
            {
                case StoreChangeKind.Tenant:
                    _cache.Invalidate(change.TenantId!);
                    break;
                case StoreChangeKind.Everything:
                    _cache.Clear();
                    break;
            }
        };
    }

    /// <summary>The tenant, or null when it does not exist.</summary>
    public Task<TenantRecord?> GetAsync(string tenantId, CancellationToken ct) => _cache.GetAsync(tenantId, _store.GetTenantAsync, ct);
}
