using Microsoft.Extensions.Options;
using Passkeys.Server.Configuration;
using Passkeys.Server.Errors;

namespace Passkeys.Server.Security;

/// <summary>
/// Guards <c>/metrics</c> when <c>Passkeys:Metrics:BearerToken</c> is set: only
/// <c>Authorization: Bearer &lt;token&gt;</c> (compared in constant time) gets the exposition. A
/// token of its own, not the admin key, so that a scraper's configuration cannot administer tenants.
/// Unset, the endpoint stays public as before (its counters name tenants and show traffic and
/// failure rates; docs/operations.md says to keep it off the public network then).
/// </summary>
public static class MetricsAccess
{
    /// <summary>The endpoint filter.</summary>
    public static async ValueTask<object?> FilterAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        var http = context.HttpContext;
        var token = http.RequestServices.GetRequiredService<IOptions<PasskeysServerOptions>>().Value.Metrics.BearerToken;
        if (!string.IsNullOrEmpty(token))
        {
            var presented = Presented.From(http).Bearer;
            if (presented is null || !Secrets.EqualsConstantTime(presented, token))
            {
                return new Refusal();
            }
        }
        return await next(context).ConfigureAwait(false);
    }

    // Written here rather than thrown: the exception handler clears headers, and a 401 names its scheme.
    private sealed class Refusal : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.Headers.WWWAuthenticate = "Bearer realm=\"metrics\"";
            return ProblemFactory.WriteAsync(httpContext, ProblemFactory.Create(httpContext, ServerError.Unauthorized,
                "/metrics requires the bearer token configured in Passkeys:Metrics:BearerToken."));
        }
    }
}
