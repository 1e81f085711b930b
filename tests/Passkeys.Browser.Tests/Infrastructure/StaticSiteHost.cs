using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Logging;
using Passkeys.TestSupport;

namespace Passkeys.Browser.Tests.Infrastructure;

/// <summary>
/// A second Kestrel on another loopback port serving a folder of static files: another web app's
/// origin (http://localhost:PORT), for pages that use the SDK from elsewhere (cross-origin import,
/// a bundled app). It sends no CORS headers and no CSP of its own.
/// </summary>
public sealed class StaticSiteHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly LoopbackPort _port;

    private StaticSiteHost(WebApplication app, LoopbackPort port)
    {
        _app = app;
        _port = port;
    }

    public int Port => _port.Port;

    /// <summary>The site's origin, a localhost name (WebAuthn refuses IP origins).</summary>
    public string Origin => $"http://localhost:{Port}";

    /// <summary>
    /// Serves <paramref name="folder"/> on <paramref name="port"/>, reserved before anything
    /// started so that a server could list the site's origin; the site listens on that socket and
    /// owns it from here on (it closes it when disposed).
    /// </summary>
    public static async Task<StaticSiteHost> StartAsync(LoopbackPort port, string folder)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.ConfigureKestrel(port.ListenOn);
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
        _port.Dispose();
    }
}
