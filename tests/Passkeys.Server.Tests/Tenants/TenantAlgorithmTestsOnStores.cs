using Microsoft.Data.Sqlite;
using Npgsql;
using Passkeys.Server.Tests.Integration;
using Passkeys.Server.Tests.Storage;

namespace Passkeys.Server.Tests.Tenants;

/// <summary>The tenant algorithm suite on SQLite: each store a temporary data folder.</summary>
public sealed class SqliteTenantAlgorithmTests : TenantAlgorithmTests, IDisposable
{
    private readonly List<string> _directories = [];

    protected override Task<string[]> NewStoreAsync()
    {
        var directory = Path.Combine(Path.GetTempPath(), "passkeys-alg-" + Guid.NewGuid().ToString("N"));
        _directories.Add(directory);
        return Task.FromResult<string[]>(["--Passkeys:DataDirectory=" + directory]);
    }

    protected override async Task ExecuteSqlAsync(string[] store, string sql)
    {
        var directory = store[0]["--Passkeys:DataDirectory=".Length..];
        await using (var connection = new SqliteConnection("Data Source=" + Path.Combine(directory, "passkeys.db")))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = sql;
            await command.ExecuteNonQueryAsync();
        }
        SqliteConnection.ClearAllPools();
    }

    protected override string TimeLiteral(int seconds) => (seconds * 1000L).ToString(System.Globalization.CultureInfo.InvariantCulture);

    protected override string JsonListLiteral(string json) => "'" + json + "'";

    protected override string BoolLiteral(bool value) => value ? "1" : "0";

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        foreach (var d in _directories)
        {
            try { Directory.Delete(d, true); } catch (IOException) { }
        }
    }
}

/// <summary>The tenant algorithm suite on PostgreSQL: each store a new database in the run's cluster.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresTenantAlgorithmTests(PostgresCluster cluster) : TenantAlgorithmTests
{
    // One KEK for every server on the database, as every cluster must share (SigningKeyAtRestTests).
    protected override async Task<string[]> NewStoreAsync() =>
        ["--Passkeys:Store=postgres", "--Passkeys:ConnectionString=" + await cluster.CreateDatabaseAsync(), SigningKeyAtRestTests.Kek];

    protected override async Task ExecuteSqlAsync(string[] store, string sql)
    {
        await using var connection = new NpgsqlConnection(store[1]["--Passkeys:ConnectionString=".Length..]);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    protected override string TimeLiteral(int seconds) => $"to_timestamp({seconds})";

    protected override string JsonListLiteral(string json) => "'" + json + "'::jsonb";

    protected override string BoolLiteral(bool value) => value ? "true" : "false";
}
