using System.Text;
using System.Text.Json.Nodes;
using Passkeys.Cli.Admin;
using Passkeys.Authenticator;
using Passkeys.Authenticator.Client;
using Passkeys.Cli.Tests.Infrastructure;

namespace Passkeys.Cli.Tests.Admin;

/// <summary>
/// The <see cref="RealServer"/> shared by the admin CLI tests, and a way to run `passkeys admin …`
/// against it exactly as Program.cs does, with captured output.
/// </summary>
public sealed class AdminServer : IAsyncLifetime
{
    public const string AdminKey = RealServer.DefaultAdminKey;
    // A tenant whose rpId and origin the CLI's software authenticator can register on.
    public const string Origin = RealServer.Origin;

    private RealServer _server = null!;

    public Uri Url => _server.Url;

    public HttpClient Http => _server.Http;

    public async Task InitializeAsync() => _server = await RealServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

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
    public Task<(int Status, JsonNode? Body)> AdminGetAsync(string path) => _server.AdminGetAsync(path);
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
