using System.Net;
using System.Text.Json.Nodes;
using Passkeys.Server.Tests.Integration;
using Passkeys.Server.Tests.Storage;

namespace Passkeys.Server.Tests.Analytics;

/// <summary>
/// Rollout settings (docs/analytics.md, "Rollout") over real HTTP: the app-facing passkey-offer
/// answer follows the settings, percentages are stable per user and widen monotonically, the
/// default sign-in flips once (audited) when adoption reaches the threshold, and bad settings and
/// bad sign-in reports are refused with their own codes. One derived class per store.
/// </summary>
public abstract class RolloutTests(TestStores stores) : StoreSuite(stores)
{
    private static object Shop(object? rollout) => new
    {
        id = "shop", rpId = "localhost", rpName = "Shop", origins = new[] { TestServer.Origin }, selfSignUp = true, rollout,
    };

    private static async Task SetRolloutAsync(TestServer server, object? rollout)
    {
        var view = await server.OkJsonAsync(HttpMethod.Put, "/v1/admin/tenants/shop", Shop(rollout), bearer: TestServer.AdminKey);
        Assert.Equal(rollout is null, view["rollout"] is null);
    }

    private static Task<JsonNode> OfferAsync(TestServer server, string apiKey, string userId) =>
        server.OkJsonAsync(HttpMethod.Get, $"/v1/tenants/shop/users/{Uri.EscapeDataString(userId)}/passkey-offer", apiKey: apiKey);

    private static async Task<HashSet<string>> OfferedAsync(TestServer server, string apiKey, IEnumerable<string> users)
    {
        var offered = new HashSet<string>();
        foreach (var u in users)
        {
            var answer = await OfferAsync(server, apiKey, u);
            if ((bool)answer["offer"]!)
            {
                offered.Add(u);
            }
            else
            {
                Assert.Equal("not-in-rollout", (string)answer["reason"]!);
            }
        }
        return offered;
    }

    [StoreFact]
    public async Task The_offer_follows_the_settings_stably_per_user_and_passkeys_become_the_default_once()
    {
        var time = new ManualTime();
        await using var server = await TestServer.StartAsync(time, await NewStoreAsync());
        await server.OkJsonAsync(HttpMethod.Post, "/v1/admin/tenants", Shop(null), bearer: TestServer.AdminKey);
        var apiKey = await server.CreateApiKeyAsync("shop");

        var none = await OfferAsync(server, apiKey, "u-1");
        Assert.Equal((false, "no-rollout", "modal", false), ((bool)none["offer"]!, (string)none["reason"]!, (string)none["prompt"]!, (bool)none["passkeyDefault"]!));

        // Percentages: stable per user, and widening keeps everyone already offered. The buckets
        // hang on the tenant's random secret, so the counts are binomial (n = 200): the ranges are
        // five standard deviations wide (25%: 50 ± 31; 60%: 120 ± 35), false alarms ~1 in 10^6 runs.
        var users = Enumerable.Range(1, 200).Select(i => $"user-{i}").ToList();
        await SetRolloutAsync(server, new { offerPercentage = 0 });
        Assert.Empty(await OfferedAsync(server, apiKey, users));
        await SetRolloutAsync(server, new { offerPercentage = 25 });
        var quarter = await OfferedAsync(server, apiKey, users);
        Assert.Equal(quarter, await OfferedAsync(server, apiKey, users));
        await SetRolloutAsync(server, new { offerPercentage = 60 });
        var more = await OfferedAsync(server, apiKey, users);
        Assert.Superset(quarter, more);
        Assert.InRange(quarter.Count, 19, 81);
        Assert.InRange(more.Count, 85, 155);
        await SetRolloutAsync(server, new { offerPercentage = 100 });
        Assert.Equal(users.Count, (await OfferedAsync(server, apiKey, users)).Count);

        // Only right after a sign-in with another method, through conditional create.
        await SetRolloutAsync(server, new { offerPercentage = 100, offerAfter = "other-method-sign-in", prompt = "conditional" });
        var before = await OfferAsync(server, apiKey, "pat");
        Assert.Equal((false, "no-recent-other-sign-in", "conditional"), ((bool)before["offer"]!, (string)before["reason"]!, (string)before["prompt"]!));
        await server.OkJsonAsync(HttpMethod.Post, "/v1/tenants/shop/sign-ins", new { userId = "pat", method = "password" }, apiKey: apiKey);
        var after = await OfferAsync(server, apiKey, "pat");
        Assert.Equal((true, "offered", "conditional"), ((bool)after["offer"]!, (string)after["reason"]!, (string)after["prompt"]!));

        // pat accepts: a registration begun right after the offer converts.
        var begin = await server.OkJsonAsync(HttpMethod.Post, "/v1/tenants/shop/registration/begin",
            new { user = new { id = "pat", name = "pat" }, mediation = "conditional" }, apiKey: apiKey);
        await server.OkJsonAsync(HttpMethod.Post, "/v1/tenants/shop/registration/finish",
            TestServer.FinishBody(begin, await TestServer.NewClient().CreateAsync(begin["options"]!.ToJsonString())));
        var hasOne = await OfferAsync(server, apiKey, "pat");
        Assert.Equal((false, "has-passkey"), ((bool)hasOne["offer"]!, (string)hasOne["reason"]!));
        var adoption = await server.OkJsonAsync(HttpMethod.Get, "/v1/admin/tenants/shop/analytics/adoption", bearer: TestServer.AdminKey);
        Assert.Equal((1, 1, 1.0), ((long)adoption["upgradePrompt"]!["registrationsBegun"]!, (long)adoption["upgradePrompt"]!["succeeded"]!,
            (double)adoption["upgradePrompt"]!["conversion"]!));

        // The offer's sign-in is fifteen minutes fresh at most.
        await server.OkJsonAsync(HttpMethod.Post, "/v1/tenants/shop/sign-ins", new { userId = "sam", method = "social" }, apiKey: apiKey);
        time.Advance(TimeSpan.FromMinutes(16));
        Assert.Equal("no-recent-other-sign-in", (string)(await OfferAsync(server, apiKey, "sam"))["reason"]!);

        // Default sign-in: active users in 30 days are pat (passkey) and sam (password only): 50%.
        await SetRolloutAsync(server, new { offerPercentage = 100, defaultSignInAt = 60 });
        Assert.False((bool)(await OfferAsync(server, apiKey, "sam"))["passkeyDefault"]!);
        var below = await StatusAsync(server);
        Assert.Equal((false, false, 2L, 1L), ((bool)below["passkeyDefault"]!, (bool)below["thresholdReached"]!,
            (long)below["adoption"]!["activeUsers"]!, (long)below["adoption"]!["activeUsersWithPasskey"]!));
        Assert.Null(below["flippedAt"]);
        Assert.Equal(60, (int)below["rollout"]!["defaultSignInAt"]!);
        await SetRolloutAsync(server, new { offerPercentage = 100, defaultSignInAt = 50 });
        // Reached, but the status only reads: the flip is the app's passkey-offer's to record.
        var reached = await StatusAsync(server);
        Assert.Equal((false, true), ((bool)reached["passkeyDefault"]!, (bool)reached["thresholdReached"]!));
        Assert.Null(reached["flippedAt"]);
        Assert.True((bool)(await OfferAsync(server, apiKey, "sam"))["passkeyDefault"]!);
        var flipped = await StatusAsync(server);
        Assert.True((bool)flipped["passkeyDefault"]!);
        Assert.Equal(time.GetUtcNow().ToUnixTimeMilliseconds(), ((DateTimeOffset)flipped["flippedAt"]!).ToUnixTimeMilliseconds());
        Assert.True((bool)(await OfferAsync(server, apiKey, "pat"))["passkeyDefault"]!);
        var flips = await server.OkJsonAsync(HttpMethod.Get, "/v1/admin/tenants/shop/audit?type=rollout.default_flipped", bearer: TestServer.AdminKey);
        var flip = Assert.Single(flips["events"]!.AsArray())!;
        Assert.Equal(("system", "tenant", "shop"), ((string)flip["actor"]!["kind"]!, (string)flip["target"]!["kind"]!, (string)flip["target"]!["id"]!));
        Assert.Equal("50", (string)flip["details"]!["defaultSignInAt"]!);
        // Turning the threshold off turns the default off.
        await SetRolloutAsync(server, new { offerPercentage = 100 });
        Assert.False((bool)(await OfferAsync(server, apiKey, "sam"))["passkeyDefault"]!);
        var off = await StatusAsync(server);
        Assert.False((bool)off["passkeyDefault"]!);
        Assert.Equal(time.GetUtcNow().ToUnixTimeMilliseconds(), ((DateTimeOffset)off["flippedAt"]!).ToUnixTimeMilliseconds()); // the recorded flip stays
    }

    private static Task<JsonNode> StatusAsync(TestServer server) =>
        server.OkJsonAsync(HttpMethod.Get, "/v1/admin/tenants/shop/analytics/rollout", bearer: TestServer.AdminKey);

    [StoreFact]
    public async Task Bad_settings_bad_reports_and_missing_keys_are_refused_with_their_codes()
    {
        await using var server = await TestServer.StartAsync(null, await NewStoreAsync());
        foreach (var rollout in new object[]
        {
            new { offerPercentage = 101 }, new { offerPercentage = -1 }, new { offerAfter = "always" }, new { prompt = "popup" },
            new { defaultSignInAt = 0 }, new { defaultSignInAt = 101 },
        })
        {
            using var refused = await server.SendAsync(HttpMethod.Post, "/v1/admin/tenants", Shop(rollout), bearer: TestServer.AdminKey);
            await TestServer.ProblemAsync(refused, 400, 1165);
        }
        using (var list = await server.SendAsync(HttpMethod.Get, "/v1/admin/tenants/shop", bearer: TestServer.AdminKey))
        {
            Assert.Equal(HttpStatusCode.NotFound, list.StatusCode); // none of them was created
        }
        var created = await server.OkJsonAsync(HttpMethod.Post, "/v1/admin/tenants", Shop(new { offerPercentage = 10 }), bearer: TestServer.AdminKey);
        Assert.Equal((10, "any", "modal"), ((int)created["rollout"]!["offerPercentage"]!, (string)created["rollout"]!["offerAfter"]!, (string)created["rollout"]!["prompt"]!));
        var apiKey = await server.CreateApiKeyAsync("shop");

        foreach (var report in new object[]
        {
            new { userId = "u", method = "passkey" }, new { userId = "u", method = "fax" }, new { method = "password" }, new { userId = " ", method = "password" },
            new { userId = "u", method = "password", at = "yesterday" }, new { userId = "u", method = "password", at = DateTimeOffset.UtcNow.AddHours(1).ToString("O") },
        })
        {
            using var refused = await server.SendAsync(HttpMethod.Post, "/v1/tenants/shop/sign-ins", report, apiKey: apiKey);
            await TestServer.ProblemAsync(refused, 400, 1166);
        }
        using (var anonymous = await server.SendAsync(HttpMethod.Post, "/v1/tenants/shop/sign-ins", new { userId = "u", method = "password" }))
        {
            await TestServer.ProblemAsync(anonymous, 401, 1006);
        }
        using (var anonymous = await server.SendAsync(HttpMethod.Get, "/v1/tenants/shop/users/u/passkey-offer"))
        {
            await TestServer.ProblemAsync(anonymous, 401, 1006);
        }
        var adoption = await server.OkJsonAsync(HttpMethod.Get, "/v1/admin/tenants/shop/analytics/adoption", bearer: TestServer.AdminKey);
        Assert.Equal(0, (long)adoption["signInsByMethod"]!["password"]!); // nothing refused was counted
        var at = DateTimeOffset.UtcNow.AddDays(-1);
        var reported = await server.OkJsonAsync(HttpMethod.Post, "/v1/tenants/shop/sign-ins", new { userId = "u", method = "otp", at = at.ToString("O") }, apiKey: apiKey);
        Assert.Equal(at.ToUnixTimeMilliseconds(), ((DateTimeOffset)reported["at"]!).ToUnixTimeMilliseconds());
    }

    /// <summary>
    /// Tenant shop at <c>defaultSignInAt</c> 50 with adoption at 50%: pat (a passkey) and sam
    /// (a password sign-in) are the active users. Returns the app's API key.
    /// </summary>
    private static async Task<string> HalfAdoptedAsync(TestServer server)
    {
        await server.OkJsonAsync(HttpMethod.Post, "/v1/admin/tenants", Shop(new { offerPercentage = 100, defaultSignInAt = 50 }), bearer: TestServer.AdminKey);
        var apiKey = await server.CreateApiKeyAsync("shop");
        await server.OkJsonAsync(HttpMethod.Post, "/v1/tenants/shop/sign-ins", new { userId = "pat", method = "password" }, apiKey: apiKey);
        await server.OkJsonAsync(HttpMethod.Post, "/v1/tenants/shop/sign-ins", new { userId = "sam", method = "password" }, apiKey: apiKey);
        var begin = await server.OkJsonAsync(HttpMethod.Post, "/v1/tenants/shop/registration/begin", new { user = new { id = "pat", name = "pat" } }, apiKey: apiKey);
        await server.OkJsonAsync(HttpMethod.Post, "/v1/tenants/shop/registration/finish",
            TestServer.FinishBody(begin, await TestServer.NewClient().CreateAsync(begin["options"]!.ToJsonString())));
        return apiKey;
    }

    private Task<long> FlipsAsync(string[] store) => ExecuteSqlAsync(store, "SELECT COUNT(*) FROM rollout_flips WHERE tenant_id = 'shop'");

    private Task<long> FlipEventsAsync(string[] store) => ExecuteSqlAsync(store, "SELECT COUNT(*) FROM audit_events WHERE type = 'rollout.default_flipped'");

    [StoreFact]
    public async Task The_default_flip_and_its_event_are_one_commit()
    {
        var store = await NewStoreAsync();
        await using var server = await TestServer.StartAsync(null, store);
        var apiKey = await HalfAdoptedAsync(server);

        // The store fails between the flip and its event (the audit insert refused): neither stays.
        await ExecuteSqlAsync(store, Stores.BreakAuditSql);
        using (var failed = await server.SendAsync(HttpMethod.Get, "/v1/tenants/shop/users/sam/passkey-offer", apiKey: apiKey))
        {
            await TestServer.ProblemAsync(failed, 503, 1016);
        }
        Assert.Equal((0, 0), (await FlipsAsync(store), await FlipEventsAsync(store)));
        Assert.Null((await StatusAsync(server))["flippedAt"]);

        // Once the store works again the next answer flips it, with its one event; later answers add none.
        await ExecuteSqlAsync(store, Stores.RepairAuditSql);
        Assert.True((bool)(await OfferAsync(server, apiKey, "sam"))["passkeyDefault"]!);
        Assert.True((bool)(await OfferAsync(server, apiKey, "pat"))["passkeyDefault"]!);
        Assert.Equal((1, 1), (await FlipsAsync(store), await FlipEventsAsync(store)));
    }

    [StoreFact]
    public async Task Two_nodes_racing_to_flip_record_one_flip_with_one_event()
    {
        var store = await NewStoreAsync();
        await using var first = await TestServer.StartAsync(null, store);
        await using var second = await TestServer.StartAsync(null, store);
        var apiKey = await HalfAdoptedAsync(first);

        // Both nodes see the threshold reached at once, several times over.
        var answers = await Task.WhenAll(Enumerable.Range(0, 16).Select(i => OfferAsync(i % 2 == 0 ? first : second, apiKey, i % 4 < 2 ? "sam" : "pat")));
        Assert.All(answers, a => Assert.True((bool)a["passkeyDefault"]!));
        Assert.Equal((1, 1), (await FlipsAsync(store), await FlipEventsAsync(store)));
        var flips = await second.OkJsonAsync(HttpMethod.Get, "/v1/admin/tenants/shop/audit?type=rollout.default_flipped", bearer: TestServer.AdminKey);
        Assert.Equal("1/2", (string)Assert.Single(flips["events"]!.AsArray())!["details"]!["adoption"]!);
    }
}
