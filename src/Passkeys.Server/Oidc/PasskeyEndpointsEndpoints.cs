using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Passkeys.Server.Configuration;
using Passkeys.Server.Endpoints;
using Passkeys.Server.Errors;
using Passkeys.Server.Security;
using Passkeys.Server.Storage;

namespace Passkeys.Server.Oidc;

/// <summary>
/// The W3C Passkey Endpoints document, per tenant. A password manager fetches it from
/// <c>https://{rpId}/.well-known/passkey-endpoints</c>, i.e. from the app's own domain, which this
/// server does not serve; so the tenant's document is published at
/// <c>/v1/tenants/{tenant}/.well-known/passkey-endpoints</c>, for the app's domain to proxy or to
/// answer with a 307 redirect (the spec allows one within the same registrable domain), and at
/// <c>/.well-known/passkey-endpoints</c> for the tenant whose rpId is the request's host (as
/// <c>/.well-known/webauthn</c> is), for when this server itself runs on the rpId's host.
/// </summary>
public static class PasskeyEndpointsEndpoints
{
    /// <summary>Maps the public documents and the admin API.</summary>
    public static void MapPasskeyEndpoints(this IEndpointRouteBuilder routes, RouteGroupBuilder tenant, RouteGroupBuilder admin)
    {
        ArgumentNullException.ThrowIfNull(routes);
        ArgumentNullException.ThrowIfNull(tenant);
        ArgumentNullException.ThrowIfNull(admin);
        routes.MapGet("/.well-known/passkey-endpoints", async Task<Ok<PasskeyEndpointsDocument>> (HttpContext http, IPasskeyStore store, IPasskeyEndpointsStore endpoints,
            IOptions<PasskeysServerOptions> options, CancellationToken ct) =>
        {
            var host = http.Request.Host.Host;
            var tenants = await store.ListTenantsAsync(ct);
            var t = tenants.FirstOrDefault(x => string.Equals(x.RpId, host, StringComparison.OrdinalIgnoreCase))
                ?? tenants.FirstOrDefault(x => x.Id == options.Value.DefaultTenant.Id)
                ?? throw new ServerException(ServerError.TenantNotFound);
            return TypedResults.Ok(Document(await endpoints.GetPasskeyEndpointsAsync(t.Id, ct)));
        }).WithMetadata(RateLimitClass.Api).WithTags("Service").WithSummary("W3C Passkey Endpoints of the tenant whose rpId is this host");

        tenant.MapGet("/.well-known/passkey-endpoints", async Task<Ok<PasskeyEndpointsDocument>> (string tenant, Access access, IPasskeyEndpointsStore endpoints, CancellationToken ct) =>
            TypedResults.Ok(Document(await endpoints.GetPasskeyEndpointsAsync((await access.TenantAsync(tenant, ct)).Id, ct))))
            .WithMetadata(RateLimitClass.Api).WithTags("OpenID Connect").WithSummary("W3C Passkey Endpoints of the tenant (for its app's domain to proxy or redirect to)");

        admin.MapGet("/tenants/{tenant}/passkey-endpoints", async Task<Ok<PasskeyEndpointsDocument>> (string tenant, Access access, IPasskeyEndpointsStore endpoints, CancellationToken ct) =>
            TypedResults.Ok(Document(await endpoints.GetPasskeyEndpointsAsync((await access.TenantAsync(tenant, ct)).Id, ct))));
        admin.MapPut("/tenants/{tenant}/passkey-endpoints", async Task<Ok<PasskeyEndpointsDocument>> (string tenant, PasskeyEndpointsDocument body, HttpContext http,
            Access access, IPasskeyEndpointsStore endpoints, Observability.AuditLog audit, TimeProvider time, CancellationToken ct) =>
        {
            var t = await access.TenantAsync(tenant, ct);
            var record = new PasskeyEndpointsRecord(t.Id, Url(body?.Enroll, "enroll"), Url(body?.Manage, "manage"), Url(body?.PrfUsageDetails, "prfUsageDetails"), time.GetUtcNow());
            // A tenant setting like the others (tenant.updated), kept in its own table.
            var updated = audit.Change(t.Id, Observability.AuditTypes.TenantUpdated, RequestActor.Of(http), Observability.AuditTarget.Tenant(t.Id),
                client: Observability.ClientInfo.From(http), details: new Dictionary<string, string?> { ["settings"] = "passkeyEndpoints" });
            if (!await endpoints.SetPasskeyEndpointsAsync(record, updated, ct))
            {
                throw new ServerException(ServerError.TenantNotFound);
            }
            return TypedResults.Ok(Document(record));
        });
    }

    private static PasskeyEndpointsDocument Document(PasskeyEndpointsRecord? r) => new(r?.Enroll, r?.Manage, r?.PrfUsageDetails);

    // An absolute https URL (http only on localhost and loopback), at most 2048 characters; a fragment is allowed (a help page's section).
    private static string? Url(string? value, string field)
    {
        if (value is null)
        {
            return null;
        }
        var withoutFragment = value.Split('#', 2)[0];
        if (!OidcClientRules.IsAllowedUri(withoutFragment) || value.Length > OidcClientRules.MaxUriLength || value.Any(char.IsControl))
        {
            throw new ServerException(ServerError.PasskeyEndpointsInvalid, $"{field} must be an absolute https URL (http only for localhost and loopback addresses) of at most 2048 characters.");
        }
        return value;
    }
}
