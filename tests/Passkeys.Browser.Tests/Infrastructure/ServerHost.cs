using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Passkeys.Server;

namespace Passkeys.Browser.Tests.Infrastructure;

/// <summary>
/// The real Passkeys.Server (PasskeysServerApp.Build) on a loopback port, in this process, with a
/// fresh SQLite data folder. Pages must be opened at http://localhost:PORT (an IP origin fails
/// every WebAuthn call), so the port is chosen before the server starts and the default tenant's
/// origin is configured to match.
/// </summary>
public sealed class ServerHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly string _dataDirectory;

    private ServerHost(WebApplication app, int port, string dataDirectory)
    {
        _app = app;
        Port = port;
        _dataDirectory = dataDirectory;
    }

    public int Port { get; }

    /// <summary>Resolves a service of the running server (for driving background work deterministically).</summary>
    public T Services<T>() where T : notnull => _app.Services.GetRequiredService<T>();

    /// <summary>The page origin, always a localhost name, never an IP.</summary>
    public string Origin => $"http://localhost:{Port}";

    /// <summary>Starts a server; <paramref name="time"/> replaces its clock, <paramref name="extraArgs"/> add configuration.</summary>
    public static async Task<ServerHost> StartAsync(TimeProvider? time = null, params string[] extraArgs)
    {
        var port = FreePort();
        var data = Path.Combine(Path.GetTempPath(), "passkeys-browser-tests-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(data);
        var app = PasskeysServerApp.Build(
        [
            $"--urls=http://127.0.0.1:{port}",
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
            if (time is not null)
            {
                builder.Services.AddSingleton(time);
            }
        });
        await app.StartAsync();
        return new ServerHost(app, port, data);
    }

    internal static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
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
