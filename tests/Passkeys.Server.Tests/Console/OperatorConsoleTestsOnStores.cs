using Microsoft.Data.Sqlite;
using Passkeys.Server.Tests.Integration;
using Passkeys.Server.Tests.Storage;

namespace Passkeys.Server.Tests.OperatorConsole;

/// <summary>The operator console suite on SQLite: each server a temporary data folder.</summary>
public sealed class SqliteOperatorConsoleTests : OperatorConsoleTests, IDisposable
{
    private readonly List<string> _directories = [];

    protected override Task<string[]> NewStoreAsync()
    {
        var directory = Path.Combine(Path.GetTempPath(), "passkeys-console-" + Guid.NewGuid().ToString("N"));
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

/// <summary>The operator console suite on PostgreSQL: each server a new database in the run's cluster.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresOperatorConsoleTests(PostgresCluster cluster) : OperatorConsoleTests
{
    protected override async Task<string[]> NewStoreAsync() =>
        ["--Passkeys:Store=postgres", "--Passkeys:ConnectionString=" + await cluster.CreateDatabaseAsync(), SigningKeyAtRestTests.Kek];
}
