using Microsoft.AspNetCore.Cors.Infrastructure;
using Passkeys.Server.Storage;

namespace Passkeys.Server.Tenants;

/// <summary>CORS for <c>/v1/tenants/{tenant}/**</c>: only the tenant's origins and related origins.</summary>
public sealed class TenantCorsPolicyProvider(TenantCache tenants) : ICorsPolicyProvider
{
    /// <summary>The policy name used by tenant endpoints.</summary>
    public const string PolicyName = "tenant";

    /// <inheritdoc />
    public async Task<CorsPolicy?> GetPolicyAsync(HttpContext context, string? policyName)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (policyName != PolicyName || context.GetRouteValue("tenant") is not string id || !TenantRules.IsValidId(id))
        {
            return null;
        }
        var tenant = await tenants.GetAsync(id, context.RequestAborted).ConfigureAwait(false);
        if (tenant is null)
        {
            return null;
        }
        return new CorsPolicyBuilder()
            // Apps make no CORS requests: only web origins.
            .WithOrigins([.. NativeApps.NativeAppRules.WebOrigins(tenant.Origins.Concat(tenant.RelatedOrigins))])
            .WithHeaders("Content-Type", "Authorization", "X-Api-Key")
            .WithMethods("GET", "POST", "PATCH", "DELETE")
            // A page on the app's origin may read when to try again after a 429 (1014, 1032, 1033):
            // Retry-After is not a CORS-safelisted response header, so without this it reads null.
            .WithExposedHeaders("Retry-After")
            .SetPreflightMaxAge(TimeSpan.FromMinutes(10))
            .Build();
    }
}
