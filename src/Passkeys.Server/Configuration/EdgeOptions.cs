namespace Passkeys.Server.Configuration;

/// <summary>
/// Reverse proxies whose <c>X-Forwarded-*</c> headers are believed (<c>Passkeys:Proxy</c>). Off
/// unless at least one proxy or network is named: the headers are then read only on connections
/// from those addresses, and ignored on every other connection.
/// </summary>
public sealed class ProxyOptions
{
    /// <summary>Addresses of the proxies in front of the server, e.g. <c>10.0.0.5</c> or <c>::1</c>.</summary>
    public string[] KnownProxies { get; set; } = [];

    /// <summary>Networks of the proxies in CIDR notation, e.g. <c>10.0.0.0/24</c>.</summary>
    public string[] KnownNetworks { get; set; } = [];

    /// <summary>
    /// Which headers are applied: <c>XForwardedFor</c> (default; the client address) and/or
    /// <c>XForwardedProto</c> (the scheme), comma-separated.
    /// </summary>
    public string ForwardedHeaders { get; set; } = "XForwardedFor";

    /// <summary>How many proxy hops to unwind from the right of <c>X-Forwarded-For</c> (default 1); each hop must be a known proxy.</summary>
    public int ForwardLimit { get; set; } = 1;

    /// <summary>True when at least one proxy or network is configured.</summary>
    public bool Enabled => KnownProxies.Length > 0 || KnownNetworks.Length > 0;
}

/// <summary>Access to <c>/metrics</c> (<c>Passkeys:Metrics</c>).</summary>
public sealed class MetricsOptions
{
    /// <summary>
    /// When set (at least 32 characters), <c>/metrics</c> answers only requests with
    /// <c>Authorization: Bearer &lt;token&gt;</c>. Empty (default): public, as the endpoint always was.
    /// </summary>
    public string? BearerToken { get; set; }
}
