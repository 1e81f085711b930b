using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing.Patterns;

namespace Passkeys.Server.Endpoints;

/// <summary>
/// Makes every route value the exact text the client percent-encoded into its path segment, so an
/// id containing <c>/</c> (an app's user id such as <c>team/ann</c>, sent as <c>team%2Fann</c>) is
/// reachable like any other.
/// </summary>
/// <remarks>
/// Kestrel decodes the path before routing except <c>%2F</c>, which it leaves encoded so that it
/// cannot split a segment; route values therefore hold <c>team%2Fann</c>. Replacing <c>%2F</c>
/// in that text would be ambiguous: Kestrel also decodes <c>%25</c> to <c>%</c>, so the id
/// <c>a%2Fb</c> (sent as <c>a%252Fb</c>) arrives as the same text. Decoding the raw segment the
/// client sent is not ambiguous, and it is what RFC 3986 and every client library's
/// <c>encodeURIComponent</c>/<c>Uri.EscapeDataString</c> expect. Applies to all route
/// parameters in one place (after routing, before any endpoint reads a route value).
/// </remarks>
internal static class PathParameters
{
    /// <summary>Adds the middleware; call right after <c>UseRouting</c>.</summary>
    public static IApplicationBuilder UseExactPathParameters(this IApplicationBuilder app) =>
        app.Use(next => context =>
        {
            Decode(context);
            return next(context);
        });

    /// <summary>Replaces each route value that still holds an escape with its raw segment, fully decoded.</summary>
    internal static void Decode(HttpContext http)
    {
        if (http.GetEndpoint() is not RouteEndpoint { RoutePattern: { Parameters.Count: > 0 } pattern }
            || http.Features.Get<IHttpRequestFeature>()?.RawTarget is not { } raw || !raw.StartsWith('/'))
        {
            return; // no parameters, or not an origin-form request target to read them from
        }
        if (!AnyEscaped(http.Request.RouteValues))
        {
            return; // the common case (every ceremony request): nothing to re-read, nothing to allocate
        }
        var query = raw.IndexOf('?', StringComparison.Ordinal);
        var rawSegments = Segments(query < 0 ? raw : raw[..query]);
        var segments = Segments((http.Request.PathBase + http.Request.Path).Value ?? "");
        // Kestrel keeps %2F encoded, so both paths split alike; when they do not (dot segments
        // were normalized away), the raw target cannot be matched to the route: leave the values.
        if (rawSegments.Length != segments.Length || rawSegments.Length < pattern.PathSegments.Count)
        {
            return;
        }
        // Counted from the end, so a path base in front does not matter.
        var offset = rawSegments.Length - pattern.PathSegments.Count;
        for (var i = 0; i < pattern.PathSegments.Count; i++)
        {
            if (pattern.PathSegments[i] is { IsSimple: true, Parts: [RoutePatternParameterPart { IsCatchAll: false } parameter] }
                && http.Request.RouteValues.TryGetValue(parameter.Name, out var value) && value is string text
                && text.Contains('%', StringComparison.Ordinal) && text == segments[offset + i])
            {
                http.Request.RouteValues[parameter.Name] = Uri.UnescapeDataString(rawSegments[offset + i]);
            }
        }
    }

    private static bool AnyEscaped(RouteValueDictionary values)
    {
        foreach (var (_, value) in values)
        {
            if (value is string text && text.Contains('%', StringComparison.Ordinal))
            {
                return true;
            }
        }
        return false;
    }

    // "/a/b/" → ["a", "b"]: routing ignores one trailing slash, and so does this.
    private static string[] Segments(string path)
    {
        var trimmed = path.Length > 1 && path.EndsWith('/') ? path[..^1] : path;
        return trimmed.TrimStart('/').Split('/');
    }
}
