using OpenIddict.Server;
using Microsoft.AspNetCore;
using Passkeys.Server.Storage;
using Passkeys.Server.Tenants;
using Passkeys.Server.Tokens;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace Passkeys.Server.Oidc;

/// <summary>
/// Makes each tenant its own OpenID Connect issuer. OpenIddict has one base URI per request, from
/// which it derives the issuer and matches its (relative) endpoint paths; this handler sets it to
/// the tenant's issuer <c>{base}/v1/tenants/{tenant}</c> when the path is one of
/// <see cref="OidcPaths.All"/> under an existing tenant. The base is configuration
/// (<see cref="PublicBaseUrl"/>), never the request's Host header, so a client cannot choose the
/// <c>iss</c> of its tokens. Runs between OpenIddict's ResolveRequestUri and InferEndpointType.
/// </summary>
public sealed class OidcTenantResolver(TenantCache tenants, PublicBaseUrl publicBaseUrl) : IOpenIddictServerHandler<ProcessRequestContext>
{
    /// <summary>The key of the tenant (a <see cref="TenantRecord"/>) in the OpenIddict transaction's properties.</summary>
    public const string TenantProperty = "passkeys:tenant";

    /// <summary>Between OpenIddict's ResolveRequestUri (MinValue + 50 000) and InferEndpointType (MinValue + 100 000).</summary>
    public static OpenIddictServerHandlerDescriptor Descriptor { get; } = OpenIddictServerHandlerDescriptor.CreateBuilder<ProcessRequestContext>()
        .UseSingletonHandler<OidcTenantResolver>()
        .SetOrder(int.MinValue + 75_000)
        .SetType(OpenIddictServerHandlerType.Custom)
        .Build();

    /// <inheritdoc />
    public async ValueTask HandleAsync(ProcessRequestContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var request = context.Transaction.GetHttpRequest();
        var tail = "";
        TenantRecord? tenant = null;
        // Not a provider path under a tenant: no OpenIddict endpoint may match (its relative paths only exist under a tenant).
        if (request is not null && OidcPaths.TryParse(request.Path.Value, out var tenantId, out tail) && TenantRules.IsValidId(tenantId))
        {
            tenant = await tenants.GetAsync(tenantId, request.HttpContext.RequestAborted).ConfigureAwait(false);
        }
        if (request is null || tenant is null)
        {
            context.BaseUri = NoEndpoints;
            return;
        }
        var issuer = IssuerOf(publicBaseUrl.Value, tenant.Id);
        context.BaseUri = new Uri(issuer, UriKind.Absolute);
        context.RequestUri = new Uri(issuer + "/" + tail + request.QueryString.Value);
        context.Transaction.Properties[TenantProperty] = tenant;
    }

    /// <summary>The issuer of a tenant (equal to <see cref="TokenService.IssuerFor"/>).</summary>
    public static string IssuerOf(string publicBase, string tenantId) => $"{publicBase}/v1/tenants/{tenantId}";

    // A base on a host no request has (.invalid, RFC 2606): OpenIddict then matches no endpoint and
    // lets the request pass, so /authorize outside a tenant is just a 404.
    private static readonly Uri NoEndpoints = new("https://no-oidc-endpoint.invalid/");

    /// <summary>The tenant resolved for the current OpenIddict transaction; throws when there is none (fail closed: no tenant, no keys).</summary>
    public static TenantRecord TenantOf(OpenIddictServerTransaction transaction)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        return transaction.Properties.TryGetValue(TenantProperty, out var value) && value is TenantRecord tenant
            ? tenant
            : throw new InvalidOperationException("No tenant was resolved for this OpenID Connect request.");
    }
}
