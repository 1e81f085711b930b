using Microsoft.Extensions.FileProviders;
using Microsoft.Net.Http.Headers;

namespace Passkeys.Server.Endpoints;

/// <summary>
/// A page for people: a browser that asks for a page that does not exist (<c>/nope</c>) gets
/// <c>wwwroot/404.html</c> (with its 404 status) instead of the API's problem JSON. API clients
/// and everything under <c>/v1/</c> keep the problem details document docs/api.md promises.
/// </summary>
public static class NotFoundPage
{
    private const string FileName = "404.html";

    /// <summary>Writes the 404 page when the failed request was a browser's page load; false otherwise.</summary>
    public static async Task<bool> TryWriteAsync(HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        var request = http.Request;
        if (http.Response.StatusCode != StatusCodes.Status404NotFound
            || !(HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method))
            || request.Path.StartsWithSegments("/v1", StringComparison.OrdinalIgnoreCase)
            || !AcceptsHtml(request))
        {
            return false;
        }
        var env = http.RequestServices.GetRequiredService<IWebHostEnvironment>();
        var file = env.WebRootFileProvider.GetFileInfo(FileName);
        if (!file.Exists)
        {
            return false;
        }
        http.Response.ContentType = "text/html; charset=utf-8";
        http.Response.Headers.CacheControl = "no-store";
        if (HttpMethods.IsHead(request.Method))
        {
            return true;
        }
        await http.Response.SendFileAsync(file, http.RequestAborted).ConfigureAwait(false);
        return true;
    }

    // A browser's navigation sends "text/html,application/xhtml+xml,..."; fetch() and API clients
    // send */* or application/json, and keep getting problem details.
    private static bool AcceptsHtml(HttpRequest request) =>
        request.GetTypedHeaders().Accept.Any(a => a.MediaType.Equals("text/html", StringComparison.OrdinalIgnoreCase));
}
