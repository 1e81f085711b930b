using System.Net;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Passkeys.Authenticator.Client;
using Passkeys.Server.Tests.Integration;

namespace Passkeys.Server.Tests.Oidc;

/// <summary>
/// An OIDC relying party driven in C#: it does what a browser and an OIDC client library do
/// together (authorization request, the hosted page's API calls with the software authenticator,
/// the page's form post, code redemption), over real HTTP, never following redirects itself.
/// </summary>
public sealed partial class OidcFlow : IDisposable
{
    public const string Redirect = "http://127.0.0.1:7000/cb";
    public const string LogoutRedirect = "http://127.0.0.1:7000/signed-out";

    private readonly TestServer _server;
    private readonly string? _publicBaseUrl;
    public HttpClient Http { get; }
    public string Tenant { get; }
    public string Issuer => $"{_publicBaseUrl ?? _server.BaseAddress.ToString().TrimEnd('/')}/v1/tenants/{Tenant}";

    /// <param name="publicBaseUrl">The server's Passkeys:PublicBaseUrl when set (the issuer's base); else its listen address.</param>
    public OidcFlow(TestServer server, string tenant = "default", string? publicBaseUrl = null)
    {
        _server = server;
        _publicBaseUrl = publicBaseUrl;
        Tenant = tenant;
        Http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = server.BaseAddress };
    }

    public void Dispose() => Http.Dispose();

    /// <summary>Registers a client; returns its secret (null for a public client).</summary>
    public async Task<string?> AddClientAsync(string clientId, string type = "public", string redirect = Redirect)
    {
        var created = await _server.OkJsonAsync(HttpMethod.Post, $"/v1/admin/tenants/{Tenant}/oidc-clients", new
        {
            clientId, displayName = "App " + clientId, clientType = type, redirectUris = new[] { redirect }, postLogoutRedirectUris = new[] { LogoutRedirect },
        }, bearer: TestServer.AdminKey);
        return (string?)created["clientSecret"];
    }

    public static (string Verifier, string Challenge) Pkce()
    {
        var verifier = Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(32));
        return (verifier, Base64UrlEncoder.Encode(SHA256.HashData(System.Text.Encoding.ASCII.GetBytes(verifier))));
    }

    /// <summary>A query string; a parameter named again replaces the earlier one, a null value removes it.</summary>
    public static string Query(params (string Name, string? Value)[] parameters)
    {
        var last = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var (name, value) in parameters)
        {
            last.Remove(name);
            last[name] = value;
        }
        return string.Join("&", last.Where(p => p.Value is not null).Select(p => $"{Uri.EscapeDataString(p.Key)}={Uri.EscapeDataString(p.Value!)}"));
    }

    /// <summary>The standard authorization request parameters (override by passing the same name later).</summary>
    public static (string, string?)[] AuthorizeParameters(string clientId, string challenge, string nonce = "n-0S6_WzA2Mj", string state = "af0ifjsldkj",
        string scope = "openid profile offline_access", string redirect = Redirect) =>
        [("response_type", "code"), ("client_id", clientId), ("redirect_uri", redirect), ("scope", scope), ("state", state), ("nonce", nonce),
         ("code_challenge", challenge), ("code_challenge_method", "S256")];

    public Task<HttpResponseMessage> GetAuthorizeAsync(params (string, string?)[] parameters) =>
        Http.GetAsync($"/v1/tenants/{Tenant}/authorize?" + Query(parameters));

    /// <summary>The hosted page's hidden form fields.</summary>
    public static async Task<Dictionary<string, string>> FormOfAsync(HttpResponseMessage page)
    {
        var html = await page.Content.ReadAsStringAsync();
        Assert.True(page.StatusCode == HttpStatusCode.OK, $"{(int)page.StatusCode}: {html}");
        // Every form posts: submitted before its script wired it, a GET would replace the authorize
        // request's query with the form's fields (a recovery code among them) in the address.
        Assert.All(FormTag().Matches(html), form => Assert.Contains("method=\"post\"", form.Value, StringComparison.Ordinal));
        return HiddenInput().Matches(html).ToDictionary(m => WebUtility.HtmlDecode(m.Groups[1].Value), m => WebUtility.HtmlDecode(m.Groups[2].Value));
    }

    [GeneratedRegex("""<input type="hidden" name="([^"]+)" value="([^"]*)">""")]
    private static partial Regex HiddenInput();

    [GeneratedRegex(@"<form\b[^>]*>")]
    private static partial Regex FormTag();

    /// <summary>Posts the hosted page's form with a session's refresh token, as its script does.</summary>
    public async Task<HttpResponseMessage> PostAuthorizeAsync(Dictionary<string, string> form, string? sessionRefreshToken)
    {
        var fields = new Dictionary<string, string>(form);
        if (sessionRefreshToken is not null)
        {
            fields["passkeys_session"] = sessionRefreshToken;
        }
        return await Http.PostAsync($"/v1/tenants/{Tenant}/authorize", new FormUrlEncodedContent(fields));
    }

    /// <summary>The query of a redirect to the client's redirect URI.</summary>
    public static Dictionary<string, string> RedirectQuery(HttpResponseMessage response, string expectedTarget = Redirect)
    {
        Assert.True(response.StatusCode == HttpStatusCode.Found, $"expected 302, got {(int)response.StatusCode}: {response.Content.ReadAsStringAsync().Result}");
        var location = response.Headers.Location!.ToString();
        Assert.StartsWith(expectedTarget + "?", location, StringComparison.Ordinal);
        return location[(expectedTarget.Length + 1)..].Split('&').Select(p => p.Split('=', 2))
            .ToDictionary(p => Uri.UnescapeDataString(p[0]), p => Uri.UnescapeDataString(p[1].Replace('+', ' ')));
    }

    /// <summary>Shows the page, signs in with <paramref name="client"/>'s passkey through the API, posts the form; returns the code.</summary>
    public async Task<string> AuthorizeAsync(SoftwareClient client, string clientId, string challenge, params (string, string?)[] extra)
    {
        using var page = await GetAuthorizeAsync([.. AuthorizeParameters(clientId, challenge), .. extra]);
        var form = await FormOfAsync(page);
        var signIn = await _server.SignInAsync(client, tenant: Tenant);
        using var done = await PostAuthorizeAsync(form, (string)signIn["refreshToken"]!);
        var query = RedirectQuery(done);
        Assert.Equal("af0ifjsldkj", query["state"]);
        Assert.Equal(Issuer, query["iss"]);
        return query["code"];
    }

    public async Task<(int Status, JsonNode Body)> TokenAsync(params (string, string?)[] parameters)
    {
        using var response = await Http.PostAsync($"/v1/tenants/{Tenant}/token",
            new FormUrlEncodedContent(parameters.Where(p => p.Item2 is not null).Select(p => new KeyValuePair<string, string>(p.Item1, p.Item2!))));
        return ((int)response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync())!);
    }

    public Task<(int Status, JsonNode Body)> RedeemAsync(string code, string clientId, string verifier, string? secret = null) =>
        TokenAsync(("grant_type", "authorization_code"), ("code", code), ("redirect_uri", Redirect), ("client_id", clientId), ("code_verifier", verifier),
            ("client_secret", secret));

    public Task<(int Status, JsonNode Body)> RefreshAsync(string refreshToken, string clientId, string? secret = null) =>
        TokenAsync(("grant_type", "refresh_token"), ("refresh_token", refreshToken), ("client_id", clientId), ("client_secret", secret));

    /// <summary>Validates a JWT the way a client library does: against the keys at the discovery document's jwks_uri.</summary>
    public async Task<JsonWebToken> ValidateAsync(string token, string audience)
    {
        var discovery = JsonNode.Parse(await Http.GetStringAsync($"/v1/tenants/{Tenant}/.well-known/openid-configuration"))!;
        // Fetched from this node (the public base of a multi-node test is not a real host).
        var jwks = new JsonWebKeySet(await Http.GetStringAsync(new Uri((string)discovery["jwks_uri"]!).PathAndQuery));
        var result = await new JsonWebTokenHandler().ValidateTokenAsync(token, new TokenValidationParameters
        {
            ValidIssuer = (string)discovery["issuer"]!,
            ValidAudience = audience,
            IssuerSigningKeys = jwks.GetSigningKeys(),
            ValidAlgorithms = [SecurityAlgorithms.EcdsaSha256],
        });
        Assert.True(result.IsValid, result.Exception?.ToString());
        return (JsonWebToken)result.SecurityToken;
    }

    /// <summary>Asserts an OAuth error response carrying our code in error_uri.</summary>
    /// <remarks><paramref name="kebabCode"/> null: an error OpenIddict itself found (PKCE, presenter, integrity), with its own error_uri.</remarks>
    public static void AssertOAuthError((int Status, JsonNode Body) response, int status, string error, string? kebabCode)
    {
        Assert.True(response.Status == status, $"expected {status}, got {response.Status}: {response.Body.ToJsonString()}");
        Assert.Equal(error, (string?)response.Body["error"]);
        Assert.False(string.IsNullOrEmpty((string?)response.Body["error_description"]));
        if (kebabCode is not null)
        {
            Assert.Equal("https://passkeys.invalid/errors/" + kebabCode, (string?)response.Body["error_uri"]);
        }
    }
}
