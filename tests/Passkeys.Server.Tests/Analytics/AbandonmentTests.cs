using System.Net;
using System.Text.Json.Nodes;
using Passkeys.Server.Ceremonies;
using Passkeys.Server.Storage;
using Passkeys.Server.Storage.Postgres;
using Passkeys.Server.Storage.Sqlite;
using Passkeys.Server.Tests.Integration;
using Passkeys.Server.Tests.Storage;

namespace Passkeys.Server.Tests.Analytics;

/// <summary>
/// Every way a ceremony ends without an answer leaves its funnel row <c>abandoned</c>
/// (docs/analytics.md): the purge marks the rows of exactly the ceremonies it deletes, a finish after
/// the expiry marks its own, and the schema migration closes rows an older version left open. One
/// derived class per store.
/// </summary>
public abstract class AbandonmentTests(TestStores stores) : StoreSuite(stores)
{
    private const string Window = "from=2000-01-01T00:00:00Z&to=2100-01-01T00:00:00Z";

    private static async Task<Dictionary<string, string>> ResultsAsync(AnalyticsTraffic t) =>
        (await t.AdminAsync($"analytics/ceremonies?{Window}&limit=1000"))["ceremonies"]!.AsArray()
            .ToDictionary(c => (string)c!["ceremonyId"]!, c => (string)c!["result"]!);

    private static string Id(JsonNode begin) => (string)begin["ceremonyId"]!;

    [StoreFact]
    public async Task An_answer_after_the_expiry_is_counted_abandoned_at_once()
    {
        var time = new ManualTime();
        await using var server = await TestServer.StartAsync(time, await NewStoreAsync());
        var t = new AnalyticsTraffic(server);
        var client = TestServer.NewClient();
        await server.SignUpAsync(client, "ines");
        var late = await t.BeginSignInAsync(Browser.ChromeWindows);

        time.Advance(TimeSpan.FromMinutes(6));
        Assert.Equal(221, await t.FailSignInAsync(Browser.ChromeWindows, late, client)); // CeremonyExpired
        // The finish consumed the ceremony, so no purge will find it: the finish marked the row.
        Assert.Equal("abandoned", (await ResultsAsync(t))[Id(late)]);

        // The purge finds nothing of it; its audit trail keeps the late answer, not an abandonment.
        Assert.Equal(0, await server.Services<CeremonyPurgeService>().PurgeOnceAsync(default));
        Assert.Equal("abandoned", (await ResultsAsync(t))[Id(late)]);
        var abandoned = await server.OkJsonAsync(HttpMethod.Get, "/v1/admin/tenants/default/audit?outcome=abandoned", bearer: TestServer.AdminKey);
        Assert.Empty(abandoned["events"]!.AsArray());
    }

    [StoreFact]
    public async Task The_purge_marks_the_funnel_row_of_every_ceremony_it_deletes_and_no_other()
    {
        var time = new ManualTime();
        await using var server = await TestServer.StartAsync(time, await NewStoreAsync());
        var t = new AnalyticsTraffic(server);
        var (jo, kim) = (TestServer.NewClient(), TestServer.NewClient());
        var joToken = (string)(await server.SignUpAsync(jo, "jo"))["token"]!;
        var kimSignUp = await server.SignUpAsync(kim, "kim");
        var (kimId, kimToken) = ((string)kimSignUp["user"]!["id"]!, (string)kimSignUp["token"]!);

        // Begun and never answered: a sign-in, an autofill offer, a sign-up, and a recovery.
        var signIn = await t.BeginSignInAsync(Browser.ChromeWindows);
        var autofill = await t.BeginSignInAsync(Browser.ChromeWindows, conditional: true);
        var signUp = await t.BeginSignUpAsync(Browser.FirefoxLinux, "lee");
        var codes = await server.OkJsonAsync(HttpMethod.Post, "/v1/tenants/default/me/recovery-codes", new { }, bearer: joToken);
        var grant = await server.OkJsonAsync(HttpMethod.Post, "/v1/tenants/default/recovery/redeem", new { username = "jo", code = (string)codes["codes"]![0]! });
        var recovery = await server.OkJsonAsync(HttpMethod.Post, "/v1/tenants/default/registration/begin", new { recoveryGrant = (string)grant["recoveryGrant"]! });
        // A step-up whose user is deleted before answering: the ceremony stays until the purge.
        var stepUp = await server.OkJsonAsync(HttpMethod.Post, "/v1/tenants/default/step-up/begin", new { transaction = "Pay 5 EUR" }, bearer: kimToken);
        using (var deleted = await server.SendAsync(HttpMethod.Delete, $"/v1/admin/tenants/default/users/{kimId}", null, bearer: TestServer.AdminKey))
        {
            Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        }
        // Answered ones keep their answer.
        var answered = await t.BeginSignInAsync(Browser.SafariIphone);
        await t.FinishSignInAsync(Browser.SafariIphone, answered, jo);
        jo.Authenticator.Options.Faults = Passkeys.Authenticator.AuthenticatorFaults.SignatureOverWrongBytes;
        var refused = await t.BeginSignInAsync(Browser.SafariIphone);
        Assert.Equal(218, await t.FailSignInAsync(Browser.SafariIphone, refused, jo));
        // Ceremonies of kinds without a funnel row are purged as before: jo's grant (kept until the
        // recovery's finish) and one more.
        var store = server.Services<IPasskeyStore>();
        await store.SaveCeremonyAsync(new CeremonyRecord("default", "grant-of-nobody", CeremonyKind.RecoveryGrant, [], "nobody", null,
            time.GetUtcNow(), time.GetUtcNow() + TimeSpan.FromMinutes(5)));

        var open = new[] { signIn, autofill, signUp, recovery, stepUp }.Select(Id).ToList();
        var before = await ResultsAsync(t);
        Assert.All(open, id => Assert.Equal("pending", before[id]));

        // Not yet expired: nothing is deleted or marked.
        await server.Services<CeremonyPurgeService>().PurgeOnceAsync(default);
        Assert.Equal(before, await ResultsAsync(t));

        time.Advance(TimeSpan.FromMinutes(11));
        Assert.Equal(7, await server.Services<CeremonyPurgeService>().PurgeOnceAsync(default));
        var after = await ResultsAsync(t);
        Assert.All(open, id => Assert.Equal("abandoned", after[id]));
        Assert.Equal("succeeded", after[Id(answered)]);
        Assert.Equal("failed", after[Id(refused)]);
        // Exactly the funnel rows of the begun ceremonies, in their own funnels.
        var funnels = (await t.AdminAsync("analytics/funnels"))["funnels"]!.AsArray()
            .ToDictionary(f => $"{(string)f!["kind"]!}/{(string)f["mediation"]!}", f => (long)f!["totals"]!["abandoned"]!);
        Assert.Equal(new Dictionary<string, long>
        {
            ["registration/modal"] = 1, ["sign-in/modal"] = 1, ["sign-in/conditional"] = 1, ["step-up/modal"] = 1, ["recovery/modal"] = 1,
        }, funnels);
    }

    [StoreFact]
    public async Task The_migration_closes_the_rows_an_older_version_left_open_and_drops_the_open_rows_index()
    {
        var time = new ManualTime();
        var store = await NewStoreAsync();
        await using var server = await TestServer.StartAsync(time, store);
        var t = new AnalyticsTraffic(server);
        var client = TestServer.NewClient();
        await server.SignUpAsync(client, "mo");
        var orphan = await t.BeginSignInAsync(Browser.ChromeWindows);
        var live = await t.BeginSignInAsync(Browser.ChromeWindows);
        var answered = await t.BeginSignInAsync(Browser.ChromeWindows);
        await t.FinishSignInAsync(Browser.ChromeWindows, answered, client);

        // An older version's leftovers: a row whose ceremony is gone without an answer (a late answer,
        // or a purge interrupted before it marked), and the partial index the migration drops.
        await ExecuteSqlAsync(store, $"DELETE FROM ceremonies WHERE id = '{Id(orphan)}'");
        await ExecuteSqlAsync(store, "CREATE INDEX ix_ceremony_outcomes_open ON ceremony_outcomes (expires_at) WHERE server_outcome IS NULL");
        var migration = (Stores is PostgresTestStores ? PostgresMigrations.All : SqliteMigrations.All)
            .Single(m => m.Contains("DROP INDEX ix_ceremony_outcomes_open", StringComparison.Ordinal));
        await ExecuteSqlAsync(store, migration);

        var results = await ResultsAsync(t);
        Assert.Equal("abandoned", results[Id(orphan)]);
        Assert.Equal("pending", results[Id(live)]); // its ceremony is still there: its purge marks it
        Assert.Equal("succeeded", results[Id(answered)]);
        Assert.Equal(0, await ExecuteSqlAsync(store, Stores is PostgresTestStores
            ? "SELECT COUNT(*) FROM pg_indexes WHERE indexname = 'ix_ceremony_outcomes_open'"
            : "SELECT COUNT(*) FROM sqlite_master WHERE name = 'ix_ceremony_outcomes_open'"));

        time.Advance(TimeSpan.FromMinutes(6));
        await server.Services<CeremonyPurgeService>().PurgeOnceAsync(default);
        Assert.Equal("abandoned", (await ResultsAsync(t))[Id(live)]);
    }
}
