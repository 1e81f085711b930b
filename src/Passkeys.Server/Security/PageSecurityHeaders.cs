using Microsoft.Net.Http.Headers;

namespace Passkeys.Server.Security;

/// <summary>
/// Security headers for the server's own web pages (sign-in, sign-up, account, the 404 page):
/// a strict Content-Security-Policy, no framing, no MIME sniffing and a referrer policy. The account
/// page deletes passkeys and replaces recovery codes, so it must never run inside another site's
/// frame (clickjacking) nor run script that did not come from this server.
/// </summary>
/// <remarks>
/// The page headers go on every HTML response, decided when the response starts (so static files,
/// default documents and the human 404 page are all covered). Everything else gets only
/// <c>X-Content-Type-Options: nosniff</c>: the SDK under <c>/sdk/</c> must stay importable from
/// other origins (an app's own pages), and a CSP or frame rule on a script file means nothing.
/// </remarks>
public static class PageSecurityHeaders
{
    /// <summary>
    /// Scripts, styles, fetches and fonts from this server only; no inline script or style (the
    /// pages have none: their script is ES modules under /js, their style is /app.css); the favicon
    /// is an empty <c>data:</c> URL. <c>frame-ancestors 'none'</c> is the modern frame protection;
    /// X-Frame-Options DENY covers browsers that predate it.
    /// </summary>
    public const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; font-src 'self'; " +
        "manifest-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'";

    /// <summary>The origin only, and only over HTTPS (or to the same origin): paths and queries stay on this site.</summary>
    public const string ReferrerPolicy = "strict-origin-when-cross-origin";

    /// <summary>Adds the headers to every response of the pipeline after this point.</summary>
    public static IApplicationBuilder UsePageSecurityHeaders(this IApplicationBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        return app.Use((context, next) =>
        {
            context.Response.OnStarting(static state => { Apply((HttpResponse)state); return Task.CompletedTask; }, context.Response);
            return next(context);
        });
    }

    /// <summary>Sets the headers a response needs, from its content type.</summary>
    public static void Apply(HttpResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        var headers = response.Headers;
        headers[HeaderNames.XContentTypeOptions] = "nosniff";
        if (!IsHtml(response.ContentType))
        {
            return;
        }
        // A page that needs a narrower variant sets its own first (the OIDC sign-in page adds the
        // client's redirect origin to form-action); every other page gets the policy above.
        if (string.IsNullOrEmpty(headers.ContentSecurityPolicy))
        {
            headers[HeaderNames.ContentSecurityPolicy] = ContentSecurityPolicy;
        }
        headers[HeaderNames.XFrameOptions] = "DENY";
        headers["Referrer-Policy"] = ReferrerPolicy;
        headers["Cross-Origin-Opener-Policy"] = "same-origin";
    }

    private static bool IsHtml(string? contentType) =>
        contentType is not null && contentType.StartsWith("text/html", StringComparison.OrdinalIgnoreCase);
}
