using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;

namespace PasswordApp;

/// <summary>
/// The app's own accounts: sign-up and sign-in with a password (each reported to the passkey
/// server and followed by its passkey offer), sign-in with a passkey server token, sign-out.
/// </summary>
public static class AccountEndpoints
{
    /// <summary>Cookie claim holding how to offer a passkey ("modal" or "conditional"), while the offer stands.</summary>
    public const string OfferClaim = "passkey_offer";

    public sealed record SignUpBody(string? Name, string? DisplayName, string? Password);

    public sealed record SignInBody(string? Name, string? Password);

    public static void Map(WebApplication app)
    {
        var api = app.MapGroup("/api").AddEndpointFilter(RequireFetchHeader);

        api.MapGet("/config", (Microsoft.Extensions.Options.IOptions<PasswordAppOptions> options) =>
            Results.Json(new { server = options.Value.ServerBase, tenant = options.Value.Tenant }));

        api.MapPost("/sign-up", async (SignUpBody body, UserStore users, PasskeysServerClient server, HttpContext http) =>
        {
            var name = body.Name?.Trim() ?? "";
            var displayName = string.IsNullOrWhiteSpace(body.DisplayName) ? name : body.DisplayName.Trim();
            if (name.Length is < 2 or > 64 || name.Any(char.IsControl) || name.Any(char.IsWhiteSpace))
            {
                return Problem(400, "Choose a name of 2 to 64 characters without spaces.");
            }
            if (displayName.Length > 64 || displayName.Any(char.IsControl))
            {
                return Problem(400, "The display name may have at most 64 characters.");
            }
            if (body.Password is not { Length: >= 8 and <= 256 })
            {
                return Problem(400, "Choose a password of 8 to 256 characters.");
            }
            var user = users.Create(name, displayName, body.Password);
            if (user is null)
            {
                return Problem(409, "This name is taken: choose another.");
            }
            return await SignInWithPasswordAsync(http, server, user);
        });

        api.MapPost("/sign-in/password", async (SignInBody body, UserStore users, PasskeysServerClient server, HttpContext http) =>
        {
            if (string.IsNullOrEmpty(body.Name) || string.IsNullOrEmpty(body.Password) || body.Password.Length > 256)
            {
                return Problem(400, "Enter your name and password.");
            }
            var user = users.CheckPassword(body.Name.Trim(), body.Password);
            return user is null ? Problem(401, "Wrong name or password.") : await SignInWithPasswordAsync(http, server, user);
        });

        // The browser signed in with a passkey at the passkey server and sends the access token it got;
        // the JWT bearer handler checked signature (JWKS), issuer, audience, lifetime and token_use.
        api.MapPost("/sign-in/passkey", async (ClaimsPrincipal principal, UserStore users, PasskeysServerClient server, HttpContext http) =>
        {
            var user = principal.FindFirst("sub")?.Value is { } id ? users.FindById(id) : null;
            if (user is null)
            {
                return Problem(401, "This passkey belongs to no account of this app.");
            }
            await http.SignInAsync(PasswordAppHost.CookieScheme, Principal(user, offer: null));
            // The app's cookie is the session from here on; the passkey server's session of this sign-in
            // (its refresh token stays in the browser, unused) is ended rather than left to expire.
            if (principal.FindFirst("sid")?.Value is { } sessionId)
            {
                await EndServerSessionAsync(http, server, user.Id, sessionId);
            }
            return Results.Json(new { user = Describe(user, null) });
        }).RequireAuthorization(new AuthorizeAttribute { AuthenticationSchemes = PasswordAppHost.PasskeyTokenScheme });

        api.MapPost("/sign-out", async (HttpContext http) =>
        {
            await http.SignOutAsync(PasswordAppHost.CookieScheme);
            return Results.NoContent();
        });

        api.MapGet("/me", (ClaimsPrincipal principal, UserStore users) =>
        {
            var user = CurrentUser(principal, users);
            return user is null ? Problem(401, "Sign in first.") : Results.Json(Describe(user, principal.FindFirst(OfferClaim)?.Value));
        }).RequireAuthorization();

        // "Not now": the offer is not repeated in this session.
        api.MapPost("/passkey-offer/dismiss", async (ClaimsPrincipal principal, UserStore users, HttpContext http) =>
        {
            var user = CurrentUser(principal, users);
            if (user is null)
            {
                return Problem(401, "Sign in first.");
            }
            await http.SignInAsync(PasswordAppHost.CookieScheme, Principal(user, offer: null));
            return Results.NoContent();
        }).RequireAuthorization();
    }

    /// <summary>
    /// After a password sign-in: report it (adoption counts it, and an "other-method-sign-in"
    /// rollout waits for it), then ask whether and how to offer a passkey. Neither call may keep the
    /// user out of the app: when the passkey server fails, the sign-in stands without an offer.
    /// </summary>
    private static async Task<IResult> SignInWithPasswordAsync(HttpContext http, PasskeysServerClient server, AppUser user)
    {
        var report = await server.ReportSignInAsync(user.Id, "password");
        var offer = await server.PasskeyOfferAsync(user.Id);
        string? prompt = null;
        if (offer.Ok && offer.Body?["offer"]?.GetValue<bool>() == true)
        {
            prompt = offer.Body["prompt"]?.GetValue<string>() == "conditional" ? "conditional" : "modal";
        }
        var logger = http.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("PasswordApp");
        if (!report.Ok || !offer.Ok)
        {
            logger.LogWarning("Passkey server answered {Report} to the sign-in report and {Offer} to the offer", report.Status, offer.Status);
        }
        await http.SignInAsync(PasswordAppHost.CookieScheme, Principal(user, prompt));
        return Results.Json(new { user = Describe(user, prompt) });
    }

    /// <summary>Best effort: a failure is logged, never shown to the user, who is signed in already.</summary>
    public static async Task EndServerSessionAsync(HttpContext http, PasskeysServerClient server, string userId, string sessionId)
    {
        var ended = await server.EndSessionAsync(userId, sessionId);
        if (!ended.Ok)
        {
            http.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("PasswordApp")
                .LogWarning("Passkey server answered {Status} when ending session {Session}", ended.Status, sessionId);
        }
    }

    public static AppUser? CurrentUser(ClaimsPrincipal principal, UserStore users) =>
        principal.FindFirst(ClaimTypes.NameIdentifier)?.Value is { } id ? users.FindById(id) : null;

    /// <summary>The cookie's principal; <paramref name="offer"/> null once the offer is taken or declined.</summary>
    public static ClaimsPrincipal Principal(AppUser user, string? offer)
    {
        var claims = new List<Claim> { new(ClaimTypes.NameIdentifier, user.Id), new(ClaimTypes.Name, user.Name) };
        if (offer is not null)
        {
            claims.Add(new Claim(OfferClaim, offer));
        }
        return new ClaimsPrincipal(new ClaimsIdentity(claims, PasswordAppHost.CookieScheme));
    }

    private static object Describe(AppUser user, string? offer) => new { id = user.Id, name = user.Name, displayName = user.DisplayName, offer };

    public static IResult Problem(int status, string title) =>
        Results.Json(new { title, status }, statusCode: status, contentType: "application/problem+json");

    /// <summary>
    /// Every call that changes something must carry <c>X-Requested-With: fetch</c>: a custom header
    /// makes a cross-origin request preflighted, which this app never allows, so another site (even
    /// another port of localhost, which SameSite counts as the same site) cannot post with our cookie.
    /// </summary>
    public static async ValueTask<object?> RequireFetchHeader(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var request = context.HttpContext.Request;
        if (!HttpMethods.IsGet(request.Method) && request.Headers["X-Requested-With"] != "fetch")
        {
            return Problem(400, "Missing the X-Requested-With: fetch header.");
        }
        return await next(context);
    }
}
