using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using Passkeys.Authenticator.Client;
using Passkeys.Server.Tests.Integration;

namespace Passkeys.Server.Tests.Analytics;

/// <summary>A browser as the server sees it: its user agent and client hints.</summary>
public sealed record Browser(string UserAgent, string? Mobile = null, string? Platform = null)
{
    public static readonly Browser ChromeWindows = new(
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36", "?0", "\"Windows\"");
    public static readonly Browser SafariIphone = new(
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1");
    public static readonly Browser FirefoxLinux = new("Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0");
}

/// <summary>Ceremony traffic over real HTTP, each request from a given browser.</summary>
public sealed class AnalyticsTraffic(TestServer server, string tenant = "default")
{
    public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, object? body, Browser? browser = null, string? apiKey = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = new StringContent(body is string s ? s : JsonSerializer.Serialize(body), System.Text.Encoding.UTF8, "application/json");
        }
        if (browser is not null)
        {
            request.Headers.TryAddWithoutValidation("User-Agent", browser.UserAgent);
            if (browser.Mobile is not null) request.Headers.Add("Sec-CH-UA-Mobile", browser.Mobile);
            if (browser.Platform is not null) request.Headers.Add("Sec-CH-UA-Platform", browser.Platform);
        }
        if (apiKey is not null) request.Headers.Add("X-Api-Key", apiKey);
        return await server.Http.SendAsync(request);
    }

    public async Task<JsonNode> OkAsync(HttpMethod method, string path, object? body, Browser? browser = null, string? apiKey = null)
    {
        using var response = await SendAsync(method, path, body, browser, apiKey);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{method} {path} → {(int)response.StatusCode}: {text}");
        return text.Length == 0 ? new JsonObject() : JsonNode.Parse(text)!;
    }

    public Task<JsonNode> BeginSignInAsync(Browser browser, bool conditional = false) =>
        OkAsync(HttpMethod.Post, $"/v1/tenants/{tenant}/authentication/begin", conditional ? new { mediation = "conditional" } : new { }, browser);

    public Task<JsonNode> BeginSignUpAsync(Browser browser, string name) =>
        OkAsync(HttpMethod.Post, $"/v1/tenants/{tenant}/registration/begin", new { user = new { name } }, browser);

    public async Task<JsonNode> FinishSignUpAsync(Browser browser, JsonNode begin, SoftwareClient client) =>
        await OkAsync(HttpMethod.Post, $"/v1/tenants/{tenant}/registration/finish",
            TestServer.FinishBody(begin, await client.CreateAsync(begin["options"]!.ToJsonString())), browser);

    public async Task<JsonNode> FinishSignInAsync(Browser browser, JsonNode begin, SoftwareClient client) =>
        await OkAsync(HttpMethod.Post, $"/v1/tenants/{tenant}/authentication/finish",
            TestServer.FinishBody(begin, await client.GetAsync(begin["options"]!.ToJsonString())), browser);

    /// <summary>A sign-in the server refuses; returns the problem's code.</summary>
    public async Task<int> FailSignInAsync(Browser browser, JsonNode begin, SoftwareClient client)
    {
        using var response = await SendAsync(HttpMethod.Post, $"/v1/tenants/{tenant}/authentication/finish",
            TestServer.FinishBody(begin, await client.GetAsync(begin["options"]!.ToJsonString())), browser);
        Assert.False(response.IsSuccessStatusCode);
        return (int)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["code"]!;
    }

    public Task<HttpResponseMessage> ReportAsync(string ceremonyId, object body, string? onTenant = null) =>
        SendAsync(HttpMethod.Post, $"/v1/tenants/{onTenant ?? tenant}/ceremonies/{ceremonyId}/client-events", body);

    public async Task ReportOkAsync(JsonNode begin, object body)
    {
        using var response = await ReportAsync((string)begin["ceremonyId"]!, body);
        Assert.Equal(System.Net.HttpStatusCode.NoContent, response.StatusCode);
    }

    public Task<JsonNode> AdminAsync(string pathAndQuery) => server.OkJsonAsync(HttpMethod.Get, $"/v1/admin/tenants/{tenant}/{pathAndQuery}", bearer: TestServer.AdminKey);
}

/// <summary>Moves a <see cref="ManualTime"/> to an exact instant.</summary>
public static class ManualTimeExtensions
{
    public static void SetTo(this ManualTime time, DateTimeOffset at) => time.Advance(at - time.GetUtcNow());
}
