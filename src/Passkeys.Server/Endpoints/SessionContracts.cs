namespace Passkeys.Server.Endpoints;

/// <summary>Refresh and sign-out body.</summary>
public sealed record RefreshRequest(string RefreshToken);

/// <summary>
/// A session's tokens: a new access token and the refresh token that replaces the one presented
/// (each refresh token works once). <c>RefreshTokenExpiresAt</c> is when the session ends if it is
/// not refreshed again (idle lifetime, never past <c>SessionExpiresAt</c>, the absolute end).
/// </summary>
public sealed record SessionTokens(string Token, DateTimeOffset TokenExpiresAt, string RefreshToken, DateTimeOffset RefreshTokenExpiresAt,
    string SessionId, DateTimeOffset SessionExpiresAt);

/// <summary>
/// One of the user's active sessions. <c>ExpiresAt</c> is when it ends unless used again;
/// <c>Current</c> marks the session of the access token that asked.
/// </summary>
public sealed record SessionView(string Id, DateTimeOffset CreatedAt, DateTimeOffset LastUsedAt, DateTimeOffset ExpiresAt, DateTimeOffset AbsoluteExpiresAt,
    string CredentialId, bool UserVerified, string? Browser, string? Os, string? ClientAddress, bool Current);

/// <summary>The user's active sessions, most recently used first.</summary>
public sealed record SessionList(IReadOnlyList<SessionView> Sessions);
