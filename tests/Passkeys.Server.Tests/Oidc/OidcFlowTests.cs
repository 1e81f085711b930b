using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Passkeys.Server.Tests.Integration;
using Passkeys.Server.Tests.Storage;

namespace Passkeys.Server.Tests.Oidc;

/// <summary>The OpenID Connect provider end to end over real HTTP, on each store.</summary>
public abstract class OidcFlowTests(IOidcStore store)
{
    private async Task<TestServer> StartAsync() => await TestServer.StartAsync(null, await store.NewStoreArgsAsync());

    [Fact]
    public async Task Discovery_document_describes_the_tenant_provider()
    {
        await using var server = await StartAsync();
        using var flow = new OidcFlow(server);
        var doc = JsonNode.Parse(await flow.Http.GetStringAsync("/v1/tenants/default/.well-known/openid-configuration"))!;
        Assert.Equal(flow.Issuer, (string)doc["issuer"]!);
        Assert.Equal(flow.Issuer + "/authorize", (string)doc["authorization_endpoint"]!);
        Assert.Equal(flow.Issuer + "/token", (string)doc["token_endpoint"]!);
        Assert.Equal(flow.Issuer + "/userinfo", (string)doc["userinfo_endpoint"]!);
        Assert.Equal(flow.Issuer + "/end-session", (string)doc["end_session_endpoint"]!);
        Assert.Equal(flow.Issuer + "/jwks.json", (string)doc["jwks_uri"]!);
        Assert.Equal(["S256"], doc["code_challenge_methods_supported"]!.AsArray().Select(v => (string)v!));
        Assert.Equal(["code"], doc["response_types_supported"]!.AsArray().Select(v => (string)v!));
        Assert.Equal(["ES256"], doc["id_token_signing_alg_values_supported"]!.AsArray().Select(v => (string)v!));
        Assert.Equal(["urn:passkeys:acr:passkey:uv", "urn:passkeys:acr:passkey"], doc["acr_values_supported"]!.AsArray().Select(v => (string)v!));
        Assert.Contains("offline_access", doc["scopes_supported"]!.AsArray().Select(v => (string)v!));
        Assert.Contains("authorization_code", doc["grant_types_supported"]!.AsArray().Select(v => (string)v!));
        Assert.Contains("refresh_token", doc["grant_types_supported"]!.AsArray().Select(v => (string)v!));

        // An unknown tenant has no provider.
        using var missing = await flow.Http.GetAsync("/v1/tenants/nobody/.well-known/openid-configuration");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Fact]
    public async Task Code_flow_with_pkce_gives_tokens_that_validate_against_the_jwks()
    {
        await using var server = await StartAsync();
        using var flow = new OidcFlow(server);
        await flow.AddClientAsync("spa");
        var passkey = TestServer.NewClient();
        var signUp = await server.SignUpAsync(passkey, "alice");
        var userId = (string)signUp["user"]!["id"]!;
        var (verifier, challenge) = OidcFlow.Pkce();

        var code = await flow.AuthorizeAsync(passkey, "spa", challenge);
        var tokens = await flow.RedeemAsync(code, "spa", verifier);
        Assert.True(tokens.Status == 200, tokens.Body.ToJsonString());
        Assert.Equal("Bearer", (string?)tokens.Body["token_type"]);

        var id = await flow.ValidateAsync((string)tokens.Body["id_token"]!, "spa");
        Assert.Equal(userId, id.Subject);
        Assert.Equal("n-0S6_WzA2Mj", id.GetPayloadValue<string>("nonce"));
        Assert.StartsWith("urn:passkeys:acr:passkey", OidcAcr(id), StringComparison.Ordinal);
        var amr = id.GetPayloadValue<string[]>("amr");
        Assert.Contains(amr[0], new[] { "hwk", "swk" });
        Assert.Equal(amr.Contains("user"), OidcAcr(id) == "urn:passkeys:acr:passkey:uv");
        Assert.True(id.GetPayloadValue<long>("auth_time") > 0);
        Assert.False(string.IsNullOrEmpty(id.GetPayloadValue<string>("sid")));
        Assert.Equal("alice", id.GetPayloadValue<string>("preferred_username"));
        Assert.False(id.TryGetPayloadValue<string>("passkeys_session_secret", out _));

        var access = await flow.ValidateAsync((string)tokens.Body["access_token"]!, "spa");
        Assert.Equal(userId, access.Subject);
        Assert.False(access.TryGetPayloadValue<string>("passkeys_session_secret", out _));

        using var userinfo = new HttpRequestMessage(HttpMethod.Get, "/v1/tenants/default/userinfo");
        userinfo.Headers.Authorization = new AuthenticationHeaderValue("Bearer", (string)tokens.Body["access_token"]!);
        using var info = await flow.Http.SendAsync(userinfo);
        var claims = JsonNode.Parse(await info.Content.ReadAsStringAsync())!;
        Assert.Equal(userId, (string)claims["sub"]!);
        Assert.Equal("alice", (string)claims["preferred_username"]!);
        Assert.False(string.IsNullOrEmpty((string?)tokens.Body["refresh_token"]));
    }

    [Fact]
    public async Task Refresh_rotates_and_a_reused_refresh_token_or_code_ends_the_session()
    {
        await using var server = await StartAsync();
        using var flow = new OidcFlow(server);
        var secret = await flow.AddClientAsync("web", "confidential");
        var passkey = TestServer.NewClient();
        await server.SignUpAsync(passkey, "bob");
        var (verifier, challenge) = OidcFlow.Pkce();
        var code = await flow.AuthorizeAsync(passkey, "web", challenge);
        var first = await flow.RedeemAsync(code, "web", verifier, secret);
        Assert.True(first.Status == 200, first.Body.ToJsonString());
        var firstSid = (await flow.ValidateAsync((string)first.Body["id_token"]!, "web")).GetPayloadValue<string>("sid");

        var second = await flow.RefreshAsync((string)first.Body["refresh_token"]!, "web", secret);
        Assert.True(second.Status == 200, second.Body.ToJsonString());
        var refreshedId = await flow.ValidateAsync((string)second.Body["id_token"]!, "web");
        Assert.Equal(firstSid, refreshedId.GetPayloadValue<string>("sid"));
        Assert.NotEqual((string)first.Body["refresh_token"]!, (string)second.Body["refresh_token"]!);

        // The same code again: the session's token was already spent, so the whole session is revoked.
        OidcFlow.AssertOAuthError(await flow.RedeemAsync(code, "web", verifier, secret), 400, "invalid_grant", "oidc-session-ended");
        OidcFlow.AssertOAuthError(await flow.RefreshAsync((string)second.Body["refresh_token"]!, "web", secret), 400, "invalid_grant", "oidc-session-ended");
        // Its access token no longer reads userinfo either.
        Assert.Equal(HttpStatusCode.Unauthorized, await UserInfoStatusAsync(flow, (string)second.Body["access_token"]!));
    }

    [Fact]
    public async Task Revoking_the_session_kills_the_refresh_token()
    {
        await using var server = await StartAsync();
        using var flow = new OidcFlow(server);
        await flow.AddClientAsync("spa");
        var passkey = TestServer.NewClient();
        await server.SignUpAsync(passkey, "carol");
        var (verifier, challenge) = OidcFlow.Pkce();
        var tokens = await flow.RedeemAsync(await flow.AuthorizeAsync(passkey, "spa", challenge), "spa", verifier);
        var sid = (await flow.ValidateAsync((string)tokens.Body["id_token"]!, "spa")).GetPayloadValue<string>("sid");

        // The user revokes that session from "your sessions", signed in through the REST API.
        var rest = await server.SignInAsync(passkey);
        using (var revoke = await server.SendAsync(HttpMethod.Delete, $"/v1/tenants/default/me/sessions/{sid}", bearer: (string)rest["token"]!))
        {
            Assert.Equal(HttpStatusCode.NoContent, revoke.StatusCode);
        }
        OidcFlow.AssertOAuthError(await flow.RefreshAsync((string)tokens.Body["refresh_token"]!, "spa"), 400, "invalid_grant", "oidc-session-ended");
        Assert.Equal(HttpStatusCode.Unauthorized, await UserInfoStatusAsync(flow, (string)tokens.Body["access_token"]!));
    }

    [Fact]
    public async Task Logout_revokes_the_session_and_returns_to_the_exact_registered_uri()
    {
        await using var server = await StartAsync();
        using var flow = new OidcFlow(server);
        await flow.AddClientAsync("spa");
        var passkey = TestServer.NewClient();
        await server.SignUpAsync(passkey, "dave");
        var (verifier, challenge) = OidcFlow.Pkce();
        var tokens = await flow.RedeemAsync(await flow.AuthorizeAsync(passkey, "spa", challenge), "spa", verifier);
        var idToken = (string)tokens.Body["id_token"]!;

        // Not registered (a prefix of a registered one is not a match): refused, nothing revoked.
        using (var bad = await flow.Http.GetAsync("/v1/tenants/default/end-session?" + OidcFlow.Query(("id_token_hint", idToken),
            ("post_logout_redirect_uri", OidcFlow.LogoutRedirect + "/x"), ("state", "s1"))))
        {
            Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
            Assert.Contains("oidc-post-logout-redirect-uri-not-registered", await bad.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
        var stillAlive = await flow.RefreshAsync((string)tokens.Body["refresh_token"]!, "spa");
        Assert.Equal(200, stillAlive.Status);
        Assert.Empty(await SignedOutEventsAsync(server));

        using var logout = await flow.Http.GetAsync("/v1/tenants/default/end-session?" + OidcFlow.Query(("id_token_hint", idToken),
            ("post_logout_redirect_uri", OidcFlow.LogoutRedirect), ("state", "s2")));
        var query = OidcFlow.RedirectQuery(logout, OidcFlow.LogoutRedirect);
        Assert.Equal("s2", query["state"]);
        OidcFlow.AssertOAuthError(await flow.RefreshAsync((string)stillAlive.Body["refresh_token"]!, "spa"), 400, "invalid_grant", "oidc-session-ended");
        // Audited like every sign-out: the session's user ended it.
        var signedOut = Assert.Single(await SignedOutEventsAsync(server));
        Assert.Equal(("user", "session"), ((string)signedOut["actor"]!["kind"]!, (string)signedOut["target"]!["kind"]!));
        Assert.Equal((string)signedOut["actor"]!["id"]!, (string)(await flow.ValidateAsync(idToken, "spa")).Subject);

        // Without a post-logout URI: a signed-out page.
        using var plain = await flow.Http.GetAsync("/v1/tenants/default/end-session");
        Assert.Equal(HttpStatusCode.OK, plain.StatusCode);
        Assert.Contains("You are signed out", await plain.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private static async Task<List<JsonNode>> SignedOutEventsAsync(TestServer server) =>
        [.. (await server.OkJsonAsync(HttpMethod.Get, "/v1/admin/tenants/default/audit?type=session.revoked", bearer: TestServer.AdminKey))["events"]!.AsArray()
            .Select(e => e!).Where(e => (string?)e["details"]?["reason"] == "signed-out")];

    [Fact]
    public async Task Prompt_login_and_max_age_require_a_sign_in_after_the_page_was_shown()
    {
        await using var server = await StartAsync();
        using var flow = new OidcFlow(server);
        await flow.AddClientAsync("spa");
        var passkey = TestServer.NewClient();
        await server.SignUpAsync(passkey, "erin");
        var (_, challenge) = OidcFlow.Pkce();
        // A session made before the page was shown.
        var earlier = (string)(await server.SignInAsync(passkey))["refreshToken"]!;
        await Task.Delay(20);

        using var page = await flow.GetAuthorizeAsync([.. OidcFlow.AuthorizeParameters("spa", challenge), ("prompt", "login")]);
        var form = await OidcFlow.FormOfAsync(page);
        using (var stale = await flow.PostAuthorizeAsync(form, earlier))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, stale.StatusCode);
            Assert.Contains("prompt=login", await stale.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
        // A forged page time does not help.
        var forged = new Dictionary<string, string>(form) { ["passkeys_started"] = "1." + form["passkeys_started"].Split('.')[1] };
        using (var forgedTicket = await flow.PostAuthorizeAsync(forged, earlier))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, forgedTicket.StatusCode);
        }
        var fresh = (string)(await server.SignInAsync(passkey))["refreshToken"]!;
        using (var ok = await flow.PostAuthorizeAsync(form, fresh))
        {
            Assert.True(OidcFlow.RedirectQuery(ok).ContainsKey("code"));
        }

        // max_age=0: only a sign-in in this very second would do; the earlier one is refused.
        using var agedPage = await flow.GetAuthorizeAsync([.. OidcFlow.AuthorizeParameters("spa", challenge), ("max_age", "0")]);
        await Task.Delay(1100);
        var aged = (string)(await server.SignInAsync(passkey))["refreshToken"]!;
        await Task.Delay(1100);
        using var tooOld = await flow.PostAuthorizeAsync(await OidcFlow.FormOfAsync(agedPage), aged);
        Assert.Equal(HttpStatusCode.Unauthorized, tooOld.StatusCode);
        Assert.Contains("max_age", await tooOld.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        // Nothing, or something that is not a session, is refused the same way.
        using var none = await flow.PostAuthorizeAsync(form, null);
        Assert.Equal(HttpStatusCode.Unauthorized, none.StatusCode);
        using var junk = await flow.PostAuthorizeAsync(form, "pkr_not-a-session");
        Assert.Equal(HttpStatusCode.Unauthorized, junk.StatusCode);
    }

    private static async Task<HttpStatusCode> UserInfoStatusAsync(OidcFlow flow, string accessToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/tenants/default/userinfo");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        using var response = await flow.Http.SendAsync(request);
        return response.StatusCode;
    }

    private static string OidcAcr(Microsoft.IdentityModel.JsonWebTokens.JsonWebToken token) => token.GetPayloadValue<string>("acr");
}

public sealed class SqliteOidcFlowTests() : OidcFlowTests(new SqliteOidcStore());

[Collection(PostgresCollection.Name)]
public sealed class PostgresOidcFlowTests(PostgresCluster cluster) : OidcFlowTests(new PostgresOidcStore(cluster));
