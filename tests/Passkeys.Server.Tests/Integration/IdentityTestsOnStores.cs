using Microsoft.Data.Sqlite;
using Npgsql;
using Passkeys.Server.Tests.Storage;

namespace Passkeys.Server.Tests.Integration;

/// <summary>The identity suite on SQLite: each store a temporary data folder.</summary>
public sealed class SqliteIdentityTests : IdentityTests, IDisposable
{
    private readonly List<string> _directories = [];

    protected override Task<string[]> NewStoreAsync()
    {
        var directory = Path.Combine(Path.GetTempPath(), "passkeys-id-" + Guid.NewGuid().ToString("N"));
        _directories.Add(directory);
        // Given after TestServer's own folder, so it wins: every server on these arguments shares it.
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

    protected override string BytesLiteral(byte b) => "X'" + string.Concat(Enumerable.Repeat(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture), 32)) + "'";

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        foreach (var d in _directories)
        {
            try { Directory.Delete(d, true); } catch (IOException) { }
        }
    }
}

/// <summary>The identity suite on PostgreSQL: each store a new database in the run's cluster.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresIdentityTests(PostgresCluster cluster) : IdentityTests
{
    // One KEK for every server on the database: a restart or a second node gets a new data folder
    // (and so a new key ring), and must still read the signing keys the first one stored.
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

    protected override string BytesLiteral(byte b) => "'\\x" + string.Concat(Enumerable.Repeat(b.ToString("x2", System.Globalization.CultureInfo.InvariantCulture), 32)) + "'::bytea";
}
