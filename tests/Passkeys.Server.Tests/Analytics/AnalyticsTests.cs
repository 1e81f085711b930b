using System.Text.Json.Nodes;
using Passkeys.Authenticator;
using Passkeys.Authenticator.Client;
using Passkeys.Server.Ceremonies;
using Passkeys.Server.Tests.Integration;
using Passkeys.Server.Tests.Storage;

namespace Passkeys.Server.Tests.Analytics;

/// <summary>
/// Known traffic from the software authenticator over real HTTP (sign-ups, sign-ins, failures of
/// two codes, SDK-reported cancel, timeout and browser error, conditional sign-ins, abandoned
/// ceremonies, app-reported sign-ins), then the exact counts read back from every analytics answer
/// (docs/analytics.md). One derived class per store.
/// </summary>
public abstract class AnalyticsTests(TestStores stores) : StoreSuite(stores)
{
    private static readonly DateTimeOffset T0 = new(2030, 1, 7, 10, 0, 0, TimeSpan.Zero); // a Monday
    private static readonly Guid GooglePasswordManager = new("ea9b8d66-4d01-1d21-3ce4-b6b48cb575d4");
    private const string Window = "from=2030-01-07T10:00:00Z&to=2030-01-07T11:00:00Z";

    private static SoftwareClient Synced() => TestServer.NewClient(authenticator: new SoftwareAuthenticator(new SoftwareAuthenticatorOptions
    {
        Aaguid = GooglePasswordManager, BackupEligible = true, BackupState = true,
    }));

    [StoreFact]
    public async Task Known_traffic_is_counted_exactly_in_every_analytics_answer()
    {
        var time = new ManualTime();
        await using var server = await TestServer.StartAsync(time, await NewStoreAsync());
        var t = new AnalyticsTraffic(server);
        var (chrome, safari, firefox) = (Browser.ChromeWindows, Browser.SafariIphone, Browser.FirefoxLinux);
        var apiKey = await server.CreateApiKeyAsync();

        // The previous window: eve signs up in 2 s.
        time.SetTo(T0 - TimeSpan.FromMinutes(30));
        var eve = TestServer.NewClient();
        var e = await t.BeginSignUpAsync(chrome, "eve");
        time.Advance(TimeSpan.FromSeconds(2));
        await t.FinishSignUpAsync(chrome, e, eve);

        time.SetTo(T0);
        var (alice, bob, carol) = (Synced(), Synced(), TestServer.NewClient());
        // R1–R3: three sign-ups from Chrome on Windows, in 1, 3 and 5 seconds.
        var ids = new Dictionary<string, string>();
        foreach (var (client, name, seconds) in new[] { (alice, "alice", 1), (bob, "bob", 3), (carol, "carol", 5) })
        {
            var begin = await t.BeginSignUpAsync(chrome, name);
            time.Advance(TimeSpan.FromSeconds(seconds));
            ids[name] = (string)(await t.FinishSignUpAsync(chrome, begin, client))["user"]!["id"]!;
        }
        // R4: dave's sign-up is begun on Firefox, its prompt shown, and never answered.
        await t.ReportOkAsync(await t.BeginSignUpAsync(firefox, "dave"), new { @event = "prompt-shown" });

        // S1: alice on her iPhone (2 s); S2: bob on Chrome (4 s).
        var s1 = await t.BeginSignInAsync(safari);
        time.Advance(TimeSpan.FromSeconds(2));
        await t.FinishSignInAsync(safari, s1, alice);
        var s2 = await t.BeginSignInAsync(chrome);
        time.Advance(TimeSpan.FromSeconds(4));
        await t.FinishSignInAsync(chrome, s2, bob);

        // S3, S9: carol's signature does not verify; S4: from an origin the tenant does not allow. All Firefox.
        carol.Authenticator.Options.Faults = AuthenticatorFaults.SignatureOverWrongBytes;
        Assert.Equal(218, await t.FailSignInAsync(firefox, await t.BeginSignInAsync(firefox), carol));
        Assert.Equal(218, await t.FailSignInAsync(firefox, await t.BeginSignInAsync(firefox), carol));
        carol.Authenticator.Options.Faults = AuthenticatorFaults.None;
        var elsewhere = TestServer.NewClient("http://evil.localhost:5080", carol.Authenticator);
        Assert.Equal(203, await t.FailSignInAsync(firefox, await t.BeginSignInAsync(firefox), elsewhere));

        // S5: cancelled on the iPhone; S6: timed out on Chrome; S10: not supported on Firefox (no prompt).
        var s5 = await t.BeginSignInAsync(safari);
        await t.ReportOkAsync(s5, new { @event = "prompt-shown" });
        await t.ReportOkAsync(s5, new { @event = "outcome", outcome = "cancelled" });
        var s6 = await t.BeginSignInAsync(chrome);
        await t.ReportOkAsync(s6, new { @event = "prompt-shown" });
        await t.ReportOkAsync(s6, new { @event = "outcome", outcome = "timed-out" });
        await t.ReportOkAsync(await t.BeginSignInAsync(firefox), new { @event = "outcome", outcome = "not-supported" });

        // S7: autofill offered on a page load and used by alice (1 s); S8: offered and never used.
        var s7 = await t.BeginSignInAsync(chrome, conditional: true);
        await t.ReportOkAsync(s7, new { @event = "prompt-shown" });
        time.Advance(TimeSpan.FromSeconds(1));
        await t.FinishSignInAsync(chrome, s7, alice);
        await t.ReportOkAsync(await t.BeginSignInAsync(chrome, conditional: true), new { @event = "prompt-shown" });

        // The app's own sign-ins: three with a password (one of them alice's), one with a code.
        foreach (var (user, method) in new[] { ("legacy-1", "password"), ("legacy-2", "otp"), (ids["alice"], "password"), ("legacy-1", "password") })
        {
            await t.OkAsync(HttpMethod.Post, "/v1/tenants/default/sign-ins", new { userId = user, method }, apiKey: apiKey);
        }

        // Everything open expires; the purge marks it abandoned.
        time.Advance(TimeSpan.FromMinutes(6));
        await server.Services<CeremonyPurgeService>().PurgeOnceAsync(default);

        await AssertFunnelsAsync(t);
        await AssertFailuresAsync(t);
        await AssertOverviewAsync(t);
        await AssertAdoptionAsync(t);
        await AssertDrillDownAsync(t);
        await AssertLegacyFunnelAsync(t);
    }

    private static long[] Counts(JsonNode c) =>
    [
        (long)c["begun"]!, (long)c["promptShown"]!, (long)c["succeeded"]!, (long)c["failed"]!, (long)c["cancelled"]!, (long)c["timedOut"]!,
        (long)c["otherClientErrors"]!, (long)c["abandoned"]!, (long)c["pending"]!,
    ];

    private static async Task AssertFunnelsAsync(AnalyticsTraffic t)
    {
        var funnels = await t.AdminAsync($"analytics/funnels?{Window}&period=hour");
        Assert.Equal("hour", (string)funnels["period"]!);
        var series = funnels["funnels"]!.AsArray().Select(f => ((string)f!["kind"]!, (string)f["mediation"]!)).ToList();
        Assert.Equal([("registration", "modal"), ("sign-in", "modal"), ("sign-in", "conditional")], series);
        var f = funnels["funnels"]!.AsArray();
        //                   begun shown ok fail canc tout other aband pend
        Assert.Equal([4, 1, 3, 0, 0, 0, 0, 1, 0], Counts(f[0]!["totals"]!));
        Assert.Equal([8, 2, 2, 3, 1, 1, 1, 0, 0], Counts(f[1]!["totals"]!));
        Assert.Equal([2, 2, 1, 0, 0, 0, 0, 1, 0], Counts(f[2]!["totals"]!));
        var bucket = Assert.Single(f[1]!["buckets"]!.AsArray())!;
        Assert.Equal(T0, (DateTimeOffset)bucket["start"]!);
        Assert.Equal(Counts(f[1]!["totals"]!), Counts(bucket["counts"]!));

        // By day over two days: every day listed, the empty one with zeros.
        var daily = await t.AdminAsync("analytics/funnels?from=2030-01-06T00:00:00Z&to=2030-01-08T00:00:00Z&period=day");
        var registration = daily["funnels"]!.AsArray()[0]!;
        Assert.Equal([5, 1, 4, 0, 0, 0, 0, 1, 0], Counts(registration["totals"]!)); // eve too
        Assert.Equal([0L, 5L], registration["buckets"]!.AsArray().Select(b => (long)b!["counts"]!["begun"]!));
    }

    private static async Task AssertFailuresAsync(AnalyticsTraffic t)
    {
        var failures = await t.AdminAsync($"analytics/failures?{Window}");
        Assert.Equal((13, 7, 0.5385), ((long)failures["attempts"]!, (long)failures["failures"]!, (double)failures["failureRate"]!));
        var reasons = failures["byReason"]!.AsArray().Select(r => ((string)r!["reason"]!, (string)r["source"]!, (int?)r["code"], (long)r["count"]!)).ToList();
        Assert.Equal(
        [
            ("SignatureInvalid", "server", 218, 2), ("OriginNotAllowed", "server", 203, 1), ("abandoned", "expiry", null, 1),
            ("cancelled", "client", null, 1), ("not-supported", "client", null, 1), ("timed-out", "client", null, 1),
        ], reasons);
        static List<(string, long, long, bool)> Segments(JsonNode list) =>
            list.AsArray().Select(s => ((string)s!["value"]!, (long)s["attempts"]!, (long)s["failures"]!, (bool)s["standsOut"]!)).ToList();
        Assert.Equal([("Chrome", 6, 1, false), ("Firefox", 5, 5, true), ("Safari", 2, 1, false)], Segments(failures["byBrowser"]!));
        Assert.Equal([("Windows", 6, 1, false), ("Linux", 5, 5, true), ("iOS", 2, 1, false)], Segments(failures["byOs"]!));
        Assert.Equal([("desktop", 11, 6, false), ("mobile", 2, 1, false)], Segments(failures["byDeviceType"]!));
        Assert.Equal([("unknown", 8, 7, false), ("Google Password Manager", 5, 0, false)], Segments(failures["byProvider"]!));

        var signUps = await t.AdminAsync($"analytics/failures?{Window}&kind=registration");
        Assert.Equal((4, 1), ((long)signUps["attempts"]!, (long)signUps["failures"]!));
    }

    private static async Task AssertOverviewAsync(AnalyticsTraffic t)
    {
        var o = await t.AdminAsync($"analytics/overview?{Window}");
        var (current, previous, change) = (o["current"]!, o["previous"]!, o["change"]!);
        Assert.Equal(T0 - TimeSpan.FromHours(1), (DateTimeOffset)previous["from"]!);
        Assert.Equal((3, 3, 13, 6, 0.4615, 3000.0), ((long)current["signIns"]!, (long)current["signUps"]!, (long)current["attempts"]!,
            (long)current["succeeded"]!, (double)current["successRate"]!, (double)current["medianTimeToFinishMs"]!));
        Assert.Equal((5, 3, 0.6), ((long)current["adoption"]!["activeUsers"]!, (long)current["adoption"]!["activeUsersWithPasskey"]!,
            (double)current["adoption"]!["rate"]!));
        Assert.Equal((0, 1, 1, 1, 1.0, 2000.0, 1.0), ((long)previous["signIns"]!, (long)previous["signUps"]!, (long)previous["attempts"]!,
            (long)previous["succeeded"]!, (double)previous["successRate"]!, (double)previous["medianTimeToFinishMs"]!, (double)previous["adoption"]!["rate"]!));
        Assert.Equal((3, 2, -0.5385, 1000.0, -0.4), ((long)change["signIns"]!, (long)change["signUps"]!, (double)change["successRate"]!,
            (double)change["medianTimeToFinishMs"]!, (double)change["adoptionRate"]!));
    }

    private static async Task AssertAdoptionAsync(AnalyticsTraffic t)
    {
        var a = await t.AdminAsync($"analytics/adoption?{Window}");
        Assert.Equal((5, 3), ((long)a["adoption"]!["activeUsers"]!, (long)a["adoption"]!["activeUsersWithPasskey"]!));
        var m = a["signInsByMethod"]!;
        Assert.Equal((3, 3, 1, 0, 0), ((long)m["passkey"]!, (long)m["password"]!, (long)m["otp"]!, (long)m["social"]!, (long)m["other"]!));
        Assert.Equal(4, (long)a["users"]!);
        Assert.Equal([("0", 0L), ("1", 4L), ("2", 0L), ("3", 0L), ("4+", 0L)],
            a["passkeysPerUser"]!.AsArray().Select(b => ((string)b!["passkeys"]!, (long)b["users"]!)));
        Assert.Equal((2, 2), ((long)a["passkeys"]!["synced"]!, (long)a["passkeys"]!["deviceBound"]!));
        Assert.Equal((0, 0), ((long)a["upgradePrompt"]!["registrationsBegun"]!, (long)a["upgradePrompt"]!["succeeded"]!));
        Assert.Null(a["upgradePrompt"]!["conversion"]);
    }

    private static async Task AssertDrillDownAsync(AnalyticsTraffic t)
    {
        var firefoxFailures = await t.AdminAsync($"analytics/ceremonies?{Window}&browser=Firefox&failed=true");
        Assert.Equal(5, (long)firefoxFailures["total"]!);
        var cancelled = Assert.Single((await t.AdminAsync($"analytics/ceremonies?{Window}&kind=sign-in&result=cancelled"))["ceremonies"]!.AsArray())!;
        Assert.Equal(("cancelled", "Safari", "iOS", "mobile"), ((string)cancelled["clientOutcome"]!, (string)cancelled["browser"]!, (string)cancelled["os"]!,
            (string)cancelled["deviceType"]!));
        Assert.NotNull(cancelled["promptShownAt"]);
        var bySignature = await t.AdminAsync($"analytics/ceremonies?{Window}&reason=SignatureInvalid");
        Assert.Equal(2, (long)bySignature["total"]!);
        Assert.All(bySignature["ceremonies"]!.AsArray(), c => Assert.Equal(218, (int)c!["errorCode"]!));
        var synced = await t.AdminAsync($"analytics/ceremonies?{Window}&provider=Google%20Password%20Manager");
        Assert.All(synced["ceremonies"]!.AsArray(), c => Assert.True((bool)c!["synced"]!));

        var first = await t.AdminAsync($"analytics/ceremonies?{Window}&limit=4");
        Assert.Equal((14, 4), ((long)first["total"]!, (int)first["next"]!));
        Assert.Equal(4, first["ceremonies"]!.AsArray().Count);
        var last = await t.AdminAsync($"analytics/ceremonies?{Window}&limit=4&offset=12");
        Assert.Equal(2, last["ceremonies"]!.AsArray().Count);
        Assert.Null(last["next"]);
    }

    private static async Task AssertLegacyFunnelAsync(AnalyticsTraffic t)
    {
        var funnel = await t.AdminAsync($"audit/funnel?{Window}");
        var rows = funnel["ceremonies"]!.AsArray().ToDictionary(c => (string)c!["ceremony"]!);
        Assert.Equal((4, 3, 0, 1), ((long)rows["registration"]!["started"]!, (long)rows["registration"]!["succeeded"]!, (long)rows["registration"]!["failed"]!,
            (long)rows["registration"]!["abandoned"]!));
        // The unused autofill offer (S8) is not a started sign-in.
        Assert.Equal((9, 3, 3, 3), ((long)rows["authentication"]!["started"]!, (long)rows["authentication"]!["succeeded"]!,
            (long)rows["authentication"]!["failed"]!, (long)rows["authentication"]!["abandoned"]!));
    }
}
