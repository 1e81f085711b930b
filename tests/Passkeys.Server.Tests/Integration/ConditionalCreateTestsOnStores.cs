using Microsoft.Data.Sqlite;
using Passkeys.Server.Tests.Storage;

namespace Passkeys.Server.Tests.Integration;

/// <summary>The conditional-create suite on SQLite: each store a temporary data folder.</summary>
public sealed class SqliteConditionalCreateTests : ConditionalCreateTests, IDisposable
{
    private readonly List<string> _directories = [];

    protected override Task<string[]> NewStoreAsync()
    {
        var directory = Path.Combine(Path.GetTempPath(), "passkeys-conditional-" + Guid.NewGuid().ToString("N"));
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

/// <summary>The conditional-create suite on PostgreSQL: each store a new database in the run's cluster.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresConditionalCreateTests(PostgresCluster cluster) : ConditionalCreateTests
{
    protected override async Task<string[]> NewStoreAsync() =>
        ["--Passkeys:Store=postgres", "--Passkeys:ConnectionString=" + await cluster.CreateDatabaseAsync(), SigningKeyAtRestTests.Kek];
}
