using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Passkeys.Server;

namespace Passkeys.Cli.Tests.Infrastructure;

/// <summary>How to start a <see cref="RealServer"/>; the defaults suit most tests.</summary>
public sealed record RealServerOptions
{
    /// <summary>The admin key (<c>Passkeys:AdminKey</c>, at least 32 characters).</summary>
    public string AdminKey { get; init; } = RealServer.DefaultAdminKey;

    /// <summary>
    /// Ceremony requests a minute per client address (<c>Passkeys:RateLimits:CeremonyPerAddress</c>);
    /// null turns rate limiting off, so that tests which run many ceremonies from one address pass.
    /// </summary>
    public int? CeremonyRequestsPerAddress { get; init; }

    /// <summary><c>Passkeys:PublicBaseUrl</c> (the console's address, for operator commands); null leaves it unset.</summary>
    public string? PublicBaseUrl { get; init; }
}

/// <summary>
/// A real Passkeys server for the CLI tests: Kestrel on 127.0.0.1 (a free port), built by
/// <see cref="PasskeysServerApp.Build"/> as in production, with its SQLite file in a fresh temporary
/// folder that <see cref="DisposeAsync"/> deletes. Its default tenant is the server's own (id
/// <c>default</c>, rp id <c>localhost</c>, origin <see cref="Origin"/>, self sign-up on); tests that
/// need other settings create a tenant of their own.
/// </summary>
public sealed class RealServer : IAsyncDisposable
{
    public const string DefaultAdminKey = "cli-test-admin-key-0123456789abcdef012345";

    /// <summary>The default tenant's origin (rp id localhost), whatever port the server listens on.</summary>
    public const string Origin = "http://localhost:5080";

    private readonly string _folder = Path.Combine(Path.GetTempPath(), "passkeys-server-" + Guid.NewGuid().ToString("N"));
    private WebApplication? _app;

    private RealServer(string adminKey) => AdminKey = adminKey;

    public string AdminKey { get; }

    /// <summary>The server's base URL, e.g. http://127.0.0.1:41234/.</summary>
    public Uri Url { get; private set; } = null!;

    /// <summary>A client with <see cref="Url"/> as its base address and no credentials.</summary>
    public HttpClient Http { get; private set; } = null!;

    /// <summary>The folder of the SQLite database (and anything else the server writes).</summary>
    public string DataDirectory => Path.Combine(_folder, "data");

    public static async Task<RealServer> StartAsync(RealServerOptions? options = null)
    {
        options ??= new RealServerOptions();
        var server = new RealServer(options.AdminKey);
        List<string> args =
        [
            "--urls", "http://127.0.0.1:0",
            "--Passkeys:DataDirectory=" + server.DataDirectory,
            "--Passkeys:AdminKey=" + options.AdminKey,
            "--Logging:LogLevel:Default=Warning",
        ];
        if (options.PublicBaseUrl is { } publicBaseUrl)
        {
            args.Add("--Passkeys:PublicBaseUrl=" + publicBaseUrl);
        }
        if (options.CeremonyRequestsPerAddress is { } limit)
        {
            args.Add("--Passkeys:RateLimits:Enabled=true");
            args.Add("--Passkeys:RateLimits:CeremonyPerAddress=" + limit.ToString(CultureInfo.InvariantCulture));
        }
        else
        {
            args.Add("--Passkeys:RateLimits:Enabled=false");
        }
        try
        {
            server._app = PasskeysServerApp.Build([.. args], null);
            await server._app.StartAsync();
            server.Url = new Uri(server._app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
            server.Http = new HttpClient { BaseAddress = server.Url };
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>An admin API call with <see cref="AdminKey"/>; asserts success and returns the JSON.</summary>
    public async Task<JsonNode> AdminAsync(HttpMethod method, string path, string? body = null)
    {
        var (status, text) = await SendAdminAsync(method, path, body);
        Assert.True(status is >= 200 and < 300, $"{method} {path} → {status}: {text}");
        return JsonNode.Parse(text)!;
    }

    /// <summary>An admin GET with <see cref="AdminKey"/>, whatever its status, to check what the CLI did independently of it.</summary>
    public async Task<(int Status, JsonNode? Body)> AdminGetAsync(string path)
    {
        var (status, text) = await SendAdminAsync(HttpMethod.Get, path, null);
        return (status, text.Length == 0 ? null : JsonNode.Parse(text));
    }

    private async Task<(int Status, string Text)> SendAdminAsync(HttpMethod method, string path, string? body)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", AdminKey);
        if (body is not null)
        {
            request.Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");
        }
        using var response = await Http.SendAsync(request);
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    public async ValueTask DisposeAsync()
    {
        Http?.Dispose();
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
        // Pooled connections keep the SQLite file open.
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(_folder, true); } catch (IOException) { }
    }
}
