using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Passkeys.Server.Tests.Integration;
using Passkeys.Server.Tests.Storage;

namespace Passkeys.Server.Tests.Webhooks;

/// <summary>
/// The server killed mid-delivery (a separate process, SIGKILL): after a restart on the same data
/// every event arrives, and a repeat carries the webhook-id of the attempt it repeats. One derived
/// class per store.
/// </summary>
public abstract class WebhookCrashTests
{
    private const int Events = 5;

    protected abstract ServerStorage Storage { get; }

    [StoreFact]
    public async Task After_the_server_is_killed_mid_delivery_and_restarted_every_event_arrives_and_repeats_keep_their_id()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var held = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        // The first request ever is held open: the server is killed while it waits for the answer.
        receiver.Respond = async (request, _) =>
        {
            if (held.TrySetResult(request.Id))
            {
                await release.Task;
            }
            return 200;
        };
        var storage = await Storage.NewAsync();
        // One attempt at a time, so the other events wait in the outbox behind the held one; a short
        // lease, so the restarted server takes the killed one's delivery over within seconds.
        string[] webhookArgs = [WebhookTests.AllowPrivate, WebhookTests.FastPoll, "--Passkeys:Webhooks:MaxConcurrency=1",
            "--Passkeys:Webhooks:Timeout=00:00:02", "--Passkeys:Webhooks:LeaseDuration=00:00:03"];
        string secret, heldId;
        using (var doomed = await ServerProcess.StartAsync([.. Storage.Args(storage), .. webhookArgs]))
        {
            using var http = new HttpClient { BaseAddress = doomed.BaseAddress };
            using var create = new HttpRequestMessage(HttpMethod.Post, "/v1/admin/tenants/default/webhooks")
            {
                Content = JsonContent.Create(new { url = receiver.Url, eventTypes = new[] { "registration.*" } }),
            };
            create.Headers.Authorization = new("Bearer", TestServer.AdminKey);
            using (var created = await http.SendAsync(create))
            {
                Assert.True(created.IsSuccessStatusCode, await created.Content.ReadAsStringAsync());
                secret = (string)JsonNode.Parse(await created.Content.ReadAsStringAsync())!["secret"]!;
            }
            for (var i = 0; i < Events; i++)
            {
                using var begun = await http.PostAsJsonAsync("/v1/tenants/default/registration/begin", new { user = new { name = "crash-" + i } });
                Assert.True(begun.IsSuccessStatusCode, await begun.Content.ReadAsStringAsync());
            }
            heldId = await held.Task.WaitAsync(TimeSpan.FromSeconds(30));
            doomed.Kill();
        }
        release.SetResult();

        await using var server = await Storage.StartAsync(storage, null, webhookArgs);
        var audit = (await server.OkJsonAsync(HttpMethod.Get, "/v1/admin/tenants/default/audit?type=registration.started", bearer: TestServer.AdminKey))["events"]!.AsArray();
        var expected = audit.Select(e => (long)e!["id"]!).Order().ToList();
        Assert.Equal(Events, expected.Count);

        var received = await receiver.WaitForAsync(
            r => r.Select(d => (long)d.Json["data"]!["id"]!).Distinct().Count() == Events && r.Count(d => d.Id == heldId) >= 2, TimeSpan.FromSeconds(60),
            "every event after the restart, the one cut off by the kill again");
        Assert.Equal(expected, received.Select(d => (long)d.Json["data"]!["id"]!).Distinct().Order().ToList());
        Assert.All(received, d => Assert.True(WebhookReceiver.Verify(secret, d)));
        // At least once: the held attempt was repeated, and every repeat has its event's webhook-id.
        foreach (var perEvent in received.GroupBy(d => (long)d.Json["data"]!["id"]!))
        {
            Assert.Single(perEvent.Select(d => d.Id).Distinct());
            Assert.Single(perEvent.Select(d => d.Body).Distinct());
        }
    }
}

public sealed class SqliteWebhookCrashTests : WebhookCrashTests, IDisposable
{
    private readonly SqliteStorage _storage = new();
    protected override ServerStorage Storage => _storage;
    public void Dispose() => _storage.Dispose();
}

[Collection(PostgresCollection.Name)]
public sealed class PostgresWebhookCrashTests(PostgresCluster cluster) : WebhookCrashTests, IDisposable
{
    private readonly PostgresStorage _storage = new(cluster);
    protected override ServerStorage Storage => _storage;
    public void Dispose() => _storage.Dispose();
}
