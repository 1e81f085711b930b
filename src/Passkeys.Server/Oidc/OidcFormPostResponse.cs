using System.Net;
using System.Text;
using Microsoft.AspNetCore;
using OpenIddict.Server;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Server.AspNetCore.OpenIddictServerAspNetCoreHandlers.Authentication;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace Passkeys.Server.Oidc;

/// <summary>
/// <c>response_mode=form_post</c> (the default of ASP.NET Core's OpenID Connect handler): the code
/// goes to the client in a form the browser posts at once. OpenIddict's own page submits it with an
/// inline script, which the pages' Content-Security-Policy (<c>script-src 'self'</c>) rightly
/// blocks; this page does the same with <c>/js/oidc-form-post.js</c> and a policy whose
/// <c>form-action</c> names the client's redirect origin. Runs just before OpenIddict's.
/// </summary>
public sealed class OidcFormPostResponse : IOpenIddictServerHandler<ApplyAuthorizationResponseContext>
{
    /// <summary>Just before OpenIddict's ProcessFormPostResponse, which it replaces.</summary>
    public static OpenIddictServerHandlerDescriptor Descriptor { get; } = OpenIddictServerHandlerDescriptor.CreateBuilder<ApplyAuthorizationResponseContext>()
        .UseSingletonHandler<OidcFormPostResponse>()
        .SetOrder(ProcessFormPostResponse.Descriptor.Order - 1)
        .SetType(OpenIddictServerHandlerType.Custom)
        .Build();

    /// <inheritdoc />
    public async ValueTask HandleAsync(ApplyAuthorizationResponseContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var response = context.Transaction.GetHttpRequest()?.HttpContext.Response;
        if (response is null || string.IsNullOrEmpty(context.RedirectUri) || context.ResponseMode != ResponseModes.FormPost)
        {
            return;
        }
        var html = new StringBuilder(1024);
        html.Append("<!doctype html>\n<html lang=\"en\">\n<head><meta charset=\"utf-8\"><meta name=\"referrer\" content=\"no-referrer\"><title>Returning to the app…</title>")
            .Append("<link rel=\"icon\" href=\"data:,\"><link rel=\"stylesheet\" href=\"/app.css\"></head>\n<body><main>\n")
            .Append($"<form id=\"form-post\" method=\"post\" action=\"{WebUtility.HtmlEncode(context.RedirectUri)}\">\n");
        foreach (var (name, value) in context.Response.GetParameters())
        {
            foreach (var text in ((Microsoft.Extensions.Primitives.StringValues?)(OpenIddict.Abstractions.OpenIddictParameter?)value ?? default).ToArray())
            {
                if (!string.IsNullOrEmpty(text))
                {
                    html.Append($"<input type=\"hidden\" name=\"{WebUtility.HtmlEncode(name)}\" value=\"{WebUtility.HtmlEncode(text)}\">\n");
                }
            }
        }
        html.Append("<p class=\"muted\">Returning to the app…</p><noscript><button type=\"submit\">Continue</button></noscript>\n</form>\n")
            .Append("</main><script src=\"/js/oidc-form-post.js\"></script></body>\n</html>\n");
        var bytes = System.Text.Encoding.UTF8.GetBytes(html.ToString());
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "text/html; charset=utf-8";
        response.ContentLength = bytes.Length;
        response.Headers.CacheControl = "no-store";
        response.Headers.ContentSecurityPolicy = OidcHostedPage.ContentSecurityPolicy(context.RedirectUri);
        await response.Body.WriteAsync(bytes).ConfigureAwait(false);
        context.HandleRequest();
    }
}
