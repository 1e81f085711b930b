using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Net;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Passkeys.TestSupport;

namespace Passkeys.Browser.Tests.Oidc;

/// <summary>
/// A tiny OIDC relying party on a loopback port: <c>/login</c> sends the browser to the provider
/// (code flow, PKCE S256, state, nonce), <c>/cb</c> checks the state, redeems the code over the
/// back channel, validates the ID token against the provider's JWKS (issuer, audience, nonce) and
/// shows who signed in and how. Written as any app without our SDK would be.
/// </summary>
public sealed class RelyingApp : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly LoopbackPort _port;
    private readonly ConcurrentDictionary<string, (string Verifier, string Nonce)> _pending = new();
    private readonly HttpClient _backChannel = new();

    private RelyingApp(string browserIssuer, string backChannelIssuer, string clientId, LoopbackPort port)
    {
        _port = port;
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.ConfigureKestrel(port.ListenOn);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        _app = builder.Build();
        _app.MapGet("/login", (HttpContext http) =>
        {
            var state = Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(16));
            var nonce = Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(16));
            var verifier = Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(32));
            _pending[state] = (verifier, nonce);
            var challenge = Base64UrlEncoder.Encode(SHA256.HashData(System.Text.Encoding.ASCII.GetBytes(verifier)));
            var prompt = http.Request.Query["prompt"].ToString();
            var query = $"response_type=code&client_id={clientId}&redirect_uri={Uri.EscapeDataString(RedirectUri)}&scope=openid%20profile%20offline_access" +
                $"&state={state}&nonce={nonce}&code_challenge={challenge}&code_challenge_method=S256" + (prompt.Length > 0 ? "&prompt=" + prompt : "");
            return Results.Redirect($"{browserIssuer}/authorize?{query}");
        });
        _app.MapGet("/cb", async (HttpContext http) =>
        {
            var state = http.Request.Query["state"].ToString();
            if (!_pending.TryRemove(state, out var pending))
            {
                return Results.Content("<p id=\"result\">unknown state</p>", "text/html", statusCode: 400);
            }
            using var response = await _backChannel.PostAsync($"{backChannelIssuer}/token", new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["grant_type"] = "authorization_code", ["code"] = http.Request.Query["code"].ToString(), ["redirect_uri"] = RedirectUri,
                ["client_id"] = clientId, ["code_verifier"] = pending.Verifier,
            }));
            var tokens = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
            var discovery = JsonNode.Parse(await _backChannel.GetStringAsync($"{backChannelIssuer}/.well-known/openid-configuration"))!;
            var jwks = new JsonWebKeySet(await _backChannel.GetStringAsync((string)discovery["jwks_uri"]!));
            var result = await new JsonWebTokenHandler().ValidateTokenAsync((string?)tokens["id_token"] ?? "", new TokenValidationParameters
            {
                ValidIssuer = (string)discovery["issuer"]!, ValidAudience = clientId, IssuerSigningKeys = jwks.GetSigningKeys(),
            });
            if (!result.IsValid || result.SecurityToken is not JsonWebToken id || id.GetPayloadValue<string>("nonce") != pending.Nonce)
            {
                return Results.Content($"<p id=\"result\">rejected: {WebUtility.HtmlEncode(tokens.ToJsonString())}</p>", "text/html", statusCode: 401);
            }
            var amr = string.Join(" ", id.GetPayloadValue<string[]>("amr"));
            return Results.Content($"<p id=\"result\">Signed in as {WebUtility.HtmlEncode(id.GetPayloadValue<string>("preferred_username"))} " +
                $"with {WebUtility.HtmlEncode(amr)} ({WebUtility.HtmlEncode(id.GetPayloadValue<string>("acr"))})</p>", "text/html");
        });
    }

    public int Port => _port.Port;
    public string RedirectUri => $"http://127.0.0.1:{Port}/cb";
    public string LoginUrl => $"http://127.0.0.1:{Port}/login";

    /// <summary>Starts the app; the browser reaches the provider at <paramref name="browserIssuer"/>, the app's back channel at <paramref name="backChannelIssuer"/>.</summary>
    public static async Task<RelyingApp> StartAsync(string browserIssuer, string backChannelIssuer, string clientId)
    {
        var app = new RelyingApp(browserIssuer, backChannelIssuer, clientId, LoopbackPort.Reserve());
        try
        {
            await app._app.StartAsync();
            return app;
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Starts the app as the public client <c>relying-app</c> of <paramref name="server"/>'s default
    /// tenant, registered with the admin key. The browser reaches the provider at its localhost origin
    /// (WebAuthn refuses IP origins); the app's back channel uses 127.0.0.1.
    /// </summary>
    public static async Task<RelyingApp> StartRegisteredAsync(Infrastructure.ServerHost server, string adminKey)
    {
        using var admin = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{server.Port}") };
        admin.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", adminKey);
        var app = await StartAsync($"{server.Origin}/v1/tenants/default", $"http://127.0.0.1:{server.Port}/v1/tenants/default", "relying-app");
        using var created = await admin.PostAsJsonAsync("/v1/admin/tenants/default/oidc-clients", new
        {
            clientId = "relying-app", displayName = "Relying App", clientType = "public", redirectUris = new[] { app.RedirectUri },
        });
        if (!created.IsSuccessStatusCode)
        {
            await app.DisposeAsync();
            Assert.Fail(await created.Content.ReadAsStringAsync());
        }
        return app;
    }

    public async ValueTask DisposeAsync()
    {
        _backChannel.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        _port.Dispose();
    }
}
