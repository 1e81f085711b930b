using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Options;

namespace PasswordApp;

/// <summary>
/// Builds the sample: an app that signs its users in with passwords and upgrades them to passkeys
/// through Passkeys.Server. Its own session is a cookie; the passkey server's access token is
/// accepted once, at passkey sign-in, through the standard JWT bearer handler against the JWKS.
/// </summary>
public static class PasswordAppHost
{
    /// <summary>The cookie scheme of the app's own session.</summary>
    public const string CookieScheme = CookieAuthenticationDefaults.AuthenticationScheme;

    /// <summary>The scheme that accepts a passkey server access token (<c>Authorization: Bearer</c>).</summary>
    public const string PasskeyTokenScheme = "PasskeysServer";

    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        // The pages are copied to password-app/ next to the assembly; it is the content root too, so a
        // host that also carries the passkey server (the tests) never reads the server's appsettings.json.
        var root = Path.Combine(AppContext.BaseDirectory, "password-app");
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = root, WebRootPath = root });
        if (string.IsNullOrEmpty(builder.Configuration["urls"]))
        {
            builder.WebHost.UseUrls("http://localhost:5090");
        }
        var options = builder.Configuration.GetSection(PasswordAppOptions.Section).Get<PasswordAppOptions>() ?? new PasswordAppOptions();
        if (string.IsNullOrWhiteSpace(options.ApiKey))
        {
            throw new InvalidOperationException(
                "PasswordApp:ApiKey is required: create one with POST /v1/admin/tenants/{tenant}/api-keys (see samples/PasswordApp/README.md).");
        }
        if (!Uri.TryCreate(options.PasskeysServer, UriKind.Absolute, out var server))
        {
            throw new InvalidOperationException($"PasswordApp:PasskeysServer must be an absolute URL, not '{options.PasskeysServer}'.");
        }
        builder.Services.Configure<PasswordAppOptions>(builder.Configuration.GetSection(PasswordAppOptions.Section));
        builder.Services.AddSingleton(new UserStore(Path.IsPathRooted(options.UsersFile) ? options.UsersFile : Path.Combine(root, options.UsersFile)));
        builder.Services.AddHttpClient<PasskeysServerClient>();

        builder.Services.AddAuthentication(CookieScheme)
            .AddCookie(CookieScheme, cookie =>
            {
                cookie.Cookie.Name = "password-app";
                cookie.Cookie.HttpOnly = true;
                cookie.Cookie.SameSite = SameSiteMode.Strict;
                cookie.SlidingExpiration = true;
                // An API answers 401/403, it does not redirect to a login page.
                cookie.Events.OnRedirectToLogin = context => { context.Response.StatusCode = 401; return Task.CompletedTask; };
                cookie.Events.OnRedirectToAccessDenied = context => { context.Response.StatusCode = 403; return Task.CompletedTask; };
            })
            .AddJwtBearer(PasskeyTokenScheme, jwt =>
            {
                // Discovery names the issuer and the JWKS; keys are fetched and refreshed by the handler.
                jwt.MetadataAddress = $"{options.TenantRoot}/.well-known/openid-configuration";
                jwt.RequireHttpsMetadata = server.Scheme == Uri.UriSchemeHttps;
                jwt.Audience = options.Tenant;
                jwt.MapInboundClaims = false;
                jwt.TokenValidationParameters.ValidAlgorithms = ["ES256"];
                jwt.TokenValidationParameters.NameClaimType = "sub";
                jwt.Events = new JwtBearerEvents
                {
                    // A step-up token proves one transaction, not a sign-in (docs/api.md, "Tokens").
                    OnTokenValidated = context =>
                    {
                        if (context.Principal?.FindFirst("token_use")?.Value != "access")
                        {
                            context.Fail("not an access token");
                        }
                        return Task.CompletedTask;
                    },
                };
            });
        builder.Services.AddAuthorization();
        // A body that does not bind throws, so RefuseUnreadableBodies answers it with a message (else: a bare 400).
        builder.Services.Configure<Microsoft.AspNetCore.Routing.RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        configure?.Invoke(builder);

        var app = builder.Build();
        app.Use(SecurityHeaders(options.ServerBase));
        app.Use(RefuseUnreadableBodies);
        app.UseDefaultFiles();
        app.UseStaticFiles(new StaticFileOptions { FileProvider = new PhysicalFileProvider(root) });
        app.UseAuthentication();
        app.UseAuthorization();
        AccountEndpoints.Map(app);
        PasskeyEndpoints.Map(app);
        RecoveryCodeEndpoints.Map(app);
        return app;
    }

    /// <summary>A request whose body or parameters do not bind: the status the binder chose, with a message.</summary>
    private static async Task RefuseUnreadableBodies(HttpContext context, RequestDelegate next)
    {
        try
        {
            await next(context);
        }
        catch (BadHttpRequestException e) when (!context.Response.HasStarted)
        {
            context.Response.Clear();
            var title = e.StatusCode == StatusCodes.Status415UnsupportedMediaType
                ? "Send the body as application/json."
                : "The request body is not the JSON this call expects.";
            await AccountEndpoints.Problem(e.StatusCode, title).ExecuteAsync(context);
        }
    }

    /// <summary>
    /// CSP without 'unsafe-inline': scripts and styles only from files, the SDK module and the
    /// ceremony calls only from this app and the passkey server.
    /// </summary>
    private static Func<HttpContext, RequestDelegate, Task> SecurityHeaders(string passkeysServer) => (context, next) =>
    {
        var headers = context.Response.Headers;
        headers.ContentSecurityPolicy = $"default-src 'none'; script-src 'self' {passkeysServer}; connect-src 'self' {passkeysServer}; " +
            "style-src 'self'; img-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";
        return next(context);
    };
}
