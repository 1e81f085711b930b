using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging;
using Microsoft.AspNetCore.Hosting;
using PasswordApp;
using Passkeys.TestSupport;

namespace Passkeys.Browser.Tests.Samples;

/// <summary>
/// samples/PasswordApp on a loopback port, in this process, with its own users file, pointed at a
/// running passkey server. Its page origin is http://localhost:PORT (WebAuthn refuses IP origins).
/// </summary>
public sealed class PasswordAppRunner : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly LoopbackPort _port;
    private readonly string _folder;

    private PasswordAppRunner(WebApplication app, LoopbackPort port, string folder)
    {
        _app = app;
        _port = port;
        _folder = folder;
    }

    public int Port => _port.Port;

    public string Origin => $"http://localhost:{Port}";

    /// <summary>Users the app had before passkeys: name and password, hashed into the app's users file.</summary>
    public static string UsersFile(string folder) => Path.Combine(folder, "users.json");

    public static string NewFolder()
    {
        var folder = Path.Combine(Path.GetTempPath(), "passkeys-password-app-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        return folder;
    }

    /// <param name="port">Reserved by the caller (the app's origin may be in a tenant already); the app listens on it and closes it when disposed.</param>
    /// <param name="extraArgs">More settings, e.g. <c>--PasswordApp:Tenant=…</c>.</param>
    public static async Task<PasswordAppRunner> StartAsync(LoopbackPort port, string folder, string passkeysServer, string apiKey, params string[] extraArgs)
    {
        var app = PasswordAppHost.Build(
        [
            $"--PasswordApp:PasskeysServer={passkeysServer}",
            $"--PasswordApp:ApiKey={apiKey}",
            $"--PasswordApp:UsersFile={UsersFile(folder)}",
            .. extraArgs,
        ], builder =>
        {
            builder.Logging.SetMinimumLevel(LogLevel.Warning);
            builder.WebHost.ConfigureKestrel(port.ListenOn);
        });
        try
        {
            await app.StartAsync();
        }
        catch
        {
            port.Dispose();
            throw;
        }
        return new PasswordAppRunner(app, port, folder);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _port.Dispose();
        Directory.Delete(_folder, recursive: true);
    }
}
