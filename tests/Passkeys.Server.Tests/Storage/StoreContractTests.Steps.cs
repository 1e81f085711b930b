using Passkeys.Server.Storage;

namespace Passkeys.Server.Tests.Storage;

/// <summary>The ceremony-step part of the store contract (<see cref="IStoreStep"/>): one transaction, committed once.</summary>
public abstract partial class StoreContractTests
{
    private static AuditEventRecord Event(string outcome) =>
        new(0, "t1", T0, "authentication", outcome, "c1", "u1", null, null, null, null, null, null, null, 1.0);

    [StoreFact]
    public async Task A_step_commits_all_its_writes_together()
    {
        await SeedUserAsync();
        await Store.SaveCeremonyAsync(Ceremony("t1", "c1", T0.AddMinutes(5), "u1"));
        await using (var step = await Store.BeginStepAsync())
        {
            Assert.NotNull(await step.GetCeremonyAsync("t1", "c1"));
            Assert.NotNull(await step.GetCredentialAsync("t1", [1]));
            Assert.NotNull(await step.ConsumeCeremonyAsync("t1", "c1", CeremonyKind.Authentication));
            Assert.True(await step.RecordCredentialUseAsync("t1", [1], 5, true, true, T0.AddMinutes(1)));
            Assert.True(await step.CreateSessionAsync(Session("t1", "s1", "u1", [1]), Hash(1)));
            await step.AppendAuditEventAsync(Event("succeeded"));
            // Inside the step its own writes are visible to its reads.
            Assert.Null(await step.GetCeremonyAsync("t1", "c1"));
            await step.CommitAsync();
        }
        Assert.Null(await Store.ConsumeCeremonyAsync("t1", "c1", CeremonyKind.Authentication));
        Assert.Equal(5, (await Store.GetCredentialAsync("t1", [1]))!.SignCount);
        Assert.NotNull(await Store.GetSessionAsync("t1", "s1"));
        Assert.Single(await Store.QueryAuditEventsAsync(new AuditQuery("t1", Outcome: "succeeded", Limit: 10)));
    }

    [StoreFact]
    public async Task A_step_disposed_or_rolled_back_leaves_nothing_and_can_write_again()
    {
        await SeedUserAsync();
        await Store.SaveCeremonyAsync(Ceremony("t1", "c1", T0.AddMinutes(5), "u1"));
        await using (var step = await Store.BeginStepAsync())
        {
            Assert.NotNull(await step.ConsumeCeremonyAsync("t1", "c1", CeremonyKind.Authentication));
            Assert.True(await step.CreateSessionAsync(Session("t1", "s1", "u1", [1]), Hash(1)));
            // disposed without commit
        }
        Assert.Null(await Store.GetSessionAsync("t1", "s1"));

        await using (var step = await Store.BeginStepAsync())
        {
            Assert.True(await step.RecordCredentialUseAsync("t1", [1], 9, true, true, T0.AddMinutes(1)));
            await step.RollbackAsync();
            // The failure path: after a rollback the step writes again, in a new transaction.
            Assert.NotNull(await step.ConsumeCeremonyAsync("t1", "c1", CeremonyKind.Authentication));
            await step.AppendAuditEventAsync(Event("failed"));
            await step.CommitAsync();
        }
        Assert.Equal(0, (await Store.GetCredentialAsync("t1", [1]))!.SignCount);
        Assert.Null(await Store.ConsumeCeremonyAsync("t1", "c1", CeremonyKind.Authentication));
        Assert.Single(await Store.QueryAuditEventsAsync(new AuditQuery("t1", Outcome: "failed", Limit: 10)));
    }

    [StoreFact]
    public async Task A_step_consumes_a_ceremony_only_of_the_kind_it_finishes_and_only_once()
    {
        await Store.SaveCeremonyAsync(Ceremony("t1", "c1", T0.AddMinutes(5)));
        await using (var step = await Store.BeginStepAsync())
        {
            Assert.Null(await step.ConsumeCeremonyAsync("t1", "c1", CeremonyKind.Registration)); // another kind: left alone
            Assert.Null(await step.ConsumeCeremonyAsync("t2", "c1", CeremonyKind.Authentication)); // another tenant
            await step.CommitAsync();
        }
        var racers = Enumerable.Range(0, 6).Select(_ => Task.Run(async () =>
        {
            await using var step = await Store.BeginStepAsync();
            var got = await step.ConsumeCeremonyAsync("t1", "c1", CeremonyKind.Authentication);
            await step.CommitAsync();
            return got;
        }));
        Assert.Single(await Task.WhenAll(racers), c => c is not null);
    }

    [StoreFact]
    public async Task A_step_that_adds_a_credential_and_its_new_user_reports_conflicts_and_rolls_back()
    {
        await SeedUserAsync();
        await using (var step = await Store.BeginStepAsync())
        {
            Assert.Equal(AddCredentialResult.CredentialExists, await step.AddCredentialAsync(Credential("t1", "u2", [1]), User("t1", "u2", 2)));
            await step.RollbackAsync();
            Assert.Equal(AddCredentialResult.Added, await step.AddCredentialAsync(Credential("t1", "u3", [3]), User("t1", "u3", 3)));
            await step.CommitAsync();
        }
        Assert.Null(await Store.GetUserAsync("t1", "u2"));
        Assert.NotNull(await Store.GetUserAsync("t1", "u3"));
    }
}
