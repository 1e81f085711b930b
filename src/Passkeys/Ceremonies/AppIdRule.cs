using System.Net;

namespace Passkeys.Ceremonies;

/// <summary>
/// The relying party's check of a legacy U2F AppID it puts in options (appid and appidExclude,
/// WebAuthn L3 §10.1.1 and §10.1.2), so that a misconfigured AppID fails at begin instead of as a SecurityError in every
/// browser.
/// </summary>
/// <remarks>
/// A client accepts an AppID when its host and the calling origin's host share a registrable
/// domain (§10.1.1 step 3, FIDO AppID and Facet Specification §3.1.2, whose steps four and onward
/// browsers skip). The relying party does not know the origin at begin, only the RP ID, and both the
/// RP ID and the AppID's host must be the origin's host or a registrable suffix of it; so one of
/// the two is the other or a subdomain of it. NOTE: without the Public Suffix List, "registrable" is
/// approximated as "has a dot, or is localhost", as for the RP ID itself.
/// </remarks>
internal static class AppIdRule
{
    /// <summary>Throws <see cref="PasskeyError.InvalidConfiguration"/> unless <paramref name="appId"/> fits <paramref name="rpId"/>.</summary>
    public static void Validate(string appId, string rpId, string setting)
    {
        if (!Uri.TryCreate(appId, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttps || string.IsNullOrEmpty(uri.Host)
            || !string.IsNullOrEmpty(uri.UserInfo))
        {
            throw new PasskeyException(PasskeyError.InvalidConfiguration, $"{setting} '{appId}' is not an https URL (WebAuthn L3 §10.1.1, §10.1.2)");
        }
        string host = uri.IdnHost.TrimEnd('.').ToLowerInvariant();
        if (uri.HostNameType is UriHostNameType.IPv4 or UriHostNameType.IPv6 || IPAddress.TryParse(host, out _))
        {
            throw new PasskeyException(PasskeyError.InvalidConfiguration, $"{setting} '{appId}' names an IP address, not a domain");
        }
        string shorter = host.Length <= rpId.Length ? host : rpId;
        string longer = host.Length <= rpId.Length ? rpId : host;
        bool related = longer == shorter || longer.EndsWith("." + shorter, StringComparison.Ordinal);
        bool registrable = shorter.Contains('.', StringComparison.Ordinal) || shorter == "localhost";
        if (!related || !registrable)
        {
            throw new PasskeyException(PasskeyError.InvalidConfiguration,
                $"{setting} '{appId}': its host '{host}' must be the RP ID '{rpId}', a subdomain of it, or a registrable domain the RP ID belongs to");
        }
    }
}
