using System.Net;

namespace Passkeys.Authenticator.Client;

/// <summary>
/// The browser's origin and RP ID checks (WebAuthn Level 3 §5.1.3 steps 6–8, §5.1.4.1 steps 6–8):
/// the origin must be a secure context whose host is a domain (not an IP address), and the RP ID
/// must be that domain or a registrable suffix of it.
/// </summary>
/// <remarks>
/// NOTE: browsers consult the Public Suffix List to refuse an RP ID like "com" or "co.uk"; this
/// client has no copy of it, so it refuses only single-label RP IDs other than "localhost".
/// </remarks>
internal static class RpIdValidator
{
    /// <summary>Returns the origin's effective domain after checking that it can run WebAuthn at all.</summary>
    public static string EffectiveDomain(string origin)
    {
        if (!Uri.TryCreate(origin, UriKind.Absolute, out var uri) || uri.AbsolutePath != "/" || !string.IsNullOrEmpty(uri.Query))
        {
            throw new WebAuthnClientException(WebAuthnClientException.SecurityError, $"'{origin}' is not an origin");
        }
        string host = uri.IdnHost.TrimEnd('.').ToLowerInvariant();
        if (uri.HostNameType is UriHostNameType.IPv4 or UriHostNameType.IPv6 || IPAddress.TryParse(host, out _))
        {
            throw new WebAuthnClientException(WebAuthnClientException.SecurityError, $"the origin's host {host} is an IP address, not a domain");
        }
        bool localhost = host == "localhost" || host.EndsWith(".localhost", StringComparison.Ordinal);
        bool secure = uri.Scheme == Uri.UriSchemeHttps || (uri.Scheme == Uri.UriSchemeHttp && localhost);
        if (!secure)
        {
            throw new WebAuthnClientException(WebAuthnClientException.SecurityError, $"'{origin}' is not a secure context (https, or http only for localhost)");
        }
        return host;
    }

    /// <summary>Checks that <paramref name="rpId"/> is <paramref name="effectiveDomain"/> or a registrable suffix of it.</summary>
    public static void Validate(string rpId, string effectiveDomain)
    {
        string id = rpId.ToLowerInvariant();
        bool suffix = id == effectiveDomain || effectiveDomain.EndsWith("." + id, StringComparison.Ordinal);
        bool registrable = id.Contains('.', StringComparison.Ordinal) || id == "localhost";
        if (!suffix || !registrable || id.StartsWith('.'))
        {
            throw new WebAuthnClientException(WebAuthnClientException.SecurityError,
                $"the RP ID '{rpId}' is not a registrable domain suffix of the origin's domain '{effectiveDomain}'");
        }
    }
}
