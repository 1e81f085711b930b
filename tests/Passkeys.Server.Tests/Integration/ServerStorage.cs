using Passkeys.Server.Tests.Storage;

namespace Passkeys.Server.Tests.Integration;

/// <summary>Where a server keeps its data: the database and the key ring that encrypts its signing keys.</summary>
/// <param name="Database">SQLite: the data folder; PostgreSQL: the connection string.</param>
/// <param name="KeyRing">The key ring folder, or null for the default (<c>{DataDirectory}/keys</c>).</param>
public sealed record StorageLocation(string Database, string? KeyRing);

/// <summary>
/// Storage that outlives one server, for tests that restart a server on the same data or point one
/// at a copy: the SQLite data folder (database and key ring side by side), or a PostgreSQL database
/// with a key ring folder named in configuration (as an operator of several nodes would).
/// </summary>
public abstract class ServerStorage : IDisposable
{
    private readonly List<string> _folders = [];

    /// <summary>A fresh, empty storage.</summary>
    public abstract Task<StorageLocation> NewAsync();

    /// <summary>The database alone, as a thief of a file or backup would have it: a copy with no key ring.</summary>
    public abstract Task<StorageLocation> CopyWithoutKeyRingAsync(StorageLocation storage);

    /// <summary>The arguments that point a server at <paramref name="storage"/>.</summary>
    public abstract string[] Args(StorageLocation storage);

    /// <summary>The data folder a server on <paramref name="storage"/> uses.</summary>
    public abstract string? DataFolderOf(StorageLocation storage);

    /// <summary>Starts a server on <paramref name="storage"/>.</summary>
    public Task<TestServer> StartAsync(StorageLocation storage, TimeProvider? time = null, params string[] extra) =>
        TestServer.StartAsync(time, [.. Args(storage), .. extra]);

    /// <summary>Starts a server on <paramref name="storage"/> whose builder <paramref name="configure"/> may change (e.g. add a log sink).</summary>
    public Task<TestServer> StartWithAsync(StorageLocation storage, Action<Microsoft.AspNetCore.Builder.WebApplicationBuilder> configure, params string[] extra) =>
        TestServer.StartWithAsync(configure, [.. Args(storage), .. extra]);

    /// <summary>A new temporary folder path (not created), deleted with this object.</summary>
    protected string NewFolder()
    {
        var folder = Path.Combine(Path.GetTempPath(), "passkeys-st-" + Guid.NewGuid().ToString("N"));
        _folders.Add(folder);
        return folder;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        foreach (var folder in _folders)
        {
            try { Directory.Delete(folder, true); } catch (DirectoryNotFoundException) { } catch (IOException) { }
        }
        GC.SuppressFinalize(this);
    }
}

/// <summary>A SQLite data folder.</summary>
public sealed class SqliteStorage : ServerStorage
{
    public override Task<StorageLocation> NewAsync() => Task.FromResult(new StorageLocation(NewFolder(), null));

    public override Task<StorageLocation> CopyWithoutKeyRingAsync(StorageLocation storage)
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        var copy = NewFolder();
        Directory.CreateDirectory(copy);
        foreach (var file in Directory.EnumerateFiles(storage.Database, "passkeys.db*"))
        {
            File.Copy(file, Path.Combine(copy, Path.GetFileName(file)));
        }
        return Task.FromResult(new StorageLocation(copy, null));
    }

    public override string[] Args(StorageLocation storage) => ["--Passkeys:DataDirectory=" + storage.Database];

    public override string? DataFolderOf(StorageLocation storage) => storage.Database;
}

/// <summary>A PostgreSQL database in the run's cluster, with a key ring folder named in configuration.</summary>
public sealed class PostgresStorage(PostgresCluster cluster) : ServerStorage
{
    public override async Task<StorageLocation> NewAsync() => new(await cluster.CreateDatabaseAsync(), NewFolder());

    // The same database, reached by a server that has another key ring: what a copy amounts to.
    public override Task<StorageLocation> CopyWithoutKeyRingAsync(StorageLocation storage) =>
        Task.FromResult(storage with { KeyRing = NewFolder() });

    public override string[] Args(StorageLocation storage) =>
        ["--Passkeys:Store=postgres", "--Passkeys:ConnectionString=" + storage.Database, "--Passkeys:KeyProtection:KeyRingDirectory=" + storage.KeyRing];

    public override string? DataFolderOf(StorageLocation storage) => null;
}
