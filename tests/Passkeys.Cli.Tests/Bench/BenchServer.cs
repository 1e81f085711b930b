using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Passkeys.Server;

namespace Passkeys.Cli.Tests.Bench;

/// <summary>A real Passkeys server (Kestrel on 127.0.0.1, SQLite in a temp folder) for `bench` to load, and admin calls to check what it did.</summary>
public sealed class BenchServer : IAsyncDisposable
{
    public const string AdminKey = "bench-test-admin-key-0123456789abcdef0123";
    // The default tenant accepts this origin (rpId localhost), whatever port the server listens on.
    public const string Origin = "http://localhost:5080";

    private readonly string _folder = Path.Combine(Path.GetTempPath(), "passkeys-bench-" + Guid.NewGuid().ToString("N"));
    private WebApplication _app = null!;

    public Uri Url { get; private set; } = null!;

    public HttpClient Http { get; private set; } = null!;

    /// <summary>Starts a server; <paramref name="settings"/> are extra command-line settings (rate limits are off unless they turn them on).</summary>
    public static async Task<BenchServer> StartAsync(params string[] settings)
    {
        var server = new BenchServer();
        server._app = PasskeysServerApp.Build(
        [
            "--urls", "http://127.0.0.1:0",
            "--Passkeys:DataDirectory=" + server._folder,
            "--Passkeys:AdminKey=" + AdminKey,
            "--Passkeys:RateLimits:Enabled=false",
            "--Logging:LogLevel:Default=Warning",
            .. settings,
        ], null);
        await server._app.StartAsync();
        server.Url = new Uri(server._app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        server.Http = new HttpClient { BaseAddress = server.Url };
        return server;
    }

    /// <summary>GET or POST an admin endpoint; returns the JSON.</summary>
    public async Task<JsonNode> AdminAsync(HttpMethod method, string path, string? body = null)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", AdminKey);
        if (body is not null)
        {
            request.Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");
        }
        using var response = await Http.SendAsync(request);
        string text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{method} {path} → {(int)response.StatusCode}: {text}");
        return JsonNode.Parse(text)!;
    }

    /// <summary>Every user of the default tenant whose name starts with <paramref name="prefix"/> (all pages).</summary>
    public async Task<List<JsonNode>> UsersAsync(string prefix)
    {
        var users = new List<JsonNode>();
        string? after = null;
        do
        {
            var page = await AdminAsync(HttpMethod.Get, "/v1/admin/tenants/default/users?limit=100" + (after is null ? "" : "&after=" + Uri.EscapeDataString(after)));
            foreach (var user in page["users"]!.AsArray())
            {
                if (((string?)user!["name"])?.StartsWith(prefix, StringComparison.Ordinal) == true)
                {
                    users.Add(user);
                }
            }
            after = (string?)page["next"];
        }
        while (after is not null);
        return users;
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(_folder, true); } catch (IOException) { }
    }
}
