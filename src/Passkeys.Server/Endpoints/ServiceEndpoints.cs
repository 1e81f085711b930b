using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Passkeys.Server.Configuration;
using Passkeys.Server.Observability;
using Passkeys.Server.Storage;

namespace Passkeys.Server.Endpoints;

/// <summary>Health, metrics and the related-origins document.</summary>
public static class ServiceEndpoints
{
    /// <summary>Maps <c>/health</c>, <c>/metrics</c> and <c>/.well-known/webauthn</c>.</summary>
    public static IEndpointRouteBuilder MapServiceEndpoints(this IEndpointRouteBuilder routes)
    {
        ArgumentNullException.ThrowIfNull(routes);
        routes.MapGet("/health", async Task<Results<Ok<HealthResponse>, JsonHttpResult<HealthResponse>>> (IPasskeyStore store, CancellationToken ct) =>
            await store.PingAsync(ct)
                ? TypedResults.Ok(new HealthResponse("healthy", "ok"))
                : TypedResults.Json(new HealthResponse("unhealthy", "unavailable"), statusCode: StatusCodes.Status503ServiceUnavailable))
            .WithTags("Service").WithSummary("Liveness and store readiness");

        routes.MapGet("/metrics", (PrometheusExporter exporter) =>
            TypedResults.Text(exporter.Render(), "text/plain; version=0.0.4; charset=utf-8"))
            .AddEndpointFilter(Security.MetricsAccess.FilterAsync)
            .WithTags("Service").WithSummary("Prometheus text exposition");

        routes.MapGet("/.well-known/webauthn", async Task<Ok<RelatedOriginsResponse>> (HttpContext http, IPasskeyStore store, IOptions<PasskeysServerOptions> options, CancellationToken ct) =>
        {
            var host = http.Request.Host.Host;
            var tenants = (await store.ListTenantsAsync(ct)).Where(t => !OperatorConsole.ConsoleTenant.IsInternal(t)).ToList();
            var tenant = tenants.FirstOrDefault(t => string.Equals(t.RpId, host, StringComparison.OrdinalIgnoreCase))
                ?? tenants.FirstOrDefault(t => t.Id == options.Value.DefaultTenant.Id)
                ?? throw new Errors.ServerException(Errors.ServerError.TenantNotFound);
            return TypedResults.Ok(new RelatedOriginsResponse([.. Tenants.NativeApps.NativeAppRules.WebOrigins(tenant.Origins.Concat(tenant.RelatedOrigins)).Distinct(StringComparer.Ordinal)]));
        }).WithMetadata(RateLimitClass.Api).WithTags("Service").WithSummary("Related origins of the tenant whose rpId is this host");
        return routes;
    }
}
