using Passkeys.Server.Storage;

namespace Passkeys.Server.Tests.Storage;

// Clone detection's store side: a counter that only grows, and suspend / reinstate.
public abstract partial class StoreContractTests
{
    [StoreFact]
    public async Task The_stored_counter_only_grows_whatever_order_uses_commit_in()
    {
        await Store.AddCredentialAsync(Credential("t1", "u1", [1]), User("t1", "u1"));
        Assert.True(await Store.RecordCredentialUseAsync("t1", [1], 9, true, true, T0.AddMinutes(1)));
        // A use verified against an older stored value commits after: recorded (last use), counter kept.
        Assert.True(await Store.RecordCredentialUseAsync("t1", [1], 5, true, true, T0.AddMinutes(2)));
        var row = await Store.GetCredentialAsync("t1", [1]);
        Assert.Equal(9, row!.SignCount);
        Assert.Equal(T0.AddMinutes(2), row.LastUsedAt);
        await using (var step = await Store.BeginStepAsync())
        {
            Assert.True(await step.RecordCredentialUseAsync("t1", [1], 3, true, true, T0.AddMinutes(3)));
            await step.CommitAsync();
        }
        Assert.Equal(9, (await Store.GetCredentialAsync("t1", [1]))!.SignCount);
    }

    [StoreFact]
    public async Task A_credential_is_suspended_once_and_reinstated_by_its_user_only()
    {
        await Store.AddCredentialAsync(Credential("t1", "u1", [1]), User("t1", "u1"));
        Assert.Equal(CredentialStatus.Active, (await Store.GetCredentialAsync("t1", [1]))!.Status);
        await using (var step = await Store.BeginStepAsync())
        {
            Assert.True(await step.SuspendCredentialAsync("t1", [1], SuspendedReason.CloneSuspected, T0.AddMinutes(1)));
            // A second suspension (a racing copy) leaves the first reason and time.
            Assert.False(await step.SuspendCredentialAsync("t1", [1], SuspendedReason.Operator, T0.AddMinutes(2)));
            await step.CommitAsync();
        }
        var suspended = await Store.GetCredentialAsync("t1", [1]);
        Assert.Equal((CredentialStatus.Suspended, SuspendedReason.CloneSuspected, T0.AddMinutes(1)),
            (suspended!.Status, suspended.SuspendedReason, suspended.SuspendedAt));

        Assert.False(await Store.SetCredentialStatusAsync("t1", "u2", [1], CredentialStatus.Active, null, T0));
        Assert.True(await Store.SetCredentialStatusAsync("t1", "u1", [1], CredentialStatus.Active, null, T0));
        var active = await Store.GetCredentialAsync("t1", [1]);
        Assert.Equal((CredentialStatus.Active, null, null), (active!.Status, active.SuspendedReason, active.SuspendedAt));
        Assert.True(await Store.SetCredentialStatusAsync("t1", "u1", [1], CredentialStatus.Suspended, SuspendedReason.Operator, T0.AddMinutes(5)));
        Assert.Equal(SuspendedReason.Operator, (await Store.GetCredentialAsync("t1", [1]))!.SuspendedReason);
    }
}
