using Microsoft.Data.Sqlite;
using Passkeys.Server.Tests.Storage;

namespace Passkeys.Server.Tests.Integration;

/// <summary>The clone-detection suite on SQLite: each store a temporary data folder.</summary>
public sealed class SqliteCloneDetectionTests : CloneDetectionTests, IDisposable
{
    private readonly List<string> _directories = [];

    protected override Task<string[]> NewStoreAsync()
    {
        var directory = Path.Combine(Path.GetTempPath(), "passkeys-clone-" + Guid.NewGuid().ToString("N"));
        _directories.Add(directory);
        return Task.FromResult<string[]>(["--Passkeys:DataDirectory=" + directory]);
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        foreach (var d in _directories)
        {
            try { Directory.Delete(d, true); } catch (IOException) { }
        }
    }
}

/// <summary>The clone-detection suite on PostgreSQL: each store a new database in the run's cluster.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresCloneDetectionTests(PostgresCluster cluster) : CloneDetectionTests
{
    protected override async Task<string[]> NewStoreAsync() =>
        ["--Passkeys:Store=postgres", "--Passkeys:ConnectionString=" + await cluster.CreateDatabaseAsync(), SigningKeyAtRestTests.Kek];
}
