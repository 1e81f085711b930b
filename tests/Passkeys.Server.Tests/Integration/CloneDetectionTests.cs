using System.Net;
using System.Text.Json.Nodes;
using Passkeys.Authenticator;
using Passkeys.Authenticator.Client;
using Passkeys.Server.Tests.Storage;

namespace Passkeys.Server.Tests.Integration;

/// <summary>
/// A cloned passkey (the software authenticator's store copied into a second authenticator) over
/// real HTTP: the counter that does not grow suspends the credential, every copy is refused with
/// CredentialSuspended (1100) until the user, signed in with another passkey, reinstates it.
/// One derived class per store.
/// </summary>
public abstract class CloneDetectionTests(TestStores stores) : StoreSuite(stores)
{
    private const string Me = "/v1/tenants/default/me/credentials";

    private static SoftwareClient CopyOf(SoftwareClient original) =>
        TestServer.NewClient(authenticator: new SoftwareAuthenticator(store: CredentialStore.FromJson(original.Authenticator.Store.ToJson())));

    /// <summary>Begins a usernameless sign-in and has <paramref name="client"/> answer it; returns the finish body.</summary>
    private static async Task<string> AnswerAsync(TestServer server, SoftwareClient client)
    {
        var begin = await server.OkJsonAsync(HttpMethod.Post, "/v1/tenants/default/authentication/begin", new { });
        return TestServer.FinishBody(begin, await client.GetAsync(begin["options"]!.ToJsonString()));
    }

    private static async Task RefusedAsSuspendedAsync(TestServer server, SoftwareClient client)
    {
        using var refused = await server.SendAsync(HttpMethod.Post, "/v1/tenants/default/authentication/finish", await AnswerAsync(server, client));
        var problem = await TestServer.ProblemAsync(refused, 403, 1100);
        Assert.Equal("CredentialSuspended", (string)problem["error"]!);
    }

    private static async Task<JsonNode> CredentialAsync(TestServer server, string token, string id) =>
        (await server.OkJsonAsync(HttpMethod.Get, Me, bearer: token))["credentials"]!.AsArray().Single(c => (string)c!["id"]! == id)!;

    /// <summary>Adds a second passkey to the signed-in user (a new authenticator); returns its client.</summary>
    private static async Task<SoftwareClient> AddPasskeyAsync(TestServer server, string token)
    {
        var other = TestServer.NewClient();
        var begin = await server.OkJsonAsync(HttpMethod.Post, "/v1/tenants/default/registration/begin", new { }, bearer: token);
        await server.OkJsonAsync(HttpMethod.Post, "/v1/tenants/default/registration/finish", TestServer.FinishBody(begin, await other.CreateAsync(begin["options"]!.ToJsonString())));
        return other;
    }

    [StoreFact]
    public async Task A_copied_passkey_suspends_the_credential_and_every_copy_is_refused_until_reinstated()
    {
        await using var server = await TestServer.StartAsync(null, await NewStoreAsync());
        var original = TestServer.NewClient();
        var signUp = await server.SignUpAsync(original, "carol");
        var credentialId = (string)signUp["credential"]!["id"]!;
        var firstToken = (string)signUp["token"]!;
        Assert.Equal("active", (string)signUp["credential"]!["status"]!);
        var other = await AddPasskeyAsync(server, firstToken);

        var copy = CopyOf(original);
        await server.SignInAsync(original); // the original's counter moves ahead of the copy's
        await RefusedAsSuspendedAsync(server, copy); // counter behind: suspended, refused
        await RefusedAsSuspendedAsync(server, original); // whichever copy presents it
        await RefusedAsSuspendedAsync(server, copy);

        // Its sessions ended with it (one may be the copy's): the refresh token is refused.
        using (var refresh = await server.SendAsync(HttpMethod.Post, "/v1/tenants/default/sessions/refresh", new { refreshToken = (string)signUp["refreshToken"]! }))
        {
            await TestServer.ProblemAsync(refresh, 401, 1020);
        }
        var otherToken = (string)(await server.SignInAsync(other))["token"]!;
        var view = await CredentialAsync(server, otherToken, credentialId);
        Assert.Equal(("suspended", "clone-suspected"), ((string)view["status"]!, (string)view["suspendedReason"]!));
        Assert.NotNull(view["suspendedAt"]);

        // A session of the suspended passkey itself (a clone may hold one) cannot turn it back on.
        using (var bySelf = await server.SendAsync(HttpMethod.Post, $"{Me}/{credentialId}/reinstate", bearer: firstToken))
        {
            await TestServer.ProblemAsync(bySelf, 403, 1100);
        }
        var reinstated = await server.OkJsonAsync(HttpMethod.Post, $"{Me}/{credentialId}/reinstate", bearer: otherToken);
        Assert.Equal("active", (string)reinstated["status"]!);
        Assert.Null(reinstated["suspendedReason"]);
        await server.SignInAsync(original);

        var audit = await server.OkJsonAsync(HttpMethod.Get, "/v1/admin/tenants/default/audit?ceremony=credential", bearer: TestServer.AdminKey);
        var outcomes = audit["events"]!.AsArray().Where(e => (string?)e!["credentialId"] == credentialId).Select(e => (string)e!["outcome"]!).ToList();
        Assert.Contains("suspended", outcomes);
        Assert.Contains("reinstated", outcomes);
        // The server suspended it (actor system), saying why; the user reinstated it.
        var suspended = Assert.Single((await server.OkJsonAsync(HttpMethod.Get, "/v1/admin/tenants/default/audit?type=credential.suspended", bearer: TestServer.AdminKey))
            ["events"]!.AsArray())!;
        Assert.Equal(("system", "credential", credentialId, "clone-suspected"),
            ((string)suspended["actor"]!["kind"]!, (string)suspended["target"]!["kind"]!, (string)suspended["target"]!["id"]!, (string)suspended["details"]!["reason"]!));
        var reinstatedEvent = Assert.Single((await server.OkJsonAsync(HttpMethod.Get, "/v1/admin/tenants/default/audit?type=credential.reinstated", bearer: TestServer.AdminKey))
            ["events"]!.AsArray())!;
        Assert.Equal("user", (string)reinstatedEvent["actor"]!["kind"]!);
    }

    [StoreFact]
    public async Task Concurrent_sign_ins_of_a_passkey_and_its_copy_end_suspended_and_never_fail_otherwise()
    {
        await using var server = await TestServer.StartAsync(null, await NewStoreAsync());
        var original = TestServer.NewClient();
        var credentialId = (string)(await server.SignUpAsync(original, "dave"))["credential"]!["id"]!;
        var copy = CopyOf(original);
        var bodies = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            bodies.Add(await AnswerAsync(server, original));
            bodies.Add(await AnswerAsync(server, copy));
        }
        var responses = await Task.WhenAll(bodies.Select(b => server.SendAsync(HttpMethod.Post, "/v1/tenants/default/authentication/finish", b)));
        foreach (var r in responses)
        {
            // Each either signed in, or was refused as suspended: nothing else (no 500, no other refusal).
            if (r.StatusCode != HttpStatusCode.OK)
            {
                await TestServer.ProblemAsync(r, 403, 1100);
            }
            r.Dispose();
        }
        // Whatever order they committed in (all may have passed: each verified against a stored
        // counter the others had not yet raised), the stored counter is the highest one seen, so
        // once the original signs in once more the copy's next counter is not above it: refused
        // and suspended (if it was not already), and from then on the original too.
        using (var next = await server.SendAsync(HttpMethod.Post, "/v1/tenants/default/authentication/finish", await AnswerAsync(server, original)))
        {
            if (next.StatusCode != HttpStatusCode.OK)
            {
                await TestServer.ProblemAsync(next, 403, 1100);
            }
        }
        await RefusedAsSuspendedAsync(server, copy);
        await RefusedAsSuspendedAsync(server, original);
        var userId = await UserIdAsync(server, "dave");
        var detail = await server.OkJsonAsync(HttpMethod.Get, "/v1/admin/tenants/default/users/" + userId, bearer: TestServer.AdminKey);
        var view = detail["credentials"]!.AsArray().Single(c => (string)c!["id"]! == credentialId)!;
        Assert.Equal("suspended", (string)view["status"]!);

        // The admin reinstates; the original signs in again.
        await server.OkJsonAsync(HttpMethod.Post, $"/v1/admin/tenants/default/users/{userId}/credentials/{credentialId}/reinstate",
            bearer: TestServer.AdminKey);
        await server.SignInAsync(original);
    }

    [StoreFact]
    public async Task Flag_lets_the_copy_in_and_marks_the_credential()
    {
        await using var server = await TestServer.StartAsync(null, [.. await NewStoreAsync(), "--Passkeys:DefaultTenant:CloneDetection=flag"]);
        var original = TestServer.NewClient();
        var signUp = await server.SignUpAsync(original, "erin");
        var credentialId = (string)signUp["credential"]!["id"]!;
        var copy = CopyOf(original);
        await server.SignInAsync(original);
        var token = (string)(await server.SignInAsync(copy))["token"]!; // behind, let through
        var view = await CredentialAsync(server, token, credentialId);
        Assert.Equal("active", (string)view["status"]!);
        Assert.NotNull(view["cloneSuspectedAt"]);
        Assert.Null(view["suspendedReason"]);
        await server.SignInAsync(original);
        var audit = await server.OkJsonAsync(HttpMethod.Get, "/v1/admin/tenants/default/audit?ceremony=credential&outcome=flagged", bearer: TestServer.AdminKey);
        Assert.Single(audit["events"]!.AsArray(), e => (string?)e!["credentialId"] == credentialId && (int?)e["errorCode"] == 219);
        // The admin has looked at it: reinstating clears the mark.
        var userId = (string)signUp["user"]!["id"]!;
        Assert.Null((await server.OkJsonAsync(HttpMethod.Post, $"/v1/admin/tenants/default/users/{userId}/credentials/{credentialId}/reinstate",
            bearer: TestServer.AdminKey))["cloneSuspectedAt"]);
    }

    [StoreFact]
    public async Task Ignore_refuses_only_that_sign_in_and_changes_nothing_on_the_credential()
    {
        await using var server = await TestServer.StartAsync(null, [.. await NewStoreAsync(), "--Passkeys:DefaultTenant:CloneDetection=ignore"]);
        var original = TestServer.NewClient();
        var credentialId = (string)(await server.SignUpAsync(original, "finn"))["credential"]!["id"]!;
        var copy = CopyOf(original);
        await server.SignInAsync(original);
        using (var refused = await server.SendAsync(HttpMethod.Post, "/v1/tenants/default/authentication/finish", await AnswerAsync(server, copy)))
        {
            await TestServer.ProblemAsync(refused, 400, 219);
        }
        var token = (string)(await server.SignInAsync(original))["token"]!;
        var view = await CredentialAsync(server, token, credentialId);
        Assert.Equal("active", (string)view["status"]!);
        Assert.Null(view["cloneSuspectedAt"]);
    }

    [StoreFact]
    public async Task The_app_suspends_and_reinstates_a_passkey_and_the_user_is_told_truly_why()
    {
        await using var server = await TestServer.StartAsync(null, await NewStoreAsync());
        var original = TestServer.NewClient();
        var signUp = await server.SignUpAsync(original, "gail");
        var credentialId = (string)signUp["credential"]!["id"]!;
        var userId = (string)signUp["user"]!["id"]!;
        var apiKey = await server.CreateApiKeyAsync();
        var path = $"/v1/tenants/default/users/{userId}/credentials/{credentialId}";

        var suspended = await server.OkJsonAsync(HttpMethod.Post, path + "/suspend", apiKey: apiKey);
        Assert.Equal(("suspended", "operator"), ((string)suspended["status"]!, (string)suspended["suspendedReason"]!));
        Assert.Equal("suspended", (string)(await server.OkJsonAsync(HttpMethod.Post, path + "/suspend", apiKey: apiKey))["status"]!); // again: no change
        using (var refresh = await server.SendAsync(HttpMethod.Post, "/v1/tenants/default/sessions/refresh", new { refreshToken = (string)signUp["refreshToken"]! }))
        {
            await TestServer.ProblemAsync(refresh, 401, 1020);
        }
        using (var refused = await server.SendAsync(HttpMethod.Post, "/v1/tenants/default/authentication/finish", await AnswerAsync(server, original)))
        {
            var problem = await TestServer.ProblemAsync(refused, 403, 1100);
            Assert.DoesNotContain("copy", (string)problem["detail"]!, StringComparison.Ordinal); // not a clone: not said to be one
        }
        // Without the API key nothing changes; an unknown credential is 404.
        using (var anonymous = await server.SendAsync(HttpMethod.Post, path + "/reinstate"))
        {
            await TestServer.ProblemAsync(anonymous, 401, 1006);
        }
        using (var unknown = await server.SendAsync(HttpMethod.Post, $"/v1/tenants/default/users/{userId}/credentials/AAAA/reinstate", apiKey: apiKey))
        {
            await TestServer.ProblemAsync(unknown, 404, 1011);
        }
        Assert.Equal("active", (string)(await server.OkJsonAsync(HttpMethod.Post, path + "/reinstate", apiKey: apiKey))["status"]!);
        await server.SignInAsync(original);

        // The admin (operator) does the same.
        var admin = $"/v1/admin/tenants/default/users/{userId}/credentials/{credentialId}";
        Assert.Equal("operator", (string)(await server.OkJsonAsync(HttpMethod.Post, admin + "/suspend", bearer: TestServer.AdminKey))["suspendedReason"]!);
        await RefusedAsSuspendedAsync(server, original);
        Assert.Equal("active", (string)(await server.OkJsonAsync(HttpMethod.Post, admin + "/reinstate", bearer: TestServer.AdminKey))["status"]!);
        await server.SignInAsync(original);
        var audit = await server.OkJsonAsync(HttpMethod.Get, "/v1/admin/tenants/default/audit?ceremony=credential", bearer: TestServer.AdminKey);
        // Only the status changes (the credential family also has "added").
        Assert.Equal(["reinstated", "suspended", "reinstated", "suspended"],
            audit["events"]!.AsArray().Where(e => (string?)e!["credentialId"] == credentialId).Select(e => (string)e!["outcome"]!)
                .Where(o => o is "suspended" or "reinstated"));
    }

    [StoreFact]
    public async Task A_clone_refusal_tells_the_user_what_happened()
    {
        await using var server = await TestServer.StartAsync(null, await NewStoreAsync());
        var original = TestServer.NewClient();
        await server.SignUpAsync(original, "hana");
        var copy = CopyOf(original);
        await server.SignInAsync(original);
        using var refused = await server.SendAsync(HttpMethod.Post, "/v1/tenants/default/authentication/finish", await AnswerAsync(server, copy));
        var problem = await TestServer.ProblemAsync(refused, 403, 1100);
        Assert.Equal("For your safety this passkey was turned off because a copy of it may exist. Sign in with another passkey or a recovery code.",
            (string)problem["detail"]!);
    }

    [StoreFact]
    public async Task A_tenant_sets_its_policy_through_the_admin_API_and_an_unknown_one_is_refused()
    {
        await using var server = await TestServer.StartAsync(null, await NewStoreAsync());
        object Shop(string policy) => new { id = "shop", rpId = "shop.example", rpName = "Shop", origins = new[] { "https://shop.example" }, cloneDetection = policy };
        using (var bad = await server.SendAsync(HttpMethod.Post, "/v1/admin/tenants", Shop("off"), bearer: TestServer.AdminKey))
        {
            var problem = await TestServer.ProblemAsync(bad, 400, 1001);
            Assert.Contains("cloneDetection", (string)problem["detail"]!, StringComparison.Ordinal);
        }
        Assert.Equal("flag", (string)(await server.OkJsonAsync(HttpMethod.Post, "/v1/admin/tenants", Shop("flag"), bearer: TestServer.AdminKey))["cloneDetection"]!);
        Assert.Equal("ignore", (string)(await server.OkJsonAsync(HttpMethod.Put, "/v1/admin/tenants/shop", Shop("ignore"), bearer: TestServer.AdminKey))["cloneDetection"]!);
        Assert.Equal("ignore", (string)(await server.OkJsonAsync(HttpMethod.Get, "/v1/admin/tenants/shop", bearer: TestServer.AdminKey))["cloneDetection"]!);
        // Omitted: the default.
        Assert.Equal("suspend", (string)(await server.OkJsonAsync(HttpMethod.Put, "/v1/admin/tenants/shop",
            new { rpId = "shop.example", rpName = "Shop", origins = new[] { "https://shop.example" } }, bearer: TestServer.AdminKey))["cloneDetection"]!);
    }

    [StoreFact]
    public async Task A_suspended_passkey_cannot_confirm_a_transaction_either()
    {
        await using var server = await TestServer.StartAsync(null, await NewStoreAsync());
        var original = TestServer.NewClient();
        var signUp = await server.SignUpAsync(original, "ida");
        var credentialId = (string)signUp["credential"]!["id"]!;
        var userId = (string)signUp["user"]!["id"]!;
        var other = await AddPasskeyAsync(server, (string)signUp["token"]!);
        var token = (string)(await server.SignInAsync(other))["token"]!;
        await server.OkJsonAsync(HttpMethod.Post, $"/v1/admin/tenants/default/users/{userId}/credentials/{credentialId}/suspend", bearer: TestServer.AdminKey);

        var begin = await server.OkJsonAsync(HttpMethod.Post, "/v1/tenants/default/step-up/begin", new { transaction = "Pay 10 EUR" }, bearer: token);
        using var refused = await server.SendAsync(HttpMethod.Post, "/v1/tenants/default/step-up/finish",
            TestServer.FinishBody(begin, await original.GetAsync(begin["options"]!.ToJsonString())));
        await TestServer.ProblemAsync(refused, 403, 1100);
    }

    private static async Task<string> UserIdAsync(TestServer server, string name)
    {
        var users = await server.OkJsonAsync(HttpMethod.Get, "/v1/admin/tenants/default/users", bearer: TestServer.AdminKey);
        return (string)users["users"]!.AsArray().Single(u => (string)u!["name"]! == name)!["id"]!;
    }
}
