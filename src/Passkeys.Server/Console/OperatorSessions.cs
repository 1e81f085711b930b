using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using Passkeys.Server.Configuration;
using Passkeys.Server.Errors;
using Passkeys.Server.Observability;
using Passkeys.Server.Security;
using Passkeys.Server.Storage;

namespace Passkeys.Server.OperatorConsole;

/// <summary>A live operator session, as a request presented it.</summary>
/// <param name="CsrfToken">The value the console must send in <see cref="OperatorSessions.CsrfHeader"/> on unsafe requests.</param>
public sealed record OperatorSession(string SessionId, string OperatorId, string OperatorName, string CsrfToken, DateTimeOffset IdleExpiresAt, DateTimeOffset ExpiresAt);

/// <summary>
/// Operator sessions: a passkey sign-in to the console gets a random session secret in a cookie
/// (HttpOnly, <c>SameSite=Strict</c>, path <c>/</c>; over https also <c>Secure</c> with the
/// <c>__Host-</c> prefix, which pins it to this host). The store keeps only its SHA-256, in the
/// sessions table of the console tenant, with an idle end (moved forward by each request, see
/// <see cref="ConsoleOptions.IdleTimeout"/>) and an absolute end; sign-out and operator revocation end it at once.
/// </summary>
/// <remarks>
/// CSRF: SameSite=Strict already keeps other sites' requests from carrying the cookie; on top, every
/// unsafe request (anything but GET, HEAD, OPTIONS) must carry <see cref="CsrfHeader"/> with the
/// session's CSRF token, which only the console's own script can read (it is derived from the
/// session secret, HMAC-SHA256, and handed out in JSON), and, when the browser sends Origin, the
/// console's own origin. A form post from another site can set neither.
/// </remarks>
public sealed class OperatorSessions(IPasskeyStore store, ConsoleTenant console, AuditLog audit, TimeProvider time, IOptions<PasskeysServerOptions> options)
{
    /// <summary>The header the console sends the CSRF token in.</summary>
    public const string CsrfHeader = "X-Console-Csrf";

    private const string Prefix = "pko_";
    private const int TokenLength = 4 + 43;

    private ConsoleOptions Options => options.Value.Console;

    /// <summary>The cookie's name: <c>__Host-passkeys-console</c> over https, else <c>passkeys-console</c> (the prefix requires Secure).</summary>
    public string CookieName => console.IsHttps ? "__Host-passkeys-console" : "passkeys-console";

    /// <summary>
    /// A new session for an operator who just proved a passkey: its record and the secret's hash to
    /// write in the ceremony's transaction, and the secret for the cookie.
    /// </summary>
    public (SessionRecord Record, byte[] Hash, string Secret) Prepare(string operatorId, byte[] credentialId, ClientInfo client)
    {
        ArgumentNullException.ThrowIfNull(client);
        var now = time.GetUtcNow();
        var secret = Prefix + Secrets.RandomId(32);
        var expires = now + Options.SessionLifetime;
        var idle = Min(now + Options.IdleTimeout, expires);
        var record = new SessionRecord(ConsoleTenant.Id, Secrets.TimeOrderedId(now), operatorId, credentialId, true, now, now, expires, idle, null, null,
            client.Address, client.UserAgent, client.Browser, client.Os);
        return (record, Secrets.Sha256(secret), secret);
    }

    /// <summary>Sets the session cookie on the response (no Expires: the server decides when it ends).</summary>
    public void SetCookie(HttpResponse response, string secret)
    {
        ArgumentNullException.ThrowIfNull(response);
        response.Cookies.Append(CookieName, secret, CookieOptions());
    }

    /// <summary>Removes the session cookie from the browser.</summary>
    public void ClearCookie(HttpResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        response.Cookies.Delete(CookieName, CookieOptions());
    }

    private CookieOptions CookieOptions() => new()
    {
        HttpOnly = true,
        SameSite = SameSiteMode.Strict,
        Secure = console.IsHttps,
        Path = "/",
        IsEssential = true,
    };

    /// <summary>The CSRF token of a session secret.</summary>
    public static string CsrfTokenOf(string secret) =>
        Secrets.Base64Url(HMACSHA256.HashData(System.Text.Encoding.UTF8.GetBytes(secret), "passkeys-console-csrf"u8));

    /// <summary>Whether the request carries a session cookie at all.</summary>
    public bool HasCookie(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return request.Cookies.ContainsKey(CookieName);
    }

    /// <summary>
    /// The live session the request's cookie names, checked and touched (idle end moved forward);
    /// for an unsafe method also its CSRF header and Origin. Null when there is no cookie.
    /// </summary>
    /// <exception cref="ServerException">
    /// Unauthorized (unknown or revoked session, or the operator was removed), OperatorSessionExpired
    /// (idle or absolute end passed), ConsoleCsrfRejected (unsafe request without the right header or from another origin).
    /// </exception>
    public async Task<OperatorSession?> AuthenticateAsync(HttpContext http, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(http);
        if (!http.Request.Cookies.TryGetValue(CookieName, out var secret) || string.IsNullOrEmpty(secret))
        {
            return null;
        }
        if (secret.Length != TokenLength || !secret.StartsWith(Prefix, StringComparison.Ordinal))
        {
            throw new ServerException(ServerError.Unauthorized, "The console session cookie is not one this server issued. Sign in again.");
        }
        var now = time.GetUtcNow();
        var session = await store.FindSessionByRefreshTokenAsync(ConsoleTenant.Id, Secrets.Sha256(secret), ct).ConfigureAwait(false);
        if (session is null || session.RevokedAt is not null)
        {
            throw new ServerException(ServerError.Unauthorized, "This console session has ended (signed out or revoked). Sign in again.");
        }
        if (!session.IsActiveAt(now))
        {
            throw new ServerException(ServerError.OperatorSessionExpired);
        }
        var csrf = CsrfTokenOf(secret);
        if (!HttpMethods.IsGet(http.Request.Method) && !HttpMethods.IsHead(http.Request.Method) && !HttpMethods.IsOptions(http.Request.Method))
        {
            RequireSameOrigin(http.Request);
            var presented = http.Request.Headers[CsrfHeader].ToString();
            if (presented.Length == 0 || !Secrets.EqualsConstantTime(presented, csrf))
            {
                throw new ServerException(ServerError.ConsoleCsrfRejected, $"This request changes data and needs the {CsrfHeader} header the console sends.");
            }
        }
        var idle = Min(now + Options.IdleTimeout, session.ExpiresAt);
        if (!await store.TouchSessionAsync(ConsoleTenant.Id, session.Id, now, idle, ct).ConfigureAwait(false))
        {
            // Ended (or was revoked) between the read and the touch.
            throw new ServerException(ServerError.OperatorSessionExpired);
        }
        var user = await store.GetUserAsync(ConsoleTenant.Id, session.UserId, ct).ConfigureAwait(false)
            ?? throw new ServerException(ServerError.Unauthorized, "This operator was removed. Sign in as another operator.");
        return new OperatorSession(session.Id, user.Id, user.DisplayName, csrf, idle, session.ExpiresAt);
    }

    /// <summary>
    /// Refuses an unsafe request whose Origin header names another origin than the console's. Every
    /// browser sends Origin on a cross-origin POST, PUT or DELETE, so such a request is never from the console.
    /// </summary>
    public void RequireSameOrigin(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var origin = request.Headers.Origin.ToString();
        if (origin.Length > 0 && !string.Equals(origin, console.Origin, StringComparison.OrdinalIgnoreCase))
        {
            throw new ServerException(ServerError.ConsoleCsrfRejected, $"This request came from {SafeText.Escape(origin, 200)}, not from the console at {console.Origin}.");
        }
    }

    /// <summary>Ends a session (sign-out); idempotent.</summary>
    public Task<bool> EndAsync(OperatorSession session, ClientInfo? client, CancellationToken ct) =>
        store.ChangeAsync(step => step.RevokeSessionAsync(ConsoleTenant.Id, session.SessionId, time.GetUtcNow(), "signed-out", ct),
            audit.Change(ConsoleTenant.Id, AuditTypes.SessionRevoked, AuditActor.Operator(session.OperatorId), AuditTarget.Session(session.SessionId),
                session.OperatorId, client: client, details: new Dictionary<string, string?> { ["reason"] = "signed-out" }), ct);

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;
}
