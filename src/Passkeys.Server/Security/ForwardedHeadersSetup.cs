using System.Net;
using Microsoft.AspNetCore.HttpOverrides;
using Passkeys.Server.Configuration;

namespace Passkeys.Server.Security;

/// <summary>
/// ASP.NET Core's forwarded-headers middleware, on only when <c>Passkeys:Proxy</c> names known
/// proxies or networks. The framework's default lists (loopback) are replaced by exactly the
/// configured ones, and the lists are never left empty while the middleware runs: empty lists
/// would make it believe <c>X-Forwarded-For</c> from anyone. Without configuration the header is
/// ignored, so a client cannot choose its own rate-limit partition or audit address.
/// </summary>
public static class ForwardedHeadersSetup
{
    /// <summary>Registers the options when a proxy is configured.</summary>
    public static void AddPasskeysForwardedHeaders(this IServiceCollection services, ProxyOptions proxy)
    {
        ArgumentNullException.ThrowIfNull(proxy);
        if (!proxy.Enabled)
        {
            return;
        }
        services.Configure<ForwardedHeadersOptions>(o =>
        {
            // The validator has refused anything that does not parse; parse failures cannot reach here.
            o.ForwardedHeaders = EdgeOptionsValidation.ParseForwardedHeaders(proxy.ForwardedHeaders) ?? ForwardedHeaders.XForwardedFor;
            o.ForwardLimit = proxy.ForwardLimit;
            o.KnownProxies.Clear();
            o.KnownIPNetworks.Clear();
            foreach (var address in proxy.KnownProxies)
            {
                if (IPAddress.TryParse(address, out var parsed))
                {
                    o.KnownProxies.Add(parsed);
                }
            }
            foreach (var network in proxy.KnownNetworks)
            {
                if (System.Net.IPNetwork.TryParse(network, out var parsed))
                {
                    o.KnownIPNetworks.Add(parsed);
                }
            }
            if (o.KnownProxies.Count == 0 && o.KnownIPNetworks.Count == 0)
            {
                throw new InvalidOperationException("Passkeys:Proxy is enabled without a usable known proxy or network; refusing to trust X-Forwarded-For from everyone.");
            }
        });
    }

    /// <summary>Adds the middleware first in the pipeline when a proxy is configured.</summary>
    public static void UsePasskeysForwardedHeaders(this IApplicationBuilder app, ProxyOptions proxy)
    {
        ArgumentNullException.ThrowIfNull(proxy);
        if (proxy.Enabled)
        {
            app.UseForwardedHeaders();
        }
    }
}
