using System.Data.Common;
using Passkeys.Server.Storage;
using Passkeys.Server.Webhooks;

namespace Passkeys.Server.Tests.Storage;

// A step's writes whose result nobody waits for are sent together with its next statement or its
// commit where the database takes batches (PostgreSQL; SQLite runs each as it comes). Either way the
// step must behave as if every statement ran at once, in order: its reads see its writes, a failing
// write leaves nothing of the step, and an audit event enqueues the same webhook deliveries.
public abstract partial class StoreContractTests
{
    [StoreFact]
    public async Task A_step_reads_its_own_writes_in_the_order_it_made_them()
    {
        await SeedUserAsync();
        await using (var step = await Store.BeginStepAsync())
        {
            await step.SaveCeremonyAsync(Ceremony("t1", "c2", T0.AddMinutes(5), "u1"));
            Assert.NotNull(await step.GetCeremonyAsync("t1", "c2"));
            await step.RecordCredentialUseAsync("t1", [1], 7, true, true, T0.AddMinutes(1));
            Assert.Equal(7, (await step.GetCredentialAsync("t1", [1]))!.SignCount);
            Assert.Equal("u1", (await step.GetUserAsync("t1", "u1"))!.Id);
            Assert.NotNull(await step.ConsumeCeremonyAsync("t1", "c2", CeremonyKind.Authentication));
            await step.RecordCredentialUseAsync("t1", [1], 8, true, true, T0.AddMinutes(2));
            Assert.Equal(8, (await step.ListCredentialsAsync("t1", "u1")).Single().SignCount);
            await step.CommitAsync();
        }
        var row = await Store.GetCredentialAsync("t1", [1]);
        Assert.Equal((8, T0.AddMinutes(2)), (row!.SignCount, row.LastUsedAt));
        Assert.Null(await Store.ConsumeCeremonyAsync("t1", "c2", CeremonyKind.Authentication));
    }

    [StoreFact]
    public async Task A_step_whose_write_fails_at_commit_leaves_nothing_and_can_write_again()
    {
        await SeedUserAsync();
        await Store.SaveCeremonyAsync(Ceremony("t1", "taken", T0.AddMinutes(5), "u1"));
        await using (var step = await Store.BeginStepAsync())
        {
            var failed = false;
            try
            {
                await step.RecordCredentialUseAsync("t1", [1], 5, true, true, T0.AddMinutes(1));
                await step.AppendAuditEventAsync(Event("succeeded"));
                await step.SaveCeremonyAsync(Ceremony("t1", "taken", T0.AddMinutes(5), "u1")); // the id is taken
                await step.CommitAsync();
            }
            catch (DbException)
            {
                failed = true; // on SQLite at the insert, where batches send it with the commit
                await step.RollbackAsync();
            }
            Assert.True(failed);
            await step.AppendAuditEventAsync(Event("failed"));
            await step.CommitAsync();
        }
        Assert.Equal(0, (await Store.GetCredentialAsync("t1", [1]))!.SignCount);
        Assert.Empty(await Store.QueryAuditEventsAsync(new AuditQuery("t1", Outcome: "succeeded", Limit: 10)));
        Assert.Single(await Store.QueryAuditEventsAsync(new AuditQuery("t1", Outcome: "failed", Limit: 10)));
    }

    [StoreFact]
    public async Task An_audit_event_written_in_a_step_enqueues_the_same_deliveries_as_one_written_alone()
    {
        Assert.True(await Store.CreateWebhookEndpointAsync(Endpoint("t1", "all", ["*"]), 10, Audit("t3", "webhook.created")));
        Assert.True(await Store.CreateWebhookEndpointAsync(Endpoint("t1", "none", ["credential.deleted"]), 10, Audit("t3", "webhook.created")));
        var alone = Event("succeeded") with { Details = "{\"data\":{\"id\":0}}" };
        await Store.AppendAuditEventAsync(alone);
        await using (var step = await Store.BeginStepAsync())
        {
            await step.AppendAuditEventAsync(alone);
            await step.AppendAuditEventAsync(Event("failed"));
            await step.CommitAsync();
        }
        var events = (await Store.QueryAuditEventsAsync(new AuditQuery("t1", Limit: 10))).OrderBy(e => e.Id).ToList();
        var deliveries = (await Store.ListWebhookDeliveriesAsync("t1", "all", null, null, 10)).OrderBy(d => d.EventId).ToList();
        Assert.Equal(3, events.Count);
        Assert.Equal(events.Select(e => e.Id), deliveries.Select(d => d.EventId));
        foreach (var (e, d) in events.Zip(deliveries))
        {
            Assert.Equal(WebhookPayload.Serialize(e), d.Payload);
            Assert.Equal(e.Type ?? Observability.AuditTypes.OfCeremony(e.Ceremony, e.Outcome), d.EventType);
        }
        Assert.Empty(await Store.ListWebhookDeliveriesAsync("t1", "none", null, null, 10));
    }
}
