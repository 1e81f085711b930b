using Passkeys.Server.Tests.Storage;

namespace Passkeys.Server.Tests.Integration;

/// <summary>
/// Two nodes on one PostgreSQL database: what must not depend on which node answers — the fake
/// credentials of an unknown name, and the per-account budget on recovery-code guesses.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class MultiNodeIdentityTests(PostgresCluster cluster)
{
    private async Task<(TestServer A, TestServer B)> StartNodesAsync(params string[] extra)
    {
        var database = await cluster.CreateDatabaseAsync();
        // Started together: the tenant secret is created by whichever node asks first, once.
        var nodes = await Task.WhenAll(PostgresServer.OnDatabaseAsync(database, null, extra), PostgresServer.OnDatabaseAsync(database, null, extra));
        return (nodes[0], nodes[1]);
    }

    [PostgresFact]
    public async Task Both_nodes_offer_the_same_fake_credentials_for_an_unknown_name()
    {
        var (a, b) = await StartNodesAsync();
        await using (a)
        await using (b)
        {
            // Asked on both at once, before either has a tenant secret.
            var answers = await Task.WhenAll(
                Enumerable.Range(0, 6).Select(i => (i % 2 == 0 ? a : b).OkJsonAsync(HttpMethod.Post, "/v1/tenants/default/authentication/begin", new { username = "ghost" })));
            var ids = answers.Select(r => string.Join(',', r["options"]!["allowCredentials"]!.AsArray().Select(c => (string)c!["id"]!))).Distinct().ToList();
            Assert.Single(ids);
        }
    }

    [PostgresFact]
    public async Task The_recovery_guess_budget_of_an_account_is_shared_by_the_nodes()
    {
        var (a, b) = await StartNodesAsync("--Passkeys:Recovery:AttemptsPerAccount=4");
        await using (a)
        await using (b)
        {
            await a.SignUpAsync(TestServer.NewClient(), "henry");
            // Eight guesses spread over both nodes at once: the budget of four holds in total, not per node.
            var statuses = await Task.WhenAll(Enumerable.Range(0, 8).Select(async i =>
            {
                using var r = await (i % 2 == 0 ? a : b).SendAsync(HttpMethod.Post, "/v1/tenants/default/recovery/redeem",
                    new { username = "henry", code = "0000-0000-0000-0000" });
                return (int)r.StatusCode;
            }));
            Assert.Equal(4, statuses.Count(s => s == 400));
            Assert.Equal(4, statuses.Count(s => s == 429));
            using var later = await b.SendAsync(HttpMethod.Post, "/v1/tenants/default/recovery/redeem", new { username = "henry", code = "0000-0000-0000-0000" });
            await TestServer.ProblemAsync(later, 429, 1032);
            Assert.NotNull(later.Headers.RetryAfter?.Delta);
        }
    }
}
