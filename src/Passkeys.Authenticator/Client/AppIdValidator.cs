namespace Passkeys.Authenticator.Client;

/// <summary>
/// The browser's check of the appid extension input (WebAuthn Level 3 §10.1.1 step 3, FIDO AppID
/// and Facet Specification §3.1.2 "Determining if a Caller's FacetID is Authorized for an AppID").
/// </summary>
/// <remarks>
/// NOTE: simplified. The AppID must be an absolute https URL whose host is the origin's effective
/// domain or a registrable suffix of it (the same rule as an RP ID, see <see cref="RpIdValidator"/>,
/// so without the Public Suffix List). A browser instead compares the registrable domains
/// (eTLD+1) of the two and never fetches the AppID's TrustedFacets list; that admits a sibling
/// host such as https://u2f.example.com/appid.json for https://login.example.com, which this
/// client refuses.
/// </remarks>
internal static class AppIdValidator
{
    /// <summary>Throws a SecurityError unless the origin whose domain is <paramref name="effectiveDomain"/> may claim <paramref name="appId"/>.</summary>
    public static void Validate(string appId, string effectiveDomain)
    {
        if (!Uri.TryCreate(appId, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttps || string.IsNullOrEmpty(uri.Host))
        {
            throw new WebAuthnClientException(WebAuthnClientException.SecurityError, $"the AppID '{appId}' is not an https URL");
        }
        string host = uri.IdnHost.TrimEnd('.').ToLowerInvariant();
        try
        {
            RpIdValidator.Validate(host, effectiveDomain);
        }
        catch (WebAuthnClientException e)
        {
            throw new WebAuthnClientException(WebAuthnClientException.SecurityError,
                $"the AppID '{appId}' is not on the origin's domain '{effectiveDomain}' or a registrable suffix of it", e);
        }
    }
}
