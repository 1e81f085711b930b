using System.Net;
using Microsoft.AspNetCore.HttpOverrides;

namespace Passkeys.Server.Configuration;

/// <summary>Checks <c>PublicBaseUrl</c>, <c>Proxy</c> and <c>Metrics</c>; one message per problem.</summary>
internal static class EdgeOptionsValidation
{
    /// <summary>The forwarded headers an operator may turn on: the client address and the scheme.</summary>
    public const ForwardedHeaders Allowed = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;

    public static IEnumerable<string> Check(PasskeysServerOptions options)
    {
        if (!string.IsNullOrEmpty(options.PublicBaseUrl) && !IsBaseUrl(options.PublicBaseUrl))
        {
            yield return $"Passkeys:PublicBaseUrl must be an absolute http or https URL without query or fragment, e.g. https://id.example.com, not '{options.PublicBaseUrl}'.";
        }
        var proxy = options.Proxy;
        foreach (var address in proxy.KnownProxies)
        {
            if (!IPAddress.TryParse(address, out _))
            {
                yield return $"Passkeys:Proxy:KnownProxies: '{address}' is not an IP address (e.g. 10.0.0.5 or ::1).";
            }
        }
        foreach (var network in proxy.KnownNetworks)
        {
            if (!System.Net.IPNetwork.TryParse(network, out _))
            {
                yield return $"Passkeys:Proxy:KnownNetworks: '{network}' is not a network in CIDR notation (e.g. 10.0.0.0/24).";
            }
        }
        if (ParseForwardedHeaders(proxy.ForwardedHeaders) is null)
        {
            yield return $"Passkeys:Proxy:ForwardedHeaders must be XForwardedFor, XForwardedProto or both (comma-separated), not '{proxy.ForwardedHeaders}'.";
        }
        if (proxy.ForwardLimit is < 1 or > 10)
        {
            yield return "Passkeys:Proxy:ForwardLimit must be between 1 and 10 (the number of proxies in front of the server).";
        }
        if (!string.IsNullOrEmpty(options.Metrics.BearerToken) && options.Metrics.BearerToken.Length < 32)
        {
            yield return "Passkeys:Metrics:BearerToken must be at least 32 characters (or empty to leave /metrics public).";
        }
    }

    /// <summary>The configured headers, or null when the value names anything else (or nothing).</summary>
    public static ForwardedHeaders? ParseForwardedHeaders(string? value)
    {
        if (string.IsNullOrWhiteSpace(value) || !Enum.TryParse<ForwardedHeaders>(value, ignoreCase: true, out var parsed)
            || parsed == ForwardedHeaders.None || (parsed & ~Allowed) != 0 || value.Any(char.IsDigit))
        {
            return null;
        }
        return parsed;
    }

    private static bool IsBaseUrl(string value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp)
        && string.IsNullOrEmpty(uri.Query) && string.IsNullOrEmpty(uri.Fragment) && string.IsNullOrEmpty(uri.UserInfo);
}
