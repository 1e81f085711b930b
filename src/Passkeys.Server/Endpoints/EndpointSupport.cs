using Passkeys.Server.Ceremonies;
using Passkeys.Server.Observability;
using Passkeys.Server.Security;
using Passkeys.Server.Tokens;

namespace Passkeys.Server.Endpoints;

/// <summary>Which rate-limit policy an endpoint falls under.</summary>
public sealed record RateLimitClass(string Name)
{
    /// <summary>Ceremony begin/finish.</summary>
    public static readonly RateLimitClass Ceremony = new("ceremony");
    /// <summary>Recovery code redemption.</summary>
    public static readonly RateLimitClass Recovery = new("recovery");
    /// <summary>Admin API.</summary>
    public static readonly RateLimitClass Admin = new("admin");
    /// <summary>Session refresh and sign-out.</summary>
    public static readonly RateLimitClass Session = new("session");
    /// <summary>Other API calls (credential management, JWKS).</summary>
    public static readonly RateLimitClass Api = new("api");
}

internal static class EndpointSupport
{
    /// <summary>Resolves the tenant (404 when unknown) and describes the call.</summary>
    public static async Task<CallContext> CallAsync(this HttpContext http, string tenantId, CancellationToken ct)
    {
        var access = http.RequestServices.GetRequiredService<Access>();
        var tokens = http.RequestServices.GetRequiredService<TokenService>();
        var tenant = await access.TenantAsync(tenantId, ct).ConfigureAwait(false);
        return new CallContext(tenant, tokens.IssuerFor(tenant.Id), ClientInfo.From(http));
    }
}
