using Passkeys.Server.Ceremonies;
using Passkeys.Server.Storage;
using Passkeys.Server.Tests.Storage;

namespace Passkeys.Server.Tests.Integration;

/// <summary>
/// The background purge: audit events past <c>Audit:Retention</c> are deleted, newer ones stay;
/// every purge (audit, expired ceremonies) deletes in batches of <c>Purge:BatchSize</c>, each its own
/// transaction, so sign-ins keep working while a large backlog is purged.
/// </summary>
public abstract class PurgeBatchTests : IDisposable
{
    private const int BatchSize = 100;
    private static readonly string[] SmallBatches = ["--Passkeys:Purge:BatchSize=100", "--Passkeys:Purge:BatchPause=00:00:00.010"];

    protected abstract ServerStorage Storage { get; }

    public void Dispose()
    {
        Storage.Dispose();
        GC.SuppressFinalize(this);
    }

    private async Task<TestServer> StartAsync(params string[] extra) => await Storage.StartAsync(await Storage.NewAsync(), null, [.. SmallBatches, .. extra]);

    private static async Task AddEventsAsync(IPasskeyStore store, int count, DateTimeOffset at)
    {
        // Sixteen writers at a time: thousands of rows in a few seconds on either store.
        for (var i = 0; i < count; i += 16)
        {
            await Task.WhenAll(Enumerable.Range(i, Math.Min(16, count - i)).Select(n => store.AppendAuditEventAsync(
                new AuditEventRecord(0, "default", at, "authentication", "started", null, "old-" + n, null, null, null, null, null, null, null, null))));
        }
    }

    private static async Task<int> CountAsync(IPasskeyStore store, DateTimeOffset? from = null, DateTimeOffset? to = null) =>
        (await store.QueryAuditEventsAsync(new AuditQuery("default", From: from, To: to, Limit: 1_000_000))).Count;

    [StoreFact]
    public async Task Audit_events_past_retention_are_deleted_in_batches_and_newer_ones_stay()
    {
        await using var server = await StartAsync();
        var store = server.Services<IPasskeyStore>();
        var now = DateTimeOffset.UtcNow;
        await AddEventsAsync(store, 1050, now - TimeSpan.FromDays(91));
        await AddEventsAsync(store, 30, now - TimeSpan.FromDays(89));
        var recent = await CountAsync(store, from: now - TimeSpan.FromDays(90));

        var result = await server.Services<CeremonyPurgeService>().PurgeAuditEventsAsync(default);

        Assert.Equal(1050, result.Deleted);
        Assert.True(result.Batches >= 1050 / BatchSize + 1, $"{result.Batches} batches for 1050 rows in batches of {BatchSize}");
        Assert.Equal(0, await CountAsync(store, to: now - TimeSpan.FromDays(90)));
        Assert.Equal(recent, await CountAsync(store));
        Assert.True(recent >= 30);
    }

    [StoreTheory]
    [InlineData("0")]
    [InlineData("")]
    public async Task A_retention_of_zero_or_empty_keeps_audit_events_forever(string retention)
    {
        await using var server = await StartAsync("--Passkeys:Audit:Retention=" + retention);
        var store = server.Services<IPasskeyStore>();
        await AddEventsAsync(store, 20, DateTimeOffset.UtcNow - TimeSpan.FromDays(3650));
        var before = await CountAsync(store);

        await server.Services<CeremonyPurgeService>().PurgeOnceAsync(default);

        Assert.Equal(before, await CountAsync(store));
    }

    [StoreFact]
    public async Task Sign_ins_succeed_while_a_large_backlog_is_purged_and_keep_their_events()
    {
        await using var server = await StartAsync();
        var store = server.Services<IPasskeyStore>();
        var client = TestServer.NewClient();
        await server.SignUpAsync(client, "alice");
        var now = DateTimeOffset.UtcNow;
        await AddEventsAsync(store, 3000, now - TimeSpan.FromDays(365));
        var recentBefore = await CountAsync(store, from: now - TimeSpan.FromDays(1));

        var purge = server.Services<CeremonyPurgeService>().PurgeAuditEventsAsync(default);
        var signInsDuringPurge = 0;
        var signIns = 0;
        // Sign in while the purge runs (≥ 30 batches with pauses): each one gets the database between two batches.
        while (signIns < 50 && (signIns < 3 || !purge.IsCompleted))
        {
            var signIn = await server.SignInAsync(client);
            Assert.False(string.IsNullOrEmpty((string?)signIn["token"]));
            signIns++;
            if (!purge.IsCompleted)
            {
                signInsDuringPurge++;
            }
        }
        var result = await purge;

        Assert.True(signInsDuringPurge >= 1, "no sign-in completed while the purge ran");
        Assert.Equal(3000, result.Deleted);
        Assert.True(result.Batches >= 30);
        // Each sign-in wrote its begin and success events; none of them was purged.
        Assert.Equal(recentBefore + 2 * signIns, await CountAsync(store, from: now - TimeSpan.FromDays(1)));
        Assert.Equal(0, await CountAsync(store, to: now - TimeSpan.FromDays(90)));
    }

    [StoreFact]
    public async Task Expired_ceremonies_are_purged_in_batches_until_none_is_left()
    {
        await using var server = await StartAsync();
        var store = server.Services<IPasskeyStore>();
        var past = DateTimeOffset.UtcNow - TimeSpan.FromHours(1);
        for (var i = 0; i < 250; i += 25)
        {
            await Task.WhenAll(Enumerable.Range(i, 25).Select(n => store.SaveCeremonyAsync(
                new CeremonyRecord("default", "expired-" + n, CeremonyKind.Authentication, [1, 2, 3], null, null, past, past + TimeSpan.FromMinutes(5)))));
        }

        Assert.Equal(250, await server.Services<CeremonyPurgeService>().PurgeOnceAsync(default));
        Assert.Empty(await store.PurgeExpiredCeremoniesAsync(DateTimeOffset.UtcNow, 1000));
        // Each was recorded as abandoned.
        Assert.Equal(250, (await store.QueryAuditEventsAsync(new AuditQuery("default", Outcome: "abandoned", Limit: 1000))).Count);
    }
}

public sealed class SqlitePurgeBatchTests : PurgeBatchTests
{
    protected override ServerStorage Storage { get; } = new SqliteStorage();
}

[Collection(PostgresCollection.Name)]
public sealed class PostgresPurgeBatchTests(PostgresCluster cluster) : PurgeBatchTests
{
    protected override ServerStorage Storage { get; } = new PostgresStorage(cluster);
}
