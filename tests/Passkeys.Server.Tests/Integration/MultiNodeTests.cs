using System.Net;
using System.Text.Json.Nodes;
using Passkeys.Server.Tests.Storage;

namespace Passkeys.Server.Tests.Integration;

/// <summary>
/// Two server nodes on one PostgreSQL database, as behind a load balancer: a ceremony begun on one
/// node can be finished on either, and one response is accepted exactly once however many copies
/// race to both nodes.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class MultiNodeTests(PostgresCluster cluster) : IAsyncLifetime
{
    private const int Rounds = 15;
    private const int CopiesPerNode = 2;
    private TestServer _a = null!;
    private TestServer _b = null!;

    public async Task InitializeAsync()
    {
        if (PostgresCluster.SkipReason is not null)
        {
            return; // every test here is skipped
        }
        var database = await cluster.CreateDatabaseAsync();
        // Both start together: migrations and default-tenant seeding must tolerate a concurrent twin.
        // Nodes sharing a database share the key that encrypts the signing keys (here a KEK).
        var nodes = await Task.WhenAll(PostgresServer.OnDatabaseAsync(database, null, SigningKeyAtRestTests.Kek),
            PostgresServer.OnDatabaseAsync(database, null, SigningKeyAtRestTests.Kek));
        (_a, _b) = (nodes[0], nodes[1]);
    }

    public async Task DisposeAsync()
    {
        if (_a is not null) await _a.DisposeAsync();
        if (_b is not null) await _b.DisposeAsync();
    }

    /// <summary>Sends <paramref name="body"/> to both nodes, <see cref="CopiesPerNode"/> times each, all at once.</summary>
    private async Task<(HttpStatusCode Status, string Body)[]> RaceAsync(string path, string body)
    {
        var sends = Enumerable.Range(0, 2 * CopiesPerNode).Select(async i =>
        {
            using var response = await (i % 2 == 0 ? _a : _b).SendAsync(HttpMethod.Post, path, body);
            return (response.StatusCode, await response.Content.ReadAsStringAsync());
        });
        return await Task.WhenAll(sends);
    }

    private static void AssertExactlyOneWinner((HttpStatusCode Status, string Body)[] results, int round)
    {
        Assert.True(results.Count(r => r.Status == HttpStatusCode.OK) == 1,
            $"round {round}: expected exactly one 200, got {string.Join(", ", results.Select(r => (int)r.Status))}");
        foreach (var loser in results.Where(r => r.Status != HttpStatusCode.OK))
        {
            // The losers never saw the ceremony: it was consumed by the winner's DELETE … RETURNING.
            Assert.Equal(HttpStatusCode.BadRequest, loser.Status);
            Assert.Equal(1009, (int)JsonNode.Parse(loser.Body)!["code"]!); // CeremonyNotFound
        }
    }

    [PostgresFact]
    public async Task A_ceremony_begun_on_one_node_finishes_on_the_other()
    {
        var client = TestServer.NewClient();
        var begin = await _a.OkJsonAsync(HttpMethod.Post, "/v1/tenants/default/registration/begin", new { user = new { name = "roamer" } });
        var created = await client.CreateAsync(begin["options"]!.ToJsonString());
        var signUp = await _b.OkJsonAsync(HttpMethod.Post, "/v1/tenants/default/registration/finish", TestServer.FinishBody(begin, created));
        var signIn = await _a.SignInAsync(client);
        Assert.Equal((string)signUp["user"]!["id"]!, (string)signIn["user"]!["id"]!);
    }

    [PostgresFact]
    public async Task Racing_one_authentication_response_to_two_nodes_succeeds_exactly_once_per_ceremony()
    {
        var client = TestServer.NewClient();
        await _a.SignUpAsync(client, "racer");
        for (var round = 0; round < Rounds; round++)
        {
            var begin = await _a.OkJsonAsync(HttpMethod.Post, "/v1/tenants/default/authentication/begin", new { });
            var body = TestServer.FinishBody(begin, await client.GetAsync(begin["options"]!.ToJsonString()));
            AssertExactlyOneWinner(await RaceAsync("/v1/tenants/default/authentication/finish", body), round);
        }
        // Every round's winner was audited once, on whichever node won it.
        var events = await _b.OkJsonAsync(HttpMethod.Get, "/v1/admin/tenants/default/audit?ceremony=authentication&outcome=succeeded&limit=1000", bearer: TestServer.AdminKey);
        Assert.Equal(Rounds, events["events"]!.AsArray().Count);
    }

    [PostgresFact]
    public async Task Racing_one_registration_response_to_two_nodes_registers_exactly_once_per_ceremony()
    {
        for (var round = 0; round < Rounds; round++)
        {
            var client = TestServer.NewClient();
            var begin = await _a.OkJsonAsync(HttpMethod.Post, "/v1/tenants/default/registration/begin", new { user = new { name = "user" + round } });
            var body = TestServer.FinishBody(begin, await client.CreateAsync(begin["options"]!.ToJsonString()));
            AssertExactlyOneWinner(await RaceAsync("/v1/tenants/default/registration/finish", body), round);
        }
        var users = await _b.OkJsonAsync(HttpMethod.Get, "/v1/admin/tenants/default/users?limit=100", bearer: TestServer.AdminKey);
        Assert.Equal(Rounds, users["users"]!.AsArray().Count);
    }

    [PostgresFact]
    public async Task Racing_one_refresh_token_to_two_nodes_rotates_it_once_plus_one_retry_then_detects_reuse()
    {
        var client = TestServer.NewClient();
        await _a.SignUpAsync(client, "refresher");
        for (var round = 0; round < 5; round++)
        {
            var token = (string)(await _b.SignInAsync(client))["refreshToken"]!;
            var body = System.Text.Json.JsonSerializer.Serialize(new { refreshToken = token });
            var results = await RaceAsync("/v1/tenants/default/sessions/refresh", body);
            // The copies serialise on the session's lock, whichever node they reach: the first
            // rotates, the second is within Tokens:RefreshReuseGrace (default 30 s) a retry (it
            // voids the first's successor), the third is reuse and revokes the session, the fourth
            // finds it revoked.
            var winners = results.Where(r => r.Status == HttpStatusCode.OK).ToList();
            Assert.True(winners.Count == 2,
                $"round {round}: expected two 200s (rotation and retry), got {string.Join(", ", results.Select(r => (int)r.Status))}");
            foreach (var loser in results.Where(r => r.Status != HttpStatusCode.OK))
            {
                Assert.Equal(HttpStatusCode.Unauthorized, loser.Status);
                Assert.Contains((int)JsonNode.Parse(loser.Body)!["code"]!, new[] { 1020, 1021 });
            }
            foreach (var winner in winners)
            {
                // Both issued tokens died with the session.
                using var refused = await _a.SendAsync(HttpMethod.Post, "/v1/tenants/default/sessions/refresh",
                    new { refreshToken = (string)JsonNode.Parse(winner.Body)!["refreshToken"]! });
                await TestServer.ProblemAsync(refused, 401, 1020);
            }
        }
        var reuse = await _a.OkJsonAsync(HttpMethod.Get, "/v1/admin/tenants/default/audit?ceremony=session&outcome=failed&limit=1000", bearer: TestServer.AdminKey);
        Assert.Equal(5, reuse["events"]!.AsArray().Count); // one reuse detection per round, whichever node saw it
    }
}
