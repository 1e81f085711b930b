using Microsoft.AspNetCore.Http.HttpResults;
using Passkeys.Server.Observability;
using Passkeys.Server.Security;

namespace Passkeys.Server.Oidc;

/// <summary>The admin API for OIDC clients: <c>/v1/admin/tenants/{tenant}/oidc-clients</c>.</summary>
public static class OidcClientEndpoints
{
    /// <summary>Maps the client routes on the admin group (which already requires the admin key).</summary>
    public static RouteGroupBuilder MapOidcClientEndpoints(this RouteGroupBuilder admin)
    {
        ArgumentNullException.ThrowIfNull(admin);
        admin.MapGet("/tenants/{tenant}/oidc-clients", async Task<Ok<OidcClientList>> (string tenant, Access access, OidcClientService clients, CancellationToken ct) =>
            TypedResults.Ok(await clients.ListAsync((await access.TenantAsync(tenant, ct)).Id, ct)));
        admin.MapPost("/tenants/{tenant}/oidc-clients", async Task<Created<OidcClientCreated>> (string tenant, OidcClientInput body, HttpContext http, Access access,
            OidcClientService clients, CancellationToken ct) =>
        {
            var t = await access.TenantAsync(tenant, ct);
            var created = await clients.CreateAsync(t.Id, body, RequestActor.Of(http), ClientInfo.From(http), ct);
            return TypedResults.Created($"/v1/admin/tenants/{t.Id}/oidc-clients/{created.Client.ClientId}", created);
        });
        admin.MapGet("/tenants/{tenant}/oidc-clients/{clientId}", async Task<Ok<OidcClientView>> (string tenant, string clientId, Access access, OidcClientService clients, CancellationToken ct) =>
            TypedResults.Ok(OidcClientView.Of(await clients.GetAsync((await access.TenantAsync(tenant, ct)).Id, clientId, ct))));
        admin.MapPut("/tenants/{tenant}/oidc-clients/{clientId}", async Task<Ok<OidcClientView>> (string tenant, string clientId, OidcClientInput body, HttpContext http,
            Access access, OidcClientService clients, CancellationToken ct) =>
            TypedResults.Ok(await clients.UpdateAsync((await access.TenantAsync(tenant, ct)).Id, clientId, body, RequestActor.Of(http), ClientInfo.From(http), ct)));
        admin.MapPost("/tenants/{tenant}/oidc-clients/{clientId}/secret", async Task<Ok<OidcClientCreated>> (string tenant, string clientId, HttpContext http,
            Access access, OidcClientService clients, CancellationToken ct) =>
            TypedResults.Ok(await clients.RotateSecretAsync((await access.TenantAsync(tenant, ct)).Id, clientId, RequestActor.Of(http), ClientInfo.From(http), ct)))
            .WithSummary("Gives a confidential client a new secret, shown once; the old one stops working at once");
        admin.MapDelete("/tenants/{tenant}/oidc-clients/{clientId}", async Task<NoContent> (string tenant, string clientId, HttpContext http, Access access,
            OidcClientService clients, CancellationToken ct) =>
        {
            await clients.DeleteAsync((await access.TenantAsync(tenant, ct)).Id, clientId, RequestActor.Of(http), ClientInfo.From(http), ct);
            return TypedResults.NoContent();
        });
        return admin;
    }
}
