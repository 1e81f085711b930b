using System.Diagnostics.Metrics;
using Microsoft.Data.Sqlite;
using Passkeys.Server.Storage;
using Passkeys.Server.Storage.Sqlite;

namespace Passkeys.Server.Tests.Storage;

/// <summary>
/// A temporary folder for a SQLite database file that tests open through the store and from
/// outside it, with the store metrics a store needs; disposing it closes SQLite's pooled
/// connections to the file and deletes the folder.
/// </summary>
internal sealed class SqliteTestFolder : IDisposable
{
    private readonly Meter _meter;

    public SqliteTestFolder(string name)
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"passkeys-{name}-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
        _meter = new Meter("Passkeys.Server.Tests." + name);
        Metrics = new StoreMetrics(_meter);
    }

    /// <summary>The folder.</summary>
    public string Path { get; }

    /// <summary>The database file in it (not created until something opens it).</summary>
    public string File => System.IO.Path.Combine(Path, "passkeys.db");

    /// <summary>Metrics for stores over <see cref="File"/>.</summary>
    public StoreMetrics Metrics { get; }

    /// <summary>A new store over <see cref="File"/> (the caller disposes it), not yet migrated.</summary>
    public SqlitePasskeyStore NewStore() => new(File, Metrics);

    /// <summary>A connection of its own to <see cref="File"/>, outside the store and its pool: what another process would see.</summary>
    public async Task<SqliteConnection> OpenOutsideAsync()
    {
        var connection = new SqliteConnection($"Data Source={File};Pooling=False");
        await connection.OpenAsync();
        return connection;
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        _meter.Dispose();
        try { Directory.Delete(Path, recursive: true); } catch (IOException) { }
    }
}
