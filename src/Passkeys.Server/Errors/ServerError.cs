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

    // 1110–1119: attestation policy and revoked authenticators (issue 12).
    /// <summary>
    /// A tenant's <c>attestationPolicy</c> is unusable: an unknown mode, a malformed or repeated
    /// AAGUID, too many entries, or a mode that no registration could meet (verified or trusted with
    /// attestation conveyance "none"; trusted with neither trustedRoots nor a metadata source).
    /// </summary>
    AttestationPolicyInvalid = 1110,
    /// <summary>A tenant's trusted root is not a certificate (neither PEM nor base64 DER of one).</summary>
    AttestationRootUnreadable = 1111,
    /// <summary>A tenant's trusted root is not a CA certificate (no basic constraints with cA true).</summary>
    AttestationRootNotCa = 1112,
    /// <summary>A tenant's trusted root is expired (or not valid yet).</summary>
    AttestationRootExpired = 1113,
    /// <summary>Registration refused: the tenant requires attestation and the authenticator sent none (fmt "none"). 403.</summary>
    AttestationMissing = 1114,
    /// <summary>Registration refused: self attestation (signed with the passkey's own key) proves nothing about the authenticator, and the tenant requires verified or trusted attestation. 403.</summary>
    AttestationUnverified = 1115,
    /// <summary>Registration refused: the tenant requires trusted attestation and the certificate chain does not end at a root from FIDO metadata or the tenant's roots. 403.</summary>
    AttestationUntrusted = 1116,
    /// <summary>Registration refused: the authenticator's AAGUID is on the tenant's deny list. 403.</summary>
    AaguidDenied = 1117,
    /// <summary>Registration refused: the tenant has an AAGUID allow list and this authenticator is not on it. 403.</summary>
    AaguidNotAllowed = 1118,
    /// <summary>Registration refused: FIDO metadata reports this authenticator model revoked or compromised. 403.</summary>
    AuthenticatorRevoked = 1119,
    // 1120–1129: conditional create and the browser SDK (issues 12, 14).
    /// <summary>
    /// A registration begin asked for <c>mediation: "conditional"</c> (a passkey made without a
    /// prompt) for someone no one is signed in as: a self sign-up, or a registration after a recovery
    /// code. A quiet passkey only upgrades an account signed in (a user token, or the app's API key
    /// for a user the app signed in, possibly one this server does not know yet). 400.
    /// </summary>
    ConditionalCreateNeedsSignedInUser = 1120,
    // 1190–1199: webhooks (issue 12; docs/webhooks.md).
    /// <summary>A webhook URL is not an absolute https URL (http only for localhost and loopback), has credentials or a fragment, or is too long.</summary>
    WebhookUrlInvalid = 1190,
    /// <summary>A webhook URL's host is or resolves to a private, loopback, link-local or otherwise non-public address (Passkeys:Webhooks:AllowPrivateNetworks is off).</summary>
    WebhookTargetNotAllowed = 1191,
    /// <summary>A webhook URL's host name does not resolve.</summary>
    WebhookHostUnresolvable = 1192,
    /// <summary>A webhook's eventTypes list is empty, too long, repeats an entry or names an unknown type or family.</summary>
    WebhookEventTypesInvalid = 1193,
    /// <summary>A webhook's description is too long or has control characters.</summary>
    WebhookDescriptionInvalid = 1194,
    /// <summary>No such webhook endpoint in this tenant.</summary>
    WebhookNotFound = 1195,
    /// <summary>No such delivery of this webhook endpoint.</summary>
    WebhookDeliveryNotFound = 1196,
    /// <summary>The delivery is being attempted by a node right now; retry it when the attempt has ended.</summary>
    WebhookDeliveryInFlight = 1197,
    /// <summary>The tenant already has the most webhook endpoints allowed (Passkeys:Webhooks:MaxEndpointsPerTenant).</summary>
    WebhookLimitReached = 1198,
    /// <summary>A secret rotation's overlapSeconds is not a whole number from 0 to 604800 (7 days).</summary>
    WebhookSecretOverlapInvalid = 1199,
    // 1170–1179: the operator console (issue 13); see docs/console.md.
    /// <summary>
    /// An unsafe request (POST, PUT, DELETE) made with an operator session lacks the console's CSRF
    /// header or carries a wrong one, or comes from another origin than the console's. 403.
    /// </summary>
    ConsoleCsrfRejected = 1170,
    /// <summary>The operator session passed its idle timeout or absolute lifetime; sign in again. 401.</summary>
    OperatorSessionExpired = 1171,
    /// <summary>The enrolment link is unknown, already used or expired; ask an operator for a new one. 400.</summary>
    OperatorInvitationInvalid = 1172,
    /// <summary>Bootstrap asked for while an operator exists: invite further operators from the console. 409.</summary>
    OperatorsAlreadyBootstrapped = 1173,
    /// <summary>No such operator. 404.</summary>
    OperatorNotFound = 1174,
    /// <summary>Only the admin key may do this (bootstrap), not an operator session. 403.</summary>
    AdminKeyRequired = 1175,
    /// <summary>
    /// The console's origin (Passkeys:PublicBaseUrl, else the listen address) cannot carry passkeys:
    /// an IP address is not a valid rpId. A configuration fault, answered 503.
    /// </summary>
    ConsoleOriginUnusable = 1176,
    /// <summary>The enrolment link was cancelled by an operator; ask an operator for a new one. 410.</summary>
    OperatorInvitationCancelled = 1177,
    /// <summary>No pending invitation with this id: never made, used, expired or not an invitation id. 404.</summary>
    OperatorInvitationNotFound = 1178,
    /// <summary>The invitation was cancelled already (cancelling is done once). 409.</summary>
    OperatorInvitationAlreadyCancelled = 1179,
    // 1180–1184: audited changes that had none (tenant import/export, OIDC client management).
    /// <summary>A secret rotation was asked for a public OIDC client, which has no secret (it uses PKCE). 409.</summary>
    OidcClientHasNoSecret = 1180,
    // 1130–1149: the OpenID Connect provider (issue 14, Oidc/; docs/api.md, "OpenID Connect").
    /// <summary>No OIDC client with that id in the tenant. 404.</summary>
    OidcClientNotFound = 1130,
    /// <summary>A client id is empty, longer than 64 characters, or has a character outside <c>A–Z a–z 0–9 . _ -</c>.</summary>
    OidcClientIdInvalid = 1131,
    /// <summary><c>clientType</c> is not <c>public</c> or <c>confidential</c>, or an update tries to change it.</summary>
    OidcClientTypeInvalid = 1132,
    /// <summary>
    /// A redirect URI is not an absolute https URI (http only on localhost and loopback addresses), has
    /// a fragment or user info, is longer than 2048 characters, repeats, or the list is empty or has more than 20.
    /// </summary>
    OidcRedirectUriInvalid = 1133,
    /// <summary>A post-logout redirect URI breaks the same rules as <see cref="OidcRedirectUriInvalid"/> (the list may be empty).</summary>
    OidcPostLogoutRedirectUriInvalid = 1134,
    /// <summary>The tenant already has an OIDC client with that id. 409.</summary>
    OidcClientExists = 1135,
    /// <summary>The hosted page's proof of sign-in (a session's refresh token) is missing, unknown, spent, of an ended session, or too old for the request. 401.</summary>
    OidcSignInRequired = 1136,
    /// <summary>A Passkey Endpoints URL (<c>enroll</c>, <c>manage</c>, <c>prfUsageDetails</c>) is not an absolute https URL (http only on localhost and loopback) of at most 2048 characters.</summary>
    PasskeyEndpointsInvalid = 1137,
    /// <summary>An authorization, token or logout request names a client the tenant does not have (OAuth <c>invalid_client</c> / <c>invalid_request</c>).</summary>
    OidcUnknownClient = 1140,
    /// <summary><c>redirect_uri</c> is not one of the client's registered redirect URIs (compared exactly).</summary>
    OidcRedirectUriNotRegistered = 1141,
    /// <summary>A public client sent no <c>code_challenge</c> (PKCE with S256 is required for public clients).</summary>
    OidcPkceRequired = 1142,
    /// <summary>A confidential client's secret is missing or wrong, or a public client sent one (OAuth <c>invalid_client</c>).</summary>
    OidcClientAuthenticationFailed = 1143,
    /// <summary><c>post_logout_redirect_uri</c> is not one of the client's registered post-logout redirect URIs.</summary>
    OidcPostLogoutRedirectUriNotRegistered = 1144,
    /// <summary>The session behind a code or refresh token has ended (signed out, revoked, expired, or the token was used twice): OAuth <c>invalid_grant</c>.</summary>
    OidcSessionEnded = 1145,
    /// <summary><c>prompt=none</c>: the provider has no browser session to reuse; every sign-in is a passkey ceremony (OAuth <c>login_required</c>).</summary>
    OidcLoginRequired = 1146,
    /// <summary>A token or logout request's client does not match the client the code, refresh token or ID token was issued to.</summary>
    OidcClientMismatch = 1147,
    // 1150–1159: native apps and moving passkeys in and out (issue 14).
    /// <summary>A tenant origin in the android: scheme is not a well-formed Android app origin (android:apk-key-hash: and 43 base64url characters).</summary>
    AppOriginInvalid = 1150,
    /// <summary>A tenant's nativeApps.android entry has a malformed or repeated package name or certificate fingerprint.</summary>
    AndroidAppInvalid = 1151,
    /// <summary>A tenant's nativeApps.ios entry is not an app id TEAMID.bundle.id, or repeats one.</summary>
    IosAppIdInvalid = 1152,
    /// <summary>An import file's <c>format</c> or <c>formatVersion</c> is missing or not one this server reads.</summary>
    ImportFormatUnknown = 1153,
    /// <summary>A value in an import file is missing, of the wrong type or not allowed; the problem's <c>path</c> names it.</summary>
    ImportFieldInvalid = 1154,
    /// <summary>An import's tenant, user (id, name or handle) or credential id exists already; nothing was imported.</summary>
    ImportConflict = 1155,
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
