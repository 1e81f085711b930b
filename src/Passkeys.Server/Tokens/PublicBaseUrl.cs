using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;
using Passkeys.Server.Configuration;

namespace Passkeys.Server.Tokens;

/// <summary>
/// The base URL of every token issuer, from configuration only: <c>Passkeys:Tokens:Issuer</c>, else
/// <c>Passkeys:PublicBaseUrl</c>, else the first address the server listens on (a wildcard host
/// such as <c>0.0.0.0</c>, <c>[::]</c>, <c>*</c> or <c>+</c> written as <c>localhost</c>). The
/// request's <c>Host</c> header is never used: anyone can send <c>Host: evil.example</c>, and an
/// issuer taken from it would let a client choose the <c>iss</c> of the tokens it is given.
/// </summary>
public sealed partial class PublicBaseUrl(IOptions<PasskeysServerOptions> options, IServer server, ILogger<PublicBaseUrl> logger)
{
    private string? _resolved;

    /// <summary>The base, without a trailing slash.</summary>
    public string Value => _resolved ??= Resolve();

    private string Resolve()
    {
        var o = options.Value;
        if (!string.IsNullOrEmpty(o.Tokens.Issuer))
        {
            return o.Tokens.Issuer.TrimEnd('/');
        }
        if (!string.IsNullOrEmpty(o.PublicBaseUrl))
        {
            return o.PublicBaseUrl.TrimEnd('/');
        }
        // Read once the server has started (the first request), when a port 0 is bound to a real port.
        var first = server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault()
            ?? throw new InvalidOperationException("The server has no address yet; set Passkeys:PublicBaseUrl.");
        var fromListen = FromListenAddress(first);
        LogFromListenAddress(logger, fromListen);
        return fromListen;
    }

    // Behind a proxy or with several nodes the listen address is not what apps see, and nodes
    // would disagree on the issuer (a token from one would fail on another): say so once.
    [LoggerMessage(Level = LogLevel.Warning, Message = "Passkeys:PublicBaseUrl is not set; token issuers use the listen address {BaseUrl}. Set it to the URL apps reach this server at (required behind a proxy and with several nodes).")]
    private static partial void LogFromListenAddress(ILogger logger, string baseUrl);

    /// <summary>A Kestrel listen address as a base URL: wildcard hosts become <c>localhost</c>.</summary>
    public static string FromListenAddress(string address)
    {
        ArgumentNullException.ThrowIfNull(address);
        var schemeEnd = address.IndexOf("://", StringComparison.Ordinal);
        if (schemeEnd < 0)
        {
            throw new InvalidOperationException($"Listen address '{address}' has no scheme; set Passkeys:PublicBaseUrl.");
        }
        var scheme = address[..schemeEnd];
        var rest = address[(schemeEnd + 3)..].TrimEnd('/');
        // Host and port: the port follows the last ':' after any IPv6 bracket.
        var bracket = rest.LastIndexOf(']');
        var colon = rest.LastIndexOf(':');
        var (host, port) = colon > bracket ? (rest[..colon], rest[colon..]) : (rest, "");
        if (host is "*" or "+" or "0.0.0.0" or "[::]" or "")
        {
            host = "localhost";
        }
        return $"{scheme}://{host}{port}";
    }
}
