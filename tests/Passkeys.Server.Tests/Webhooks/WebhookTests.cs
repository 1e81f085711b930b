using System.Net;
using System.Text.Json.Nodes;
using Passkeys.Server.Tests.Integration;
using Passkeys.Server.Tests.Storage;

namespace Passkeys.Server.Tests.Webhooks;

/// <summary>
/// Webhooks over real HTTP, with real receivers on loopback: what is subscribed arrives, signed as
/// Standard Webhooks says and verified here as a receiver would; what is not, does not; failures
/// are retried, then failed, and can be retried by hand. One derived class per store.
/// </summary>
public abstract class WebhookTests
{
    internal const string AllowPrivate = "--Passkeys:Webhooks:AllowPrivateNetworks=true";
    internal const string FastRetries = "--Passkeys:Webhooks:RetrySchedule:0=00:00:01";
    internal const string FastPoll = "--Passkeys:Webhooks:PollInterval=00:00:00.250";
    private const string Hooks = "/v1/admin/tenants/default/webhooks";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    protected abstract ServerStorage Storage { get; }

    private async Task<TestServer> StartAsync(StorageLocation? at = null, params string[] extra) =>
        await Storage.StartAsync(at ?? await Storage.NewAsync(), null, [AllowPrivate, FastRetries, FastPoll, .. extra]);

    internal static async Task<(string Id, string Secret)> SubscribeAsync(TestServer server, string url, string[] types, bool enabled = true)
    {
        var created = await server.OkJsonAsync(HttpMethod.Post, Hooks, new { url, eventTypes = types, enabled }, bearer: TestServer.AdminKey);
        return ((string)created["id"]!, (string)created["secret"]!);
    }

    internal static async Task<JsonArray> DeliveriesAsync(TestServer server, string webhookId, string query = "") =>
        (await server.OkJsonAsync(HttpMethod.Get, $"{Hooks}/{webhookId}/deliveries{query}", bearer: TestServer.AdminKey))["deliveries"]!.AsArray();

    private static async Task<JsonNode> WaitForDeliveryAsync(TestServer server, string webhookId, Func<JsonNode, bool> done, string what)
    {
        var until = DateTime.UtcNow + Patience;
        while (true)
        {
            var deliveries = await DeliveriesAsync(server, webhookId);
            if (deliveries.FirstOrDefault(d => done(d!)) is { } found)
            {
                return found;
            }
            Assert.True(DateTime.UtcNow < until, $"timed out waiting for {what}: {deliveries.ToJsonString()}");
            await Task.Delay(100);
        }
    }

    [StoreFact]
    public async Task Every_event_of_a_subscribed_type_arrives_once_signed_and_other_types_do_not()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var elsewhere = await WebhookReceiver.StartAsync();
        await using var server = await StartAsync();
        var (ceremonies, secret) = await SubscribeAsync(server, receiver.Url, ["registration.*", "authentication.succeeded"]);
        await SubscribeAsync(server, elsewhere.Url, ["step_up.*", "recovery.succeeded"]);
        await SubscribeAsync(server, elsewhere.Url, ["*"], enabled: false);

        var client = TestServer.NewClient();
        await server.SignUpAsync(client, "webhook-alice");
        await server.SignInAsync(client);

        // registration.started, registration.succeeded and authentication.succeeded; not authentication.started.
        var received = await receiver.WaitForAsync(r => r.Count >= 3, Patience, "three events");
        var audit = (await server.OkJsonAsync(HttpMethod.Get, "/v1/admin/tenants/default/audit", bearer: TestServer.AdminKey))["events"]!.AsArray();
        var expected = audit.Where(e => (string)e!["type"]! is "registration.started" or "registration.succeeded" or "authentication.succeeded")
            .Select(e => (long)e!["id"]!).Order().ToList();
        await Task.Delay(1000); // anything more (a duplicate, another type) would arrive now
        received = receiver.Received;
        Assert.Equal(expected, received.Select(r => (long)r.Json["data"]!["id"]!).Order().ToList());
        Assert.Equal(received.Count, received.Select(r => r.Id).Distinct().Count());
        foreach (var delivery in received)
        {
            Assert.True(WebhookReceiver.Verify(secret, delivery), $"signature of {delivery.Id} does not verify");
            Assert.False(WebhookReceiver.Verify(secret, delivery with { Body = delivery.Body + " " }), "a changed body must not verify");
            Assert.False(WebhookReceiver.Verify(secret, delivery, DateTimeOffset.UtcNow.AddMinutes(10), TimeSpan.FromMinutes(5)), "an old timestamp must not verify");
            var json = delivery.Json;
            Assert.Equal((string)json["data"]!["type"]!, delivery.Type);
            Assert.Equal("default", (string)json["data"]!["tenant"]!);
            Assert.NotNull(json["timestamp"]);
            Assert.StartsWith("msg_", delivery.Id, StringComparison.Ordinal);
        }
        Assert.Empty(elsewhere.Received);

        var deliveries = await DeliveriesAsync(server, ceremonies, "?status=delivered");
        Assert.Equal(3, deliveries.Count);
        Assert.All(deliveries, d =>
        {
            Assert.Equal(1, (int)d!["attempts"]!);
            Assert.Equal(200, (int)d["lastStatusCode"]!);
            Assert.Null(d["nextAttemptAt"]);
        });
        Assert.Empty(await DeliveriesAsync(server, ceremonies, "?status=pending"));
    }

    [StoreFact]
    public async Task A_receiver_answering_500_then_200_gets_the_event_on_retry_with_the_same_id()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.Respond = (_, before) => Task.FromResult(before == 0 ? 500 : 200);
        await using var server = await StartAsync();
        var (webhook, secret) = await SubscribeAsync(server, receiver.Url, ["registration.started"]);
        await server.OkJsonAsync(HttpMethod.Post, "/v1/tenants/default/registration/begin", new { user = new { name = "webhook-bob" } });

        var received = await receiver.WaitForAsync(r => r.Count >= 2, Patience, "the retry");
        Assert.Equal(received[0].Id, received[1].Id);
        Assert.Equal(received[0].Body, received[1].Body);
        Assert.All(received, r => Assert.True(WebhookReceiver.Verify(secret, r)));
        var delivery = await WaitForDeliveryAsync(server, webhook, d => (string)d["status"]! == "delivered", "delivered");
        Assert.Equal(2, (int)delivery["attempts"]!);
        Assert.Equal(200, (int)delivery["lastStatusCode"]!);
        Assert.Equal(received[0].Id, (string)delivery["id"]!);

        var metrics = await server.Http.GetStringAsync("/metrics");
        Assert.Contains("passkeys_webhook_deliveries_total{outcome=\"retrying\"} 1", metrics, StringComparison.Ordinal);
        Assert.Contains("passkeys_webhook_deliveries_total{outcome=\"delivered\"} 1", metrics, StringComparison.Ordinal);
    }

    [StoreFact]
    public async Task A_delivery_failing_every_attempt_is_failed_and_an_admin_retry_sends_it_again()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var up = false;
        receiver.Respond = (_, _) => Task.FromResult(Volatile.Read(ref up) ? 204 : 503);
        await using var server = await StartAsync();
        var (webhook, _) = await SubscribeAsync(server, receiver.Url, ["registration.started"]);
        await server.OkJsonAsync(HttpMethod.Post, "/v1/tenants/default/registration/begin", new { user = new { name = "webhook-carl" } });

        // The schedule has one wait: two attempts, then failed.
        var failed = await WaitForDeliveryAsync(server, webhook, d => (string)d["status"]! == "failed", "failed");
        Assert.Equal(2, (int)failed["attempts"]!);
        Assert.Equal(503, (int)failed["lastStatusCode"]!);
        Assert.Equal("answered 503", (string)failed["lastError"]!);
        Assert.Equal(2, receiver.Received.Count);

        Volatile.Write(ref up, true);
        var id = (string)failed["id"]!;
        using (var retried = await server.SendAsync(HttpMethod.Post, $"{Hooks}/{webhook}/deliveries/{id}/retry", bearer: TestServer.AdminKey))
        {
            Assert.Equal(HttpStatusCode.NoContent, retried.StatusCode);
        }
        var delivered = await WaitForDeliveryAsync(server, webhook, d => (string)d["status"]! == "delivered", "delivered after the retry");
        Assert.Equal(1, (int)delivered["attempts"]!);
        Assert.Equal(id, receiver.Received[^1].Id);

        using var unknown = await server.SendAsync(HttpMethod.Post, $"{Hooks}/{webhook}/deliveries/msg_999999/retry", bearer: TestServer.AdminKey);
        await TestServer.ProblemAsync(unknown, 404, 1196);
        using var malformed = await server.SendAsync(HttpMethod.Post, $"{Hooks}/{webhook}/deliveries/abc/retry", bearer: TestServer.AdminKey);
        await TestServer.ProblemAsync(malformed, 404, 1196);

        // The retry is audited, once: the refused ones wrote nothing.
        var audit = await server.OkJsonAsync(HttpMethod.Get, "/v1/admin/tenants/default/audit?type=webhook.delivery_retried", bearer: TestServer.AdminKey);
        var retriedEvent = Assert.Single(audit["events"]!.AsArray())!;
        Assert.Equal(("admin", "webhook", webhook, id), ((string)retriedEvent["actor"]!["kind"]!, (string)retriedEvent["target"]!["kind"]!,
            (string)retriedEvent["target"]!["id"]!, (string)retriedEvent["details"]!["deliveryId"]!));
    }

    [StoreFact]
    public async Task A_redirect_is_not_followed_and_a_receiver_slower_than_the_timeout_fails_the_attempt()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.Respond = async (_, before) =>
        {
            if (before == 0)
            {
                return 307;
            }
            await Task.Delay(TimeSpan.FromSeconds(3));
            return 200;
        };
        await using var server = await StartAsync(null, "--Passkeys:Webhooks:Timeout=00:00:01", "--Passkeys:Webhooks:LeaseDuration=00:00:05");
        var (webhook, _) = await SubscribeAsync(server, receiver.Url, ["registration.started"]);
        await server.OkJsonAsync(HttpMethod.Post, "/v1/tenants/default/registration/begin", new { user = new { name = "webhook-gus" } });

        var failed = await WaitForDeliveryAsync(server, webhook, d => (string)d["status"]! == "failed", "failed");
        Assert.Equal(2, (int)failed["attempts"]!);
        Assert.Equal("no answer within 1 s", (string)failed["lastError"]!);
        Assert.Null(failed["lastStatusCode"]);
        await Task.Delay(500);
        Assert.Equal(2, receiver.Received.Count); // the 307 was not followed back to the receiver
    }

    [StoreFact]
    public async Task A_rotated_secret_overlaps_the_old_one_both_signatures_are_sent_until_it_ends()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var server = await StartAsync();
        var (webhook, first) = await SubscribeAsync(server, receiver.Url, ["registration.started"]);
        var rotated = await server.OkJsonAsync(HttpMethod.Post, $"{Hooks}/{webhook}/rotate-secret?overlapSeconds=3600", bearer: TestServer.AdminKey);
        var second = (string)rotated["secret"]!;
        Assert.NotEqual(first, second);
        Assert.NotNull(rotated["previousSecretExpiresAt"]);
        Assert.NotNull((await server.OkJsonAsync(HttpMethod.Get, $"{Hooks}/{webhook}", bearer: TestServer.AdminKey))["previousSecretExpiresAt"]);

        await server.OkJsonAsync(HttpMethod.Post, "/v1/tenants/default/registration/begin", new { user = new { name = "webhook-dora" } });
        var during = (await receiver.WaitForAsync(r => r.Count >= 1, Patience, "a delivery during the overlap"))[0];
        Assert.Equal(2, during.Signature.Split(' ').Length);
        Assert.True(WebhookReceiver.Verify(first, during), "the old secret verifies during the overlap");
        Assert.True(WebhookReceiver.Verify(second, during), "the new secret verifies");

        var third = (string)(await server.OkJsonAsync(HttpMethod.Post, $"{Hooks}/{webhook}/rotate-secret?overlapSeconds=0", bearer: TestServer.AdminKey))["secret"]!;
        await server.OkJsonAsync(HttpMethod.Post, "/v1/tenants/default/registration/begin", new { user = new { name = "webhook-emil" } });
        var after = (await receiver.WaitForAsync(r => r.Count >= 2, Patience, "a delivery after the overlap"))[1];
        Assert.Single(after.Signature.Split(' '));
        Assert.True(WebhookReceiver.Verify(third, after));
        Assert.False(WebhookReceiver.Verify(second, after), "without an overlap the old secret no longer verifies");
        Assert.Null((await server.OkJsonAsync(HttpMethod.Get, $"{Hooks}/{webhook}", bearer: TestServer.AdminKey))["previousSecretExpiresAt"]);
        var rotations = (await server.OkJsonAsync(HttpMethod.Get, "/v1/admin/tenants/default/audit?type=webhook.secret_rotated", bearer: TestServer.AdminKey))["events"]!.AsArray();
        Assert.Equal(2, rotations.Count);
        Assert.All(rotations, e => Assert.Equal(webhook, (string)e!["target"]!["id"]!));
    }

    [StoreFact]
    public async Task The_secret_is_shown_once_and_endpoints_are_managed_with_a_specific_code_for_every_bad_input()
    {
        await using var server = await StartAsync(null, "--Passkeys:Webhooks:MaxEndpointsPerTenant=2");
        var created = await server.OkJsonAsync(HttpMethod.Post, Hooks,
            new { url = "http://127.0.0.1:9/a", eventTypes = new[] { "credential.*", "user.deleted" }, description = "mailer" }, bearer: TestServer.AdminKey);
        var id = (string)created["id"]!;
        var secret = (string)created["secret"]!;
        Assert.StartsWith("whsec_", secret, StringComparison.Ordinal);
        Assert.Equal(32, Convert.FromBase64String(secret["whsec_".Length..]).Length);
        Assert.True((bool)created["enabled"]!);

        var one = await server.OkJsonAsync(HttpMethod.Get, $"{Hooks}/{id}", bearer: TestServer.AdminKey);
        var all = await server.OkJsonAsync(HttpMethod.Get, Hooks, bearer: TestServer.AdminKey);
        foreach (var shown in new[] { one.ToJsonString(), all.ToJsonString() })
        {
            Assert.DoesNotContain(secret["whsec_".Length..], shown, StringComparison.Ordinal);
            Assert.DoesNotContain("\"secret\"", shown, StringComparison.Ordinal);
        }
        Assert.Equal("mailer", (string)one["description"]!);
        Assert.Equal(["credential.*", "user.deleted"], one["eventTypes"]!.AsArray().Select(t => (string)t!));

        var updated = await server.OkJsonAsync(HttpMethod.Put, $"{Hooks}/{id}", new { url = "http://127.0.0.1:9/b", eventTypes = new[] { "*" }, enabled = false },
            bearer: TestServer.AdminKey);
        Assert.False((bool)updated["enabled"]!);
        Assert.Equal("http://127.0.0.1:9/b", (string)updated["url"]!);
        Assert.Null(updated["description"]);

        async Task RefusedAsync(HttpMethod method, string path, object? body, int status, int code)
        {
            using var response = await server.SendAsync(method, path, body, bearer: TestServer.AdminKey);
            await TestServer.ProblemAsync(response, status, code);
        }
        var types = new[] { "registration.*" };
        await RefusedAsync(HttpMethod.Post, Hooks, new { url = "ftp://example.com/x", eventTypes = types }, 400, 1190);
        await RefusedAsync(HttpMethod.Post, Hooks, new { url = "http://example.com/x", eventTypes = types }, 400, 1190);
        await RefusedAsync(HttpMethod.Post, Hooks, new { url = "https://user:pw@example.com/x", eventTypes = types }, 400, 1190);
        await RefusedAsync(HttpMethod.Post, Hooks, new { url = "https://example.com/x#frag", eventTypes = types }, 400, 1190);
        await RefusedAsync(HttpMethod.Post, Hooks, new { url = "/relative", eventTypes = types }, 400, 1190);
        await RefusedAsync(HttpMethod.Post, Hooks, new { url = "https://example.com/" + new string('a', 2100), eventTypes = types }, 400, 1190);
        await RefusedAsync(HttpMethod.Post, Hooks, new { eventTypes = types }, 400, 1000);
        await RefusedAsync(HttpMethod.Post, Hooks, new { url = "http://127.0.0.1:9/", eventTypes = Array.Empty<string>() }, 400, 1193);
        await RefusedAsync(HttpMethod.Post, Hooks, new { url = "http://127.0.0.1:9/", eventTypes = new[] { "credential.exploded" } }, 400, 1193);
        await RefusedAsync(HttpMethod.Post, Hooks, new { url = "http://127.0.0.1:9/", eventTypes = new[] { "nothing.*" } }, 400, 1193);
        await RefusedAsync(HttpMethod.Post, Hooks, new { url = "http://127.0.0.1:9/", eventTypes = new[] { "user.created", "user.created" } }, 400, 1193);
        await RefusedAsync(HttpMethod.Post, Hooks, new { url = "http://127.0.0.1:9/", eventTypes = types, description = "two\nlines" }, 400, 1194);
        await RefusedAsync(HttpMethod.Post, Hooks, new { url = "http://127.0.0.1:9/", eventTypes = types, description = new string('d', 257) }, 400, 1194);
        await RefusedAsync(HttpMethod.Post, "/v1/admin/tenants/nope/webhooks", new { url = "http://127.0.0.1:9/", eventTypes = types }, 404, 1008);
        await RefusedAsync(HttpMethod.Put, $"{Hooks}/wh_missing", new { url = "http://127.0.0.1:9/", eventTypes = types }, 404, 1195);
        await RefusedAsync(HttpMethod.Get, $"{Hooks}/wh_missing", null, 404, 1195);
        await RefusedAsync(HttpMethod.Get, $"{Hooks}/wh_missing/deliveries", null, 404, 1195);
        await RefusedAsync(HttpMethod.Post, $"{Hooks}/wh_missing/rotate-secret", null, 404, 1195);
        await RefusedAsync(HttpMethod.Post, $"{Hooks}/{id}/rotate-secret?overlapSeconds=soon", null, 400, 1199);
        await RefusedAsync(HttpMethod.Post, $"{Hooks}/{id}/rotate-secret?overlapSeconds=604801", null, 400, 1199);
        await RefusedAsync(HttpMethod.Post, $"{Hooks}/{id}/rotate-secret?overlapSeconds=-1", null, 400, 1199);
        await RefusedAsync(HttpMethod.Get, $"{Hooks}/{id}/deliveries?status=lost", null, 400, 1001);
        await RefusedAsync(HttpMethod.Get, $"{Hooks}/{id}/deliveries?before=12", null, 400, 1001);
        using (var noKey = await server.SendAsync(HttpMethod.Get, Hooks))
        {
            await TestServer.ProblemAsync(noKey, 401, 1006);
        }

        await SubscribeAsync(server, "http://127.0.0.1:9/c", types);
        await RefusedAsync(HttpMethod.Post, Hooks, new { url = "http://127.0.0.1:9/d", eventTypes = types }, 409, 1198);

        using (var deleted = await server.SendAsync(HttpMethod.Delete, $"{Hooks}/{id}", bearer: TestServer.AdminKey))
        {
            Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        }
        await RefusedAsync(HttpMethod.Get, $"{Hooks}/{id}", null, 404, 1195);
        await RefusedAsync(HttpMethod.Delete, $"{Hooks}/{id}", null, 404, 1195);

        // Every change is audited, by the admin key, on the endpoint; the refused ones are not.
        async Task<JsonArray> AuditAsync(string type) =>
            (await server.OkJsonAsync(HttpMethod.Get, $"/v1/admin/tenants/default/audit?type={type}", bearer: TestServer.AdminKey))["events"]!.AsArray();
        Assert.Equal(2, (await AuditAsync("webhook.created")).Count);
        var deletedEvent = Assert.Single(await AuditAsync("webhook.deleted"))!;
        Assert.Equal(("admin", "webhook", id), ((string)deletedEvent["actor"]!["kind"]!, (string)deletedEvent["target"]!["kind"]!, (string)deletedEvent["target"]!["id"]!));
        var updatedEvent = Assert.Single(await AuditAsync("webhook.updated"))!;
        Assert.Equal("http://127.0.0.1:9/b", (string)updatedEvent["details"]!["url"]!);
        Assert.Empty(await AuditAsync("webhook.secret_rotated"));
    }

    [StoreFact]
    public async Task Private_targets_are_refused_at_creation_and_at_delivery_unless_allowed()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var storage = await Storage.NewAsync();
        string webhook;
        await using (var allowing = await StartAsync(storage))
        {
            (webhook, _) = await SubscribeAsync(allowing, receiver.Url, ["registration.started"]);
        }
        // The same data on a server that refuses private networks (the default), as after a DNS
        // change: the endpoint exists, and its deliveries are refused when the connection is made.
        await using var server = await Storage.StartAsync(storage, null, FastRetries, FastPoll);
        foreach (var url in new[] { "http://127.0.0.1:9/x", "https://10.1.2.3/x", "https://169.254.169.254/latest", "https://[::1]/x", "https://[fd00::1]/x",
            "http://localhost:9/x", "https://[::ffff:192.168.1.1]/x", "https://100.64.0.1/x" })
        {
            using var refused = await server.SendAsync(HttpMethod.Post, Hooks, new { url, eventTypes = new[] { "*" } }, bearer: TestServer.AdminKey);
            await TestServer.ProblemAsync(refused, 400, 1191);
        }
        await server.OkJsonAsync(HttpMethod.Post, "/v1/tenants/default/registration/begin", new { user = new { name = "webhook-fay" } });
        var refusedDelivery = await WaitForDeliveryAsync(server, webhook, d => d["lastError"] is not null, "a refused attempt");
        Assert.StartsWith("refused:", (string)refusedDelivery["lastError"]!, StringComparison.Ordinal);
        Assert.Null(refusedDelivery["lastStatusCode"]);
        Assert.Empty(receiver.Received);
    }
}

public sealed class SqliteWebhookTests : WebhookTests, IDisposable
{
    private readonly SqliteStorage _storage = new();
    protected override ServerStorage Storage => _storage;
    public void Dispose() => _storage.Dispose();
}

[Collection(PostgresCollection.Name)]
public sealed class PostgresWebhookTests(PostgresCluster cluster) : WebhookTests, IDisposable
{
    private readonly PostgresStorage _storage = new(cluster);
    protected override ServerStorage Storage => _storage;
    public void Dispose() => _storage.Dispose();
}
