using System.Diagnostics;
using Microsoft.Extensions.Options;
using Passkeys.Server.Ceremonies;
using Passkeys.Server.Configuration;
using Passkeys.Server.Endpoints;
using Passkeys.Server.Errors;
using Passkeys.Server.Observability;
using Passkeys.Server.Security;
using Passkeys.Server.Storage;
using Passkeys.Server.Tokens;

namespace Passkeys.Server.Sessions;

/// <summary>
/// Sessions: a sign-in gets a short-lived access token and a refresh token; a refresh spends the
/// refresh token and returns a new pair (rotation). A refresh token presented a second time means
/// two parties hold it, so the whole session is revoked (reuse detection) and audited — except a
/// retry within <see cref="TokenOptions.RefreshReuseGrace"/> of a refresh whose response was lost
/// (see <see cref="IPasskeyStore.RotateRefreshTokenAsync"/>). That grace keeps theft detection: an
/// attacker who uses it spends the legitimate client's token, whose next refresh is then reuse and
/// revokes the whole session, the attacker's token with it; detection comes at most one refresh
/// later. Refresh tokens are <c>pkr_</c> + 32 random bytes (base64url), stored only as SHA-256.
/// </summary>
public sealed partial class SessionService(
    IPasskeyStore store, TokenService tokens, AuditLog audit, PasskeysMetrics metrics, TimeProvider time, IOptions<PasskeysServerOptions> options,
    ILogger<SessionService> logger)
{
    private const string Prefix = "pkr_";
    private const int TokenLength = 4 + 43; // prefix + base64url of 32 bytes
    private readonly TokenOptions _options = options.Value.Tokens;

    /// <summary>
    /// Prepares a session for a sign-in that just succeeded and signs its first tokens; nothing is
    /// written yet. The ceremony writes it with <see cref="PendingSession.WriteAsync"/> in its
    /// step's transaction, so no lock is held while signing (and a key rotation that signing may
    /// cause never waits for the step's own write gate).
    /// </summary>
    public async Task<PendingSession> PrepareAsync(CallContext call, string userId, byte[] credentialId, bool userVerified, DateTimeOffset now, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(call);
        var refresh = NewRefreshToken();
        var expires = now + _options.SessionLifetime;
        var idle = Min(now + _options.SessionIdleLifetime, expires);
        var session = new SessionRecord(call.Tenant.Id, Secrets.TimeOrderedId(now), userId, credentialId, userVerified, now, now, expires, idle, null, null,
            call.Client.Address, call.Client.UserAgent, call.Client.Browser, call.Client.Os);
        return new PendingSession(session, Secrets.Sha256(refresh), await TokensAsync(call, session, refresh, ct).ConfigureAwait(false));
    }

    /// <summary>Rotates the refresh token: new access token, new refresh token; the presented one is spent.</summary>
    public async Task<SessionTokens> RefreshAsync(CallContext call, RefreshRequest? request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(call);
        var started = Stopwatch.GetTimestamp();
        var presented = Parse(request?.RefreshToken);
        var now = time.GetUtcNow();
        var next = NewRefreshToken();
        // A reuse revokes the session; its events (the refused refresh, the revocation by the server) commit with it.
        var result = await store.RotateRefreshTokenAsync(call.Tenant.Id, Secrets.Sha256(presented), Secrets.Sha256(next), now,
            now + _options.SessionIdleLifetime, _options.RefreshReuseGrace, s =>
            [
                audit.Event(call.Tenant.Id, Observability.Ceremonies.Session, "failed", s.Id, s.UserId, Secrets.Base64Url(s.CredentialId),
                    (int)ServerError.RefreshTokenReused, nameof(ServerError.RefreshTokenReused), call.Client, Stopwatch.GetElapsedTime(started)),
                Revoked(call.Tenant.Id, s, AuditActor.System, call.Client),
            ], ct).ConfigureAwait(false);
        metrics.SessionRefresh(result.Outcome switch
        {
            RefreshOutcome.Rotated => "rotated",
            RefreshOutcome.Reused => "reused",
            RefreshOutcome.Revoked => "revoked",
            RefreshOutcome.Expired => "expired",
            _ => "invalid",
        });
        switch (result.Outcome)
        {
            case RefreshOutcome.Rotated:
                return await TokensAsync(call, result.Session!, next, ct).ConfigureAwait(false);
            case RefreshOutcome.Reused:
                var s = result.Session!;
                LogReuse(logger, call.Tenant.Id, s.Id, s.UserId);
                throw new ServerException(ServerError.RefreshTokenReused);
            case RefreshOutcome.Revoked:
                throw new ServerException(ServerError.SessionRevoked);
            case RefreshOutcome.Expired:
                throw new ServerException(ServerError.SessionExpired);
            default:
                throw new ServerException(ServerError.RefreshTokenInvalid);
        }
    }

    /// <summary>
    /// Signs out: revokes the session of the refresh token, audited with the session's user as the
    /// actor (holding its refresh token is their proof). Idempotent: an unknown or already ended
    /// session is not an error, and writes nothing.
    /// </summary>
    public async Task SignOutAsync(CallContext call, RefreshRequest? request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(call);
        var presented = Parse(request?.RefreshToken);
        var session = await store.FindSessionByRefreshTokenAsync(call.Tenant.Id, Secrets.Sha256(presented), ct).ConfigureAwait(false);
        if (session is not null)
        {
            await RevokeAuditedAsync(call.Tenant.Id, session with { RevokedReason = "signed-out" }, AuditActor.User(session.UserId), call.Client, ct).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Signs out the session <paramref name="sessionId"/> (OpenID Connect logout: the ID token hint
    /// names it), audited like <see cref="SignOutAsync"/> with the session's user as the actor.
    /// Idempotent: an unknown or already ended session writes nothing.
    /// </summary>
    public async Task SignOutSessionAsync(string tenantId, string sessionId, ClientInfo? client, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(sessionId);
        var session = sessionId.Length is 0 or > 64 ? null : await store.GetSessionAsync(tenantId, sessionId, ct).ConfigureAwait(false);
        if (session is not null)
        {
            await RevokeAuditedAsync(tenantId, session with { RevokedReason = "signed-out" }, AuditActor.User(session.UserId), client, ct).ConfigureAwait(false);
        }
    }

    /// <summary>The user's active sessions; <paramref name="currentSessionId"/> is marked current.</summary>
    public async Task<SessionList> ListAsync(string tenantId, string userId, string? currentSessionId, CancellationToken ct)
    {
        var list = await store.ListActiveSessionsAsync(tenantId, userId, time.GetUtcNow(), ct).ConfigureAwait(false);
        return new SessionList(list.Select(s => new SessionView(s.Id, s.CreatedAt, s.LastUsedAt, s.IdleExpiresAt, s.ExpiresAt,
            Secrets.Base64Url(s.CredentialId), s.UserVerified, s.Browser, s.Os, s.ClientAddress, s.Id == currentSessionId)).ToList());
    }

    /// <summary>
    /// Revokes one of the user's active sessions, audited (<c>session.revoked</c>) with
    /// <paramref name="actor"/>: the user, the app or an administrator. 404 SessionNotFound when it is
    /// not the user's or already ended (nothing written).
    /// </summary>
    public async Task RevokeAsync(string tenantId, string userId, string sessionId, AuditActor actor, ClientInfo? client, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var session = sessionId.Length is 0 or > 64 ? null : await store.GetSessionAsync(tenantId, sessionId, ct).ConfigureAwait(false);
        if (session is null || session.UserId != userId || !session.IsActiveAt(now)
            || !await RevokeAuditedAsync(tenantId, session with { RevokedReason = "revoked" }, actor, client, ct).ConfigureAwait(false))
        {
            throw new ServerException(ServerError.SessionNotFound);
        }
    }

    /// <summary>
    /// Ends every active session of the user, each with its own <c>session.revoked</c> event in its
    /// commit; returns how many it ended (a session ended meanwhile by someone else is not counted).
    /// </summary>
    public async Task<int> RevokeAllAsync(string tenantId, string userId, AuditActor actor, ClientInfo? client, CancellationToken ct)
    {
        var ended = 0;
        foreach (var session in await store.ListActiveSessionsAsync(tenantId, userId, time.GetUtcNow(), ct).ConfigureAwait(false))
        {
            ended += await RevokeAuditedAsync(tenantId, session with { RevokedReason = "revoked" }, actor, client, ct).ConfigureAwait(false) ? 1 : 0;
        }
        return ended;
    }

    /// <summary>Revokes the session (reason from <paramref name="session"/>) with its event in one commit; false when it was already revoked.</summary>
    private async Task<bool> RevokeAuditedAsync(string tenantId, SessionRecord session, AuditActor actor, ClientInfo? client, CancellationToken ct) =>
        await store.ChangeAsync(step => step.RevokeSessionAsync(tenantId, session.Id, time.GetUtcNow(), session.RevokedReason!, ct),
            Revoked(tenantId, session, actor, client), ct).ConfigureAwait(false);

    /// <summary>The <c>session.revoked</c> event of <paramref name="session"/> (<c>details.reason</c>: its revocation reason).</summary>
    private AuditEventRecord Revoked(string tenantId, SessionRecord session, AuditActor actor, ClientInfo? client) =>
        audit.Change(tenantId, AuditTypes.SessionRevoked, actor, AuditTarget.Session(session.Id), session.UserId, Secrets.Base64Url(session.CredentialId), client,
            new Dictionary<string, string?> { ["reason"] = session.RevokedReason });

    private async Task<SessionTokens> TokensAsync(CallContext call, SessionRecord s, string refreshToken, CancellationToken ct)
    {
        var subject = new TokenSubject(s.UserId, Secrets.Base64Url(s.CredentialId), s.UserVerified, s.CreatedAt, null, s.Id);
        var access = await tokens.IssueAsync(call.Tenant.Id, call.Issuer, subject, ct).ConfigureAwait(false);
        return new SessionTokens(access.Token, access.ExpiresAt, refreshToken, s.IdleExpiresAt, s.Id, s.ExpiresAt);
    }

    private static string NewRefreshToken() => Prefix + Secrets.RandomId(32);

    /// <summary>Checks the shape of a presented refresh token (400 when it cannot be one of ours).</summary>
    private static string Parse(string? token)
    {
        if (string.IsNullOrEmpty(token))
        {
            throw new ServerException(ServerError.ValidationFailed, "refreshToken is required.");
        }
        if (token.Length != TokenLength || !token.StartsWith(Prefix, StringComparison.Ordinal) || !System.Buffers.Text.Base64Url.IsValid(token.AsSpan(Prefix.Length)))
        {
            throw new ServerException(ServerError.ValidationFailed, "refreshToken is not a refresh token issued by this service.");
        }
        return token;
    }

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refresh token reuse in tenant {Tenant}: session {Session} of user {User} revoked")]
    private static partial void LogReuse(ILogger logger, string tenant, string session, string user);
}

/// <summary>A session prepared by <see cref="SessionService.PrepareAsync"/>: its record, its refresh token's hash and its signed tokens.</summary>
public sealed record PendingSession(SessionRecord Session, byte[] RefreshTokenHash, SessionTokens Tokens)
{
    /// <summary>Writes the session in <paramref name="step"/>'s transaction; returns its tokens.</summary>
    /// <exception cref="ServerException">CredentialNotFound: the passkey (or the user) was deleted after the assertion was verified.</exception>
    public async Task<SessionTokens> WriteAsync(IStoreStep step, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(step);
        if (!await step.CreateSessionAsync(Session, RefreshTokenHash, ct).ConfigureAwait(false))
        {
            throw new ServerException(ServerError.CredentialNotFound);
        }
        return Tokens;
    }
}
