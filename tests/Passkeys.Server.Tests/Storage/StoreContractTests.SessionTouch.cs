using Passkeys.Server.Storage;

namespace Passkeys.Server.Tests.Storage;

/// <summary>Touching a session (console sessions: one cookie, no rotation): moves the idle end, never revives an ended session.</summary>
public abstract partial class StoreContractTests
{
    [StoreFact]
    public async Task Touching_a_session_moves_its_idle_end_up_to_its_absolute_end_and_never_revives_it()
    {
        await SeedUserAsync();
        Assert.True(await Store.CreateSessionAsync(Session("t1", "s1", "u1", [1], idle: T0.AddMinutes(15)), Hash(1)));

        var t1 = T0.AddMinutes(10);
        Assert.True(await Store.TouchSessionAsync("t1", "s1", t1, t1.AddMinutes(15)));
        var touched = await Store.GetSessionAsync("t1", "s1");
        Assert.Equal(t1, touched!.LastUsedAt);
        Assert.Equal(t1.AddMinutes(15), touched.IdleExpiresAt);

        // Capped at the absolute end.
        var late = SessionEnd.AddMinutes(-1);
        Assert.True(await Store.TouchSessionAsync("t1", "s1", t1.AddMinutes(14), late.AddDays(1)));
        Assert.Equal(SessionEnd, (await Store.GetSessionAsync("t1", "s1"))!.IdleExpiresAt);

        // Another tenant's or an unknown session: nothing.
        Assert.False(await Store.TouchSessionAsync("t2", "s1", t1, t1.AddMinutes(15)));
        Assert.False(await Store.TouchSessionAsync("t1", "nope", t1, t1.AddMinutes(15)));

        // Idle past its end: not revived.
        Assert.True(await Store.CreateSessionAsync(Session("t1", "s2", "u1", [1], idle: T0.AddMinutes(15)), Hash(2)));
        Assert.False(await Store.TouchSessionAsync("t1", "s2", T0.AddMinutes(15), T0.AddMinutes(30)));
        Assert.Equal(T0.AddMinutes(15), (await Store.GetSessionAsync("t1", "s2"))!.IdleExpiresAt);

        // Revoked: not revived.
        Assert.True(await Store.RevokeSessionAsync("t1", "s1", t1, "signed-out"));
        Assert.False(await Store.TouchSessionAsync("t1", "s1", t1.AddMinutes(1), t1.AddMinutes(16)));
    }
}
