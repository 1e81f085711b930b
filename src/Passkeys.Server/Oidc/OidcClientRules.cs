using Passkeys.Server.Errors;

namespace Passkeys.Server.Oidc;

/// <summary>
/// What an OIDC client's settings may be. Redirect URIs are later compared exactly (ordinal, whole
/// string: RFC 9700 §4.1.3), so they are stored exactly as given, never normalised.
/// </summary>
public static class OidcClientRules
{
    /// <summary>Longest client id.</summary>
    public const int MaxClientIdLength = 64;
    /// <summary>Longest redirect URI.</summary>
    public const int MaxUriLength = 2048;
    /// <summary>Most redirect URIs (and post-logout redirect URIs) per client.</summary>
    public const int MaxUris = 20;

    /// <summary>The client id, or throws <see cref="ServerError.OidcClientIdInvalid"/>.</summary>
    public static string ClientId(string? value)
    {
        if (string.IsNullOrEmpty(value) || value.Length > MaxClientIdLength || !value.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-'))
        {
            throw new ServerException(ServerError.OidcClientIdInvalid);
        }
        return value;
    }

    /// <summary>The client type, or throws <see cref="ServerError.OidcClientTypeInvalid"/>.</summary>
    public static string ClientType(string? value) => value is OidcClientTypes.Public or OidcClientTypes.Confidential
        ? value
        : throw new ServerException(ServerError.OidcClientTypeInvalid);

    /// <summary>Redirect URIs: 1 to <see cref="MaxUris"/>, each allowed by <see cref="IsAllowedUri"/>, no repeats.</summary>
    public static IReadOnlyList<string> RedirectUris(IReadOnlyList<string>? values) =>
        values is null or { Count: 0 } ? throw new ServerException(ServerError.OidcRedirectUriInvalid, "redirectUris is required (at least one).")
            : UriList(values, ServerError.OidcRedirectUriInvalid, "redirectUris");

    /// <summary>Post-logout redirect URIs: 0 to <see cref="MaxUris"/>, same rules.</summary>
    public static IReadOnlyList<string> PostLogoutRedirectUris(IReadOnlyList<string>? values) =>
        values is null ? [] : UriList(values, ServerError.OidcPostLogoutRedirectUriInvalid, "postLogoutRedirectUris");

    private static List<string> UriList(IReadOnlyList<string> values, ServerError error, string field)
    {
        if (values.Count > MaxUris)
        {
            throw new ServerException(error, $"{field} has {values.Count} entries; at most {MaxUris} are allowed.");
        }
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var value in values)
        {
            if (!IsAllowedUri(value))
            {
                throw new ServerException(error, $"{field}: '{Shown(value)}' is not allowed. " + OidcMessages.Of(error));
            }
            if (!seen.Add(value))
            {
                throw new ServerException(error, $"{field}: '{Shown(value)}' is listed twice.");
            }
        }
        return [.. values];
    }

    /// <summary>
    /// An absolute https URI, or http on <c>localhost</c> or a loopback address (RFC 8252 §7.3);
    /// no fragment (RFC 6749 §3.1.2), no user info, no whitespace or control characters, at most
    /// <see cref="MaxUriLength"/> characters.
    /// </summary>
    public static bool IsAllowedUri(string? value)
    {
        if (string.IsNullOrEmpty(value) || value.Length > MaxUriLength || value.Any(c => char.IsControl(c) || char.IsWhiteSpace(c)) || value.Contains('#'))
        {
            return false;
        }
        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || uri.UserInfo.Length > 0 || string.IsNullOrEmpty(uri.Host))
        {
            return false;
        }
        return uri.Scheme == Uri.UriSchemeHttps || (uri.Scheme == Uri.UriSchemeHttp && (uri.IsLoopback || uri.Host == "localhost"));
    }

    // A refused value is echoed back in the message, shortened and without control characters.
    private static string Shown(string? value) =>
        value is null ? "null" : new string([.. value.Take(100).Select(c => char.IsControl(c) ? '?' : c)]);
}
