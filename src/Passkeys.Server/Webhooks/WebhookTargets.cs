using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Options;
using Passkeys.Server.Errors;

namespace Passkeys.Server.Webhooks;

/// <summary>
/// Where a webhook may be sent: the URL rules checked when an endpoint is created or changed, and
/// the address check made again at every connection (<see cref="ConnectAsync"/>), so a host that
/// resolved to a public address then and to a private one now (DNS rebinding) is refused.
/// </summary>
public sealed class WebhookTargets(IOptions<WebhookOptions> options)
{
    /// <summary>The longest URL accepted.</summary>
    public const int MaxUrlLength = 2048;

    private static readonly TimeSpan ResolveTimeout = TimeSpan.FromSeconds(5);
    private readonly bool _allowPrivate = options.Value.AllowPrivateNetworks;

    /// <summary>
    /// Checks <paramref name="url"/> and where it points; returns it normalized.
    /// </summary>
    /// <exception cref="ServerException">WebhookUrlInvalid, WebhookTargetNotAllowed or WebhookHostUnresolvable.</exception>
    public async Task<string> CheckAsync(string? url, CancellationToken ct)
    {
        var uri = CheckSyntax(url);
        IPAddress[] addresses;
        if (IPAddress.TryParse(uri.IdnHost, out var literal))
        {
            addresses = [literal];
        }
        else
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(ResolveTimeout);
            try
            {
                addresses = await Dns.GetHostAddressesAsync(uri.IdnHost, timeout.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is SocketException || (e is OperationCanceledException && !ct.IsCancellationRequested))
            {
                throw new ServerException(ServerError.WebhookHostUnresolvable, $"The webhook URL's host name {uri.IdnHost} could not be found.");
            }
        }
        if (addresses.Length == 0)
        {
            throw new ServerException(ServerError.WebhookHostUnresolvable, $"The webhook URL's host name {uri.IdnHost} could not be found.");
        }
        if (Refused(addresses) is { } refused)
        {
            throw new ServerException(ServerError.WebhookTargetNotAllowed,
                $"The webhook URL's host {uri.IdnHost} is or resolves to {refused}, a private or local network address, which is not allowed.");
        }
        return uri.AbsoluteUri;
    }

    /// <summary>The URL rules that need no network: absolute, https (http only for localhost and loopback), no credentials, no fragment.</summary>
    /// <exception cref="ServerException">WebhookUrlInvalid.</exception>
    public static Uri CheckSyntax(string? url)
    {
        if (string.IsNullOrWhiteSpace(url) || url.Length > MaxUrlLength || !Uri.TryCreate(url, UriKind.Absolute, out var uri))
        {
            throw new ServerException(ServerError.WebhookUrlInvalid, $"url must be an absolute URL of at most {MaxUrlLength} characters.");
        }
        if (uri.Scheme == Uri.UriSchemeHttp ? !IsLocalHost(uri) : uri.Scheme != Uri.UriSchemeHttps)
        {
            throw new ServerException(ServerError.WebhookUrlInvalid, "url must use https (http is accepted only for localhost and loopback addresses).");
        }
        if (uri.UserInfo.Length > 0)
        {
            throw new ServerException(ServerError.WebhookUrlInvalid, "url must not carry a user name or password; authenticate the delivery by its signature.");
        }
        if (uri.Fragment.Length > 0 || url.Contains('#', StringComparison.Ordinal))
        {
            throw new ServerException(ServerError.WebhookUrlInvalid, "url must not have a fragment (#…).");
        }
        return uri;
    }

    /// <summary>
    /// Connects for one delivery: resolves the host, refuses when any address is not public (unless
    /// allowed), and connects to the address just checked, never resolving again in between.
    /// </summary>
    public async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(context);
        var endPoint = context.DnsEndPoint;
        var addresses = IPAddress.TryParse(endPoint.Host, out var literal) ? [literal] : await Dns.GetHostAddressesAsync(endPoint.Host, ct).ConfigureAwait(false);
        if (Refused(addresses) is { } refused)
        {
            throw new WebhookTargetRefusedException($"{endPoint.Host} resolves to {refused}, a private or local network address");
        }
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(addresses, endPoint.Port, ct).ConfigureAwait(false);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private IPAddress? Refused(IPAddress[] addresses) => _allowPrivate ? null : addresses.FirstOrDefault(a => !WebhookAddresses.IsPublic(a));

    private static bool IsLocalHost(Uri uri) =>
        uri.IsLoopback || uri.IdnHost.Equals("localhost", StringComparison.OrdinalIgnoreCase)
        || uri.IdnHost.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase);
}

/// <summary>A delivery's target resolved to an address webhooks may not be sent to.</summary>
public sealed class WebhookTargetRefusedException(string message) : Exception(message);
