using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Passkeys.Browser.Tests.Infrastructure;
using Passkeys.TestSupport;

namespace Passkeys.Browser.Tests.Samples;

/// <summary>
/// What every PasswordApp browser test starts from: a passkey server whose default tenant lets the
/// app's origin run ceremonies, with the test's rollout settings, and an API key for the app.
/// The app itself is started by the test (<see cref="StartAppAsync"/>) once it has put its users
/// from before passkeys in the app's folder.
/// </summary>
internal sealed class PasswordAppSetup : IAsyncDisposable
{
    public const string AdminKey = "password-app-admin-key-0123456789abcdef";

    private readonly LoopbackPort _appPort;

    private PasswordAppSetup(ServerHost server, HttpClient admin, string apiKey, LoopbackPort appPort)
    {
        Server = server;
        Admin = admin;
        ApiKey = apiKey;
        _appPort = appPort;
    }

    public ServerHost Server { get; }

    /// <summary>The server's admin API, authorized with <see cref="AdminKey"/>.</summary>
    public HttpClient Admin { get; }

    /// <summary>The app's API key of the default tenant.</summary>
    public string ApiKey { get; }

    /// <summary>The port the app will listen on (reserved up front: its origin is in the tenant's origins).</summary>
    public int AppPort => _appPort.Port;

    public string AppOrigin => $"http://localhost:{AppPort}";

    /// <summary>
    /// Starts the server (with <paramref name="serverArgs"/> added), puts the default tenant's
    /// origins (the server's and the app's), self sign-up and <paramref name="rollout"/>, and
    /// creates the app's API key.
    /// </summary>
    public static async Task<PasswordAppSetup> StartAsync(object rollout, params string[] serverArgs)
    {
        var appPort = LoopbackPort.Reserve();
        var appOrigin = $"http://localhost:{appPort.Port}";
        ServerHost server;
        try
        {
            server = await ServerHost.StartAsync(null, ["--Passkeys:AdminKey=" + AdminKey, "--Passkeys:DefaultTenant:Origins:1=" + appOrigin, .. serverArgs]);
        }
        catch
        {
            appPort.Dispose();
            throw;
        }
        var admin = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{server.Port}") };
        try
        {
            admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AdminKey);
            using (var put = await admin.PutAsJsonAsync("/v1/admin/tenants/default", new
            {
                id = "default", rpId = "localhost", rpName = "Passkeys", origins = new[] { server.Origin, appOrigin }, selfSignUp = true, rollout,
            }))
            {
                Assert.True(put.IsSuccessStatusCode, await put.Content.ReadAsStringAsync());
            }
            using var created = await admin.PostAsJsonAsync("/v1/admin/tenants/default/api-keys", new { name = "password-app" });
            Assert.True(created.IsSuccessStatusCode, await created.Content.ReadAsStringAsync());
            var apiKey = (string)JsonNode.Parse(await created.Content.ReadAsStringAsync())!["key"]!;
            return new PasswordAppSetup(server, admin, apiKey, appPort);
        }
        catch
        {
            admin.Dispose();
            await server.DisposeAsync();
            appPort.Dispose();
            throw;
        }
    }

    /// <summary>Starts the app (once) on <see cref="AppPort"/> with its data in <paramref name="folder"/>, talking to this server with <see cref="ApiKey"/>.</summary>
    public Task<PasswordAppRunner> StartAppAsync(string folder) => PasswordAppRunner.StartAsync(_appPort, folder, Server.Origin, ApiKey);

    public async ValueTask DisposeAsync()
    {
        Admin.Dispose();
        await Server.DisposeAsync();
        _appPort.Dispose();
    }
}
