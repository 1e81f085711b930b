using System.Text.Json.Nodes;
using Passkeys.Server.Tests.Storage;

namespace Passkeys.Server.Tests.Integration;

/// <summary>
/// Every change to an account or a tenant over real HTTP appears in the audit exactly once, with
/// its stable type, the actor who made it (the user, the app's API key by its id, the admin, the
/// server itself) and its target, and the admin audit query's <c>type</c> filter finds it. One
/// derived class per store (<c>AuditTrailTestsOnStores.cs</c>).
/// </summary>
public abstract class AuditTrailTests(TestStores stores) : SingleServerStoreSuite(stores)
{
    private const string Tenant = "/v1/tenants/default";

    private Task<JsonNode> Admin(HttpMethod method, string path, object? body = null) => Server.OkJsonAsync(method, path, body, bearer: TestServer.AdminKey);

    private async Task NoContentAsync(HttpMethod method, string path, string? bearer = null, string? apiKey = null, object? body = null)
    {
        using var response = await Server.SendAsync(method, path, body, bearer, apiKey);
        Assert.True(204 == (int)response.StatusCode, $"{method} {path} → {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }

    /// <summary>The events of <paramref name="type"/>, found by the query's type filter (in tenant <paramref name="tenant"/>).</summary>
    private async Task<List<JsonNode>> EventsAsync(string type, string tenant = "default")
    {
        var events = (await Admin(HttpMethod.Get, $"/v1/admin/tenants/{tenant}/audit?type={type}&limit=1000"))["events"]!.AsArray().Select(e => e!).ToList();
        Assert.All(events, e => Assert.Equal(type, (string)e["type"]!));
        return events;
    }

    /// <summary>Asserts that exactly one event of <paramref name="type"/> concerns <paramref name="target"/>, made by <paramref name="actor"/>; returns it.</summary>
    private async Task<JsonNode> OnceAsync(string type, (string Kind, string? Id) actor, (string Kind, string Id) target, string tenant = "default")
    {
        var events = (await EventsAsync(type, tenant)).Where(e => (string?)e["target"]?["kind"] == target.Kind && (string?)e["target"]?["id"] == target.Id).ToList();
        var only = Assert.Single(events);
        Assert.Equal(actor.Kind, (string)only["actor"]!["kind"]!);
        Assert.Equal(actor.Id, (string?)only["actor"]!["id"]);
        var dot = type.IndexOf('.', StringComparison.Ordinal);
        Assert.Equal((type[..dot], type[(dot + 1)..]), ((string)only["ceremony"]!, (string)only["outcome"]!));
        return only;
    }

    private static string? Detail(JsonNode e, string key) => (string?)e["details"]?[key];

    private async Task<(string Token, SoftwareClientAndIds Ids)> SignUpAsync(string name)
    {
        var client = TestServer.NewClient();
        var signUp = await Server.SignUpAsync(client, name);
        return ((string)signUp["token"]!, new SoftwareClientAndIds(client, (string)signUp["user"]!["id"]!, (string)signUp["credential"]!["id"]!,
            (string)signUp["sessionId"]!, (string)signUp["refreshToken"]!));
    }

    private sealed record SoftwareClientAndIds(Passkeys.Authenticator.Client.SoftwareClient Client, string UserId, string CredentialId, string SessionId, string RefreshToken);

    [StoreFact]
    public async Task Each_change_to_an_account_is_audited_once_with_its_actor_and_target()
    {
        var admin = ("admin", (string?)null);
        var created = await Admin(HttpMethod.Post, "/v1/admin/tenants/default/api-keys", new { name = "backend" });
        var (apiKey, keyId) = ((string)created["key"]!, (string)created["id"]!);
        Assert.Equal("backend", Detail(await OnceAsync("api_key.created", admin, ("apiKey", keyId)), "name"));
        var app = ("apiKey", (string?)keyId);

        // The app registers a user it knows: the user and the passkey are created by its API key.
        var annClient = TestServer.NewClient();
        var begin = await Server.OkJsonAsync(HttpMethod.Post, $"{Tenant}/registration/begin", new { user = new { id = "u-ann", name = "ann" } }, apiKey: apiKey);
        var ann = await Server.OkJsonAsync(HttpMethod.Post, $"{Tenant}/registration/finish",
            TestServer.FinishBody(begin, await annClient.CreateAsync(begin["options"]!.ToJsonString()), "Ann's key"));
        await OnceAsync("user.created", app, ("user", "u-ann"));
        var annAdded = await OnceAsync("credential.added", app, ("credential", (string)ann["credential"]!["id"]!));
        Assert.Equal(("u-ann", "Ann's key"), ((string?)annAdded["userId"], Detail(annAdded, "name")));

        // Self sign-up: the user creates their own account and passkey.
        var (token, bob) = await SignUpAsync("bob");
        var user = ("user", (string?)bob.UserId);
        await OnceAsync("user.created", user, ("user", bob.UserId));
        await OnceAsync("credential.added", user, ("credential", bob.CredentialId));
        var registration = Assert.Single(await EventsAsync("registration.succeeded"), e => (string?)e["userId"] == bob.UserId);
        Assert.Equal(bob.CredentialId, (string?)registration["credentialId"]);

        // A second passkey, added by the signed-in user.
        var second = TestServer.NewClient();
        var more = await Server.OkJsonAsync(HttpMethod.Post, $"{Tenant}/registration/begin", new { }, bearer: token);
        var secondId = (string)(await Server.OkJsonAsync(HttpMethod.Post, $"{Tenant}/registration/finish",
            TestServer.FinishBody(more, await second.CreateAsync(more["options"]!.ToJsonString()))))["credential"]!["id"]!;
        await OnceAsync("credential.added", user, ("credential", secondId));

        await Server.OkJsonAsync(HttpMethod.Patch, $"{Tenant}/me/credentials/{bob.CredentialId}", new { name = "Laptop" }, bearer: token);
        Assert.Equal("Laptop", Detail(await OnceAsync("credential.renamed", user, ("credential", bob.CredentialId)), "name"));
        await Server.OkJsonAsync(HttpMethod.Patch, $"{Tenant}/users/{bob.UserId}/credentials/{secondId}", new { name = "Phone" }, apiKey: apiKey);
        Assert.Equal("Phone", Detail(await OnceAsync("credential.renamed", app, ("credential", secondId)), "name"));
        await Server.OkJsonAsync(HttpMethod.Post, $"{Tenant}/me/credentials/{secondId}/default", bearer: token);
        await OnceAsync("credential.default_set", user, ("credential", secondId));

        await Server.OkJsonAsync(HttpMethod.Post, $"{Tenant}/users/{bob.UserId}/credentials/{bob.CredentialId}/suspend", apiKey: apiKey);
        Assert.Equal("operator", Detail(await OnceAsync("credential.suspended", app, ("credential", bob.CredentialId)), "reason"));
        // Suspending again changes nothing, and writes nothing.
        await Server.OkJsonAsync(HttpMethod.Post, $"{Tenant}/users/{bob.UserId}/credentials/{bob.CredentialId}/suspend", apiKey: apiKey);
        await Admin(HttpMethod.Post, $"/v1/admin/tenants/default/users/{bob.UserId}/credentials/{bob.CredentialId}/reinstate");
        await OnceAsync("credential.reinstated", admin, ("credential", bob.CredentialId));
        await OnceAsync("credential.suspended", app, ("credential", bob.CredentialId));

        var codes = (await Server.OkJsonAsync(HttpMethod.Post, $"{Tenant}/me/recovery-codes", bearer: token))["codes"]!.AsArray();
        await OnceAsync("recovery_codes.generated", user, ("recoveryCodes", bob.UserId));
        await Server.OkJsonAsync(HttpMethod.Post, $"{Tenant}/recovery/redeem", new { username = "bob", code = (string)codes[0]! });
        await OnceAsync("recovery_codes.redeemed", user, ("recoveryCodes", bob.UserId));
        Assert.Single(await EventsAsync("recovery.succeeded"), e => (string?)e["userId"] == bob.UserId);

        await NoContentAsync(HttpMethod.Delete, $"{Tenant}/me/credentials/{secondId}", bearer: token);
        await OnceAsync("credential.deleted", user, ("credential", secondId));

        await NoContentAsync(HttpMethod.Delete, "/v1/admin/tenants/default/users/u-ann", bearer: TestServer.AdminKey);
        await OnceAsync("user.deleted", admin, ("user", "u-ann"));

        var rotated = await Admin(HttpMethod.Post, "/v1/admin/tenants/default/signing-keys/rotate");
        await OnceAsync("signing_key.rotated", admin, ("signingKey", (string)rotated["kid"]!));
        // The tenant's first key was made by the server when it first signed a token.
        Assert.Contains(await EventsAsync("signing_key.rotated"), e => (string)e["actor"]!["kind"]! == "system");

        await NoContentAsync(HttpMethod.Delete, $"/v1/admin/tenants/default/api-keys/{keyId}", bearer: TestServer.AdminKey);
        await OnceAsync("api_key.revoked", admin, ("apiKey", keyId));
        // Nothing names the key itself.
        Assert.DoesNotContain(apiKey, (await Admin(HttpMethod.Get, "/v1/admin/tenants/default/audit?limit=1000")).ToJsonString(), StringComparison.Ordinal);
    }

    [StoreFact]
    public async Task Each_session_revocation_is_audited_with_who_ended_it()
    {
        var key = await Server.CreateApiKeyAsync();
        var keyId = key[4..20];
        var (token, carol) = await SignUpAsync("carol");
        var sessions = new List<(string Id, string Refresh)> { (carol.SessionId, carol.RefreshToken) };
        for (var i = 0; i < 4; i++)
        {
            var signIn = await Server.SignInAsync(carol.Client);
            sessions.Add(((string)signIn["sessionId"]!, (string)signIn["refreshToken"]!));
        }

        await NoContentAsync(HttpMethod.Delete, $"{Tenant}/me/sessions/{sessions[1].Id}", bearer: token);
        await NoContentAsync(HttpMethod.Delete, $"{Tenant}/users/{carol.UserId}/sessions/{sessions[2].Id}", apiKey: key);
        await NoContentAsync(HttpMethod.Delete, $"/v1/admin/tenants/default/users/{carol.UserId}/sessions/{sessions[3].Id}", bearer: TestServer.AdminKey);
        await NoContentAsync(HttpMethod.Post, $"{Tenant}/sessions/revoke", body: new { refreshToken = sessions[4].Refresh });
        await NoContentAsync(HttpMethod.Post, $"{Tenant}/sessions/revoke", body: new { refreshToken = sessions[4].Refresh }); // again: no change, no event
        // A refresh token presented twice: the server revokes the session.
        // (Rotated twice, so it is no retry of a refresh whose answer was lost: RefreshReuseGrace.)
        var next = (string)(await Server.OkJsonAsync(HttpMethod.Post, $"{Tenant}/sessions/refresh", new { refreshToken = sessions[0].Refresh }))["refreshToken"]!;
        await Server.OkJsonAsync(HttpMethod.Post, $"{Tenant}/sessions/refresh", new { refreshToken = next });
        using (var reused = await Server.SendAsync(HttpMethod.Post, $"{Tenant}/sessions/refresh", new { refreshToken = sessions[0].Refresh }))
        {
            await TestServer.ProblemAsync(reused, 401, 1021);
        }

        Assert.Equal("revoked", Detail(await OnceAsync("session.revoked", ("user", carol.UserId), ("session", sessions[1].Id)), "reason"));
        await OnceAsync("session.revoked", ("apiKey", keyId), ("session", sessions[2].Id));
        await OnceAsync("session.revoked", ("admin", null), ("session", sessions[3].Id));
        Assert.Equal("signed-out", Detail(await OnceAsync("session.revoked", ("user", carol.UserId), ("session", sessions[4].Id)), "reason"));
        Assert.Equal("reuse-detected", Detail(await OnceAsync("session.revoked", ("system", null), ("session", sessions[0].Id)), "reason"));
        Assert.Equal(5, (await EventsAsync("session.revoked")).Count);
        Assert.Equal(1021, (int)Assert.Single(await EventsAsync("session.failed"))["errorCode"]!);

        // Another user's session is not the app's to name under this user: 404, nothing written.
        var (_, dan) = await SignUpAsync("dan");
        using (var wrongUser = await Server.SendAsync(HttpMethod.Delete, $"{Tenant}/users/{carol.UserId}/sessions/{dan.SessionId}", apiKey: key))
        {
            await TestServer.ProblemAsync(wrongUser, 404, 1023);
        }
        using (var noKey = await Server.SendAsync(HttpMethod.Delete, $"{Tenant}/users/{dan.UserId}/sessions/{dan.SessionId}"))
        {
            await TestServer.ProblemAsync(noKey, 401, 1006);
        }
        Assert.Equal(5, (await EventsAsync("session.revoked")).Count);
    }

    [StoreFact]
    public async Task Tenant_changes_are_audited_and_a_deleted_tenant_keeps_its_audit()
    {
        var admin = ("admin", (string?)null);
        // The default tenant from configuration was created by the server at its first start.
        await OnceAsync("tenant.created", ("system", null), ("tenant", "default"));

        object Shop(string rpName, bool selfSignUp) => new
        {
            id = "shop", rpId = "shop.example", rpName, origins = new[] { "https://shop.example" }, userVerification = "preferred", attestation = "none", selfSignUp,
        };
        await Admin(HttpMethod.Post, "/v1/admin/tenants", Shop("Shop", false));
        await OnceAsync("tenant.created", admin, ("tenant", "shop"), "shop");
        await Admin(HttpMethod.Put, "/v1/admin/tenants/shop", Shop("Shop & Co", true));
        Assert.Equal("rpName,selfSignUp", Detail(await OnceAsync("tenant.updated", admin, ("tenant", "shop"), "shop"), "settings"));
        await Admin(HttpMethod.Put, "/v1/admin/tenants/shop", Shop("Shop & Co", true)); // the same settings: no change, no event
        await OnceAsync("tenant.updated", admin, ("tenant", "shop"), "shop");

        await Server.SignUpAsync(TestServer.NewClient(origin: "https://shop.example"), "erin", "shop");
        // Changes are no ceremonies: the funnel shows none of their families.
        var funnel = (await Admin(HttpMethod.Get, "/v1/admin/tenants/shop/audit/funnel"))["ceremonies"]!.AsArray().Select(c => (string)c!["ceremony"]!).ToList();
        Assert.Equal(["registration"], funnel);
        await NoContentAsync(HttpMethod.Delete, "/v1/admin/tenants/shop", bearer: TestServer.AdminKey);

        // Its audit outlives it: the deletion and what came before stay queryable by its id.
        await OnceAsync("tenant.deleted", admin, ("tenant", "shop"), "shop");
        await OnceAsync("tenant.created", admin, ("tenant", "shop"), "shop");
        Assert.Single(await EventsAsync("registration.succeeded", "shop"));
        Assert.Empty(await EventsAsync("tenant.deleted")); // and in no other tenant's
        using (var gone = await Server.SendAsync(HttpMethod.Get, "/v1/admin/tenants/shop", bearer: TestServer.AdminKey))
        {
            await TestServer.ProblemAsync(gone, 404, 1008);
        }
        using (var never = await Server.SendAsync(HttpMethod.Get, "/v1/admin/tenants/never/audit", bearer: TestServer.AdminKey))
        {
            await TestServer.ProblemAsync(never, 404, 1008);
        }
        using (var again = await Server.SendAsync(HttpMethod.Delete, "/v1/admin/tenants/shop", bearer: TestServer.AdminKey))
        {
            await TestServer.ProblemAsync(again, 404, 1008);
        }
        await OnceAsync("tenant.deleted", admin, ("tenant", "shop"), "shop");
    }
}
