using Passkeys.TestSupport;

namespace Passkeys.Browser.Tests.Infrastructure;

/// <summary>
/// A Passkeys server plus a static site on another loopback port, the site's origin listed in the
/// server's default tenant (so WebAuthn from it verifies and the tenant API answers it with CORS).
/// </summary>
public sealed class OtherOrigin : IAsyncDisposable
{
    private OtherOrigin(ServerHost server, StaticSiteHost site)
    {
        Server = server;
        Site = site;
    }

    public ServerHost Server { get; }

    public StaticSiteHost Site { get; }

    /// <summary>The server's address as the other site's pages use it (an IP: a different origin from both localhost ones).</summary>
    public string ServerUrl => $"http://127.0.0.1:{Server.Port}";

    public static async Task<OtherOrigin> StartAsync(string siteFolder)
    {
        var port = LoopbackPort.Reserve();
        try
        {
            var server = await ServerHost.StartAsync(null, $"--Passkeys:DefaultTenant:Origins:1=http://localhost:{port.Port}");
            try
            {
                return new OtherOrigin(server, await StaticSiteHost.StartAsync(port, siteFolder));
            }
            catch
            {
                await server.DisposeAsync();
                throw;
            }
        }
        catch
        {
            port.Dispose();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Site.DisposeAsync();
        await Server.DisposeAsync();
    }
}
