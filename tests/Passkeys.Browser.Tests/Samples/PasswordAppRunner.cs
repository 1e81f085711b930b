using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging;
using PasswordApp;

namespace Passkeys.Browser.Tests.Samples;

/// <summary>
/// samples/PasswordApp on a loopback port, in this process, with its own users file, pointed at a
/// running passkey server. Its page origin is http://localhost:PORT (WebAuthn refuses IP origins).
/// </summary>
public sealed class PasswordAppRunner : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly string _folder;

    private PasswordAppRunner(WebApplication app, int port, string folder)
    {
        _app = app;
        Port = port;
        _folder = folder;
    }

    public int Port { get; }

    public string Origin => $"http://localhost:{Port}";

    /// <summary>Users the app had before passkeys: name and password, hashed into the app's users file.</summary>
    public static string UsersFile(string folder) => Path.Combine(folder, "users.json");

    public static string NewFolder()
    {
        var folder = Path.Combine(Path.GetTempPath(), "passkeys-password-app-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        return folder;
    }

    /// <param name="extraArgs">More settings, e.g. <c>--PasswordApp:Tenant=…</c>.</param>
    public static async Task<PasswordAppRunner> StartAsync(int port, string folder, string passkeysServer, string apiKey, params string[] extraArgs)
    {
        var app = PasswordAppHost.Build(
        [
            $"--urls=http://127.0.0.1:{port}",
            $"--PasswordApp:PasskeysServer={passkeysServer}",
            $"--PasswordApp:ApiKey={apiKey}",
            $"--PasswordApp:UsersFile={UsersFile(folder)}",
            .. extraArgs,
        ], builder => builder.Logging.SetMinimumLevel(LogLevel.Warning));
        await app.StartAsync();
        return new PasswordAppRunner(app, port, folder);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }
}
