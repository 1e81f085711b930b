using Microsoft.Net.Http.Headers;

namespace Passkeys.Server.Tenants;

/// <summary>
/// Adds <c>Vary: Origin</c> to every answer under <c>/v1/tenants/**</c>. Whether such an answer
/// carries <c>Access-Control-Allow-Origin</c> depends on the request's <c>Origin</c> (the tenant's
/// own origins get it, others do not, and a request without Origin never does); the CORS
/// middleware says so only when a policy lists several origins and a request has an Origin. A
/// shared cache that is not told would serve one origin's answer to another.
/// </summary>
public static class VaryByOrigin
{
    /// <summary>Adds the middleware; place it before <c>UseCors</c>, which answers preflights itself.</summary>
    public static IApplicationBuilder UseVaryByOriginOnTenantRoutes(this IApplicationBuilder app) =>
        app.Use((context, next) =>
        {
            if (context.Request.Path.StartsWithSegments("/v1/tenants", StringComparison.OrdinalIgnoreCase))
            {
                context.Response.OnStarting(() =>
                {
                    Add(context.Response.Headers);
                    return Task.CompletedTask;
                });
            }
            return next(context);
        });

    /// <summary>Adds <c>Origin</c> to <c>Vary</c> unless it is named there already (the CORS middleware may have).</summary>
    public static void Add(IHeaderDictionary headers)
    {
        ArgumentNullException.ThrowIfNull(headers);
        var present = headers.Vary.SelectMany(v => (v ?? "").Split(',', StringSplitOptions.TrimEntries))
            .Any(v => v == "*" || string.Equals(v, HeaderNames.Origin, StringComparison.OrdinalIgnoreCase));
        if (!present)
        {
            headers.Append(HeaderNames.Vary, HeaderNames.Origin);
        }
    }
}
