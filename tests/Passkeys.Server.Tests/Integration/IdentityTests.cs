using System.Text.Json.Nodes;
using Passkeys.Server.Tests.Storage;

namespace Passkeys.Server.Tests.Integration;

/// <summary>
/// Identities that look alike, fake credentials for unknown names, recovery grants and codes, over
/// real HTTP; one derived class per store. Servers started on the same <see cref="StoreArgs"/>
/// share one store, as after a restart or as two nodes.
/// </summary>
public abstract class IdentityTests(TestStores stores) : StoreSuite(stores)
{
    private static Task<TestServer> StartAsync(string[] store, params string[] extra) => TestServer.StartAsync(null, [.. store, .. extra]);

    private static async Task<JsonNode> BeginAsync(TestServer server, object body, string? apiKey = null) =>
        await server.OkJsonAsync(HttpMethod.Post, "/v1/tenants/default/registration/begin", body, apiKey: apiKey);

    [StoreFact]
    public async Task Names_that_only_look_different_are_one_account()
    {
        var store = await NewStoreAsync();
        await using var server = await StartAsync(store);
        var alice = await server.SignUpAsync(TestServer.NewClient(), "alice");
        var credentialId = (string)alice["credential"]!["id"]!;

        foreach (var lookalike in new[] { "ALICE", "Alice", "ＡＬＩＣＥ", " alice " })
        {
            using var taken = await server.SendAsync(HttpMethod.Post, "/v1/tenants/default/registration/begin", new { user = new { name = lookalike } });
            await TestServer.ProblemAsync(taken, 409, 1012);
        }
        // The app's own registration (API key) is held to the same key.
        var apiKey = await server.CreateApiKeyAsync();
        using (var byApp = await server.SendAsync(HttpMethod.Post, "/v1/tenants/default/registration/begin",
            new { user = new { id = "app-7", name = "ALICE" } }, apiKey: apiKey))
        {
            await TestServer.ProblemAsync(byApp, 409, 1012);
        }
        // Sign-in by any spelling of the name offers alice's passkey.
        var begin = await server.OkJsonAsync(HttpMethod.Post, "/v1/tenants/default/authentication/begin", new { username = "ALICE" });
        Assert.Equal([credentialId], begin["options"]!["allowCredentials"]!.AsArray().Select(c => (string)c!["id"]!));
    }

    [StoreFact]
    public async Task Asking_whether_a_name_is_taken_is_rate_limited_like_every_ceremony_call()
    {
        // With self sign-up on, 409 UsernameTaken says the name exists (inherent to open sign-up);
        // the per-address ceremony budget bounds how fast names can be tried.
        var store = await NewStoreAsync();
        await using var server = await StartAsync(store, "--Passkeys:RateLimits:Enabled=true", "--Passkeys:RateLimits:CeremonyPerAddress=3");
        await server.SignUpAsync(TestServer.NewClient(), "ivy"); // begin + finish: two of the three
        using (var taken = await server.SendAsync(HttpMethod.Post, "/v1/tenants/default/registration/begin", new { user = new { name = "IVY" } }))
        {
            await TestServer.ProblemAsync(taken, 409, 1012);
        }
        using var limited = await server.SendAsync(HttpMethod.Post, "/v1/tenants/default/registration/begin", new { user = new { name = "ivy2" } });
        await TestServer.ProblemAsync(limited, 429, 1014);
        Assert.NotNull(limited.Headers.RetryAfter);
    }

    [StoreFact]
    public async Task Invisible_characters_and_mixed_scripts_are_refused_with_the_rule()
    {
        var store = await NewStoreAsync();
        await using var server = await StartAsync(store);
        await server.SignUpAsync(TestServer.NewClient(), "alice");
        foreach (var (name, code) in new[] { ("alice\u200b", 1030), ("al ice", 1030), ("\u0430lice", 1031), ("b\u03bfb", 1031) })
        {
            using var refused = await server.SendAsync(HttpMethod.Post, "/v1/tenants/default/registration/begin", new { user = new { name } });
            var problem = await TestServer.ProblemAsync(refused, 400, code);
            Assert.Contains(Passkeys.Server.Security.Usernames.UsernameRules.Rule, (string)problem["detail"]!, StringComparison.Ordinal);
        }
        // A name in one other script, or Latin with Japanese, is fine.
        await server.SignUpAsync(TestServer.NewClient(), "Дмитрий");
        await server.SignUpAsync(TestServer.NewClient(), "taroやまだ");
    }

    [StoreFact]
    public async Task Rows_from_before_name_keys_get_keys_and_a_later_look_alike_is_renamed()
    {
        var store = await NewStoreAsync();
        await (await StartAsync(store)).DisposeAsync(); // creates the schema
        // As an older version left them: no name_key, and names that differ only by case or an invisible character.
        await ExecuteSqlAsync(store,
            "INSERT INTO users (tenant_id, id, handle, name, display_name, created_at) VALUES " +
            $"('default', 'u1', {BytesLiteral(1)}, 'alice', 'Alice', {TimeLiteral(1)}), " +
            $"('default', 'u2', {BytesLiteral(2)}, 'ALICE', 'Alice 2', {TimeLiteral(2)}), " +
            $"('default', 'u3', {BytesLiteral(3)}, 'alice\u200b', 'Alice 3', {TimeLiteral(3)}), " +
            $"('default', 'u4', {BytesLiteral(4)}, 'bob', 'Bob', {TimeLiteral(4)})");

        await using var server = await StartAsync(store);
        var users = (await server.OkJsonAsync(HttpMethod.Get, "/v1/admin/tenants/default/users", bearer: TestServer.AdminKey))["users"]!.AsArray()
            .ToDictionary(u => (string)u!["id"]!, u => (string)u!["name"]!);
        Assert.Equal("alice", users["u1"]);   // the oldest keeps its name
        Assert.Equal("ALICE~2", users["u2"]);
        Assert.Equal("alice\u200b~3", users["u3"]);
        Assert.Equal("bob", users["u4"]);
        var audit = await server.OkJsonAsync(HttpMethod.Get, "/v1/admin/tenants/default/audit?userId=u2", bearer: TestServer.AdminKey);
        Assert.Contains(audit["events"]!.AsArray(), e => ((string?)e!["error"])?.Contains("renamed to 'ALICE~2'", StringComparison.Ordinal) == true);
        // Lookups use the keys now: "Alice" is u1, the renamed one is found by its new name.
        var apiKey = await server.CreateApiKeyAsync();
        using (var taken = await server.SendAsync(HttpMethod.Post, "/v1/tenants/default/registration/begin", new { user = new { name = "Alice" } }))
        {
            await TestServer.ProblemAsync(taken, 409, 1012);
        }
        var renamed = await BeginAsync(server, new { user = new { id = "u2", name = "ignored" } }, apiKey);
        Assert.Equal("ALICE~2", (string)renamed["options"]!["user"]!["name"]!);
    }

    [StoreFact]
    public async Task Fake_credentials_survive_a_restart_and_look_like_the_tenants_real_ones()
    {
        var store = await NewStoreAsync();
        List<string> before;
        JsonNode real;
        await using (var first = await StartAsync(store))
        {
            await first.SignUpAsync(TestServer.NewClient(), "carol");
            real = await first.OkJsonAsync(HttpMethod.Post, "/v1/tenants/default/authentication/begin", new { username = "carol" });
            before = await FakeIdsAsync(first, "nobody");
            Assert.Equal(before, await FakeIdsAsync(first, "NOBODY")); // same as the account would be
        }
        await using var second = await StartAsync(store);
        Assert.Equal(before, await FakeIdsAsync(second, "nobody"));

        var fake = await second.OkJsonAsync(HttpMethod.Post, "/v1/tenants/default/authentication/begin", new { username = "nobody" });
        var realOptions = real["options"]!.AsObject();
        var fakeOptions = fake["options"]!.AsObject();
        // Same members, same timeout, and each descriptor shaped like the real one (transports, id length).
        Assert.Equal(realOptions.Select(p => p.Key).Order(), fakeOptions.Select(p => p.Key).Order());
        Assert.Equal((long)realOptions["timeout"]!, (long)fakeOptions["timeout"]!);
        var realDescriptor = realOptions["allowCredentials"]![0]!.AsObject();
        foreach (var descriptor in fakeOptions["allowCredentials"]!.AsArray().Select(d => d!.AsObject()))
        {
            Assert.Equal(realDescriptor.Select(p => p.Key).Order(), descriptor.Select(p => p.Key).Order());
            Assert.Equal(realDescriptor["transports"]!.ToJsonString(), descriptor["transports"]!.ToJsonString());
            Assert.Equal(((string)realDescriptor["id"]!).Length, ((string)descriptor["id"]!).Length);
        }
    }

    private static async Task<List<string>> FakeIdsAsync(TestServer server, string username) =>
        (await server.OkJsonAsync(HttpMethod.Post, "/v1/tenants/default/authentication/begin", new { username }))["options"]!["allowCredentials"]!
            .AsArray().Select(c => (string)c!["id"]!).ToList();

    [StoreFact]
    public async Task A_recovery_grant_sent_as_a_ceremony_id_burns_nothing()
    {
        var store = await NewStoreAsync();
        await using var server = await StartAsync(store);
        var signUp = await server.SignUpAsync(TestServer.NewClient(), "dave");
        var codes = await server.OkJsonAsync(HttpMethod.Post, "/v1/tenants/default/me/recovery-codes", bearer: (string)signUp["token"]!);
        var redeem = await server.OkJsonAsync(HttpMethod.Post, "/v1/tenants/default/recovery/redeem", new { username = "dave", code = (string)codes["codes"]![0]! });
        var grant = (string)redeem["recoveryGrant"]!;

        // Neither the grant nor its stored form is a ceremony id any finish endpoint takes.
        var hashed = Passkeys.Server.Security.RecoveryGrants.CeremonyId(grant);
        foreach (var path in new[] { "registration/finish", "authentication/finish", "step-up/finish" })
        {
            foreach (var id in new[] { "grant:" + grant, hashed })
            {
                using var finish = await server.SendAsync(HttpMethod.Post, $"/v1/tenants/default/{path}", new { ceremonyId = id, response = new { } });
                await TestServer.ProblemAsync(finish, 400, 1009);
            }
        }
        // The stored id is not the grant either.
        using (var asGrant = await server.SendAsync(HttpMethod.Post, "/v1/tenants/default/registration/begin", new { recoveryGrant = hashed }))
        {
            await TestServer.ProblemAsync(asGrant, 401, 1006);
        }
        // The grant still works for its owner.
        var begin = await BeginAsync(server, new { recoveryGrant = grant });
        var replacement = TestServer.NewClient();
        var created = await replacement.CreateAsync(begin["options"]!.ToJsonString());
        await server.OkJsonAsync(HttpMethod.Post, "/v1/tenants/default/registration/finish", TestServer.FinishBody(begin, created));
    }

    [StoreFact]
    public async Task Recovery_codes_are_four_groups_of_four_read_in_any_case_and_spacing()
    {
        var store = await NewStoreAsync();
        await using var server = await StartAsync(store);
        var signUp = await server.SignUpAsync(TestServer.NewClient(), "erin");
        var codes = (await server.OkJsonAsync(HttpMethod.Post, "/v1/tenants/default/me/recovery-codes", bearer: (string)signUp["token"]!))["codes"]!
            .AsArray().Select(c => (string)c!).ToList();
        Assert.Equal(10, codes.Count);
        Assert.All(codes, c => Assert.Matches("^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}$", c));
        foreach (var typed in new[] { codes[0].ToLowerInvariant(), codes[1].Replace("-", "", StringComparison.Ordinal), codes[2].Replace('-', ' ') })
        {
            await server.OkJsonAsync(HttpMethod.Post, "/v1/tenants/default/recovery/redeem", new { username = "ERIN", code = typed });
        }
    }

    [StoreFact]
    public async Task Recovery_code_guesses_have_a_per_account_budget_with_retry_after()
    {
        var store = await NewStoreAsync();
        await using var server = await StartAsync(store, "--Passkeys:Recovery:AttemptsPerAccount=3");
        var signUp = await server.SignUpAsync(TestServer.NewClient(), "frank");
        var code = (string)(await server.OkJsonAsync(HttpMethod.Post, "/v1/tenants/default/me/recovery-codes", bearer: (string)signUp["token"]!))["codes"]![0]!;
        for (var i = 0; i < 3; i++)
        {
            using var wrong = await server.SendAsync(HttpMethod.Post, "/v1/tenants/default/recovery/redeem", new { username = "frank", code = "0000-0000-0000-0000" });
            await TestServer.ProblemAsync(wrong, 400, 1013);
        }
        // Now even the right code is refused until the window ends, under any spelling of the name.
        using var limited = await server.SendAsync(HttpMethod.Post, "/v1/tenants/default/recovery/redeem", new { username = "FRANK", code });
        await TestServer.ProblemAsync(limited, 429, 1032);
        Assert.NotNull(limited.Headers.RetryAfter?.Delta);
        // Another account's budget is its own.
        using var other = await server.SendAsync(HttpMethod.Post, "/v1/tenants/default/recovery/redeem", new { username = "someone", code });
        await TestServer.ProblemAsync(other, 400, 1013);
    }

    [StoreFact]
    public async Task Making_new_recovery_codes_has_a_small_budget()
    {
        var store = await NewStoreAsync();
        await using var server = await StartAsync(store, "--Passkeys:Recovery:GenerationsPerAccount=2");
        var token = (string)(await server.SignUpAsync(TestServer.NewClient(), "gina"))["token"]!;
        for (var i = 0; i < 2; i++)
        {
            await server.OkJsonAsync(HttpMethod.Post, "/v1/tenants/default/me/recovery-codes", bearer: token);
        }
        using var limited = await server.SendAsync(HttpMethod.Post, "/v1/tenants/default/me/recovery-codes", bearer: token);
        await TestServer.ProblemAsync(limited, 429, 1033);
        Assert.NotNull(limited.Headers.RetryAfter?.Delta);
    }
}
