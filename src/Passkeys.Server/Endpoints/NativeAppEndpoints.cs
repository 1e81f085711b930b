using Microsoft.AspNetCore.Http.HttpResults;
using Passkeys.Server.Security;
using Passkeys.Server.Tenants.NativeApps;

namespace Passkeys.Server.Endpoints;

/// <summary>
/// The files a tenant's domain must serve for its native apps, generated from the tenant's
/// <c>nativeApps</c> (docs/integration.md, "Native apps"). Admin API: the operator copies them to
/// the rpId's web server, which this server usually is not.
/// </summary>
public static class NativeAppEndpoints
{
    /// <summary>Maps the native-app routes onto the admin group (its admin-key filter applies).</summary>
    public static RouteGroupBuilder MapNativeAppEndpoints(this RouteGroupBuilder admin)
    {
        ArgumentNullException.ThrowIfNull(admin);
        admin.MapGet("/tenants/{tenant}/native-apps/assetlinks.json", async Task<Ok<IReadOnlyList<AssetLinkStatement>>> (string tenant, Access access, CancellationToken ct) =>
            TypedResults.Ok(AppSiteAssociation.AssetLinks(await access.TenantAsync(tenant, ct))))
            .WithSummary("The statements https://{rpId}/.well-known/assetlinks.json must contain for the tenant's Android apps");
        admin.MapGet("/tenants/{tenant}/native-apps/apple-app-site-association", async Task<Ok<AppleAppSiteAssociation>> (string tenant, Access access, CancellationToken ct) =>
            TypedResults.Ok(AppSiteAssociation.Apple(await access.TenantAsync(tenant, ct))))
            .WithSummary("The webcredentials entry https://{rpId}/.well-known/apple-app-site-association must contain for the tenant's iOS apps");
        return admin;
    }
}
