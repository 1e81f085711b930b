using Microsoft.AspNetCore.Authentication;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using Passkeys.Server.Endpoints;
using Passkeys.Server.Errors;
using Passkeys.Server.Security;
using Passkeys.Server.Sessions;
using Passkeys.Server.Storage;
using Microsoft.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;
using OAuthErrors = OpenIddict.Abstractions.OpenIddictConstants.Errors;

namespace Passkeys.Server.Oidc;

/// <summary>
/// The provider's endpoints that OpenIddict passes through to us once it has validated the
/// protocol: authorization (hosted page, then completion), token (session checks and rotation),
/// userinfo and end-session. Discovery is answered by OpenIddict itself (<see cref="OidcDiscovery"/>).
/// When the tenant does not exist OpenIddict does not handle the request and these answer 404.
/// </summary>
public static class OidcEndpoints
{
    private const string Scheme = OpenIddictServerAspNetCoreDefaults.AuthenticationScheme;

    /// <summary>Maps the endpoints on the tenant group <c>/v1/tenants/{tenant}</c>.</summary>
    public static RouteGroupBuilder MapOidcEndpoints(this RouteGroupBuilder tenant)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        var oidc = tenant.MapGroup("").WithTags("OpenID Connect").WithMetadata(RateLimitClass.Api);
        oidc.MapGet("/" + OidcPaths.Authorization, ShowPageAsync).WithMetadata(RateLimitClass.Ceremony);
        oidc.MapPost("/" + OidcPaths.Authorization, CompleteAsync).WithMetadata(RateLimitClass.Ceremony);
        oidc.MapPost("/" + OidcPaths.Token, TokenAsync).WithMetadata(RateLimitClass.Session);
        oidc.MapMethods("/" + OidcPaths.UserInfo, ["GET", "POST"], UserInfoAsync);
        oidc.MapMethods("/" + OidcPaths.EndSession, ["GET", "POST"], EndSessionAsync);
        return oidc;
    }

    private static async Task<(TenantRecord Tenant, OpenIddictRequest Request)> RequestAsync(HttpContext http, string tenant, Access access, CancellationToken ct)
    {
        var t = await access.TenantAsync(tenant, ct).ConfigureAwait(false);
        var request = http.GetOpenIddictServerRequest() ?? throw new ServerException(ServerError.NotFound);
        return (t, request);
    }

    private static async Task<IResult> ShowPageAsync(string tenant, HttpContext http, Access access, OidcClientService clients, OidcSignInProof proof, CancellationToken ct)
    {
        var (t, request) = await RequestAsync(http, tenant, access, ct).ConfigureAwait(false);
        if (request.HasPromptValue(PromptValues.None))
        {
            // No browser session is kept (every sign-in is a passkey ceremony), so nothing can be silent.
            // Refused here, after validation, so OpenIddict sends the error to the client's redirect URI.
            return Refuse(OAuthErrors.LoginRequired, ServerError.OidcLoginRequired);
        }
        return await PageAsync(http, t, request, clients, proof, null, StatusCodes.Status200OK, ct).ConfigureAwait(false);
    }

    private static async Task<IResult> PageAsync(HttpContext http, TenantRecord tenant, OpenIddictRequest request, OidcClientService clients, OidcSignInProof proof,
        string? error, int status, CancellationToken ct)
    {
        // The request was validated (client and exact redirect URI) before it got here.
        var client = await clients.GetAsync(tenant.Id, request.ClientId!, ct).ConfigureAwait(false);
        var ticket = await proof.NewTicketAsync(tenant.Id, ct).ConfigureAwait(false);
        http.Response.Headers.ContentSecurityPolicy = OidcHostedPage.ContentSecurityPolicy(request.RedirectUri!);
        http.Response.Headers.CacheControl = "no-store";
        var html = OidcHostedPage.Render(tenant, client, request, http.Request.PathBase + http.Request.Path, ticket, error);
        return Results.Content(html, "text/html; charset=utf-8", statusCode: status);
    }

    private static async Task<IResult> CompleteAsync(string tenant, HttpContext http, Access access, OidcClientService clients, OidcSignInProof proof,
        IPasskeyStore store, CancellationToken ct)
    {
        var (t, request) = await RequestAsync(http, tenant, access, ct).ConfigureAwait(false);
        try
        {
            var (session, secret) = await proof.VerifyAsync(t.Id, request, ct).ConfigureAwait(false);
            var user = await store.GetUserAsync(t.Id, session.UserId, ct).ConfigureAwait(false) ?? throw new ServerException(ServerError.OidcSignInRequired);
            var credential = await store.GetCredentialAsync(t.Id, session.CredentialId, ct).ConfigureAwait(false);
            var principal = OidcAuthentication.Principal(request.ClientId!, session, user, credential, request.GetScopes(), secret);
            // OpenIddict answers with the code: 302 to the exact redirect URI with code, state and iss.
            return Results.SignIn(principal, authenticationScheme: Scheme);
        }
        catch (ServerException e) when (e.Error == ServerError.OidcSignInRequired)
        {
            return await PageAsync(http, t, request, clients, proof, e.Message, StatusCodes.Status401Unauthorized, ct).ConfigureAwait(false);
        }
    }

    private static async Task<IResult> TokenAsync(string tenant, HttpContext http, Access access, SessionService sessions, IPasskeyStore store, CancellationToken ct)
    {
        var (t, request) = await RequestAsync(http, tenant, access, ct).ConfigureAwait(false);
        if (!request.IsAuthorizationCodeGrantType() && !request.IsRefreshTokenGrantType())
        {
            return Refuse(OAuthErrors.UnsupportedGrantType, null);
        }
        // The code or refresh token, already checked by OpenIddict (signature, encryption, expiry, client, PKCE, redirect_uri).
        var granted = (await http.AuthenticateAsync(Scheme).ConfigureAwait(false)).Principal;
        var presented = granted?.GetClaim(OidcAuthentication.SessionSecretClaim);
        if (granted is null || string.IsNullOrEmpty(presented))
        {
            return Refuse(OAuthErrors.InvalidGrant, ServerError.OidcSessionEnded);
        }
        // Spend the session's refresh token and take the next: an ended session, or a code or
        // refresh token presented twice (which revokes the whole session), ends here.
        SessionTokens next;
        try
        {
            next = await sessions.RefreshAsync(await http.CallAsync(t.Id, ct).ConfigureAwait(false), new RefreshRequest(presented), ct).ConfigureAwait(false);
        }
        catch (ServerException e) when (e.Error is ServerError.RefreshTokenReused or ServerError.SessionRevoked or ServerError.SessionExpired
            or ServerError.RefreshTokenInvalid or ServerError.ValidationFailed)
        {
            return Refuse(OAuthErrors.InvalidGrant, ServerError.OidcSessionEnded);
        }
        var session = await store.GetSessionAsync(t.Id, next.SessionId, ct).ConfigureAwait(false);
        var user = session is null ? null : await store.GetUserAsync(t.Id, session.UserId, ct).ConfigureAwait(false);
        if (session is null || user is null)
        {
            return Refuse(OAuthErrors.InvalidGrant, ServerError.OidcSessionEnded);
        }
        var credential = await store.GetCredentialAsync(t.Id, session.CredentialId, ct).ConfigureAwait(false);
        var principal = OidcAuthentication.Principal(request.ClientId!, session, user, credential, granted.GetScopes(), next.RefreshToken);
        return Results.SignIn(principal, authenticationScheme: Scheme);
    }

    private static async Task<IResult> UserInfoAsync(string tenant, HttpContext http, Access access, IPasskeyStore store, TimeProvider time, CancellationToken ct)
    {
        var (t, _) = await RequestAsync(http, tenant, access, ct).ConfigureAwait(false);
        var principal = (await http.AuthenticateAsync(Scheme).ConfigureAwait(false)).Principal;
        var sid = principal?.GetClaim("sid");
        var session = sid is null ? null : await store.GetSessionAsync(t.Id, sid, ct).ConfigureAwait(false);
        var user = session is null || !session.IsActiveAt(time.GetUtcNow()) ? null : await store.GetUserAsync(t.Id, session.UserId, ct).ConfigureAwait(false);
        if (principal is null || user is null || user.Id != principal.GetClaim(Claims.Subject))
        {
            // The access token is intact but its session has ended (signed out, revoked, expired) or its user is gone.
            return Results.Challenge(Properties(OAuthErrors.InvalidToken, ServerError.OidcSessionEnded), [Scheme]);
        }
        var claims = new Dictionary<string, object>(StringComparer.Ordinal) { [Claims.Subject] = user.Id };
        if (principal.HasScope(Scopes.Profile))
        {
            claims[Claims.PreferredUsername] = user.Name;
            claims[Claims.Name] = user.DisplayName;
        }
        return Results.Json(claims);
    }

    private static async Task<IResult> EndSessionAsync(string tenant, HttpContext http, Access access, SessionService sessions, CancellationToken ct)
    {
        var (t, request) = await RequestAsync(http, tenant, access, ct).ConfigureAwait(false);
        // The ID token hint, already validated by OpenIddict (signature and issuer; an expired one is still accepted here, as the spec allows).
        var hint = (await http.AuthenticateAsync(Scheme).ConfigureAwait(false)).Principal;
        if (hint?.GetClaim("sid") is { Length: > 0 } sid)
        {
            // Audited (session.revoked, reason signed-out) in the revocation's commit, like every sign-out.
            await sessions.SignOutSessionAsync(t.Id, sid, Observability.ClientInfo.From(http), ct).ConfigureAwait(false);
        }
        if (!string.IsNullOrEmpty(request.PostLogoutRedirectUri))
        {
            // OpenIddict redirects to the (validated, exactly registered) post-logout URI with the state.
            return Results.SignOut(authenticationSchemes: [Scheme]);
        }
        http.Response.Headers.CacheControl = "no-store";
        return Results.Content(SignedOutPage(t.RpName), "text/html; charset=utf-8");
    }

    private static string SignedOutPage(string rpName) => $"""
        <!doctype html>
        <html lang="en">
        <head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Signed out — {System.Net.WebUtility.HtmlEncode(rpName)}</title>
        <link rel="icon" href="data:,"><link rel="stylesheet" href="/app.css"></head>
        <body><header><div class="bar"><h1>{System.Net.WebUtility.HtmlEncode(rpName)}</h1></div></header>
        <main><div class="message info" role="status">You are signed out. You can close this page.</div></main></body>
        </html>

        """;

    private static IResult Refuse(string error, ServerError? code) => Results.Forbid(Properties(error, code), [Scheme]);

    private static AuthenticationProperties Properties(string error, ServerError? code)
    {
        var items = new Dictionary<string, string?> { [OpenIddictServerAspNetCoreConstants.Properties.Error] = error };
        if (code is { } c)
        {
            items[OpenIddictServerAspNetCoreConstants.Properties.ErrorDescription] = OidcRejections.Description(c);
            items[OpenIddictServerAspNetCoreConstants.Properties.ErrorUri] = OidcRejections.UriOf(c);
        }
        return new AuthenticationProperties(items);
    }
}
