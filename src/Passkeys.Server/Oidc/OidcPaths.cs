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
    public static readonly IReadOnlySet<string> All = new HashSet<string>(StringComparer.Ordinal) { Configuration, Authorization, Token, UserInfo, EndSession };

    /// <summary>The route of <paramref name="relative"/> under the tenant group.</summary>
    public static string Route(string relative) => "/v1/tenants/{tenant}/" + relative;
}
