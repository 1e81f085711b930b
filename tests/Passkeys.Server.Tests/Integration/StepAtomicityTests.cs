using System.Text.Json.Nodes;
using Passkeys.Server.Tests.Storage;

namespace Passkeys.Server.Tests.Integration;

/// <summary>
/// A ceremony step is one commit: when any of its writes fails (here the audit insert, refused by
/// a trigger), none of them stays: no consumed ceremony, no credential update, no session, and the
/// client gets 503 and may retry the same response. One derived class per store.
/// </summary>
public abstract class StepAtomicityTests(TestStores stores) : SingleServerStoreSuite(stores)
{

    [StoreFact]
    public async Task A_sign_in_whose_audit_write_fails_writes_nothing_and_can_be_retried()
    {
        var client = TestServer.NewClient();
        await Server.SignUpAsync(client, "atom");
        var begin = await Server.OkJsonAsync(HttpMethod.Post, "/v1/tenants/default/authentication/begin", new { });
        var body = TestServer.FinishBody(begin, await client.GetAsync(begin["options"]!.ToJsonString()));
        var sessionsBefore = await SqlAsync("SELECT COUNT(*) FROM sessions");

        await BreakAuditAsync();
        using (var failed = await Server.SendAsync(HttpMethod.Post, "/v1/tenants/default/authentication/finish", body))
        {
            await TestServer.ProblemAsync(failed, 503, 1016); // StoreUnavailable
        }
        Assert.Equal(1, await SqlAsync("SELECT COUNT(*) FROM ceremonies"));                          // not consumed
        Assert.Equal(0, await SqlAsync("SELECT COUNT(*) FROM credentials WHERE last_used_at IS NOT NULL")); // not updated
        Assert.Equal(sessionsBefore, await SqlAsync("SELECT COUNT(*) FROM sessions"));               // no session

        await RepairAuditAsync();
        var signIn = await Server.OkJsonAsync(HttpMethod.Post, "/v1/tenants/default/authentication/finish", body);
        Assert.False(string.IsNullOrEmpty((string?)signIn["refreshToken"]));
        Assert.Equal(0, await SqlAsync("SELECT COUNT(*) FROM ceremonies"));
        Assert.Equal(1, await SqlAsync("SELECT COUNT(*) FROM credentials WHERE last_used_at IS NOT NULL"));
        Assert.Equal(sessionsBefore + 1, await SqlAsync("SELECT COUNT(*) FROM sessions"));
        Assert.Equal(1, await SqlAsync("SELECT COUNT(*) FROM audit_events WHERE ceremony = 'authentication' AND outcome = 'succeeded'"));
    }

    [StoreFact]
    public async Task A_begin_whose_audit_write_fails_saves_no_ceremony()
    {
        await BreakAuditAsync();
        using (var failed = await Server.SendAsync(HttpMethod.Post, "/v1/tenants/default/authentication/begin", new { }))
        {
            await TestServer.ProblemAsync(failed, 503, 1016);
        }
        Assert.Equal(0, await SqlAsync("SELECT COUNT(*) FROM ceremonies"));
        await RepairAuditAsync();
        await Server.OkJsonAsync(HttpMethod.Post, "/v1/tenants/default/authentication/begin", new { });
        Assert.Equal(1, await SqlAsync("SELECT COUNT(*) FROM ceremonies"));
        Assert.Equal(1, await SqlAsync("SELECT COUNT(*) FROM audit_events WHERE ceremony = 'authentication' AND outcome = 'started'"));
    }

    [StoreFact]
    public async Task A_failed_finish_consumes_its_ceremony_and_writes_exactly_its_failure_event()
    {
        var client = TestServer.NewClient();
        await Server.SignUpAsync(client, "fails");
        var begin = await Server.OkJsonAsync(HttpMethod.Post, "/v1/tenants/default/authentication/begin", new { });
        var response = JsonNode.Parse(await client.GetAsync(begin["options"]!.ToJsonString()))!;
        response["response"]!["signature"] = "AAAA"; // not a signature over this challenge
        var body = new JsonObject { ["ceremonyId"] = (string)begin["ceremonyId"]!, ["response"] = response }.ToJsonString();
        var sessionsBefore = await SqlAsync("SELECT COUNT(*) FROM sessions");

        using (var failed = await Server.SendAsync(HttpMethod.Post, "/v1/tenants/default/authentication/finish", body))
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
public sealed class SqliteStepAtomicityTests() : StepAtomicityTests(new SqliteTestStores());

/// <summary><see cref="StepAtomicityTests"/> on PostgreSQL.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresStepAtomicityTests(PostgresCluster cluster) : StepAtomicityTests(new PostgresTestStores(cluster));
