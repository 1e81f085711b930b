using System.Collections.Concurrent;

namespace Passkeys.Server.Storage.Sqlite;

/// <summary>
/// One async lock per SQLite database file, taken by every write in this process.
/// </summary>
/// <remarks>
/// SQLite allows one writer at a time. Without the gate, concurrent writers collide on the lock
/// (SQLITE_BUSY) and SQLite's busy handler puts the thread to sleep in growing steps (1, 2, 5, 10 …
/// 100 ms): thread-pool threads are blocked, and a writer wakes long after the lock came free, so
/// throughput under load fell to that of a single user. Queuing on a <see cref="SemaphoreSlim"/>
/// instead hands the lock over the moment the previous write ends, and waiters hold no thread.
/// Reads take no gate: in WAL mode they run alongside the writer.
/// Keyed by full path, not per store, because two stores on one file in one process (tests do
/// this) must queue on the same gate. A path spelled two ways (a symlink, different case on a
/// case-insensitive file system) gets two gates; that is still correct, only slower: the busy
/// timeout then serializes them, as it does writers in other processes. The gates live as long as
/// the process: one small object per database file it ever opened.
/// </remarks>
internal static class SqliteWriteGate
{
    private static readonly ConcurrentDictionary<string, SemaphoreSlim> Gates = new(StringComparer.Ordinal);

    /// <summary>The gate for the database file at <paramref name="databasePath"/>.</summary>
    public static SemaphoreSlim For(string databasePath) =>
        Gates.GetOrAdd(Path.GetFullPath(databasePath), _ => new SemaphoreSlim(1, 1));

    /// <summary>Waits for <paramref name="gate"/>; disposing the result lets the next writer in (once only).</summary>
    public static async ValueTask<IDisposable?> EnterAsync(SemaphoreSlim gate, CancellationToken ct)
    {
        await gate.WaitAsync(ct).ConfigureAwait(false);
        return new Release(gate);
    }

    private sealed class Release(SemaphoreSlim gate) : IDisposable
    {
        private SemaphoreSlim? _gate = gate;

        public void Dispose() => Interlocked.Exchange(ref _gate, null)?.Release();
    }
}
