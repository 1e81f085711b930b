using System.Collections.Concurrent;
using System.Data;

namespace Passkeys.Server.Storage.Sqlite;

/// <summary>
/// The idle <see cref="KeptSqliteConnection"/>s of one store: taken by an operation or a step,
/// given back when it disposes its connection. Last in, first out, so the busiest few connections
/// (their prepared statements and page cache warm) do most of the work.
/// </summary>
/// <remarks>
/// Bounded: past <see cref="MaxIdle"/> a returned connection is closed, so a burst of concurrent
/// steps does not leave as many open connections (and their page caches) behind. Disposing the
/// store closes the idle ones and every one returned after.
/// </remarks>
internal sealed class SqliteKeptConnections : IDisposable
{
    private readonly ConcurrentStack<KeptSqliteConnection> _idle = new();
    private int _idleCount;
    private volatile bool _disposed;

    /// <summary>How many idle connections are kept: enough for the concurrency a node serves on two to a few cores.</summary>
    public static int MaxIdle { get; } = Math.Max(16, Environment.ProcessorCount * 4);

    /// <summary>How many connections are idle now.</summary>
    public int IdleCount => Volatile.Read(ref _idleCount);

    /// <summary>An idle open connection, or null when there is none (the caller opens a new one).</summary>
    public KeptSqliteConnection? TryRent()
    {
        while (_idle.TryPop(out var connection))
        {
            Interlocked.Decrement(ref _idleCount);
            if (connection.State == ConnectionState.Open)
            {
                return connection;
            }
            connection.CloseForGood();
        }
        return null;
    }

    /// <summary>Keeps <paramref name="connection"/> for the next operation; false when it must be closed instead.</summary>
    public bool TryReturn(KeptSqliteConnection connection)
    {
        if (_disposed)
        {
            return false;
        }
        if (Interlocked.Increment(ref _idleCount) > MaxIdle)
        {
            Interlocked.Decrement(ref _idleCount);
            return false;
        }
        _idle.Push(connection);
        if (_disposed)
        {
            // Disposed while it was being returned: whatever is idle now is closed.
            CloseIdle();
        }
        return true;
    }

    public void Dispose()
    {
        _disposed = true;
        CloseIdle();
    }

    private void CloseIdle()
    {
        while (_idle.TryPop(out var connection))
        {
            Interlocked.Decrement(ref _idleCount);
            connection.CloseForGood();
        }
    }
}
