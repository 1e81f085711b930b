using System.Net.Http.Headers;
using System.Net.Http.Json;

using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Passkeys.Authenticator;
using Passkeys.Authenticator.Client;

namespace Passkeys.Server.Tests.Integration;

/// <summary>A mutable clock for expiry tests.</summary>
public sealed class ManualTime : TimeProvider
{
    private DateTimeOffset _now = DateTimeOffset.UtcNow;
    public override DateTimeOffset GetUtcNow() => _now;
    public void Advance(TimeSpan by) => _now += by;
}

/// <summary>A real Kestrel server on 127.0.0.1 with a temporary SQLite data folder.</summary>
public sealed class TestServer : IAsyncDisposable
{
    public const string AdminKey = "test-admin-key-0123456789abcdef0123456789";
    public const string Origin = "http://localhost:5080";

    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), "passkeys-it-" + Guid.NewGuid().ToString("N"));
    private WebApplication? _app;

    public HttpClient Http { get; private set; } = null!;

    /// <summary>Resolves a service of the running app (for driving background work deterministically).</summary>
    public T Services<T>() where T : notnull => _app!.Services.GetRequiredService<T>();
    public Uri BaseAddress { get; private set; } = null!;

    public static Task<TestServer> StartAsync(TimeProvider? time = null, params string[] extraArgs) =>
        StartAsync(time, null, extraArgs);

    /// <summary>Starts a server whose services <paramref name="configure"/> may replace (e.g. wrap the store).</summary>
    public static Task<TestServer> StartWithAsync(Action<WebApplicationBuilder> configure, params string[] extraArgs) =>
        StartAsync(null, configure, extraArgs);

    private static async Task<TestServer> StartAsync(TimeProvider? time, Action<WebApplicationBuilder>? configure, string[] extraArgs)
    {
        var server = new TestServer();
        string[] args =
        [
            "--urls", "http://127.0.0.1:0",
            "--Passkeys:DataDirectory=" + server._dataDirectory,
            "--Passkeys:AdminKey=" + AdminKey,
            "--Passkeys:RateLimits:Enabled=false",
            "--Logging:LogLevel:Default=Warning",
            .. extraArgs,
        ];
        server._app = PasskeysServerApp.Build(args, b =>
        {
            if (time is not null)
            {
                b.Services.AddSingleton(time);
            }
            configure?.Invoke(b);
        });
        await server._app.StartAsync();
        var address = server._app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.BaseAddress = new Uri(address);
        server.Http = new HttpClient { BaseAddress = server.BaseAddress };
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(_dataDirectory, true); } catch (IOException) { }
    }

    public static SoftwareClient NewClient(string origin = Origin, SoftwareAuthenticator? authenticator = null) =>
        new(authenticator ?? new SoftwareAuthenticator(), new SoftwareClientOptions { Origin = origin });

    public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, object? body = null, string? bearer = null, string? apiKey = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = new StringContent(body is string s ? s : JsonSerializer.Serialize(body), System.Text.Encoding.UTF8, "application/json");
        }
        if (bearer is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        if (apiKey is not null) request.Headers.Add("X-Api-Key", apiKey);
        return await Http.SendAsync(request);
    }

    public async Task<JsonNode> OkJsonAsync(HttpMethod method, string path, object? body = null, string? bearer = null, string? apiKey = null)
    {
        using var response = await SendAsync(method, path, body, bearer, apiKey);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{method} {path} → {(int)response.StatusCode}: {text}");
        return JsonNode.Parse(text)!;
    }

    /// <summary>Asserts a problem response with the given status and code; returns it.</summary>
    public static async Task<JsonNode> ProblemAsync(HttpResponseMessage response, int status, int code)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(status == (int)response.StatusCode, $"expected {status}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonNode.Parse(text)!;
        Assert.Equal(code, (int)problem["code"]!);
        Assert.False(string.IsNullOrEmpty((string?)problem["detail"]));
        return problem;
    }

    public async Task<string> CreateApiKeyAsync(string tenant = "default") =>
        (string)(await OkJsonAsync(HttpMethod.Post, $"/v1/admin/tenants/{tenant}/api-keys", new { name = "backend" }, bearer: AdminKey))["key"]!;

    /// <summary>Self sign-up with a new software authenticator; returns the finish response.</summary>
    public async Task<JsonNode> SignUpAsync(SoftwareClient client, string name, string tenant = "default")
    {
        var begin = await OkJsonAsync(HttpMethod.Post, $"/v1/tenants/{tenant}/registration/begin", new { user = new { name, displayName = name.ToUpperInvariant() } });
        var response = await client.CreateAsync(begin["options"]!.ToJsonString());
        return await OkJsonAsync(HttpMethod.Post, $"/v1/tenants/{tenant}/registration/finish", FinishBody(begin, response));
    }

    public static string FinishBody(JsonNode begin, string responseJson, string? name = null) =>
        new JsonObject { ["ceremonyId"] = (string)begin["ceremonyId"]!, ["response"] = JsonNode.Parse(responseJson), ["name"] = name }.ToJsonString();

    /// <summary>Signs in (usernameless unless <paramref name="username"/>); returns the finish response.</summary>
    public async Task<JsonNode> SignInAsync(SoftwareClient client, string? username = null, string tenant = "default")
    {
        var begin = await OkJsonAsync(HttpMethod.Post, $"/v1/tenants/{tenant}/authentication/begin", username is null ? new { } : new { username });
        var response = await client.GetAsync(begin["options"]!.ToJsonString());
        return await OkJsonAsync(HttpMethod.Post, $"/v1/tenants/{tenant}/authentication/finish", FinishBody(begin, response));
    }
}
