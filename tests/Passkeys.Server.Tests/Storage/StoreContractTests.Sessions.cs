using Passkeys.Server.Storage;

namespace Passkeys.Server.Tests.Storage;

/// <summary>The sessions part of the store contract: rotation, reuse, expiry, revocation, cascades.</summary>
public abstract partial class StoreContractTests
{
    private static readonly DateTimeOffset SessionEnd = T0.AddDays(30);

    private static SessionRecord Session(string tenant, string id, string user, byte[] credential, DateTimeOffset? idle = null, DateTimeOffset? lastUsed = null) =>
        new(tenant, id, user, credential, true, T0, lastUsed ?? T0, SessionEnd, idle ?? T0.AddDays(7), null, null, "203.0.113.7", "UA", "Chrome", "Linux");

    private static byte[] Hash(int n) => System.Security.Cryptography.SHA256.HashData(BitConverter.GetBytes(n));

    /// <summary>User u1 of t1 with credential [1].</summary>
    private async Task SeedUserAsync(string tenant = "t1", string user = "u1", byte credential = 1)
    {
        Assert.Equal(AddCredentialResult.Added, await Store.AddCredentialAsync(Credential(tenant, user, [credential]), User(tenant, user, credential)));
    }

    [StoreFact]
    public async Task A_refresh_token_rotates_once_and_a_spent_one_revokes_the_whole_family()
    {
        await SeedUserAsync();
        Assert.True(await Store.CreateSessionAsync(Session("t1", "s1", "u1", [1]), Hash(1)));

        var t1 = T0.AddHours(1);
        var rotated = await Store.RotateRefreshTokenAsync("t1", Hash(1), Hash(2), t1, t1.AddDays(7));
        Assert.Equal(RefreshOutcome.Rotated, rotated.Outcome);
        Assert.Equal("s1", rotated.Session!.Id);
        Assert.Equal(t1, rotated.Session.LastUsedAt);
        Assert.Equal(t1.AddDays(7), rotated.Session.IdleExpiresAt);
        var stored = await Store.GetSessionAsync("t1", "s1");
        Assert.Equal(t1, stored!.LastUsedAt);
        Assert.Equal(t1.AddDays(7), stored.IdleExpiresAt);
        Assert.Equal([1], stored.CredentialId);
        Assert.Equal("Chrome", stored.Browser);

        // Another tenant never sees it; an unknown hash is unknown.
        Assert.Equal(RefreshOutcome.Unknown, (await Store.RotateRefreshTokenAsync("t2", Hash(2), Hash(9), t1, t1)).Outcome);
        Assert.Equal(RefreshOutcome.Unknown, (await Store.RotateRefreshTokenAsync("t1", Hash(8), Hash(9), t1, t1)).Outcome);

        // The spent first token again: reuse, and the live second token dies with its family.
        var reused = await Store.RotateRefreshTokenAsync("t1", Hash(1), Hash(3), t1, t1.AddDays(7));
        Assert.Equal(RefreshOutcome.Reused, reused.Outcome);
        Assert.NotNull(reused.Session!.RevokedAt);
        Assert.Equal(RefreshOutcome.Revoked, (await Store.RotateRefreshTokenAsync("t1", Hash(2), Hash(4), t1, t1.AddDays(7))).Outcome);
        Assert.Equal("reuse-detected", (await Store.FindSessionByRefreshTokenAsync("t1", Hash(2)))!.RevokedReason);
        Assert.Null(await Store.FindSessionByRefreshTokenAsync("t1", Hash(3))); // the reuse stored no successor
        Assert.Empty(await Store.ListActiveSessionsAsync("t1", "u1", t1));
    }

    private static readonly TimeSpan Grace = TimeSpan.FromSeconds(30);

    [StoreFact]
    public async Task A_retry_within_the_grace_rotates_again_and_voids_the_undelivered_successor()
    {
        await SeedUserAsync();
        Assert.True(await Store.CreateSessionAsync(Session("t1", "s1", "u1", [1]), Hash(1)));
        var t1 = T0.AddHours(1);
        Assert.Equal(RefreshOutcome.Rotated, (await Store.RotateRefreshTokenAsync("t1", Hash(1), Hash(2), t1, t1.AddDays(7), Grace)).Outcome);

        // The response carrying Hash(2) was lost; the client presents Hash(1) again within the grace.
        var t2 = t1.AddSeconds(10);
        var retry = await Store.RotateRefreshTokenAsync("t1", Hash(1), Hash(3), t2, t2.AddDays(7), Grace);
        Assert.Equal(RefreshOutcome.Rotated, retry.Outcome);
        Assert.Equal("s1", retry.Session!.Id);
        Assert.Equal(t2, retry.Session.LastUsedAt);
        Assert.Null(retry.Session.RevokedAt);

        // The chain goes on from the new token; the retried one gets no second retry.
        var t3 = t2.AddSeconds(1);
        Assert.Equal(RefreshOutcome.Rotated, (await Store.RotateRefreshTokenAsync("t1", Hash(3), Hash(4), t3, t3.AddDays(7), Grace)).Outcome);
        Assert.Null((await Store.GetSessionAsync("t1", "s1"))!.RevokedAt);

        // The earlier successor is spent: presenting it, even within the grace, is reuse.
        var lost = await Store.RotateRefreshTokenAsync("t1", Hash(2), Hash(5), t3.AddSeconds(1), t3.AddDays(7), Grace);
        Assert.Equal(RefreshOutcome.Reused, lost.Outcome);
        Assert.Equal("reuse-detected", (await Store.GetSessionAsync("t1", "s1"))!.RevokedReason);
        Assert.Equal(RefreshOutcome.Revoked, (await Store.RotateRefreshTokenAsync("t1", Hash(4), Hash(6), t3.AddSeconds(2), t3.AddDays(7), Grace)).Outcome);
        Assert.Null(await Store.FindSessionByRefreshTokenAsync("t1", Hash(5)));
    }

    [StoreFact]
    public async Task A_retried_token_and_its_voided_successor_are_both_reuse_afterwards()
    {
        await SeedUserAsync();
        Assert.True(await Store.CreateSessionAsync(Session("t1", "a", "u1", [1]), Hash(1)));
        Assert.True(await Store.CreateSessionAsync(Session("t1", "b", "u1", [1]), Hash(11)));
        var t1 = T0.AddHours(1);
        Assert.Equal(RefreshOutcome.Rotated, (await Store.RotateRefreshTokenAsync("t1", Hash(1), Hash(2), t1, t1.AddDays(7), Grace)).Outcome);
        Assert.Equal(RefreshOutcome.Rotated, (await Store.RotateRefreshTokenAsync("t1", Hash(1), Hash(3), t1.AddSeconds(1), t1.AddDays(7), Grace)).Outcome);
        Assert.Equal(RefreshOutcome.Reused, (await Store.RotateRefreshTokenAsync("t1", Hash(1), Hash(4), t1.AddSeconds(2), t1.AddDays(7), Grace)).Outcome);
        Assert.NotNull((await Store.GetSessionAsync("t1", "a"))!.RevokedAt);

        // Same in session b, but the voided successor shows up: reuse.
        Assert.Equal(RefreshOutcome.Rotated, (await Store.RotateRefreshTokenAsync("t1", Hash(11), Hash(12), t1, t1.AddDays(7), Grace)).Outcome);
        Assert.Equal(RefreshOutcome.Rotated, (await Store.RotateRefreshTokenAsync("t1", Hash(11), Hash(13), t1.AddSeconds(1), t1.AddDays(7), Grace)).Outcome);
        Assert.Equal(RefreshOutcome.Reused, (await Store.RotateRefreshTokenAsync("t1", Hash(12), Hash(14), t1.AddSeconds(2), t1.AddDays(7), Grace)).Outcome);
        Assert.Equal(RefreshOutcome.Revoked, (await Store.RotateRefreshTokenAsync("t1", Hash(13), Hash(15), t1.AddSeconds(3), t1.AddDays(7), Grace)).Outcome);
    }

    [StoreFact]
    public async Task A_retry_outside_the_grace_is_reuse_and_revokes_the_session()
    {
        await SeedUserAsync();
        Assert.True(await Store.CreateSessionAsync(Session("t1", "s1", "u1", [1]), Hash(1)));
        var t1 = T0.AddHours(1);
        Assert.Equal(RefreshOutcome.Rotated, (await Store.RotateRefreshTokenAsync("t1", Hash(1), Hash(2), t1, t1.AddDays(7), Grace)).Outcome);
        var late = t1 + Grace + TimeSpan.FromMilliseconds(1);
        var reused = await Store.RotateRefreshTokenAsync("t1", Hash(1), Hash(3), late, late.AddDays(7), Grace);
        Assert.Equal(RefreshOutcome.Reused, reused.Outcome);
        Assert.Equal("reuse-detected", (await Store.GetSessionAsync("t1", "s1"))!.RevokedReason);
        Assert.Equal(RefreshOutcome.Revoked, (await Store.RotateRefreshTokenAsync("t1", Hash(2), Hash(4), late, late.AddDays(7), Grace)).Outcome);
        Assert.Null(await Store.FindSessionByRefreshTokenAsync("t1", Hash(3)));
    }

    [StoreFact]
    public async Task An_older_token_within_the_grace_is_reuse()
    {
        await SeedUserAsync();
        Assert.True(await Store.CreateSessionAsync(Session("t1", "s1", "u1", [1]), Hash(1)));
        var t1 = T0.AddHours(1);
        Assert.Equal(RefreshOutcome.Rotated, (await Store.RotateRefreshTokenAsync("t1", Hash(1), Hash(2), t1, t1.AddDays(7), Grace)).Outcome);
        Assert.Equal(RefreshOutcome.Rotated, (await Store.RotateRefreshTokenAsync("t1", Hash(2), Hash(3), t1.AddSeconds(5), t1.AddDays(7), Grace)).Outcome);
        // The grand-parent, spent 10 s ago: a later rotation happened, so it is no retry.
        var reused = await Store.RotateRefreshTokenAsync("t1", Hash(1), Hash(4), t1.AddSeconds(10), t1.AddDays(7), Grace);
        Assert.Equal(RefreshOutcome.Reused, reused.Outcome);
        Assert.Equal(RefreshOutcome.Revoked, (await Store.RotateRefreshTokenAsync("t1", Hash(3), Hash(5), t1.AddSeconds(11), t1.AddDays(7), Grace)).Outcome);
    }

    [StoreFact]
    public async Task A_zero_grace_makes_any_retry_reuse()
    {
        await SeedUserAsync();
        Assert.True(await Store.CreateSessionAsync(Session("t1", "s1", "u1", [1]), Hash(1)));
        var t1 = T0.AddHours(1);
        Assert.Equal(RefreshOutcome.Rotated, (await Store.RotateRefreshTokenAsync("t1", Hash(1), Hash(2), t1, t1.AddDays(7), TimeSpan.Zero)).Outcome);
        Assert.Equal(RefreshOutcome.Reused, (await Store.RotateRefreshTokenAsync("t1", Hash(1), Hash(3), t1, t1.AddDays(7), TimeSpan.Zero)).Outcome);
        Assert.Equal(RefreshOutcome.Revoked, (await Store.RotateRefreshTokenAsync("t1", Hash(2), Hash(4), t1, t1.AddDays(7), TimeSpan.Zero)).Outcome);
    }

    [StoreFact]
    public async Task Concurrent_rotations_of_one_token_succeed_exactly_once()
    {
        await SeedUserAsync();
        Assert.True(await Store.CreateSessionAsync(Session("t1", "s1", "u1", [1]), Hash(1)));
        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(i =>
            Task.Run(() => Store.RotateRefreshTokenAsync("t1", Hash(1), Hash(100 + i), T0.AddMinutes(1), T0.AddDays(7)))));
        Assert.Single(results, r => r.Outcome == RefreshOutcome.Rotated);
        Assert.All(results.Where(r => r.Outcome != RefreshOutcome.Rotated), r => Assert.Contains(r.Outcome, new[] { RefreshOutcome.Reused, RefreshOutcome.Revoked }));
        Assert.NotNull((await Store.GetSessionAsync("t1", "s1"))!.RevokedAt);
    }

    [StoreFact]
    public async Task An_ended_session_is_expired_and_listed_no_more_and_the_idle_end_never_passes_the_absolute_one()
    {
        await SeedUserAsync();
        Assert.True(await Store.CreateSessionAsync(Session("t1", "idle", "u1", [1], idle: T0.AddDays(1)), Hash(1)));
        Assert.True(await Store.CreateSessionAsync(Session("t1", "live", "u1", [1], idle: SessionEnd.AddHours(-1), lastUsed: T0.AddMinutes(5)), Hash(2)));
        Assert.Equal(["live", "idle"], (await Store.ListActiveSessionsAsync("t1", "u1", T0.AddHours(1))).Select(s => s.Id));
        Assert.Equal(["live"], (await Store.ListActiveSessionsAsync("t1", "u1", T0.AddDays(2))).Select(s => s.Id));
        Assert.Equal(RefreshOutcome.Expired, (await Store.RotateRefreshTokenAsync("t1", Hash(1), Hash(3), T0.AddDays(2), T0.AddDays(9))).Outcome);
        Assert.Equal(RefreshOutcome.Expired, (await Store.RotateRefreshTokenAsync("t1", Hash(1), Hash(3), T0.AddDays(2), T0.AddDays(9))).Outcome); // not spent

        var late = await Store.RotateRefreshTokenAsync("t1", Hash(2), Hash(4), SessionEnd.AddDays(-1), SessionEnd.AddDays(6));
        Assert.Equal(SessionEnd, late.Session!.IdleExpiresAt);
        Assert.Equal(RefreshOutcome.Expired, (await Store.RotateRefreshTokenAsync("t1", Hash(4), Hash(5), SessionEnd, SessionEnd.AddDays(7))).Outcome);

        Assert.Equal(1, await Store.PurgeEndedSessionsAsync(T0.AddDays(2), 100));
        Assert.Null(await Store.GetSessionAsync("t1", "idle"));
        Assert.Null(await Store.FindSessionByRefreshTokenAsync("t1", Hash(1)));
        Assert.NotNull(await Store.GetSessionAsync("t1", "live"));
    }

    [StoreFact]
    public async Task Revoking_a_session_succeeds_once_and_ends_its_tokens()
    {
        await SeedUserAsync();
        Assert.True(await Store.CreateSessionAsync(Session("t1", "s1", "u1", [1]), Hash(1)));
        Assert.False(await Store.RevokeSessionAsync("t2", "s1", T0, "revoked"));
        Assert.True(await Store.RevokeSessionAsync("t1", "s1", T0.AddMinutes(1), "signed-out"));
        Assert.False(await Store.RevokeSessionAsync("t1", "s1", T0.AddMinutes(2), "revoked"));
        var s = await Store.GetSessionAsync("t1", "s1");
        Assert.Equal(T0.AddMinutes(1), s!.RevokedAt);
        Assert.Equal("signed-out", s.RevokedReason);
        Assert.Equal(RefreshOutcome.Revoked, (await Store.RotateRefreshTokenAsync("t1", Hash(1), Hash(2), T0.AddMinutes(3), T0.AddDays(7))).Outcome);
    }

    [StoreFact]
    public async Task Deleting_the_credential_the_user_or_the_tenant_deletes_their_sessions()
    {
        await SeedUserAsync("t1", "u1", 1);
        Assert.Equal(AddCredentialResult.Added, await Store.AddCredentialAsync(Credential("t1", "u1", [2]), null));
        await SeedUserAsync("t2", "u2", 3);
        Assert.True(await Store.CreateSessionAsync(Session("t1", "by-1", "u1", [1]), Hash(1)));
        Assert.True(await Store.CreateSessionAsync(Session("t1", "by-2", "u1", [2]), Hash(2)));
        Assert.True(await Store.CreateSessionAsync(Session("t2", "other", "u2", [3]), Hash(3)));
        Assert.False(await Store.CreateSessionAsync(Session("t1", "ghost", "u1", [99]), Hash(4))); // no such credential
        Assert.False(await Store.CreateSessionAsync(Session("t1", "nobody", "nobody", [1]), Hash(5))); // no such user
        Assert.Null(await Store.GetSessionAsync("t1", "ghost"));
        Assert.Null(await Store.FindSessionByRefreshTokenAsync("t1", Hash(4)));

        Assert.True(await Store.DeleteCredentialAsync("t1", "u1", [1]));
        Assert.Null(await Store.GetSessionAsync("t1", "by-1"));
        Assert.Equal(RefreshOutcome.Unknown, (await Store.RotateRefreshTokenAsync("t1", Hash(1), Hash(6), T0, T0.AddDays(7))).Outcome);
        Assert.NotNull(await Store.GetSessionAsync("t1", "by-2"));

        Assert.True(await Store.DeleteUserAsync("t1", "u1"));
        Assert.Null(await Store.GetSessionAsync("t1", "by-2"));
        Assert.Null(await Store.FindSessionByRefreshTokenAsync("t1", Hash(2)));

        Assert.True(await Store.DeleteTenantAsync("t2"));
        Assert.Null(await Store.GetSessionAsync("t2", "other"));
        Assert.Null(await Store.FindSessionByRefreshTokenAsync("t2", Hash(3)));
    }
}
