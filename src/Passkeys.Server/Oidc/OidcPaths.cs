namespace Passkeys.Server.Oidc;

/// <summary>
/// Where the provider's endpoints live, relative to a tenant's issuer <c>{base}/v1/tenants/{tenant}</c>
/// (the same issuer as every other token of the tenant, see Tokens/TokenService.cs).
/// </summary>
public static class OidcPaths
{
    /// <summary>OpenID Connect Discovery 1.0 §4: the issuer followed by this path.</summary>
    public const string Configuration = ".well-known/openid-configuration";
    /// <summary>Authorization endpoint: GET shows the hosted sign-in page, POST completes it.</summary>
    public const string Authorization = "authorize";
    /// <summary>Token endpoint (code and refresh grants).</summary>
    public const string Token = "token";
    /// <summary>UserInfo endpoint.</summary>
    public const string UserInfo = "userinfo";
    /// <summary>RP-initiated logout (OpenID Connect RP-Initiated Logout 1.0).</summary>
    public const string EndSession = "end-session";
    /// <summary>The tenant's JWKS, published before the provider existed and shared with its other tokens.</summary>
    public const string Jwks = "jwks.json";

    /// <summary>Every path OpenIddict handles (the tenant is only looked up for these).</summary>
    public static IReadOnlySet<string> All => Known;

    private static readonly HashSet<string> Known = new(StringComparer.Ordinal) { Configuration, Authorization, Token, UserInfo, EndSession };

    private const string TenantPrefix = "/v1/tenants/";

    /// <summary>
    /// Splits <c>/v1/tenants/{tenant}/{tail}</c> (the tail without trailing slashes) and says whether
    /// the tail is one of <see cref="All"/>: the only requests OpenIddict can handle. The tenant is not
    /// looked up here (<see cref="OidcTenantResolver"/> does that).
    /// </summary>
    public static bool TryParse(string? path, out string tenantId, out string tail)
    {
        tenantId = "";
        tail = "";
        if (path is null || !path.StartsWith(TenantPrefix, StringComparison.Ordinal))
        {
            return false;
        }
        var rest = path.AsSpan(TenantPrefix.Length);
        var slash = rest.IndexOf('/');
        if (slash <= 0)
        {
            return false;
        }
        var candidate = rest[(slash + 1)..].TrimEnd('/');
        if (!Known.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(candidate, out var known))
        {
            return false;
        }
        tenantId = rest[..slash].ToString();
        tail = known;
        return true;
    }

    /// <summary>
    /// Whether a request may be an OpenID Connect request, so the authentication middleware (through
    /// which OpenIddict handles its requests) runs for it; every other request skips it (PasskeysServerApp).
    /// </summary>
    public static bool IsCandidate(PathString path) => TryParse(path.Value, out _, out _);

    /// <summary>The route of <paramref name="relative"/> under the tenant group.</summary>
    public static string Route(string relative) => "/v1/tenants/{tenant}/" + relative;
}
