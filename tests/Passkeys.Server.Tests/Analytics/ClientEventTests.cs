using System.Net;
using System.Text.Json.Nodes;
using Passkeys.Server.Tests.Integration;
using Passkeys.Server.Tests.Storage;

namespace Passkeys.Server.Tests.Analytics;

/// <summary>
/// The unauthenticated client-event endpoint is bound to one ceremony of one tenant: unknown,
/// other-tenant and expired ceremonies, repeated reports, reports after the server answered, bad
/// bodies and oversized bodies are refused with their own codes and change nothing. One derived class per store.
/// </summary>
public abstract class ClientEventTests(TestStores stores) : StoreSuite(stores)
{
    private static async Task<JsonNode> RowAsync(AnalyticsTraffic t, string ceremonyId) =>
        (await t.AdminAsync("analytics/ceremonies?from=2000-01-01T00:00:00Z&to=2100-01-01T00:00:00Z&limit=1000"))["ceremonies"]!.AsArray()
            .Single(c => (string)c!["ceremonyId"]! == ceremonyId)!;

    private static async Task RefusedAsync(AnalyticsTraffic t, string ceremonyId, object body, int status, int code, string? onTenant = null)
    {
        using var response = await t.ReportAsync(ceremonyId, body, onTenant);
        await TestServer.ProblemAsync(response, status, code);
    }

    [StoreFact]
    public async Task Reports_are_bound_to_their_ceremony_taken_once_and_refused_with_specific_codes()
    {
        var time = new ManualTime();
        await using var server = await TestServer.StartAsync(time, await NewStoreAsync());
        var t = new AnalyticsTraffic(server);
        using (var created = await server.SendAsync(HttpMethod.Post, "/v1/admin/tenants",
            new { id = "other", rpId = "localhost", rpName = "Other", origins = new[] { TestServer.Origin } }, bearer: TestServer.AdminKey))
        {
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }
        var begin = await t.BeginSignInAsync(Browser.ChromeWindows);
        var id = (string)begin["ceremonyId"]!;
        var shown = new { @event = "prompt-shown" };
        var cancelled = new { @event = "outcome", outcome = "cancelled" };

        // Unknown ids, malformed ids, and this ceremony reported to another tenant: 1160, nothing written.
        await RefusedAsync(t, "AAAAAAAAAAAAAAAAAAAAAA", shown, 404, 1160);
        await RefusedAsync(t, "not.an.id", shown, 404, 1160);
        await RefusedAsync(t, id, shown, 404, 1160, onTenant: "other");
        // Bodies that are not a documented event: 1163.
        await RefusedAsync(t, id, new { @event = "exploded" }, 400, 1163);
        await RefusedAsync(t, id, new { @event = "outcome", outcome = "NotAllowedError" }, 400, 1163);
        await RefusedAsync(t, id, new { @event = "outcome" }, 400, 1163);
        await RefusedAsync(t, id, "[1,2]", 400, 1163);
        await RefusedAsync(t, id, "{\"event\":", 400, 1163);
        // A body past the bound: 413 PayloadTooLarge.
        await RefusedAsync(t, id, new { @event = "prompt-shown", padding = new string('x', 2000) }, 413, 1002);
        var untouched = await RowAsync(t, id);
        Assert.Null(untouched["promptShownAt"]);
        Assert.Null(untouched["clientOutcome"]);

        // Once each; the second of either kind is refused and the first stands.
        await t.ReportOkAsync(begin, shown);
        await RefusedAsync(t, id, shown, 409, 1162);
        await t.ReportOkAsync(begin, cancelled);
        await RefusedAsync(t, id, new { @event = "outcome", outcome = "timed-out" }, 409, 1162);
        Assert.Equal("cancelled", (string)(await RowAsync(t, id))["clientOutcome"]!);

        // A ceremony the server answered takes no browser outcome (the browser had an answer, not an error).
        var client = TestServer.NewClient();
        await server.SignUpAsync(client, "grace");
        var signIn = await t.BeginSignInAsync(Browser.ChromeWindows);
        await t.FinishSignInAsync(Browser.ChromeWindows, signIn, client);
        await RefusedAsync(t, (string)signIn["ceremonyId"]!, cancelled, 409, 1162);
        Assert.Equal("succeeded", (string)(await RowAsync(t, (string)signIn["ceremonyId"]!))["result"]!);

        // Reports are taken until two minutes after the expiry (a timeout's report comes just after it), then refused.
        var late = await t.BeginSignInAsync(Browser.ChromeWindows);
        time.Advance(TimeSpan.FromMinutes(5) + TimeSpan.FromSeconds(30));
        await t.ReportOkAsync(late, new { @event = "outcome", outcome = "timed-out" });
        var tooLate = await t.BeginSignInAsync(Browser.ChromeWindows);
        time.Advance(TimeSpan.FromMinutes(7) + TimeSpan.FromSeconds(1));
        await RefusedAsync(t, (string)tooLate["ceremonyId"]!, shown, 410, 1161);
        Assert.Null((await RowAsync(t, (string)tooLate["ceremonyId"]!))["promptShownAt"]);
    }

    [StoreFact]
    public async Task A_finish_that_names_another_kinds_ceremony_leaves_that_ceremonys_row_alone()
    {
        await using var server = await TestServer.StartAsync(null, await NewStoreAsync());
        var t = new AnalyticsTraffic(server);
        var signIn = await t.BeginSignInAsync(Browser.ChromeWindows);
        // A registration finish naming the sign-in's id: refused, and the sign-in is still open, not "failed".
        using (var wrong = await server.SendAsync(HttpMethod.Post, "/v1/tenants/default/registration/finish",
            new JsonObject { ["ceremonyId"] = (string)signIn["ceremonyId"]!, ["response"] = new JsonObject() }.ToJsonString()))
        {
            await TestServer.ProblemAsync(wrong, 400, 1009);
        }
        Assert.Equal("pending", (string)(await RowAsync(t, (string)signIn["ceremonyId"]!))["result"]!);
    }

    [StoreFact]
    public async Task Step_up_and_recovery_are_their_own_funnels()
    {
        await using var server = await TestServer.StartAsync(null, await NewStoreAsync());
        var t = new AnalyticsTraffic(server);
        var client = TestServer.NewClient();
        var signUp = await server.SignUpAsync(client, "hana");
        var token = (string)signUp["token"]!;

        var stepUp = await server.OkJsonAsync(HttpMethod.Post, "/v1/tenants/default/step-up/begin", new { transaction = "Pay 10 EUR" }, bearer: token);
        await server.OkJsonAsync(HttpMethod.Post, "/v1/tenants/default/step-up/finish",
            TestServer.FinishBody(stepUp, await client.GetAsync(stepUp["options"]!.ToJsonString())));

        // A lost passkey replaced with a recovery code: a registration begun with the grant is a recovery.
        var codes = await server.OkJsonAsync(HttpMethod.Post, "/v1/tenants/default/me/recovery-codes", new { }, bearer: token);
        var grant = await server.OkJsonAsync(HttpMethod.Post, "/v1/tenants/default/recovery/redeem", new { username = "hana", code = (string)codes["codes"]![0]! });
        var recovery = await server.OkJsonAsync(HttpMethod.Post, "/v1/tenants/default/registration/begin", new { recoveryGrant = (string)grant["recoveryGrant"]! });
        await server.OkJsonAsync(HttpMethod.Post, "/v1/tenants/default/registration/finish",
            TestServer.FinishBody(recovery, await TestServer.NewClient().CreateAsync(recovery["options"]!.ToJsonString())));

        var funnels = (await t.AdminAsync("analytics/funnels"))["funnels"]!.AsArray()
            .ToDictionary(f => $"{(string)f!["kind"]!}/{(string)f["mediation"]!}", f => ((long)f!["totals"]!["begun"]!, (long)f["totals"]!["succeeded"]!));
        Assert.Equal(new Dictionary<string, (long, long)> { ["registration/modal"] = (1, 1), ["step-up/modal"] = (1, 1), ["recovery/modal"] = (1, 1) }, funnels);
        var overview = await t.AdminAsync("analytics/overview");
        Assert.Equal((0, 1), ((long)overview["current"]!["signIns"]!, (long)overview["current"]!["signUps"]!)); // a recovery is no sign-up
    }

    [StoreFact]
    public async Task Funnel_rows_and_sign_in_reports_past_the_audit_retention_are_purged()
    {
        var time = new ManualTime();
        await using var server = await TestServer.StartAsync(time, [.. await NewStoreAsync(), "--Passkeys:Audit:Retention=30.00:00:00", "--Passkeys:Purge:BatchSize=2"]);
        var t = new AnalyticsTraffic(server);
        var apiKey = await server.CreateApiKeyAsync();
        for (var i = 0; i < 3; i++)
        {
            await t.BeginSignInAsync(Browser.ChromeWindows);
            await t.OkAsync(HttpMethod.Post, "/v1/tenants/default/sign-ins", new { userId = $"old-{i}", method = "password" }, apiKey: apiKey);
        }
        time.Advance(TimeSpan.FromDays(20));
        var recent = await t.BeginSignInAsync(Browser.ChromeWindows);
        await t.OkAsync(HttpMethod.Post, "/v1/tenants/default/sign-ins", new { userId = "recent", method = "otp" }, apiKey: apiKey);
        time.Advance(TimeSpan.FromDays(11));
        await server.Services<Passkeys.Server.Ceremonies.CeremonyPurgeService>().PurgeOnceAsync(default);

        var all = "from=2000-01-01T00:00:00Z&to=2100-01-01T00:00:00Z";
        var rows = await t.AdminAsync($"analytics/ceremonies?{all}");
        Assert.Equal((string)recent["ceremonyId"]!, (string)Assert.Single(rows["ceremonies"]!.AsArray())!["ceremonyId"]!);
        var methods = (await t.AdminAsync($"analytics/adoption?{all}"))["signInsByMethod"]!;
        Assert.Equal((0, 1), ((long)methods["password"]!, (long)methods["otp"]!));
    }

    [StoreFact]
    public async Task A_begin_with_an_unknown_mediation_is_refused_and_writes_no_row()
    {
        await using var server = await TestServer.StartAsync(null, await NewStoreAsync());
        var t = new AnalyticsTraffic(server);
        using (var bad = await t.SendAsync(HttpMethod.Post, "/v1/tenants/default/authentication/begin", new { mediation = "silent" }))
        {
            await TestServer.ProblemAsync(bad, 400, 1001);
        }
        var rows = await t.AdminAsync("analytics/ceremonies?from=2000-01-01T00:00:00Z&to=2100-01-01T00:00:00Z");
        Assert.Equal(0, (long)rows["total"]!);
    }
}
