using System.Net;
using Passkeys.Server.Tests.Integration;

namespace Passkeys.Server.Tests.Oidc;

/// <summary>Bad clients, redirect URIs, PKCE and grants: each a specific OAuth error with our code, never a 500 or a code.</summary>
public sealed class OidcProtocolErrorTests : IAsyncLifetime
{
    private TestServer _server = null!;
    private OidcFlow _flow = null!;
    private string _secret = null!;

    public async Task InitializeAsync()
    {
        _server = await TestServer.StartAsync();
        _flow = new OidcFlow(_server);
        await _flow.AddClientAsync("spa");
        _secret = (await _flow.AddClientAsync("web", "confidential"))!;
    }

    public async Task DisposeAsync()
    {
        _flow.Dispose();
        await _server.DisposeAsync();
    }

    // An error the authorization endpoint shows itself (never redirected: the redirect URI is not trusted).
    private async Task AssertShownErrorAsync(string kebabCode, params (string, string?)[] parameters)
    {
        using var response = await _flow.GetAuthorizeAsync(parameters);
        var body = await response.Content.ReadAsStringAsync();
        // invalid_client is 401 (RFC 6749 §5.2), the others 400.
        Assert.True(response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.Unauthorized, $"{(int)response.StatusCode}: {body}");
        Assert.Null(response.Headers.Location);
        Assert.Contains("https://passkeys.invalid/errors/" + kebabCode, body, StringComparison.Ordinal);
    }

    // A protocol error OpenIddict finds itself, shown before the redirect URI is trusted.
    private async Task AssertShownOAuthErrorAsync(string error, params (string, string?)[] parameters)
    {
        using var response = await _flow.GetAuthorizeAsync(parameters);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{(int)response.StatusCode}: {body}");
        Assert.Null(response.Headers.Location);
        Assert.Contains("error:" + error, body, StringComparison.Ordinal);
    }

    // An error sent back to the (registered) redirect URI.
    private async Task AssertRedirectedErrorAsync(string error, params (string, string?)[] parameters)
    {
        using var response = await _flow.GetAuthorizeAsync(parameters);
        var query = OidcFlow.RedirectQuery(response);
        Assert.Equal(error, query["error"]);
        Assert.False(query.ContainsKey("code"));
    }

    [Fact]
    public async Task Unknown_client_is_refused_without_redirect()
    {
        var (_, challenge) = OidcFlow.Pkce();
        await AssertShownErrorAsync("oidc-unknown-client", OidcFlow.AuthorizeParameters("nobody", challenge));
    }

    [Theory]
    [InlineData("http://127.0.0.1:7000/cb/")]
    [InlineData("http://127.0.0.1:7000/CB")]
    [InlineData("http://127.0.0.1:7000/cb?x=1")]
    [InlineData("http://localhost:7000/cb")]
    [InlineData("https://evil.example/cb")]
    public async Task Redirect_uri_must_match_exactly(string redirect)
    {
        var (_, challenge) = OidcFlow.Pkce();
        await AssertShownErrorAsync("oidc-redirect-uri-not-registered", OidcFlow.AuthorizeParameters("spa", challenge, redirect: redirect));
    }

    [Fact]
    public async Task Public_client_without_pkce_is_refused()
    {
        var (_, challenge) = OidcFlow.Pkce();
        await AssertShownErrorAsync("oidc-pkce-required", [.. OidcFlow.AuthorizeParameters("spa", challenge), ("code_challenge", null), ("code_challenge_method", null)]);
    }

    [Fact]
    public async Task Plain_pkce_is_refused()
    {
        var (verifier, _) = OidcFlow.Pkce();
        await AssertShownOAuthErrorAsync("invalid_request", [.. OidcFlow.AuthorizeParameters("spa", verifier), ("code_challenge_method", "plain")]);
    }

    [Fact]
    public async Task Prompt_none_is_login_required()
    {
        var (_, challenge) = OidcFlow.Pkce();
        await AssertRedirectedErrorAsync("login_required", [.. OidcFlow.AuthorizeParameters("spa", challenge), ("prompt", "none")]);
    }

    [Fact]
    public async Task Implicit_and_hybrid_response_types_are_refused()
    {
        var (_, challenge) = OidcFlow.Pkce();
        await AssertShownOAuthErrorAsync("unsupported_response_type", [.. OidcFlow.AuthorizeParameters("spa", challenge), ("response_type", "id_token")]);
        await AssertShownOAuthErrorAsync("unsupported_response_type", [.. OidcFlow.AuthorizeParameters("spa", challenge), ("response_type", "code id_token")]);
    }

    [Fact]
    public async Task Code_needs_the_right_verifier_client_and_secret()
    {
        var passkey = TestServer.NewClient();
        await _server.SignUpAsync(passkey, "frank");
        var (verifier, challenge) = OidcFlow.Pkce();

        var code = await _flow.AuthorizeAsync(passkey, "spa", challenge);
        OidcFlow.AssertOAuthError(await _flow.RedeemAsync(code, "spa", OidcFlow.Pkce().Verifier), 400, "invalid_grant", null);
        OidcFlow.AssertOAuthError(await _flow.RedeemAsync(code, "web", verifier, _secret), 400, "invalid_grant", null);
        OidcFlow.AssertOAuthError(await _flow.RedeemAsync(code, "spa", verifier, "pkcs_not-for-a-public-client"), 401, "invalid_client", "oidc-client-authentication-failed");
        OidcFlow.AssertOAuthError(await _flow.RedeemAsync(code, "ghost", verifier), 401, "invalid_client", "oidc-unknown-client");
        OidcFlow.AssertOAuthError(await _flow.RedeemAsync("not-a-code", "spa", verifier), 400, "invalid_grant", null);

        var webCode = await _flow.AuthorizeAsync(passkey, "web", challenge);
        OidcFlow.AssertOAuthError(await _flow.RedeemAsync(webCode, "web", verifier), 401, "invalid_client", "oidc-client-authentication-failed");
        OidcFlow.AssertOAuthError(await _flow.RedeemAsync(webCode, "web", verifier, _secret + "x"), 401, "invalid_client", "oidc-client-authentication-failed");
        var ok = await _flow.RedeemAsync(webCode, "web", verifier, _secret);
        Assert.True(ok.Status == 200, ok.Body.ToJsonString());
        // A refresh token belongs to its client.
        OidcFlow.AssertOAuthError(await _flow.RefreshAsync((string)ok.Body["refresh_token"]!, "spa"), 400, "invalid_grant", null);
    }

    [Fact]
    public async Task Form_post_response_mode_posts_the_code_without_inline_script()
    {
        var passkey = TestServer.NewClient();
        await _server.SignUpAsync(passkey, "hank");
        var (verifier, challenge) = OidcFlow.Pkce();
        using var page = await _flow.GetAuthorizeAsync([.. OidcFlow.AuthorizeParameters("spa", challenge), ("response_mode", "form_post")]);
        // The hosted page: the server's page policy, with the client's origin allowed as a form target (the 302 or form post with the code).
        Assert.Equal("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; font-src 'self'; " +
            "manifest-src 'self'; form-action 'self' http://127.0.0.1:7000; frame-ancestors 'none'; base-uri 'none'; object-src 'none'",
            page.Headers.GetValues("Content-Security-Policy").Single());
        Assert.Equal("DENY", page.Headers.GetValues("X-Frame-Options").Single());
        var form = await OidcFlow.FormOfAsync(page);
        var signIn = await _server.SignInAsync(passkey);
        using var done = await _flow.PostAuthorizeAsync(form, (string)signIn["refreshToken"]!);
        var html = await done.Content.ReadAsStringAsync();
        Assert.True(done.StatusCode == HttpStatusCode.OK, html);
        Assert.Contains("form-action 'self' http://127.0.0.1:7000;", done.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        Assert.Contains($"action=\"{OidcFlow.Redirect}\"", html, StringComparison.Ordinal);
        Assert.Contains("<script src=\"/js/oidc-form-post.js\"></script>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>", html, StringComparison.Ordinal);
        var posted = await OidcFlow.FormOfAsync(done);
        Assert.Equal("af0ifjsldkj", posted["state"]);
        var tokens = await _flow.RedeemAsync(posted["code"], "spa", verifier);
        Assert.True(tokens.Status == 200, tokens.Body.ToJsonString());
    }

    [Fact]
    public async Task Unsupported_grant_type_is_refused()
    {
        var response = await _flow.TokenAsync(("grant_type", "password"), ("username", "a"), ("password", "b"), ("client_id", "spa"));
        Assert.Equal(400, response.Status);
        Assert.Equal("unsupported_grant_type", (string?)response.Body["error"]);
    }

    [Fact]
    public async Task A_token_of_another_tenant_is_refused()
    {
        await _server.OkJsonAsync(HttpMethod.Post, "/v1/admin/tenants", new { id = "other", rpId = "localhost", rpName = "Other", origins = new[] { TestServer.Origin } },
            bearer: TestServer.AdminKey);
        using var other = new OidcFlow(_server, "other");
        await other.AddClientAsync("spa");
        var passkey = TestServer.NewClient();
        await _server.SignUpAsync(passkey, "gina");
        var (verifier, challenge) = OidcFlow.Pkce();
        var code = await _flow.AuthorizeAsync(passkey, "spa", challenge);
        // The same client id exists in the other tenant, but the code is sealed with this tenant's key.
        OidcFlow.AssertOAuthError(await other.RedeemAsync(code, "spa", verifier), 400, "invalid_grant", null);
        var tokens = await _flow.RedeemAsync(code, "spa", verifier);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/tenants/other/userinfo");
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", (string)tokens.Body["access_token"]!);
        using var response = await other.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        // Nor is an OIDC access token a token of the REST API.
        using var me = await _server.SendAsync(HttpMethod.Get, "/v1/tenants/default/me/sessions", bearer: (string)tokens.Body["access_token"]!);
        Assert.Equal(HttpStatusCode.Unauthorized, me.StatusCode);
    }
}
