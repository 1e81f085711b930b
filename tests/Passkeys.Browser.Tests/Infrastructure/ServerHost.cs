using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Passkeys.Server;
using Passkeys.TestSupport;

namespace Passkeys.Browser.Tests.Infrastructure;

/// <summary>
/// The real Passkeys.Server (PasskeysServerApp.Build) on a loopback port, in this process, with a
/// fresh SQLite data folder. Pages must be opened at http://localhost:PORT (an IP origin fails
/// every WebAuthn call), so the port is reserved before the server starts (the server listens on
/// the reserved socket, <see cref="LoopbackPort"/>, closed when the host is disposed) and the
/// default tenant's origin is configured to match.
/// </summary>
public sealed class ServerHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly LoopbackPort _port;
    private readonly string _dataDirectory;

    private ServerHost(WebApplication app, LoopbackPort port, string dataDirectory)
    {
        _app = app;
        _port = port;
        _dataDirectory = dataDirectory;
    }

    public int Port => _port.Port;

    /// <summary>Resolves a service of the running server (for driving background work deterministically).</summary>
    public T Services<T>() where T : notnull => _app.Services.GetRequiredService<T>();

    /// <summary>The page origin, always a localhost name, never an IP.</summary>
    public string Origin => $"http://localhost:{Port}";

    /// <summary>Starts a server; <paramref name="time"/> replaces its clock, <paramref name="extraArgs"/> add configuration.</summary>
    public static async Task<ServerHost> StartAsync(TimeProvider? time = null, params string[] extraArgs)
    {
        var reserved = LoopbackPort.Reserve();
        var port = reserved.Port;
        var data = Path.Combine(Path.GetTempPath(), "passkeys-browser-tests-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(data);
        try
        {
            return new ServerHost(await StartAppAsync(reserved, data, time, extraArgs), reserved, data);
        }
        catch
        {
            reserved.Dispose();
            throw;
        }
    }

    private static async Task<WebApplication> StartAppAsync(LoopbackPort reserved, string data, TimeProvider? time, string[] extraArgs)
    {
        var port = reserved.Port;
        var app = PasskeysServerApp.Build(
        [
            $"--Passkeys:DefaultTenant:Origins:0=http://localhost:{port}",
            // The console's relying party is this address (an IP address cannot be an rpId).
            $"--Passkeys:PublicBaseUrl=http://localhost:{port}",
            $"--Passkeys:DataDirectory={data}",
            // Every test signs up and in from 127.0.0.1; the per-address limits are not under test here.
            "--Passkeys:RateLimits:CeremonyPerAddress=100000",
            "--Passkeys:RateLimits:ApiPerAddress=100000",
            "--Passkeys:RateLimits:RecoveryPerAddress=1000",
            .. extraArgs,
        ], builder =>
        {
            builder.Logging.SetMinimumLevel(LogLevel.Warning);
            builder.WebHost.ConfigureKestrel(reserved.ListenOn);
            if (time is not null)
            {
                builder.Services.AddSingleton(time);
            }
        });
        await app.StartAsync();
        return app;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _port.Dispose();
        try
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // SQLite may still hold a pooled handle for a moment; the temp folder is harmless.
        }
    }
}
