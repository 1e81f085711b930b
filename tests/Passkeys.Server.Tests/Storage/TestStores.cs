using System.Globalization;
using Microsoft.Data.Sqlite;
using Npgsql;
using Passkeys.Server.Tests.Integration;

namespace Passkeys.Server.Tests.Storage;

/// <summary>
/// Fresh stores of one kind for a suite that runs on every store (<see cref="StoreSuite"/>): the
/// server arguments that choose a new, empty store, SQL run on it from outside the server, and the
/// literals that differ between the two dialects. Servers started on the same arguments share the
/// store (several nodes, or a restart).
/// </summary>
public abstract class TestStores : IDisposable
{
    /// <summary>Arguments for servers on a new, empty store.</summary>
    public abstract Task<string[]> NewAsync();

    /// <summary>Runs <paramref name="sql"/> on the store of <paramref name="store"/>; the first column of the first row as a number (0 when none).</summary>
    public abstract Task<long> SqlAsync(string[] store, string sql);

    /// <summary>A time literal for <paramref name="seconds"/> since the Unix epoch, as this store keeps times.</summary>
    public abstract string TimeLiteral(int seconds);

    /// <summary>A 32-byte binary literal, every byte <paramref name="b"/>.</summary>
    public abstract string BytesLiteral(byte b);

    /// <summary>A JSON list column's literal.</summary>
    public abstract string JsonListLiteral(string json);

    /// <summary>A boolean literal.</summary>
    public abstract string BoolLiteral(bool value);

    /// <summary>SQL that makes every audit insert fail (a trigger that raises): a store failure in the middle of a change.</summary>
    public abstract string BreakAuditSql { get; }

    /// <summary>Removes the trigger of <see cref="BreakAuditSql"/>.</summary>
    public abstract string RepairAuditSql { get; }

    /// <summary>Deletes what the stores left behind.</summary>
    public virtual void Dispose() => GC.SuppressFinalize(this);

    /// <summary>The value of the argument <paramref name="name"/> in <paramref name="store"/>.</summary>
    protected static string Argument(string[] store, string name)
    {
        ArgumentNullException.ThrowIfNull(store);
        var prefix = "--" + name + "=";
        return store.Last(a => a.StartsWith(prefix, StringComparison.Ordinal))[prefix.Length..];
    }

    /// <summary>A scalar result as a number; NULL or no row is 0.</summary>
    protected static long Number(object? value) => value is null or DBNull ? 0 : Convert.ToInt64(value, CultureInfo.InvariantCulture);
}

/// <summary>SQLite: each store a temporary data folder, deleted at the end.</summary>
public sealed class SqliteTestStores : TestStores
{
    private readonly List<string> _directories = [];

    /// <inheritdoc />
    public override Task<string[]> NewAsync()
    {
        var directory = Path.Combine(Path.GetTempPath(), "passkeys-store-" + Guid.NewGuid().ToString("N"));
        _directories.Add(directory);
        // Given after TestServer's own folder, so it wins: every server on these arguments shares it.
        return Task.FromResult<string[]>(["--Passkeys:DataDirectory=" + directory]);
    }

    /// <inheritdoc />
    public override async Task<long> SqlAsync(string[] store, string sql)
    {
        // Unpooled, and a generous busy timeout: the server may be writing at the same moment.
        var file = Path.Combine(Argument(store, "Passkeys:DataDirectory"), "passkeys.db");
        await using var connection = new SqliteConnection($"Data Source={file};Pooling=False;Default Timeout=30");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Number(await command.ExecuteScalarAsync());
    }

    /// <inheritdoc />
    public override string TimeLiteral(int seconds) => (seconds * 1000L).ToString(CultureInfo.InvariantCulture);

    /// <inheritdoc />
    public override string BytesLiteral(byte b) => "X'" + string.Concat(Enumerable.Repeat(b.ToString("X2", CultureInfo.InvariantCulture), 32)) + "'";

    /// <inheritdoc />
    public override string JsonListLiteral(string json) => "'" + json + "'";

    /// <inheritdoc />
    public override string BoolLiteral(bool value) => value ? "1" : "0";

    /// <inheritdoc />
    public override string BreakAuditSql => "CREATE TRIGGER audit_down BEFORE INSERT ON audit_events BEGIN SELECT RAISE(ABORT, 'audit down'); END;";

    /// <inheritdoc />
    public override string RepairAuditSql => "DROP TRIGGER audit_down;";

    /// <inheritdoc />
    public override void Dispose()
    {
        SqliteConnection.ClearAllPools();
        foreach (var d in _directories)
        {
            try { Directory.Delete(d, true); } catch (IOException) { } // best effort: temp folders
        }
        base.Dispose();
    }
}

/// <summary>PostgreSQL: each store a new database in the run's cluster (<see cref="PostgresCluster"/>).</summary>
public sealed class PostgresTestStores(PostgresCluster cluster) : TestStores
{
    /// <inheritdoc />
    // One KEK for every server on the database: a restart or a second node gets a new data folder
    // (and so a new key ring), and must still read the signing keys the first one stored.
    public override async Task<string[]> NewAsync() =>
        ["--Passkeys:Store=postgres", "--Passkeys:ConnectionString=" + await cluster.CreateDatabaseAsync(), SigningKeyAtRestTests.Kek];

    /// <inheritdoc />
    public override async Task<long> SqlAsync(string[] store, string sql)
    {
        await using var connection = new NpgsqlConnection(Argument(store, "Passkeys:ConnectionString"));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return Number(await command.ExecuteScalarAsync());
    }

    /// <inheritdoc />
    public override string TimeLiteral(int seconds) => $"to_timestamp({seconds})";

    /// <inheritdoc />
    public override string BytesLiteral(byte b) => "'\\x" + string.Concat(Enumerable.Repeat(b.ToString("x2", CultureInfo.InvariantCulture), 32)) + "'::bytea";

    /// <inheritdoc />
    public override string JsonListLiteral(string json) => "'" + json + "'::jsonb";

    /// <inheritdoc />
    public override string BoolLiteral(bool value) => value ? "true" : "false";

    /// <inheritdoc />
    public override string BreakAuditSql =>
        "CREATE OR REPLACE FUNCTION audit_down() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'audit down'; END $$; " +
        "CREATE TRIGGER audit_down BEFORE INSERT ON audit_events FOR EACH ROW EXECUTE FUNCTION audit_down();";

    /// <inheritdoc />
    public override string RepairAuditSql => "DROP TRIGGER audit_down ON audit_events; DROP FUNCTION audit_down();";
}

/// <summary>
/// The base of a suite that runs on every store: written once against <see cref="TestStores"/>,
/// derived once per store (<c>…TestsOnStores.cs</c>: a SQLite class, and a PostgreSQL class in
/// <see cref="PostgresCollection"/> that takes the shared <see cref="PostgresCluster"/>).
/// </summary>
public abstract class StoreSuite(TestStores stores) : IDisposable
{
    /// <summary>The stores this suite runs on.</summary>
    protected TestStores Stores { get; } = stores;

    /// <summary>Arguments for servers on a new, empty store (servers on the same arguments share it).</summary>
    protected Task<string[]> NewStoreAsync() => Stores.NewAsync();

    /// <summary>Runs SQL on <paramref name="store"/> from outside the server; the first column of the first row as a number.</summary>
    protected Task<long> ExecuteSqlAsync(string[] store, string sql) => Stores.SqlAsync(store, sql);

    /// <summary>See <see cref="TestStores.TimeLiteral"/>.</summary>
    protected string TimeLiteral(int seconds) => Stores.TimeLiteral(seconds);

    /// <summary>See <see cref="TestStores.BytesLiteral"/>.</summary>
    protected string BytesLiteral(byte b) => Stores.BytesLiteral(b);

    /// <summary>See <see cref="TestStores.JsonListLiteral"/>.</summary>
    protected string JsonListLiteral(string json) => Stores.JsonListLiteral(json);

    /// <summary>See <see cref="TestStores.BoolLiteral"/>.</summary>
    protected string BoolLiteral(bool value) => Stores.BoolLiteral(value);

    /// <inheritdoc />
    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Deletes the suite's stores.</summary>
    protected virtual void Dispose(bool disposing)
    {
        if (disposing)
        {
            Stores.Dispose();
        }
    }
}

/// <summary>
/// A <see cref="StoreSuite"/> whose tests share one server per test on one new store
/// (<see cref="Server"/>), started in <see cref="InitializeAsync"/>, and reach its database with <see cref="SqlAsync"/>.
/// </summary>
public abstract class SingleServerStoreSuite(TestStores stores) : StoreSuite(stores), IAsyncLifetime
{
    private TestServer? _server;

    /// <summary>The arguments of the test's store.</summary>
    protected string[] Store { get; private set; } = [];

    /// <summary>The server's clock; null for the real one.</summary>
    protected virtual TimeProvider? Time => null;

    /// <summary>The test's server.</summary>
    protected TestServer Server => _server ?? throw new InvalidOperationException("The server starts in InitializeAsync.");

    /// <summary>Runs SQL on the server's database, outside the server.</summary>
    protected Task<long> SqlAsync(string sql) => Stores.SqlAsync(Store, sql);

    /// <summary>Makes every audit insert fail (<see cref="TestStores.BreakAuditSql"/>).</summary>
    protected Task BreakAuditAsync() => SqlAsync(Stores.BreakAuditSql);

    /// <summary>Lets audit inserts succeed again.</summary>
    protected Task RepairAuditAsync() => SqlAsync(Stores.RepairAuditSql);

    /// <inheritdoc />
    public virtual async Task InitializeAsync()
    {
        Store = await NewStoreAsync();
        _server = await TestServer.StartAsync(Time, Store);
    }

    /// <inheritdoc />
    public virtual async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}
