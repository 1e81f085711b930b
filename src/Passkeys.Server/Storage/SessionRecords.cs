using System.Data.Common;

namespace Passkeys.Server.Storage;

/// <summary>
/// A session: one sign-in (one passkey assertion or registration) and the family of refresh tokens
/// rotated from it. Bound to tenant, user and credential; deleting the credential or the user
/// deletes it (foreign keys), revoking it ends every token of the family at once.
/// </summary>
/// <param name="CredentialId">The credential the user signed in with.</param>
/// <param name="UserVerified">Whether that sign-in verified the user (carried into every access token as <c>uv</c>).</param>
/// <param name="CreatedAt">The sign-in time (the access tokens' <c>auth_time</c>).</param>
/// <param name="ExpiresAt">The absolute end, fixed at sign-in.</param>
/// <param name="IdleExpiresAt">The end if the session is not used again; moved forward by each refresh, never past <paramref name="ExpiresAt"/>.</param>
/// <param name="RevokedReason">signed-out | revoked | reuse-detected | credential-suspended, when revoked.</param>
public sealed record SessionRecord(
    string TenantId,
    string Id,
    string UserId,
    byte[] CredentialId,
    bool UserVerified,
    DateTimeOffset CreatedAt,
    DateTimeOffset LastUsedAt,
    DateTimeOffset ExpiresAt,
    DateTimeOffset IdleExpiresAt,
    DateTimeOffset? RevokedAt,
    string? RevokedReason,
    string? ClientAddress,
    string? UserAgent,
    string? Browser,
    string? Os)
{
    /// <summary>Not revoked and before both its idle and absolute ends.</summary>
    public bool IsActiveAt(DateTimeOffset now) => RevokedAt is null && now < IdleExpiresAt && now < ExpiresAt;
}

/// <summary>What <see cref="IPasskeyStore.RotateRefreshTokenAsync"/> found and did.</summary>
public enum RefreshOutcome
{
    /// <summary>The token was live: it is now spent, the new token stored, the session touched.</summary>
    Rotated = 0,
    /// <summary>No such token in the tenant (never issued, or its session was deleted); nothing changed.</summary>
    Unknown = 1,
    /// <summary>The token was already spent: the whole session (every token of the family) is now revoked.</summary>
    Reused = 2,
    /// <summary>The session was already revoked; nothing changed.</summary>
    Revoked = 3,
    /// <summary>The session passed its idle or absolute end; nothing changed.</summary>
    Expired = 4,
}

/// <summary>The outcome of a rotation and the session it concerned (after the change; null when unknown).</summary>
public sealed record RefreshResult(RefreshOutcome Outcome, SessionRecord? Session);

/// <summary>Column list, parameters and row reader of the sessions table, shared by both stores.</summary>
internal static class SessionRows
{
    public const string Columns =
        "tenant_id, id, user_id, credential_id, user_verified, created_at, last_used_at, expires_at, idle_expires_at, " +
        "revoked_at, revoked_reason, client_address, user_agent, browser, os";

    /// <summary><see cref="Columns"/> of the sessions table aliased <c>s</c> in a join.</summary>
    public static readonly string AliasedColumns = string.Join(", ", Columns.Split(", ").Select(c => "s." + c));

    public const string Values = "@t, @id, @u, @cred, @uv, @at, @used, @exp, @idle, @rev, @reason, @addr, @ua, @b, @os";

    public static (string, object?)[] Parameters(SessionRecord s) =>
    [
        ("@t", s.TenantId), ("@id", s.Id), ("@u", s.UserId), ("@cred", s.CredentialId), ("@uv", s.UserVerified), ("@at", s.CreatedAt),
        ("@used", s.LastUsedAt), ("@exp", s.ExpiresAt), ("@idle", s.IdleExpiresAt), ("@rev", s.RevokedAt), ("@reason", s.RevokedReason),
        ("@addr", s.ClientAddress), ("@ua", s.UserAgent), ("@b", s.Browser), ("@os", s.Os),
    ];

    /// <summary>Reads a row laid out as <see cref="Columns"/>, starting at column <paramref name="o"/>.</summary>
    public static SessionRecord Read(IColumnTypes c, DbDataReader r, int o = 0) => new(
        r.GetString(o), r.GetString(o + 1), r.GetString(o + 2), c.Bytes(r, o + 3), c.Bool(r, o + 4), c.Time(r, o + 5), c.Time(r, o + 6),
        c.Time(r, o + 7), c.Time(r, o + 8), r.IsDBNull(o + 9) ? null : c.Time(r, o + 9), Text(r, o + 10), Text(r, o + 11), Text(r, o + 12),
        Text(r, o + 13), Text(r, o + 14));

    private static string? Text(DbDataReader r, int i) => r.IsDBNull(i) ? null : r.GetString(i);
}
