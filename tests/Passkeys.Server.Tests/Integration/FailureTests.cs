using System.Net;
using System.Text.Json.Nodes;
using Passkeys.Server.Tests.Storage;

namespace Passkeys.Server.Tests.Integration;

/// <summary>Every failure the issue names: 4xx problem details with stable codes, never 500; one derived class per store.</summary>
public abstract class FailureTests : IAsyncLifetime
{
    private TestServer _server = null!;

    /// <summary>Starts a server on the store this variant of the suite runs against (a fresh, empty one each call).</summary>
    protected abstract Task<TestServer> StartServerAsync(TimeProvider? time = null, params string[] extraArgs);

    public async Task InitializeAsync() => _server = await StartServerAsync();
    public async Task DisposeAsync() => await _server.DisposeAsync();

    private async Task CreateTenantAsync(string id, string origin)
    {
        using var r = await _server.SendAsync(HttpMethod.Post, "/v1/admin/tenants",
            // The rpId is the origin's host: a web origin must be on its tenant's rpId.
            new { id, rpId = new Uri(origin).Host, rpName = id, origins = new[] { origin }, selfSignUp = true }, bearer: TestServer.AdminKey);
        Assert.Equal(HttpStatusCode.Created, r.StatusCode);
    }

    [StoreFact]
    public async Task Replayed_response_is_refused()
    {
        var client = TestServer.NewClient();
        await _server.SignUpAsync(client, "alice");
        var begin = await _server.OkJsonAsync(HttpMethod.Post, "/v1/tenants/default/authentication/begin", new { });
        var body = TestServer.FinishBody(begin, await client.GetAsync(begin["options"]!.ToJsonString()));
        using (var first = await _server.SendAsync(HttpMethod.Post, "/v1/tenants/default/authentication/finish", body))
        {
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        }
        using var replay = await _server.SendAsync(HttpMethod.Post, "/v1/tenants/default/authentication/finish", body);
        await TestServer.ProblemAsync(replay, 400, 1009);
    }

    [StoreFact]
    public async Task Concurrent_finishes_of_one_response_succeed_at_most_once()
    {
        var client = TestServer.NewClient();
        await _server.SignUpAsync(client, "race");
        var begin = await _server.OkJsonAsync(HttpMethod.Post, "/v1/tenants/default/authentication/begin", new { });
        var body = TestServer.FinishBody(begin, await client.GetAsync(begin["options"]!.ToJsonString()));
        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => _server.SendAsync(HttpMethod.Post, "/v1/tenants/default/authentication/finish", body)));
        Assert.Equal(1, responses.Count(r => r.StatusCode == HttpStatusCode.OK));
        Assert.All(responses.Where(r => r.StatusCode != HttpStatusCode.OK), r => Assert.Equal(HttpStatusCode.BadRequest, r.StatusCode));
        foreach (var r in responses) r.Dispose();
    }

    [StoreFact]
    public async Task Expired_challenge_is_refused_and_purged_as_abandoned()
    {
        var time = new ManualTime();
        await using var server = await StartServerAsync(time);
        var client = TestServer.NewClient();
        var begin = await server.OkJsonAsync(HttpMethod.Post, "/v1/tenants/default/registration/begin", new { user = new { name = "late" } });
        var created = await client.CreateAsync(begin["options"]!.ToJsonString());
        time.Advance(TimeSpan.FromMinutes(6));
        using var late = await server.SendAsync(HttpMethod.Post, "/v1/tenants/default/registration/finish", TestServer.FinishBody(begin, created));
        await TestServer.ProblemAsync(late, 400, 221);
        using var signIn = await server.SendAsync(HttpMethod.Post, "/v1/tenants/default/authentication/begin", new { username = "late" });
        Assert.Equal(HttpStatusCode.OK, signIn.StatusCode); // nothing was written: "late" is unknown (fake entries)

        // A begun, never finished ceremony is purged after expiry and audited as abandoned.
        await server.OkJsonAsync(HttpMethod.Post, "/v1/tenants/default/authentication/begin", new { });
        time.Advance(TimeSpan.FromMinutes(6));
        var purge = server.Services<Passkeys.Server.Ceremonies.CeremonyPurgeService>();
        Assert.True(await purge.PurgeOnceAsync(default) >= 1);
        var abandoned = await server.OkJsonAsync(HttpMethod.Get, "/v1/admin/tenants/default/audit?outcome=abandoned", bearer: TestServer.AdminKey);
        Assert.NotEmpty(abandoned["events"]!.AsArray());
    }

    [StoreFact]
    public async Task Ceremony_of_another_tenant_and_credential_of_another_tenant_are_refused()
    {
        await CreateTenantAsync("other", TestServer.Origin);
        var client = TestServer.NewClient();
        await _server.SignUpAsync(client, "alice");

        // Ceremony begun at "default", finished at "other".
        var begin = await _server.OkJsonAsync(HttpMethod.Post, "/v1/tenants/default/authentication/begin", new { });
        var body = TestServer.FinishBody(begin, await client.GetAsync(begin["options"]!.ToJsonString()));
        using (var wrongTenant = await _server.SendAsync(HttpMethod.Post, "/v1/tenants/other/authentication/finish", body))
        {
            await TestServer.ProblemAsync(wrongTenant, 400, 1009);
        }

        // A credential registered at "default" used to sign in at "other" (same rpId, so the authenticator offers it).
        var beginOther = await _server.OkJsonAsync(HttpMethod.Post, "/v1/tenants/other/authentication/begin", new { });
        var assertion = await client.GetAsync(beginOther["options"]!.ToJsonString());
        using var foreign = await _server.SendAsync(HttpMethod.Post, "/v1/tenants/other/authentication/finish", TestServer.FinishBody(beginOther, assertion));
        await TestServer.ProblemAsync(foreign, 400, 215);
    }

    [StoreFact]
    public async Task A_passkey_of_another_user_than_the_sign_in_named_is_refused_before_its_suspension_and_signature()
    {
        var alice = TestServer.NewClient();
        await _server.SignUpAsync(alice, "alice");
        var bob = TestServer.NewClient();
        var bobs = await _server.SignUpAsync(bob, "bob");
        var bobAnswer = await bob.GetAsync((await _server.OkJsonAsync(HttpMethod.Post, "/v1/tenants/default/authentication/begin", new { }))["options"]!.ToJsonString());

        // Begun for alice, answered with bob's passkey (to another challenge): the user check comes before the signature's.
        var forAlice = await _server.OkJsonAsync(HttpMethod.Post, "/v1/tenants/default/authentication/begin", new { username = "alice" });
        using (var r = await _server.SendAsync(HttpMethod.Post, "/v1/tenants/default/authentication/finish", TestServer.FinishBody(forAlice, bobAnswer)))
        {
            await TestServer.ProblemAsync(r, 400, 216);
        }

        // Suspended, bob's passkey is still refused for being bob's first, then for its suspension when the sign-in is bob's own.
        await _server.OkJsonAsync(HttpMethod.Post,
            $"/v1/admin/tenants/default/users/{(string)bobs["user"]!["id"]!}/credentials/{(string)bobs["credential"]!["id"]!}/suspend", bearer: TestServer.AdminKey);
        forAlice = await _server.OkJsonAsync(HttpMethod.Post, "/v1/tenants/default/authentication/begin", new { username = "alice" });
        using (var r = await _server.SendAsync(HttpMethod.Post, "/v1/tenants/default/authentication/finish", TestServer.FinishBody(forAlice, bobAnswer)))
        {
            await TestServer.ProblemAsync(r, 400, 216);
        }
        var forBob = await _server.OkJsonAsync(HttpMethod.Post, "/v1/tenants/default/authentication/begin", new { username = "bob" });
        using (var r = await _server.SendAsync(HttpMethod.Post, "/v1/tenants/default/authentication/finish", TestServer.FinishBody(forBob, bobAnswer)))
        {
            await TestServer.ProblemAsync(r, 403, 1100);
        }
        // Each refusal is audited with its code (newest first).
        var failed = (await _server.OkJsonAsync(HttpMethod.Get, "/v1/admin/tenants/default/audit?outcome=failed", bearer: TestServer.AdminKey))["events"]!.AsArray();
        Assert.Equal([1100, 216, 216], failed.Select(e => (int)e!["errorCode"]!).Take(3));
    }

    [StoreFact]
    public async Task A_finish_refuses_the_ceremony_first_then_the_response_then_the_credential()
    {
        var time = new ManualTime();
        await using var server = await StartServerAsync(time);
        var alice = TestServer.NewClient();
        var signedUp = await server.SignUpAsync(alice, "alice");
        var aliceId = (string)signedUp["user"]!["id"]!;
        const string finish = "/v1/tenants/default/authentication/finish";
        static string Body(string ceremonyId, JsonNode response) => new JsonObject { ["ceremonyId"] = ceremonyId, ["response"] = response }.ToJsonString();
        var notACredential = new JsonObject { ["id"] = "AAAA" };

        // A response that does not parse: the ceremony's refusals still come first.
        using (var r = await server.SendAsync(HttpMethod.Post, finish, Body("no-such-ceremony", notACredential.DeepClone())))
        {
            await TestServer.ProblemAsync(r, 400, 1009);
        }
        var registration = await server.OkJsonAsync(HttpMethod.Post, "/v1/tenants/default/registration/begin", new { user = new { name = "carol" } });
        using (var r = await server.SendAsync(HttpMethod.Post, finish, Body((string)registration["ceremonyId"]!, notACredential.DeepClone())))
        {
            await TestServer.ProblemAsync(r, 400, 1009); // a ceremony of another kind
        }
        var expired = await server.OkJsonAsync(HttpMethod.Post, "/v1/tenants/default/authentication/begin", new { username = "alice" });
        time.Advance(TimeSpan.FromMinutes(6));
        using (var r = await server.SendAsync(HttpMethod.Post, finish, Body((string)expired["ceremonyId"]!, notACredential.DeepClone())))
        {
            await TestServer.ProblemAsync(r, 400, 221);
        }
        // A live ceremony: the response's own refusal, audited with the user the ceremony was for.
        var live = await server.OkJsonAsync(HttpMethod.Post, "/v1/tenants/default/authentication/begin", new { username = "alice" });
        using (var r = await server.SendAsync(HttpMethod.Post, finish, Body((string)live["ceremonyId"]!, notACredential.DeepClone())))
        {
            Assert.True(await ReadCodeAsync(r) is > 0 and < 1000);
        }
        // A response that parses and names no credential of the tenant: CredentialNotFound, audited with the credential's id.
        live = await server.OkJsonAsync(HttpMethod.Post, "/v1/tenants/default/authentication/begin", new { });
        var answer = JsonNode.Parse(await alice.GetAsync(live["options"]!.ToJsonString()))!;
        (answer["id"], answer["rawId"]) = ("AAAAAAAAAAAAAAAAAAAAAA", "AAAAAAAAAAAAAAAAAAAAAA");
        using (var r = await server.SendAsync(HttpMethod.Post, finish, Body((string)live["ceremonyId"]!, answer)))
        {
            await TestServer.ProblemAsync(r, 400, 215);
        }
        var failed = (await server.OkJsonAsync(HttpMethod.Get, "/v1/admin/tenants/default/audit?outcome=failed&ceremony=authentication", bearer: TestServer.AdminKey))["events"]!
            .AsArray().Select(e => e!).ToList();
        Assert.Equal([215, (int)failed[1]["errorCode"]!, 221, 1009, 1009], failed.Select(e => (int)e["errorCode"]!));
        Assert.Equal((null, "AAAAAAAAAAAAAAAAAAAAAA"), ((string?)failed[0]["userId"], (string?)failed[0]["credentialId"]));
        Assert.Equal((aliceId, null), ((string?)failed[1]["userId"], (string?)failed[1]["credentialId"]));
        // An expired ceremony is refused before its user is taken (as ever: only a live ceremony's user is known).
        Assert.Equal((null, null), ((string?)failed[2]["userId"], (string?)failed[2]["credentialId"]));
    }

    [StoreFact]
    public async Task Unknown_tenant_is_404()
    {
        using var r = await _server.SendAsync(HttpMethod.Post, "/v1/tenants/nope/authentication/begin", new { });
        await TestServer.ProblemAsync(r, 404, 1008);
        using var bad = await _server.SendAsync(HttpMethod.Get, "/v1/tenants/NOT%20VALID/jwks.json");
        await TestServer.ProblemAsync(bad, 404, 1008);
    }

    [StoreFact]
    public async Task Wrong_revoked_and_other_tenant_api_keys_are_401()
    {
        await CreateTenantAsync("shop", "https://shop.example");
        var key = await _server.CreateApiKeyAsync();
        var shopKey = await _server.CreateApiKeyAsync("shop");
        var path = "/v1/tenants/default/users/u1/credentials";
        using (var wrong = await _server.SendAsync(HttpMethod.Get, path, apiKey: key[..^2] + "xx")) await TestServer.ProblemAsync(wrong, 401, 1006);
        using (var garbage = await _server.SendAsync(HttpMethod.Get, path, apiKey: "nonsense")) await TestServer.ProblemAsync(garbage, 401, 1006);
        using (var none = await _server.SendAsync(HttpMethod.Get, path)) await TestServer.ProblemAsync(none, 401, 1006);
        using (var foreign = await _server.SendAsync(HttpMethod.Get, path, apiKey: shopKey)) await TestServer.ProblemAsync(foreign, 401, 1006);
        using (var ok = await _server.SendAsync(HttpMethod.Get, path, apiKey: key)) await TestServer.ProblemAsync(ok, 404, 1010); // authorized; user unknown

        var keyId = key.Split('_')[1];
        using (var revoke = await _server.SendAsync(HttpMethod.Delete, $"/v1/admin/tenants/default/api-keys/{keyId}", bearer: TestServer.AdminKey))
        {
            Assert.Equal(HttpStatusCode.NoContent, revoke.StatusCode);
        }
        using (var revoked = await _server.SendAsync(HttpMethod.Get, path, apiKey: key)) await TestServer.ProblemAsync(revoked, 401, 1006);
        using (var regRevoked = await _server.SendAsync(HttpMethod.Post, "/v1/tenants/default/registration/begin", new { user = new { id = "x", name = "x" } }, apiKey: key))
        {
            await TestServer.ProblemAsync(regRevoked, 401, 1006);
        }
        using (var noAdmin = await _server.SendAsync(HttpMethod.Get, "/v1/admin/tenants", bearer: "wrong")) await TestServer.ProblemAsync(noAdmin, 401, 1006);
        using (var badToken = await _server.SendAsync(HttpMethod.Get, "/v1/tenants/default/me/credentials", bearer: "a.b.c")) await TestServer.ProblemAsync(badToken, 401, 1006);
    }

    [StoreFact]
    public async Task A_token_of_one_tenant_is_not_accepted_by_another()
    {
        await CreateTenantAsync("other", TestServer.Origin);
        var signUp = await _server.SignUpAsync(TestServer.NewClient(), "alice");
        using var r = await _server.SendAsync(HttpMethod.Get, "/v1/tenants/other/me/credentials", bearer: (string)signUp["token"]!);
        await TestServer.ProblemAsync(r, 401, 1006);
    }

    [StoreFact]
    public async Task Self_sign_up_disabled_is_403_and_taken_username_is_409()
    {
        await _server.SignUpAsync(TestServer.NewClient(), "alice");
        using (var taken = await _server.SendAsync(HttpMethod.Post, "/v1/tenants/default/registration/begin", new { user = new { name = "alice" } }))
        {
            await TestServer.ProblemAsync(taken, 409, 1012);
        }
        using (var create = await _server.SendAsync(HttpMethod.Post, "/v1/admin/tenants",
            new { id = "closed", rpId = "localhost", rpName = "Closed", origins = new[] { TestServer.Origin } }, bearer: TestServer.AdminKey))
        {
            Assert.Equal(HttpStatusCode.Created, create.StatusCode);
        }
        using var closed = await _server.SendAsync(HttpMethod.Post, "/v1/tenants/closed/registration/begin", new { user = new { name = "bob" } });
        await TestServer.ProblemAsync(closed, 403, 1007);
    }

    [StoreFact]
    public async Task Wrong_origin_fails_with_the_library_code_and_writes_only_an_audit_event()
    {
        var evil = TestServer.NewClient("http://localhost:6666");
        var begin = await _server.OkJsonAsync(HttpMethod.Post, "/v1/tenants/default/registration/begin", new { user = new { name = "mallory" } });
        var created = await evil.CreateAsync(begin["options"]!.ToJsonString());
        using var r = await _server.SendAsync(HttpMethod.Post, "/v1/tenants/default/registration/finish", TestServer.FinishBody(begin, created));
        await TestServer.ProblemAsync(r, 400, 203);
        var users = await _server.OkJsonAsync(HttpMethod.Get, "/v1/admin/tenants/default/users", bearer: TestServer.AdminKey);
        Assert.Empty(users["users"]!.AsArray());
        var failed = await _server.OkJsonAsync(HttpMethod.Get, "/v1/admin/tenants/default/audit?outcome=failed", bearer: TestServer.AdminKey);
        Assert.Equal(203, (int)failed["events"]![0]!["errorCode"]!);
    }

    [StoreTheory]
    [InlineData("not json")]
    [InlineData("{\"ceremonyId\": 5, \"response\": {}}")]
    [InlineData("{\"response\": {}}")]
    [InlineData("{\"ceremonyId\": null, \"response\": {}}")]
    [InlineData("[]")]
    [InlineData("")]
    public async Task Malformed_bodies_are_400(string body)
    {
        using var r = await _server.SendAsync(HttpMethod.Post, "/v1/tenants/default/authentication/finish", body);
        await TestServer.ProblemAsync(r, 400, 1000);
    }

    [StoreFact]
    public async Task A_response_that_is_not_a_credential_is_a_library_error()
    {
        var begin = await _server.OkJsonAsync(HttpMethod.Post, "/v1/tenants/default/authentication/begin", new { });
        using var r = await _server.SendAsync(HttpMethod.Post, "/v1/tenants/default/authentication/finish",
            new JsonObject { ["ceremonyId"] = (string)begin["ceremonyId"]!, ["response"] = new JsonObject { ["id"] = "AAAA" } }.ToJsonString());
        var problem = await TestServer.ProblemAsync(r, 400, (int)(await ReadCodeAsync(r)));
        Assert.True((int)problem["code"]! < 1000);
    }

    private static async Task<int> ReadCodeAsync(HttpResponseMessage r) => (int)JsonNode.Parse(await r.Content.ReadAsStringAsync())!["code"]!;

    [StoreFact]
    public async Task Oversize_body_is_413_wrong_media_type_415_unknown_route_404_wrong_method_405()
    {
        var big = "{\"ceremonyId\":\"" + new string('a', 70_000) + "\",\"response\":{}}";
        using (var r = await _server.SendAsync(HttpMethod.Post, "/v1/tenants/default/authentication/finish", big)) await TestServer.ProblemAsync(r, 413, 1002);
        using (var request = new HttpRequestMessage(HttpMethod.Post, "/v1/tenants/default/authentication/begin") { Content = new StringContent("{}", System.Text.Encoding.UTF8, "text/plain") })
        using (var r = await _server.Http.SendAsync(request)) await TestServer.ProblemAsync(r, 415, 1003);
        using (var r = await _server.SendAsync(HttpMethod.Get, "/v1/nothing-here")) await TestServer.ProblemAsync(r, 404, 1004);
        using (var r = await _server.SendAsync(HttpMethod.Put, "/v1/tenants/default/authentication/begin", "{}")) await TestServer.ProblemAsync(r, 405, 1005);
        using (var r = await _server.SendAsync(HttpMethod.Patch, "/v1/tenants/default/me/credentials/!!!", new { name = "x" })) await TestServer.ProblemAsync(r, 401, 1006);
    }

    [StoreFact]
    public async Task Cors_allows_only_the_tenant_origins()
    {
        async Task<string?> PreflightAsync(string origin)
        {
            using var request = new HttpRequestMessage(HttpMethod.Options, "/v1/tenants/default/authentication/begin");
            request.Headers.Add("Origin", origin);
            request.Headers.Add("Access-Control-Request-Method", "POST");
            using var r = await _server.Http.SendAsync(request);
            return r.Headers.TryGetValues("Access-Control-Allow-Origin", out var v) ? v.Single() : null;
        }
        Assert.Equal(TestServer.Origin, await PreflightAsync(TestServer.Origin));
        Assert.Null(await PreflightAsync("https://evil.example"));
    }

    [StoreFact]
    public async Task A_page_on_a_tenant_origin_can_read_when_to_retry_a_recovery()
    {
        await using var server = await StartServerAsync(null, "--Passkeys:Recovery:AttemptsPerAccount=1");
        async Task<HttpResponseMessage> RedeemFromPageAsync()
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/tenants/default/recovery/redeem")
            {
                Content = System.Net.Http.Json.JsonContent.Create(new { username = "x", code = "AAAA-AAAA-AAAA-AAAA" }),
            };
            request.Headers.Add("Origin", TestServer.Origin);
            return await server.Http.SendAsync(request);
        }
        using (var first = await RedeemFromPageAsync())
        {
            await TestServer.ProblemAsync(first, 400, 1013);
        }
        using var exhausted = await RedeemFromPageAsync();
        await TestServer.ProblemAsync(exhausted, 429, 1032);
        Assert.True(exhausted.Headers.RetryAfter?.Delta > TimeSpan.Zero);
        // Without this the browser hides Retry-After from the page, which then cannot say "try again in 15 minutes".
        Assert.Equal(TestServer.Origin, exhausted.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.Contains("Retry-After", exhausted.Headers.GetValues("Access-Control-Expose-Headers").SelectMany(v => v.Split(',', StringSplitOptions.TrimEntries)));
    }

    [StoreFact]
    public async Task Recovery_attempts_are_rate_limited_with_retry_after()
    {
        await using var server = await StartServerAsync(null, "--Passkeys:RateLimits:Enabled=true", "--Passkeys:RateLimits:RecoveryPerAddress=3");
        for (var i = 0; i < 3; i++)
        {
            using var attempt = await server.SendAsync(HttpMethod.Post, "/v1/tenants/default/recovery/redeem", new { username = "x", code = "AAAA-AAAA" });
            await TestServer.ProblemAsync(attempt, 400, 1013);
        }
        using var limited = await server.SendAsync(HttpMethod.Post, "/v1/tenants/default/recovery/redeem", new { username = "x", code = "AAAA-AAAA" });
        await TestServer.ProblemAsync(limited, 429, 1014);
        Assert.True(limited.Headers.RetryAfter is not null);
    }
}
