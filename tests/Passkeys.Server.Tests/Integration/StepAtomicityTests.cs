using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using Npgsql;
using Passkeys.Server.Tests.Storage;

namespace Passkeys.Server.Tests.Integration;

/// <summary>
/// A ceremony step is one commit: when any of its writes fails (here the audit insert, refused by
/// a trigger), none of them stays: no consumed ceremony, no credential update, no session, and the
/// client gets 503 and may retry the same response. One derived class per store.
/// </summary>
public abstract class StepAtomicityTests : IAsyncLifetime
{
    private TestServer _server = null!;

    protected abstract Task<TestServer> StartServerAsync();

    /// <summary>Runs SQL on the server's database, outside the server.</summary>
    protected abstract Task<long> SqlAsync(string sql);

    /// <summary>Makes every audit insert fail (a trigger that raises).</summary>
    protected abstract string BreakAuditSql { get; }

    /// <summary>Removes the trigger of <see cref="BreakAuditSql"/>.</summary>
    protected abstract string RepairAuditSql { get; }

    public async Task InitializeAsync() => _server = await StartServerAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [StoreFact]
    public async Task A_sign_in_whose_audit_write_fails_writes_nothing_and_can_be_retried()
    {
        var client = TestServer.NewClient();
        await _server.SignUpAsync(client, "atom");
        var begin = await _server.OkJsonAsync(HttpMethod.Post, "/v1/tenants/default/authentication/begin", new { });
        var body = TestServer.FinishBody(begin, await client.GetAsync(begin["options"]!.ToJsonString()));
        var sessionsBefore = await SqlAsync("SELECT COUNT(*) FROM sessions");

        await SqlAsync(BreakAuditSql);
        using (var failed = await _server.SendAsync(HttpMethod.Post, "/v1/tenants/default/authentication/finish", body))
        {
            await TestServer.ProblemAsync(failed, 503, 1016); // StoreUnavailable
        }
        Assert.Equal(1, await SqlAsync("SELECT COUNT(*) FROM ceremonies"));                          // not consumed
        Assert.Equal(0, await SqlAsync("SELECT COUNT(*) FROM credentials WHERE last_used_at IS NOT NULL")); // not updated
        Assert.Equal(sessionsBefore, await SqlAsync("SELECT COUNT(*) FROM sessions"));               // no session

        await SqlAsync(RepairAuditSql);
        var signIn = await _server.OkJsonAsync(HttpMethod.Post, "/v1/tenants/default/authentication/finish", body);
        Assert.False(string.IsNullOrEmpty((string?)signIn["refreshToken"]));
        Assert.Equal(0, await SqlAsync("SELECT COUNT(*) FROM ceremonies"));
        Assert.Equal(1, await SqlAsync("SELECT COUNT(*) FROM credentials WHERE last_used_at IS NOT NULL"));
        Assert.Equal(sessionsBefore + 1, await SqlAsync("SELECT COUNT(*) FROM sessions"));
        Assert.Equal(1, await SqlAsync("SELECT COUNT(*) FROM audit_events WHERE ceremony = 'authentication' AND outcome = 'succeeded'"));
    }

    [StoreFact]
    public async Task A_begin_whose_audit_write_fails_saves_no_ceremony()
    {
        await SqlAsync(BreakAuditSql);
        using (var failed = await _server.SendAsync(HttpMethod.Post, "/v1/tenants/default/authentication/begin", new { }))
        {
            await TestServer.ProblemAsync(failed, 503, 1016);
        }
        Assert.Equal(0, await SqlAsync("SELECT COUNT(*) FROM ceremonies"));
        await SqlAsync(RepairAuditSql);
        await _server.OkJsonAsync(HttpMethod.Post, "/v1/tenants/default/authentication/begin", new { });
        Assert.Equal(1, await SqlAsync("SELECT COUNT(*) FROM ceremonies"));
        Assert.Equal(1, await SqlAsync("SELECT COUNT(*) FROM audit_events WHERE ceremony = 'authentication' AND outcome = 'started'"));
    }

    [StoreFact]
    public async Task A_failed_finish_consumes_its_ceremony_and_writes_exactly_its_failure_event()
    {
        var client = TestServer.NewClient();
        await _server.SignUpAsync(client, "fails");
        var begin = await _server.OkJsonAsync(HttpMethod.Post, "/v1/tenants/default/authentication/begin", new { });
        var response = JsonNode.Parse(await client.GetAsync(begin["options"]!.ToJsonString()))!;
        response["response"]!["signature"] = "AAAA"; // not a signature over this challenge
        var body = new JsonObject { ["ceremonyId"] = (string)begin["ceremonyId"]!, ["response"] = response }.ToJsonString();
        var sessionsBefore = await SqlAsync("SELECT COUNT(*) FROM sessions");

        using (var failed = await _server.SendAsync(HttpMethod.Post, "/v1/tenants/default/authentication/finish", body))
        {
            Assert.Equal(400, (int)failed.StatusCode);
        }
        Assert.Equal(0, await SqlAsync("SELECT COUNT(*) FROM ceremonies"));
        Assert.Equal(sessionsBefore, await SqlAsync("SELECT COUNT(*) FROM sessions"));
        Assert.Equal(0, await SqlAsync("SELECT COUNT(*) FROM credentials WHERE last_used_at IS NOT NULL"));
        Assert.Equal(1, await SqlAsync("SELECT COUNT(*) FROM audit_events WHERE ceremony = 'authentication' AND outcome = 'failed'"));
        Assert.Equal(0, await SqlAsync("SELECT COUNT(*) FROM audit_events WHERE ceremony = 'authentication' AND outcome = 'succeeded'"));
    }
}

/// <summary><see cref="StepAtomicityTests"/> on SQLite.</summary>
public sealed class SqliteStepAtomicityTests : StepAtomicityTests, IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "passkeys-atom-" + Guid.NewGuid().ToString("N"));

    protected override Task<TestServer> StartServerAsync() => TestServer.StartAsync(null, "--Passkeys:DataDirectory=" + _directory);

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

/// <summary><see cref="StepAtomicityTests"/> on PostgreSQL.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresStepAtomicityTests(PostgresCluster cluster) : StepAtomicityTests
{
    private string _database = null!;

    protected override async Task<TestServer> StartServerAsync()
    {
        _database = await cluster.CreateDatabaseAsync();
        return await PostgresServer.OnDatabaseAsync(_database);
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
