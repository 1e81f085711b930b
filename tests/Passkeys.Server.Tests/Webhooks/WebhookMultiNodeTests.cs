using Passkeys.Server.Tests.Integration;
using Passkeys.Server.Tests.Storage;

namespace Passkeys.Server.Tests.Webhooks;

/// <summary>
/// Two nodes on one PostgreSQL database, both woken by every enqueue (NOTIFY): each delivery is
/// attempted by one node at a time, so the receiver sees every event exactly once and never two
/// requests for one webhook-id at the same time.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class WebhookMultiNodeTests(PostgresCluster cluster)
{
    private const int Events = 24;

    [PostgresFact]
    public async Task Each_delivery_is_attempted_by_one_node_at_a_time()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        // A slow receiver: the attempts of both nodes overlap in time, so a delivery claimed twice would show.
        receiver.Respond = async (_, _) =>
        {
            await Task.Delay(150);
            return 200;
        };
        var database = await cluster.CreateDatabaseAsync();
        string[] args = [WebhookTests.AllowPrivate, WebhookTests.FastPoll, "--Passkeys:Webhooks:MaxConcurrency=3", SigningKeyAtRestTests.Kek];
        var nodes = await Task.WhenAll(PostgresServer.OnDatabaseAsync(database, null, args), PostgresServer.OnDatabaseAsync(database, null, args));
        await using var a = nodes[0];
        await using var b = nodes[1];
        var (webhook, secret) = await WebhookTests.SubscribeAsync(a, receiver.Url, ["registration.started"]);

        await Task.WhenAll(Enumerable.Range(0, Events).Select(i =>
            (i % 2 == 0 ? a : b).OkJsonAsync(HttpMethod.Post, "/v1/tenants/default/registration/begin", new { user = new { name = "node-user-" + i } })));

        var received = await receiver.WaitForAsync(r => r.Count >= Events, TimeSpan.FromSeconds(60), "every event");
        await Task.Delay(1000); // a second attempt of anything would arrive now
        received = receiver.Received;
        Assert.Equal(Events, received.Count);
        Assert.Equal(Events, received.Select(r => r.Id).Distinct().Count());
        Assert.Equal(0, receiver.Overlaps);
        Assert.All(received, r => Assert.True(WebhookReceiver.Verify(secret, r)));
        var deliveries = await WebhookTests.DeliveriesAsync(b, webhook, "?limit=100");
        Assert.Equal(Events, deliveries.Count);
        Assert.All(deliveries, d => Assert.Equal(("delivered", 1), ((string)d!["status"]!, (int)d["attempts"]!)));
    }
}
