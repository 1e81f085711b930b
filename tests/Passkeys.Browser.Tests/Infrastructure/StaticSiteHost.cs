using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Logging;

namespace Passkeys.Browser.Tests.Infrastructure;

/// <summary>
/// A second Kestrel on another loopback port serving a folder of static files: another web app's
/// origin (http://localhost:PORT), for pages that use the SDK from elsewhere (cross-origin import,
/// a bundled app). It sends no CORS headers and no CSP of its own.
/// </summary>
public sealed class StaticSiteHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private StaticSiteHost(WebApplication app, int port)
    {
        _app = app;
        Port = port;
    }

    public int Port { get; }

    /// <summary>The site's origin, a localhost name (WebAuthn refuses IP origins).</summary>
    public string Origin => $"http://localhost:{Port}";

    /// <summary>A free loopback port, chosen before anything starts so a server can list the origin.</summary>
    public static int FreePort() => ServerHost.FreePort();

    /// <summary>Serves <paramref name="folder"/> on <paramref name="port"/>.</summary>
    public static async Task<StaticSiteHost> StartAsync(int port, string folder)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [$"--urls=http://127.0.0.1:{port}"] });
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        var app = builder.Build();
        var files = new PhysicalFileProvider(Path.GetFullPath(folder));
        app.UseDefaultFiles(new DefaultFilesOptions { FileProvider = files });
        app.UseStaticFiles(new StaticFileOptions { FileProvider = files });
        await app.StartAsync();
        return new StaticSiteHost(app, port);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
