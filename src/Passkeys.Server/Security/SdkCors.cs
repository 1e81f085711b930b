using Microsoft.Net.Http.Headers;

namespace Passkeys.Server.Security;

/// <summary>
/// CORS for the browser SDK's static files under <c>/sdk/</c>: any origin may load them
/// (<c>Access-Control-Allow-Origin: *</c>, never with credentials), so an app's own pages can
/// <c>import … from 'https://passkeys.example.com/sdk/passkeys.js'</c>; module scripts are fetched
/// in CORS mode and a cross-origin one without this header is refused by the browser.
/// </summary>
/// <remarks>
/// The files are public and identical for everyone, and a wildcard without credentials sends no
/// cookies, so no origin learns anything it could not fetch itself. Nothing outside <c>/sdk/</c>
/// gains CORS here: the tenant API keeps its per-tenant origin list (TenantCorsPolicyProvider),
/// and the pages, /js and the admin API stay same-origin.
/// </remarks>
public static class SdkCors
{
    /// <summary>The path whose files may be loaded from any origin.</summary>
    public static readonly PathString SdkPath = new("/sdk");

    /// <summary>How long a browser may cache a preflight answer (seconds).</summary>
    public const int PreflightMaxAgeSeconds = 86400;

    /// <summary>Adds the headers to responses under <c>/sdk/</c> and answers their CORS preflights; put it before the static files.</summary>
    public static IApplicationBuilder UseSdkCors(this IApplicationBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        return app.Use((context, next) =>
        {
            if (!context.Request.Path.StartsWithSegments(SdkPath))
            {
                return next(context);
            }
            var request = context.Request;
            var response = context.Response;
            if (HttpMethods.IsOptions(request.Method) && request.Headers.ContainsKey(HeaderNames.Origin)
                && request.Headers.ContainsKey(HeaderNames.AccessControlRequestMethod))
            {
                // A preflight: only reading is allowed, from anywhere, without credentials.
                response.StatusCode = StatusCodes.Status204NoContent;
                response.Headers[HeaderNames.AccessControlAllowOrigin] = "*";
                response.Headers[HeaderNames.AccessControlAllowMethods] = "GET, HEAD";
                response.Headers[HeaderNames.AccessControlAllowHeaders] = "*";
                response.Headers[HeaderNames.AccessControlMaxAge] = PreflightMaxAgeSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
                return Task.CompletedTask;
            }
            // Set when the response starts, so a 304 (a revalidated cache entry) carries it too.
            response.OnStarting(static state =>
            {
                ((HttpResponse)state).Headers[HeaderNames.AccessControlAllowOrigin] = "*";
                return Task.CompletedTask;
            }, response);
            return next(context);
        });
    }
}
