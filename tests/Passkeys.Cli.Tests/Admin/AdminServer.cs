using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Passkeys.Cli.Admin;
using Passkeys.Authenticator;
using Passkeys.Authenticator.Client;
using Passkeys.Cli.Tests.Authenticator;
using Passkeys.Server;

namespace Passkeys.Cli.Tests.Admin;

/// <summary>
/// A real Passkeys server on 127.0.0.1 (SQLite in a temp folder) shared by the admin CLI tests,
/// and a way to run `passkeys admin …` against it exactly as Program.cs does, with captured output.
/// </summary>
public sealed class AdminServer : IAsyncLifetime
{
    public const string AdminKey = "cli-admin-test-key-0123456789abcdef0123456";
    // A tenant whose rpId and origin the CLI's software authenticator can register on.
    public const string Origin = "http://localhost:5080";

    private readonly TempStore _folder = new();
    private WebApplication _app = null!;

    public Uri Url { get; private set; } = null!;

    public HttpClient Http { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        _app = PasskeysServerApp.Build(
        [
            "--urls", "http://127.0.0.1:0",
            "--Passkeys:DataDirectory=" + Path.Combine(_folder.Folder, "data"),
            "--Passkeys:AdminKey=" + AdminKey,
            "--Passkeys:RateLimits:Enabled=false",
            "--Logging:LogLevel:Default=Warning",
        ], null);
        await _app.StartAsync();
        Url = new Uri(_app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        Http = new HttpClient { BaseAddress = Url };
    }

    public async Task DisposeAsync()
    {
        Http.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _folder.Dispose();
    }

    /// <summary>Runs `passkeys ARGS` with PASSKEYS_URL and PASSKEYS_ADMIN_KEY pointing at this server.</summary>
    public Task<CliRun> RunAsync(params string[] args) => RunAsync(new CliInput(), args);

    public async Task<CliRun> RunAsync(CliInput input, params string[] args)
    {
        var output = new ConcurrentWriter();
        var error = new ConcurrentWriter();
        var variables = new Dictionary<string, string?>
        {
            [AdminOptions.UrlVariable] = input.Url ?? Url.ToString(),
            [AdminOptions.AdminKeyVariable] = input.AdminKey ?? AdminKey,
        };
        var console = new AdminConsole(output, error, new StringReader(input.Stdin ?? ""), input.Terminal, name => variables.GetValueOrDefault(name));
        // The same tree and runner as Program.cs, so that parsing and exit codes are what a user gets.
        input.Output = output;
        int exit = await PasskeysCli.RunAsync(PasskeysCli.CreateRoot(console), args, output, error, input.Cancel);
        return new CliRun(exit, output.ToString(), error.ToString());
    }

    /// <summary>Creates a tenant (through the CLI) that the software authenticator can sign up on.</summary>
    public async Task<string> NewTenantAsync(bool selfSignUp = true)
    {
        string id = "t-" + Guid.NewGuid().ToString("N")[..10];
        var run = await RunAsync("admin", "tenants", "create", "--id", id, "--rp-id", "localhost", "--rp-name", "Test", "--origin", Origin,
            "--self-sign-up", selfSignUp ? "true" : "false");
        run.AssertOk();
        return id;
    }

    /// <summary>Registers a user by self sign-up with a software authenticator; returns the user id and the token issued.</summary>
    /// <remarks>With <paramref name="apiKey"/> it registers the app's user <paramref name="userId"/> instead.</remarks>
    public async Task<(string UserId, string Token)> SignUpAsync(string tenant, string username, string? apiKey = null, string? userId = null)
    {
        using var authenticator = new SoftwareAuthenticator();
        var client = new SoftwareClient(authenticator, new SoftwareClientOptions { Origin = Origin });
        var user = new JsonObject { ["name"] = username, ["displayName"] = username };
        if (userId is not null)
        {
            user["id"] = userId;
        }
        var begin = await PostAsync($"/v1/tenants/{tenant}/registration/begin", new JsonObject { ["user"] = user }, apiKey);
        string response = await client.CreateAsync(begin["options"]!.ToJsonString());
        var finish = await PostAsync($"/v1/tenants/{tenant}/registration/finish",
            new JsonObject { ["ceremonyId"] = (string)begin["ceremonyId"]!, ["response"] = JsonNode.Parse(response) });
        return ((string)finish["user"]!["id"]!, (string)finish["token"]!);
    }

    private async Task<JsonNode> PostAsync(string path, JsonNode body, string? apiKey = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path)
        {
            Content = new StringContent(body.ToJsonString(), System.Text.Encoding.UTF8, "application/json"),
        };
        if (apiKey is not null)
        {
            request.Headers.Add("X-Api-Key", apiKey);
        }
        using var response = await Http.SendAsync(request);
        string text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"POST {path} → {(int)response.StatusCode}: {text}");
        return JsonNode.Parse(text)!;
    }

    /// <summary>An admin API call over plain HTTP, to check what the CLI did independently of it.</summary>
    public async Task<(int Status, JsonNode? Body)> AdminGetAsync(string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", AdminKey);
        using var response = await Http.SendAsync(request);
        string text = await response.Content.ReadAsStringAsync();
        return ((int)response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text));
    }
}

/// <summary>What a CLI run gets besides its arguments.</summary>
public sealed class CliInput
{
    public string? Url { get; init; }
    public string? AdminKey { get; init; }
    public string? Stdin { get; init; }
    public bool Terminal { get; init; }
    public CancellationToken Cancel { get; init; }

    /// <summary>The run's stdout while it runs (for --follow).</summary>
    public ConcurrentWriter? Output { get; set; }
}

public sealed record CliRun(int Exit, string Output, string Error)
{
    public void AssertOk() => Assert.True(Exit == 0, $"exit {Exit}: {Error}");

    public JsonNode Json() => JsonNode.Parse(Output)!;
}

/// <summary>A text writer safe to read while another task writes (audit --follow).</summary>
public sealed class ConcurrentWriter : TextWriter
{
    private readonly StringBuilder _text = new();

    public override System.Text.Encoding Encoding => System.Text.Encoding.UTF8;

    public override void Write(char value)
    {
        lock (_text)
        {
            _text.Append(value);
        }
    }

    public override void Write(string? value)
    {
        lock (_text)
        {
            _text.Append(value);
        }
    }

    public override string ToString()
    {
        lock (_text)
        {
            return _text.ToString();
        }
    }
}
