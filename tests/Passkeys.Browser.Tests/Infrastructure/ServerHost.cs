using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Logging;

namespace Passkeys.Browser.Tests.Infrastructure;

/// <summary>
/// The server on a loopback port, in this process. Pages must be opened at http://localhost:PORT
/// (an IP origin fails every WebAuthn call), so the port is chosen before the server starts and the
/// default tenant's origin is configured to match.
/// </summary>
public sealed class ServerHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private ServerHost(WebApplication app, int port)
    {
        _app = app;
        Port = port;
    }

    public int Port { get; }

    /// <summary>The page origin, always a localhost name, never an IP.</summary>
    public string Origin => $"http://localhost:{Port}";

    public static async Task<ServerHost> StartAsync()
    {
        var port = FreePort();
        // Until the server's ceremony endpoints land, the SDK tests only need its static files.
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = [$"--urls=http://127.0.0.1:{port}"],
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var files = new PhysicalFileProvider(BrowserEnvironment.WebRoot);
        app.UseDefaultFiles(new DefaultFilesOptions { FileProvider = files });
        app.UseStaticFiles(new StaticFileOptions { FileProvider = files });
        new StandInApi().Map(app);
        await app.StartAsync();
        return new ServerHost(app, port);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
