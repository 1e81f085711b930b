using Microsoft.Data.Sqlite;
using Npgsql;
using Passkeys.Server.Tests.Storage;

namespace Passkeys.Server.Tests.Integration;

/// <summary><see cref="AuditTrailTests"/> on SQLite (the test server's own data folder).</summary>
public sealed class SqliteAuditTrailTests : AuditTrailTests
{
    protected override Task<TestServer> StartServerAsync() => TestServer.StartAsync();
}

/// <summary><see cref="AuditTrailTests"/> on PostgreSQL.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresAuditTrailTests(PostgresCluster cluster) : AuditTrailTests
{
    protected override Task<TestServer> StartServerAsync() => PostgresServer.StartAsync(cluster, null);
}

/// <summary><see cref="AuditAtomicityTests"/> on SQLite.</summary>
public sealed class SqliteAuditAtomicityTests : AuditAtomicityTests, IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "passkeys-audit-" + Guid.NewGuid().ToString("N"));

    protected override Task<TestServer> StartServerAsync() => TestServer.StartAsync(Clock, "--Passkeys:DataDirectory=" + _directory);

    protected override async Task<long> SqlAsync(string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={Path.Combine(_directory, "passkeys.db")};Pooling=False;Default Timeout=30");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(await command.ExecuteScalarAsync() ?? 0L, System.Globalization.CultureInfo.InvariantCulture);
    }

    protected override string BreakAuditSql => "CREATE TRIGGER audit_down BEFORE INSERT ON audit_events BEGIN SELECT RAISE(ABORT, 'audit down'); END;";

    protected override string RepairAuditSql => "DROP TRIGGER audit_down;";

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // best effort: a temp folder
        }
    }
}

/// <summary><see cref="AuditAtomicityTests"/> on PostgreSQL.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresAuditAtomicityTests(PostgresCluster cluster) : AuditAtomicityTests
{
    private string _database = null!;

    protected override async Task<TestServer> StartServerAsync()
    {
        _database = await cluster.CreateDatabaseAsync();
        return await PostgresServer.OnDatabaseAsync(_database, Clock);
    }

    protected override async Task<long> SqlAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(_database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync() ?? 0L, System.Globalization.CultureInfo.InvariantCulture);
    }

    protected override string BreakAuditSql =>
        "CREATE FUNCTION audit_down() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'audit down'; END $$; " +
        "CREATE TRIGGER audit_down BEFORE INSERT ON audit_events FOR EACH ROW EXECUTE FUNCTION audit_down();";

    protected override string RepairAuditSql => "DROP TRIGGER audit_down ON audit_events;";
}
