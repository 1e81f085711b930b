using System.Net;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;

namespace OidcApp;

/// <summary>
/// An app that signs its users in with passkeys and has no passkey code at all: the standard
/// cookie and OpenID Connect handlers against a Passkeys.Server tenant (docs/integration.md,
/// "OpenID Connect"). Settings, section <c>OidcApp</c>: <c>Authority</c> (the tenant's issuer),
/// <c>ClientId</c>, <c>ClientSecret</c>.
/// </summary>
public static class OidcAppHost
{
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        // No files of its own; the content root is a folder of its own so a host that also carries
        // the passkey server (the tests) never reads the server's appsettings.json.
        var root = Path.Combine(AppContext.BaseDirectory, "oidc-app");
        Directory.CreateDirectory(root);
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = root });
        if (string.IsNullOrEmpty(builder.Configuration["urls"]))
        {
            builder.WebHost.UseUrls("http://localhost:5002");
        }
        var settings = builder.Configuration.GetSection("OidcApp");
        var authority = settings["Authority"] ?? "http://localhost:5080/v1/tenants/default";
        var clientId = settings["ClientId"] ?? throw new InvalidOperationException("OidcApp:ClientId is required (see samples/OidcApp/README.md).");
        var clientSecret = settings["ClientSecret"] ?? throw new InvalidOperationException("OidcApp:ClientSecret is required (see samples/OidcApp/README.md).");
        var plainHttp = authority.StartsWith("http://", StringComparison.OrdinalIgnoreCase);

        builder.Services.AddAuthentication(o =>
            {
                o.DefaultScheme = CookieAuthenticationDefaults.AuthenticationScheme;
                o.DefaultChallengeScheme = OpenIdConnectDefaults.AuthenticationScheme;
            })
            .AddCookie()
            .AddOpenIdConnect(o =>
            {
                o.Authority = authority;
                o.RequireHttpsMetadata = !plainHttp;
                o.ClientId = clientId;
                o.ClientSecret = clientSecret;
                o.ResponseType = "code";                  // PKCE is on by default
                o.Scope.Add("profile");
                o.Scope.Add("offline_access");            // a refresh token tied to the passkey session
                o.SaveTokens = true;                      // the ID token is the hint at sign-out
                o.MapInboundClaims = false;               // keep sub, acr, amr as the provider sends them
                o.TokenValidationParameters.NameClaimType = "preferred_username";
                o.ClaimActions.Remove("acr");             // the handler drops acr by default; it says how the user signed in
                if (plainHttp)
                {
                    // Local http demo only: the correlation and nonce cookies default to SameSite=None + Secure,
                    // which a browser drops over http; the code comes back in the query of a top-level GET.
                    o.ResponseMode = "query";
                    o.CorrelationCookie.SameSite = o.NonceCookie.SameSite = SameSiteMode.Lax;
                    o.CorrelationCookie.SecurePolicy = o.NonceCookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                }
            });
        builder.Services.AddAuthorization();
        configure?.Invoke(builder);

        var app = builder.Build();
        // form-action covers the redirects after a form post too: sign-out continues at the provider.
        var provider = new Uri(authority).GetLeftPart(UriPartial.Authority);
        app.Use((context, next) =>
        {
            context.Response.Headers.ContentSecurityPolicy = $"default-src 'none'; form-action 'self' {provider}; base-uri 'none'; frame-ancestors 'none'";
            return next(context);
        });
        app.UseAuthentication();
        app.UseAuthorization();

        app.MapGet("/", (HttpContext http) => Results.Content(Page(http), "text/html; charset=utf-8"));
        app.MapGet("/login", () => Results.Challenge(new AuthenticationProperties { RedirectUri = "/" }));
        // POST only: a link on another site cannot sign the user out. Signing out of the provider ends the
        // passkey session and its refresh token (end-session with the ID token as hint).
        app.MapPost("/logout", () => Results.SignOut(new AuthenticationProperties { RedirectUri = "/" },
            [CookieAuthenticationDefaults.AuthenticationScheme, OpenIdConnectDefaults.AuthenticationScheme]));
        return app;
    }

    private static string Page(HttpContext http)
    {
        var user = http.User;
        string body;
        if (user.Identity?.IsAuthenticated == true)
        {
            var amr = string.Join(" ", user.FindAll("amr").Select(c => c.Value));
            body = $"<p id=\"result\">Signed in as {Encode(user.Identity.Name)} with {Encode(amr)} ({Encode(user.FindFirst("acr")?.Value)})</p>" +
                "<form method=\"post\" action=\"/logout\"><button type=\"submit\">Sign out</button></form>";
        }
        else
        {
            body = "<p id=\"result\">You are signed out.</p><p><a href=\"/login\">Sign in with a passkey</a></p>";
        }
        return "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>OIDC App</title></head>" +
            $"<body><main><h1>OIDC App</h1>{body}</main></body></html>";
    }

    private static string Encode(string? text) => WebUtility.HtmlEncode(text ?? "");
}
