using Passkeys.Server.Storage;

namespace Passkeys.Server.Tests.Storage;

// The webhook outbox's store side: deliveries enqueued with the audit row that causes them (and
// only for matching, enabled endpoints of that tenant), leases that exclude other claimers until
// they expire, and an outcome recorded only by the lease holder.
public abstract partial class StoreContractTests
{
    private static WebhookEndpointRecord Endpoint(string tenant, string id, string[] types, bool enabled = true) =>
        new(id, tenant, "https://hooks.example/" + id, types, null, enabled, [1, 2, 3], null, null, T0, T0);

    // Endpoint changes are audited with a third tenant's events here, so they enqueue nothing for the endpoints under test.
    // A retry's event, in a tenant with no endpoints: it enqueues no delivery of its own here.
    private static AuditEventRecord Retried => Audit("t3", "webhook.delivery_retried");

    private static AuditEventRecord Audit(string tenant, string type) =>
        new(0, tenant, T0, type.Split('.')[0], type.Split('.')[1], null, "u1", null, null, null, null, null, null, null, null, type, "user", "u1", "user", "u1");

    [StoreFact]
    public async Task An_audit_event_enqueues_one_delivery_per_enabled_endpoint_of_its_tenant_subscribed_to_its_type()
    {
        Assert.True(await Store.CreateWebhookEndpointAsync(Endpoint("t1", "exact", ["credential.added"]), 10, Audit("t3", "webhook.created")));
        Assert.True(await Store.CreateWebhookEndpointAsync(Endpoint("t1", "family", ["credential.*", "user.created"]), 10, Audit("t3", "webhook.created")));
        Assert.True(await Store.CreateWebhookEndpointAsync(Endpoint("t1", "all", ["*"]), 10, Audit("t3", "webhook.created")));
        Assert.True(await Store.CreateWebhookEndpointAsync(Endpoint("t1", "off", ["*"], enabled: false), 10, Audit("t3", "webhook.created")));
        Assert.True(await Store.CreateWebhookEndpointAsync(Endpoint("t1", "other-type", ["credential.deleted"]), 10, Audit("t3", "webhook.created")));
        Assert.True(await Store.CreateWebhookEndpointAsync(Endpoint("t2", "other-tenant", ["*"]), 10, Audit("t3", "webhook.created")));
        Assert.False(await Store.CreateWebhookEndpointAsync(Endpoint("t1", "too-many", ["*"]), 5, Audit("t3", "webhook.created")));
        // Each change wrote its audit event in its transaction; the refused one wrote nothing.
        Assert.Equal(6, (await Store.QueryAuditEventsAsync(new AuditQuery("t3"))).Count);

        await Store.AppendAuditEventAsync(Audit("t1", "credential.added"));
        await using (var step = await Store.BeginStepAsync())
        {
            await step.AppendAuditEventAsync(Audit("t1", "user.created"));
            await step.RollbackAsync(); // no event, no delivery
        }
        foreach (var (endpoint, count) in new[] { ("exact", 1), ("family", 1), ("all", 1), ("off", 0), ("other-type", 0) })
        {
            Assert.True(count == (await Store.ListWebhookDeliveriesAsync("t1", endpoint, null, null, 10)).Count, endpoint);
        }
        Assert.Empty(await Store.ListWebhookDeliveriesAsync("t2", "other-tenant", null, null, 10));
        var delivery = (await Store.ListWebhookDeliveriesAsync("t1", "exact", null, null, 10))[0];
        var events = await Store.QueryAuditEventsAsync(new AuditQuery("t1"));
        Assert.Equal(events.Single().Id, delivery.EventId);
        Assert.Equal((WebhookDeliveryStatus.Pending, 0, "credential.added"), (delivery.Status, delivery.Attempts, delivery.EventType));
        Assert.Contains($"\"id\":{delivery.EventId}", delivery.Payload, StringComparison.Ordinal);

        // Changing the subscription changes what the next event enqueues.
        Assert.True(await Store.UpdateWebhookEndpointAsync(Endpoint("t1", "exact", ["user.created"]) with { UpdatedAt = T0.AddMinutes(1) }, Audit("t3", "webhook.updated")));
        await Store.AppendAuditEventAsync(Audit("t1", "user.created"));
        Assert.Equal(2, (await Store.ListWebhookDeliveriesAsync("t1", "exact", null, null, 10)).Count);
        Assert.True(await Store.DeleteWebhookEndpointAsync("t1", "exact", Audit("t3", "webhook.deleted")));
        Assert.Empty(await Store.ListWebhookDeliveriesAsync("t1", "exact", null, null, 10));
        await Store.DeleteTenantAsync("t2");
        Assert.Empty(await Store.ListWebhookEndpointsAsync("t2"));
    }

    /// <summary>Runs SQL of the test's own on the store's database (here: to take the outbox table away).</summary>
    protected abstract Task ExecuteSqlAsync(string sql);

    [StoreFact]
    public async Task An_event_no_enabled_endpoint_subscribes_to_runs_no_outbox_statement_and_one_that_has_a_subscriber_does()
    {
        Assert.True(await Store.CreateWebhookEndpointAsync(Endpoint("t1", "added", ["credential.added"]), 10, Audit("t3", "webhook.created")));
        Assert.True(await Store.CreateWebhookEndpointAsync(Endpoint("t1", "off", ["*"], enabled: false), 10, Audit("t3", "webhook.created")));
        // Without its table any statement on the outbox fails: the events below prove they ran none.
        await ExecuteSqlAsync("ALTER TABLE webhook_deliveries RENAME TO webhook_deliveries_away");
        await Store.AppendAuditEventAsync(Audit("t1", "user.created")); // another type and family, and a disabled "*"
        await Store.AppendAuditEventAsync(Audit("t2", "credential.added")); // a tenant without endpoints
        await using (var step = await Store.BeginStepAsync())
        {
            await step.AppendAuditEventAsync(new AuditEventRecord(0, "t1", T0, "authentication", "succeeded", "c1", "u1", null, null, null, null, null, null, null, null));
            await step.CommitAsync();
        }
        Assert.Equal(2, (await Store.QueryAuditEventsAsync(new AuditQuery("t1"))).Count);

        // A subscribed event does run it (and here fails with it: no audit row without its deliveries).
        await Assert.ThrowsAnyAsync<System.Data.Common.DbException>(() => Store.AppendAuditEventAsync(Audit("t1", "credential.added")));
        Assert.Equal(2, (await Store.QueryAuditEventsAsync(new AuditQuery("t1"))).Count);
        await ExecuteSqlAsync("ALTER TABLE webhook_deliveries_away RENAME TO webhook_deliveries");
        await Store.AppendAuditEventAsync(Audit("t1", "credential.added"));
        var delivery = Assert.Single(await Store.ListWebhookDeliveriesAsync("t1", "added", null, null, 10));
        Assert.Equal((await Store.QueryAuditEventsAsync(new AuditQuery("t1", Type: "credential.added"))).Single().Id, delivery.EventId);
        Assert.Empty(await Store.ListWebhookDeliveriesAsync("t1", "off", null, null, 10));
    }

    [StoreFact]
    public async Task An_endpoint_created_or_enabled_while_a_step_is_open_gets_the_event_the_step_writes_after_it()
    {
        Assert.True(await Store.CreateWebhookEndpointAsync(Endpoint("t1", "later-on", ["authentication.*"], enabled: false), 10, Audit("t3", "webhook.created")));
        await using (var step = await Store.BeginStepAsync())
        {
            // The step has read (no subscriber then) but not yet written when the endpoints change and are acknowledged.
            Assert.Null(await step.GetCeremonyAsync("t1", "c1"));
            Assert.Empty(await Store.ListWebhookDeliveriesAsync("t1", "later-on", null, null, 10));
            Assert.True(await Store.CreateWebhookEndpointAsync(Endpoint("t1", "new", ["authentication.succeeded"]), 10, Audit("t3", "webhook.created")));
            Assert.True(await Store.UpdateWebhookEndpointAsync(Endpoint("t1", "later-on", ["authentication.*"]) with { UpdatedAt = T0.AddMinutes(1) },
                Audit("t3", "webhook.updated")));
            await step.AppendAuditEventAsync(new AuditEventRecord(0, "t1", T0, "authentication", "succeeded", "c1", "u1", null, null, null, null, null, null, null, null));
            await step.CommitAsync();
        }
        var eventId = (await Store.QueryAuditEventsAsync(new AuditQuery("t1"))).Single().Id;
        Assert.Equal(eventId, Assert.Single(await Store.ListWebhookDeliveriesAsync("t1", "new", null, null, 10)).EventId);
        Assert.Equal(eventId, Assert.Single(await Store.ListWebhookDeliveriesAsync("t1", "later-on", null, null, 10)).EventId);
    }

    [StoreFact]
    public async Task A_leased_delivery_is_claimed_by_no_one_else_until_the_lease_expires_and_only_the_holder_records_its_outcome()
    {
        await Store.CreateWebhookEndpointAsync(Endpoint("t1", "e", ["*"]), 10, Audit("t3", "webhook.created"));
        await Store.AppendAuditEventAsync(Audit("t1", "credential.added"));
        var now = T0.AddSeconds(1);
        var first = Assert.Single(await Store.ClaimWebhookDeliveriesAsync("node-a", now, now.AddSeconds(60), 10));
        Assert.Equal((1, "node-a"), (first.Attempts, first.LockedBy));
        Assert.Empty(await Store.ClaimWebhookDeliveriesAsync("node-b", now.AddSeconds(59), now.AddSeconds(119), 10));

        // Node a was killed: its lease expires, node b claims it as the second attempt.
        var second = Assert.Single(await Store.ClaimWebhookDeliveriesAsync("node-b", now.AddSeconds(61), now.AddSeconds(121), 10));
        Assert.Equal((first.Id, 2), (second.Id, second.Attempts));
        var late = new WebhookAttemptResult(WebhookDeliveryStatus.Delivered, now.AddSeconds(62), 200, null, now.AddSeconds(62));
        Assert.False(await Store.CompleteWebhookDeliveryAsync(first.Id, "node-a", 1, late));
        Assert.Equal(WebhookRetryResult.InFlight, await Store.RetryWebhookDeliveryAsync("t1", "e", first.Id, now.AddSeconds(62), Retried));

        var retry = new WebhookAttemptResult(WebhookDeliveryStatus.Pending, now.AddSeconds(100), 500, "answered 500", now.AddSeconds(63));
        Assert.True(await Store.CompleteWebhookDeliveryAsync(second.Id, "node-b", 2, retry));
        Assert.Empty(await Store.ClaimWebhookDeliveriesAsync("node-a", now.AddSeconds(99), now.AddSeconds(159), 10));
        var third = Assert.Single(await Store.ClaimWebhookDeliveriesAsync("node-a", now.AddSeconds(100), now.AddSeconds(160), 10));
        Assert.Equal((3, 500, "answered 500"), (third.Attempts, third.LastStatusCode, third.LastError));
        Assert.True(await Store.CompleteWebhookDeliveryAsync(third.Id, "node-a", 3,
            new WebhookAttemptResult(WebhookDeliveryStatus.Delivered, now.AddSeconds(101), 200, null, now.AddSeconds(101))));
        var done = Assert.Single(await Store.ListWebhookDeliveriesAsync("t1", "e", WebhookDeliveryStatus.Delivered, null, 10));
        Assert.Equal((now.AddSeconds(101), (int?)200, (string?)null, (string?)null), (done.CompletedAt, done.LastStatusCode, done.LastError, done.LockedBy));

        Assert.Equal(0, await Store.PurgeWebhookDeliveriesAsync(WebhookDeliveryStatus.Delivered, now.AddSeconds(101), 100));
        Assert.Equal(WebhookRetryResult.Scheduled, await Store.RetryWebhookDeliveryAsync("t1", "e", done.Id, now.AddSeconds(200), Retried));
        Assert.Equal(WebhookRetryResult.NotFound, await Store.RetryWebhookDeliveryAsync("t1", "e", done.Id + 1000, now.AddSeconds(200), Retried));
        // Only the scheduled retry wrote its event; the in-flight and unknown ones wrote nothing.
        Assert.Single(await Store.QueryAuditEventsAsync(new AuditQuery("t3", Type: "webhook.delivery_retried")));
        var again = Assert.Single(await Store.ClaimWebhookDeliveriesAsync("node-a", now.AddSeconds(200), now.AddSeconds(260), 10));
        Assert.Equal(1, again.Attempts);
        Assert.True(await Store.CompleteWebhookDeliveryAsync(again.Id, "node-a", 1,
            new WebhookAttemptResult(WebhookDeliveryStatus.Delivered, now.AddSeconds(201), 200, null, now.AddSeconds(201))));
        Assert.Equal(1, await Store.PurgeWebhookDeliveriesAsync(WebhookDeliveryStatus.Delivered, now.AddSeconds(202), 100));
    }

    [StoreFact]
    public async Task Concurrent_claims_never_hand_the_same_delivery_to_two_nodes()
    {
        await Store.CreateWebhookEndpointAsync(Endpoint("t1", "e", ["*"]), 10, Audit("t3", "webhook.created"));
        for (var i = 0; i < 60; i++)
        {
            await Store.AppendAuditEventAsync(Audit("t1", "credential.added"));
        }
        var now = T0.AddSeconds(1);
        var claims = await Task.WhenAll(Enumerable.Range(0, 6).Select(n => Task.Run(async () =>
        {
            var mine = new List<long>();
            while (true)
            {
                var batch = await Store.ClaimWebhookDeliveriesAsync("node-" + n, now, now.AddMinutes(1), 3);
                if (batch.Count == 0)
                {
                    return mine;
                }
                mine.AddRange(batch.Select(d => d.Id));
            }
        })));
        var all = claims.SelectMany(c => c).ToList();
        Assert.Equal(60, all.Count);
        Assert.Equal(60, all.Distinct().Count());
    }
}
