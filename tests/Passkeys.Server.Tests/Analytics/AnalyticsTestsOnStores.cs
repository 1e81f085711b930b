using Microsoft.Data.Sqlite;
using Passkeys.Server.Tests.Integration;
using Passkeys.Server.Tests.Storage;

namespace Passkeys.Server.Tests.Analytics;

/// <summary>Temporary SQLite data folders for the suites below.</summary>
internal sealed class SqliteFolders : IDisposable
{
    private readonly List<string> _directories = [];

    public Task<string[]> NewAsync()
    {
        var directory = Path.Combine(Path.GetTempPath(), "passkeys-analytics-" + Guid.NewGuid().ToString("N"));
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

public sealed class SqliteAnalyticsTests : AnalyticsTests, IDisposable
{
    private readonly SqliteFolders _folders = new();
    protected override Task<string[]> NewStoreAsync() => _folders.NewAsync();
    public void Dispose() => _folders.Dispose();
}

[Collection(PostgresCollection.Name)]
public sealed class PostgresAnalyticsTests(PostgresCluster cluster) : AnalyticsTests
{
    protected override async Task<string[]> NewStoreAsync() =>
        ["--Passkeys:Store=postgres", "--Passkeys:ConnectionString=" + await cluster.CreateDatabaseAsync(), SigningKeyAtRestTests.Kek];
}

public sealed class SqliteClientEventTests : ClientEventTests, IDisposable
{
    private readonly SqliteFolders _folders = new();
    protected override Task<string[]> NewStoreAsync() => _folders.NewAsync();
    public void Dispose() => _folders.Dispose();
}

[Collection(PostgresCollection.Name)]
public sealed class PostgresClientEventTests(PostgresCluster cluster) : ClientEventTests
{
    protected override async Task<string[]> NewStoreAsync() =>
        ["--Passkeys:Store=postgres", "--Passkeys:ConnectionString=" + await cluster.CreateDatabaseAsync(), SigningKeyAtRestTests.Kek];
}

public sealed class SqliteRolloutTests : RolloutTests, IDisposable
{
    private readonly SqliteFolders _folders = new();
    protected override Task<string[]> NewStoreAsync() => _folders.NewAsync();
    public void Dispose() => _folders.Dispose();
}

[Collection(PostgresCollection.Name)]
public sealed class PostgresRolloutTests(PostgresCluster cluster) : RolloutTests
{
    protected override async Task<string[]> NewStoreAsync() =>
        ["--Passkeys:Store=postgres", "--Passkeys:ConnectionString=" + await cluster.CreateDatabaseAsync(), SigningKeyAtRestTests.Kek];
}
