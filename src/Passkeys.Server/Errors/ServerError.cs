namespace Passkeys.Server.Errors;

/// <summary>
/// The server's stable error codes (1000+; below 1000 are the library's <see cref="PasskeyError"/>).
/// Values are never renumbered; see docs/api.md.
/// </summary>
public enum ServerError
{
    /// <summary>Body is not JSON, has wrong types or misses a required member.</summary>
    MalformedRequest = 1000,
    /// <summary>A value is out of range.</summary>
    ValidationFailed = 1001,
    /// <summary>Body exceeds the size limit.</summary>
    PayloadTooLarge = 1002,
    /// <summary>Body is not application/json.</summary>
    UnsupportedMediaType = 1003,
    /// <summary>No such route.</summary>
    NotFound = 1004,
    /// <summary>Route exists, method does not.</summary>
    MethodNotAllowed = 1005,
    /// <summary>Missing, wrong or revoked credentials.</summary>
    Unauthorized = 1006,
    /// <summary>Authenticated but not allowed.</summary>
    Forbidden = 1007,
    /// <summary>Unknown tenant.</summary>
    TenantNotFound = 1008,
    /// <summary>Unknown, already used or other tenant's ceremony id.</summary>
    CeremonyNotFound = 1009,
    /// <summary>Unknown user.</summary>
    UserNotFound = 1010,
    /// <summary>Unknown credential.</summary>
    CredentialNotFound = 1011,
    /// <summary>Self sign-up with a name already registered.</summary>
    UsernameTaken = 1012,
    /// <summary>Wrong, used or unknown recovery code.</summary>
    RecoveryCodeInvalid = 1013,
    /// <summary>Too many requests.</summary>
    RateLimited = 1014,
    /// <summary>Resource already exists.</summary>
    Conflict = 1015,
    /// <summary>The database cannot be reached.</summary>
    StoreUnavailable = 1016,
    /// <summary>A bug.</summary>
    Internal = 1017,
    /// <summary>The access token has expired; refresh it (or sign in again) and retry.</summary>
    TokenExpired = 1018,
    /// <summary>The session passed its idle or absolute lifetime.</summary>
    SessionExpired = 1019,
    /// <summary>The session was signed out or revoked (or its passkey deleted).</summary>
    SessionRevoked = 1020,
    /// <summary>An already rotated refresh token was presented; the whole session is now revoked.</summary>
    RefreshTokenReused = 1021,
    /// <summary>The refresh token is not one this server issued for the tenant.</summary>
    RefreshTokenInvalid = 1022,
    /// <summary>No such active session of this user.</summary>
    SessionNotFound = 1023,
    /// <summary>A new username has a character the rules refuse (space, invisible, control) or is empty or too long.</summary>
    UsernameNotAllowed = 1030,
    /// <summary>A new username mixes scripts in a way that makes look-alikes (UTS #39 above Highly Restrictive).</summary>
    UsernameMixesScripts = 1031,
    /// <summary>Too many recovery-code attempts for this account in the current window, counted across all nodes.</summary>
    RecoveryAttemptsExceeded = 1032,
    /// <summary>Recovery codes were generated too often for this account.</summary>
    RecoveryCodesTooFrequent = 1033,


    /// <summary>
    /// A token signing key in the store cannot be decrypted with this node's key ring or key-encryption
    /// key (nodes sharing a database must share them); a configuration fault, answered 503.
    /// </summary>
    SigningKeyUnreadable = 1040,
    // 1050–1059: proxies, tokens and tenants (issue 10).
    /// <summary>A step-up token (it confirms one transaction) was presented where a session's access token is required.</summary>
    StepUpTokenNotAccepted = 1050,
    /// <summary>A tenant's rpId is a public suffix (com, co.uk, github.io, …).</summary>
    RpIdIsPublicSuffix = 1051,
    /// <summary>A tenant's web origin is not on its rpId or a subdomain of it.</summary>
    OriginOutsideRpId = 1052,
    // 1090–1099: per-tenant algorithm lists (issue 16).
    /// <summary>
    /// A tenant's <c>algorithms</c> list is empty, repeats an algorithm, or names one the library
    /// does not verify for passkeys (an unknown name or number, or RS1).
    /// </summary>
    AlgorithmsInvalid = 1090,

    // 1100–1109: clone detection (issue 12).
    /// <summary>
    /// The passkey is suspended (a copy of it may exist, or an operator turned it off): refused,
    /// whichever copy presents it, until the user or an operator reinstates it. 403.
    /// </summary>
    CredentialSuspended = 1100,

    // 1160–1169: analytics and rollout (issue 13, docs/analytics.md).
    /// <summary>A client event names a ceremony this tenant never began (or whose funnel row is gone). 404.</summary>
    ClientEventCeremonyUnknown = 1160,
    /// <summary>A client event arrived after its ceremony's expiry and grace period. 410.</summary>
    ClientEventTooLate = 1161,
    /// <summary>A client event of this kind was already reported for the ceremony, or the server already answered it. 409.</summary>
    ClientEventAlreadyReported = 1162,
    /// <summary>A client event body is not one of the documented events and outcomes. 400.</summary>
    ClientEventInvalid = 1163,
    /// <summary>An analytics time range or period is invalid (from not before to, too many buckets, unknown period or filter). 400.</summary>
    AnalyticsRangeInvalid = 1164,
    /// <summary>A tenant's rollout settings are out of range. 400.</summary>
    RolloutInvalid = 1165,
    /// <summary>An app-reported sign-in has no user id, an unknown method or a time in the future. 400.</summary>
    SignInReportInvalid = 1166,
}
