using System.Collections.Concurrent;

namespace Passkeys.Server.Storage;

/// <summary>
/// An in-process cache of rows that are read on every request and change rarely (a tenant's
/// settings, its signing keys), keyed by tenant id. An entry is served for at most
/// <c>lifetime</c>; <see cref="Invalidate"/> and <see cref="Clear"/> (driven by
/// <see cref="StoreChanges"/>) drop entries at once.
/// </summary>
/// <remarks>
/// A load that started before an invalidation does not store its (possibly stale) result: every
/// invalidation bumps a generation, and a load only stores what it read under the generation it
/// started in. Absent rows (null) are not cached, so a tenant created elsewhere is found at once.
/// The clock is <see cref="Environment.TickCount64"/>, not the app's TimeProvider: this bounds
/// staleness in real time, and a test clock moved days ahead must not change it.
/// </remarks>
public sealed class ReadCache<T>(TimeSpan lifetime) where T : class
{
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly long _lifetimeMs = (long)lifetime.TotalMilliseconds;
    private long _generation;

    private sealed record Entry(T Value, long LoadedAt);

    /// <summary>The cached value for <paramref name="key"/>, or what <paramref name="load"/> reads (cached when not null).</summary>
    public async Task<T?> GetAsync(string key, Func<string, CancellationToken, Task<T?>> load, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(load);
        var now = Environment.TickCount64;
        if (_lifetimeMs > 0 && _entries.TryGetValue(key, out var entry) && now - entry.LoadedAt < _lifetimeMs)
        {
            return entry.Value;
        }
        var generation = Interlocked.Read(ref _generation);
        var value = await load(key, ct).ConfigureAwait(false);
        if (value is null)
        {
            _entries.TryRemove(key, out _);
        }
        else if (_lifetimeMs > 0)
        {
            _entries[key] = new Entry(value, now);
            if (Interlocked.Read(ref _generation) != generation)
            {
                _entries.TryRemove(key, out _); // invalidated while loading: what was read may be stale
            }
        }
        return value;
    }

    /// <summary>Drops <paramref name="key"/>'s entry; loads in flight will not store theirs.</summary>
    public void Invalidate(string key)
    {
        Interlocked.Increment(ref _generation);
        _entries.TryRemove(key, out _);
    }

    /// <summary>Drops every entry.</summary>
    public void Clear()
    {
        Interlocked.Increment(ref _generation);
        _entries.Clear();
    }
}
