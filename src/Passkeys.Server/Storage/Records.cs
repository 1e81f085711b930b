namespace Passkeys.Server.Storage;

/// <summary>A tenant: one relying party (one app) served by this server.</summary>
/// <param name="UserVerification">required | preferred | discouraged.</param>
/// <param name="Attestation">none | indirect | direct | enterprise.</param>
/// <param name="Algorithms">COSE algorithms offered at registration, most preferred first; null for the library default.</param>
/// <param name="AttestationPolicy">What attestation registrations must carry and which AAGUIDs may register; null for the default (any).</param>
/// <param name="NativeApps">The Android and iOS apps that use the tenant's passkeys; null for none.</param>
/// <param name="Rollout">The passkey rollout settings (docs/analytics.md), null when none are set.</param>
public sealed record TenantRecord(
    string Id,
    string RpId,
    string RpName,
    IReadOnlyList<string> Origins,
    IReadOnlyList<string> RelatedOrigins,
    string UserVerification,
    string Attestation,
    bool SelfSignUp,
    DateTimeOffset CreatedAt,
    IReadOnlyList<Passkeys.Cose.CoseAlgorithm>? Algorithms = null,
    string CloneDetection = CloneDetectionPolicy.Suspend,
    Tenants.AttestationPolicySettings? AttestationPolicy = null,
    Tenants.NativeApps.NativeAppSettings? NativeApps = null,
    Analytics.RolloutSettings? Rollout = null);

/// <summary>A user of one tenant.</summary>
/// <param name="Id">The app's user id (what tokens carry as <c>sub</c>).</param>
/// <param name="Handle">The WebAuthn user handle: 32 random bytes, never PII.</param>
/// <param name="DefaultCredentialId">The credential offered first, if the user chose one.</param>
public sealed record UserRecord(
    string TenantId,
    string Id,
    byte[] Handle,
    string Name,
    string DisplayName,
    DateTimeOffset CreatedAt,
    byte[]? DefaultCredentialId = null);

/// <summary>A registered passkey. <see cref="Id"/> is unique across all tenants and users.</summary>
/// <param name="PublicKey">The COSE_Key bytes as registered.</param>
/// <param name="AttestationType">none | self | basic | attca | anonca | uncertain (<see cref="Ceremonies.AttestationTypeNames"/>); null when registered before it was recorded.</param>
/// <param name="Algorithm">The COSE algorithm identifier (e.g. -7 for ES256).</param>
public sealed record CredentialRecordRow(
    string TenantId,
    byte[] Id,
    string UserId,
    byte[] UserHandle,
    byte[] PublicKey,
    int Algorithm,
    long SignCount,
    bool UvInitialized,
    bool BackupEligible,
    bool BackupState,
    IReadOnlyList<string> Transports,
    Guid Aaguid,
    string AttestationFormat,
    bool AttestationTrusted,
    string? Name,
    DateTimeOffset CreatedAt,
    DateTimeOffset? LastUsedAt,
    string Status = CredentialStatus.Active,
    string? SuspendedReason = null,
    DateTimeOffset? SuspendedAt = null,
    DateTimeOffset? CloneSuspectedAt = null,
    string? AttestationType = null);

/// <summary>What a pending ceremony is.</summary>
public enum CeremonyKind
{
    /// <summary>Registration begin → finish.</summary>
    Registration = 1,
    /// <summary>Authentication begin → finish.</summary>
    Authentication = 2,
    /// <summary>Step-up (transaction confirmation) begin → finish.</summary>
    StepUp = 3,
    /// <summary>A recovery grant: redeemed code → one registration begin.</summary>
    RecoveryGrant = 4,
    /// <summary>An operator enrolment link (bootstrap or invitation): one registration of a new console operator.</summary>
    OperatorInvitation = 5,
    /// <summary>
    /// An operator enrolment link an operator cancelled: kept until the link would have expired, so
    /// that using it is answered "cancelled" (not "unknown"); purged then without an abandoned event.
    /// </summary>
    CancelledOperatorInvitation = 6,
}

/// <summary>
/// A pending ceremony (challenge): stored at begin, consumed exactly once at finish.
/// </summary>
/// <param name="State">The library's serialized ceremony state (opaque bytes).</param>
/// <param name="UserId">The user the ceremony is for, when known at begin.</param>
/// <param name="Data">Server-side extras as JSON (pending user, transaction hash, …).</param>
public sealed record CeremonyRecord(
    string TenantId,
    string Id,
    CeremonyKind Kind,
    byte[] State,
    string? UserId,
    string? Data,
    DateTimeOffset CreatedAt,
    DateTimeOffset ExpiresAt);

/// <summary>One recovery code, stored hashed: HMAC-SHA256 (empty <see cref="Salt"/>), or PBKDF2-SHA256 with its own salt for codes of the earlier format.</summary>
public sealed record RecoveryCodeRecord(
    string TenantId,
    string UserId,
    string Id,
    byte[] Salt,
    byte[] Hash,
    DateTimeOffset CreatedAt,
    DateTimeOffset? UsedAt);

/// <summary>An app's API key; only the SHA-256 of the full key is stored.</summary>
public sealed record ApiKeyRecord(
    string TenantId,
    string Id,
    string Name,
    byte[] Hash,
    DateTimeOffset CreatedAt,
    DateTimeOffset? RevokedAt);

/// <summary>A tenant's token signing key (ES256, PKCS#8 private key).</summary>
/// <param name="RetiredAt">When it stopped signing; still published in the JWKS for the overlap window.</param>
public sealed record SigningKeyRecord(
    string TenantId,
    string KeyId,
    string Algorithm,
    byte[] PrivateKey,
    DateTimeOffset CreatedAt,
    DateTimeOffset? RetiredAt);

/// <summary>
/// One audit event: a ceremony step (began, succeeded, failed, abandoned) or a change to an account
/// or a tenant (a passkey renamed, an API key revoked…).
/// </summary>
/// <param name="Ceremony">The event's family: a ceremony (registration, authentication…) or what changed (credential, tenant…).</param>
/// <param name="Outcome">What happened to it: started, succeeded, failed, deleted, renamed…</param>
/// <param name="Type">The stable event type, <c>{family}.{what happened}</c> (docs/api.md, "Audit event types").</param>
/// <param name="ActorKind">Who did it: user, apiKey, operator, admin or system (<see cref="Observability.AuditActor"/>).</param>
/// <param name="TargetKind">What it was done to: user, credential, session, tenant, apiKey… (<see cref="Observability.AuditTarget"/>).</param>
/// <param name="Details">A small JSON object with what the type alone does not say (a new name, a policy reason).</param>
public sealed record AuditEventRecord(
    long Id,
    string TenantId,
    DateTimeOffset At,
    string Ceremony,
    string Outcome,
    string? CeremonyId,
    string? UserId,
    string? CredentialId,
    int? ErrorCode,
    string? Error,
    string? ClientAddress,
    string? UserAgent,
    string? Browser,
    string? Os,
    double? DurationMs,
    string? Type = null,
    string? ActorKind = null,
    string? ActorId = null,
    string? TargetKind = null,
    string? TargetId = null,
    string? Details = null);

/// <summary>Filters for <see cref="IPasskeyStore.QueryAuditEventsAsync"/>; null means any.</summary>
public sealed record AuditQuery(
    string TenantId,
    string? Ceremony = null,
    string? Outcome = null,
    string? UserId = null,
    DateTimeOffset? From = null,
    DateTimeOffset? To = null,
    long? BeforeId = null,
    int Limit = 100,
    string? Type = null);

/// <summary>Counts per ceremony and outcome, for funnels.</summary>
public sealed record AuditCount(string Ceremony, string Outcome, string? Browser, string? Os, long Count);

/// <summary>The outcome of <see cref="IPasskeyStore.AddCredentialAsync"/>.</summary>
public enum AddCredentialResult
{
    /// <summary>The credential (and the user, if new) were stored.</summary>
    Added = 0,
    /// <summary>Some user of some tenant already has a credential with this id; nothing was written.</summary>
    CredentialExists = 1,
    /// <summary>The new user's id or name is already taken in the tenant; nothing was written.</summary>
    UserExists = 2,
    /// <summary>The existing user the credential was meant for no longer exists; nothing was written.</summary>
    UserMissing = 3,
}
