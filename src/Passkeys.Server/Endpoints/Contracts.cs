using System.Text.Json;
using System.Text.Json.Nodes;
using Passkeys.Server.Storage;

namespace Passkeys.Server.Endpoints;

#pragma warning disable CA1056, CA1054 // origins are strings in JSON

/// <summary>A user in requests: <c>id</c> is the app's user id (omitted for self sign-up).</summary>
public sealed record UserInput(string Name, string? Id = null, string? DisplayName = null);

/// <summary>
/// Registration begin body. <c>mediation</c> is how the browser will be asked: <c>"conditional"</c>
/// for a conditional create (no prompt; only for an existing, signed-in user), otherwise
/// <c>"optional"</c> or <c>"required"</c> (the modal prompt, also when absent).
/// </summary>
public sealed record RegistrationBeginRequest(UserInput? User = null, string? RecoveryGrant = null, string? AuthenticatorAttachment = null, string? Mediation = null);

/// <summary>A begun ceremony: its id and the WebAuthn options JSON for the browser.</summary>
public sealed record BeginResponse(string CeremonyId, JsonElement Options);

/// <summary>A begun step-up: also the hash of the transaction the user will approve.</summary>
public sealed record StepUpBeginResponse(string CeremonyId, string TransactionHash, JsonElement Options);

/// <summary>Finish body: the ceremony id and the browser's credential JSON; <c>name</c> names a new credential.</summary>
public sealed record FinishRequest(string CeremonyId, JsonElement Response, string? Name = null);

/// <summary>A user in responses.</summary>
public sealed record UserView(string Id, string Name, string DisplayName);

/// <summary>
/// A credential in responses. <c>AuthenticatorIcon</c> is the FIDO metadata icon for the AAGUID (a
/// checked <c>data:image/…;base64</c> URI), null without metadata or when the entry has none.
/// <c>AttestationType</c> is none | self | basic | attca | anonca | uncertain, null for passkeys registered before it was recorded.
/// </summary>
public sealed record CredentialView(
    string Id, string? Name, string? AuthenticatorName, Guid Aaguid, DateTimeOffset CreatedAt, DateTimeOffset? LastUsedAt,
    bool Synced, bool BackupEligible, IReadOnlyList<string> Transports, bool IsDefault, string AttestationFormat, bool AttestationTrusted,
    string? AuthenticatorIcon, string Status, string? SuspendedReason, DateTimeOffset? SuspendedAt, DateTimeOffset? CloneSuspectedAt,
    string? AttestationType);

/// <summary>
/// Registration finished. The session members are null when the registration was begun with a
/// user token (the user is already signed in and keeps that session).
/// </summary>
public sealed record RegistrationFinishResponse(UserView User, CredentialView Credential, string Token, DateTimeOffset TokenExpiresAt,
    string? RefreshToken = null, DateTimeOffset? RefreshTokenExpiresAt = null, string? SessionId = null, DateTimeOffset? SessionExpiresAt = null);

/// <summary>Authentication begin body (username optional).</summary>
/// <param name="Mediation">conditional (autofill offered on page load: its own funnel, never a started sign-in; docs/analytics.md), or optional / required (the modal prompt, also when absent).</param>
public sealed record AuthenticationBeginRequest(string? Username = null, string? Mediation = null);

/// <summary>Authentication finished: the user, an access token and the new session's refresh token.</summary>
public sealed record AuthenticationFinishResponse(UserView User, string CredentialId, bool UserVerified, string Token, DateTimeOffset TokenExpiresAt,
    string RefreshToken, DateTimeOffset RefreshTokenExpiresAt, string SessionId, DateTimeOffset SessionExpiresAt);

/// <summary>Step-up begin body.</summary>
public sealed record StepUpBeginRequest(string Transaction, string? UserId = null);

/// <summary>Step-up finished.</summary>
public sealed record StepUpFinishResponse(UserView User, string CredentialId, bool UserVerified, string TransactionHash, string Token, DateTimeOffset TokenExpiresAt);

/// <summary>Credential list.</summary>
public sealed record CredentialList(IReadOnlyList<CredentialView> Credentials);

/// <summary>Rename body (null clears the name).</summary>
public sealed record RenameRequest(string? Name);

/// <summary>A new set of recovery codes (shown once).</summary>
public sealed record RecoveryCodesResponse(IReadOnlyList<string> Codes);

/// <summary>Recovery redeem body.</summary>
public sealed record RedeemRequest(string Username, string Code);

/// <summary>A recovery grant for one registration begin.</summary>
public sealed record RedeemResponse(string RecoveryGrant, DateTimeOffset ExpiresAt);

/// <summary>Tenant in the admin API.</summary>
/// <param name="NativeApps">The Android and iOS apps that use the tenant's passkeys (docs/integration.md, "Native apps"); null for none.</param>
/// <param name="Algorithms">The COSE algorithm names offered at registration, most preferred first; null for the library default.</param>
/// <param name="AttestationPolicy">What registrations' attestation must prove and which AAGUIDs may register (trusted roots as base64 DER).</param>
public sealed record TenantView(string Id, string RpId, string RpName, IReadOnlyList<string> Origins, IReadOnlyList<string> RelatedOrigins,
    string UserVerification, string Attestation, bool SelfSignUp, DateTimeOffset CreatedAt, IReadOnlyList<string>? Algorithms, string CloneDetection,
    Tenants.AttestationPolicySettings AttestationPolicy,
    Tenants.NativeApps.NativeAppSettings? NativeApps = null,
    Analytics.RolloutSettings? Rollout = null);

/// <summary>Tenant create/replace body.</summary>
/// <param name="Algorithms">
/// COSE algorithms to offer, most preferred first: names ("ES256", "EdDSA", "ML-DSA-44") or numbers (-7);
/// null or absent for the library default (Tenants/TenantAlgorithms.cs).
/// </param>
/// <param name="NativeApps">Android apps (package name, certificate fingerprints) and iOS app ids; null or absent for none.</param>
public sealed record TenantInput(string RpId, string RpName, IReadOnlyList<string> Origins, string? Id = null, IReadOnlyList<string>? RelatedOrigins = null,
    string UserVerification = "preferred", string Attestation = "none", bool SelfSignUp = false, IReadOnlyList<System.Text.Json.JsonElement>? Algorithms = null,
    string CloneDetection = "suspend", AttestationPolicyInput? AttestationPolicy = null,
    Tenants.NativeApps.NativeAppSettings? NativeApps = null, Analytics.RolloutSettings? Rollout = null);

/// <summary>A tenant's <c>attestationPolicy</c> in a create/replace body (Tenants/AttestationPolicyRules.cs); absent for mode "any" with no lists.</summary>
/// <param name="Mode">any (default) | verified | trusted.</param>
/// <param name="TrustedRoots">CA certificates, PEM or base64 DER, that attestation chains may end at (besides FIDO metadata's).</param>
/// <param name="AaguidAllow">When not empty, only these AAGUIDs may register.</param>
/// <param name="AaguidDeny">AAGUIDs that may not register (wins over the allow list).</param>
public sealed record AttestationPolicyInput(string? Mode = null, IReadOnlyList<string>? TrustedRoots = null, IReadOnlyList<string>? AaguidAllow = null,
    IReadOnlyList<string>? AaguidDeny = null);

/// <summary>Tenant list.</summary>
public sealed record TenantList(IReadOnlyList<TenantView> Tenants);

/// <summary>API key create body.</summary>
public sealed record ApiKeyInput(string Name);

/// <summary>A new API key (the key is shown once).</summary>
public sealed record ApiKeyCreated(string Id, string Name, string Key, DateTimeOffset CreatedAt);

/// <summary>An API key without its secret.</summary>
public sealed record ApiKeyView(string Id, string Name, DateTimeOffset CreatedAt, DateTimeOffset? RevokedAt);

/// <summary>API key list.</summary>
public sealed record ApiKeyList(IReadOnlyList<ApiKeyView> ApiKeys);

/// <summary>User page; <c>next</c> (pass it as <c>after</c>) only when another page exists.</summary>
public sealed record UserList(IReadOnlyList<UserView> Users, string? Next);

/// <summary>A user with their credentials.</summary>
public sealed record UserDetail(UserView User, IReadOnlyList<CredentialView> Credentials);

/// <summary>A signing key (public facts only).</summary>
public sealed record SigningKeyView(string Kid, DateTimeOffset CreatedAt, DateTimeOffset? RetiredAt);

/// <summary>Signing key list.</summary>
public sealed record SigningKeyList(IReadOnlyList<SigningKeyView> Keys);

/// <summary>An audit event: its stable <c>type</c>, who acted and on what, and the ceremony columns.</summary>
public sealed record AuditEventView(long Id, DateTimeOffset At, string Tenant, string Type, AuditPartyView Actor, AuditPartyView? Target,
    string Ceremony, string Outcome, string? CeremonyId, string? UserId, string? CredentialId, int? ErrorCode, string? Error,
    string? ClientAddress, string? UserAgent, string? Browser, string? Os, double? DurationMs, JsonObject? Details)
{
    /// <summary>The view of a stored event; rows from before types existed were given theirs by the migration.</summary>
    public static AuditEventView Of(AuditEventRecord e)
    {
        ArgumentNullException.ThrowIfNull(e);
        return new(e.Id, e.At, e.TenantId, e.Type ?? Observability.AuditTypes.OfCeremony(e.Ceremony, e.Outcome),
            new AuditPartyView(e.ActorKind ?? (e.UserId is null ? "anonymous" : "user"), e.ActorKind is null ? e.UserId : e.ActorId),
            e.TargetKind is null ? null : new AuditPartyView(e.TargetKind, e.TargetId),
            e.Ceremony, e.Outcome, e.CeremonyId, e.UserId, e.CredentialId, e.ErrorCode, e.Error, e.ClientAddress, e.UserAgent, e.Browser, e.Os, e.DurationMs,
            e.Details is null ? null : JsonNode.Parse(e.Details) as JsonObject);
    }
}

/// <summary>An audit event's actor or target: a kind and an id (null for the admin key and the server itself).</summary>
public sealed record AuditPartyView(string Kind, string? Id);

/// <summary>Audit query result; <c>next</c> (pass it as <c>before</c>) only when older events exist.</summary>
public sealed record AuditEventList(IReadOnlyList<AuditEventView> Events, long? Next);

/// <summary>Funnel row per ceremony.</summary>
public sealed record FunnelRow(string Ceremony, long Started, long Succeeded, long Failed, long Abandoned);

/// <summary>Failure rate row per browser and OS.</summary>
public sealed record FailureRow(string? Browser, string? Os, long Failed, long Total);

/// <summary>Funnel and failure rates.</summary>
public sealed record FunnelResponse(IReadOnlyList<FunnelRow> Ceremonies, IReadOnlyList<FailureRow> FailuresByBrowser);

/// <summary>Health.</summary>
public sealed record HealthResponse(string Status, string Store);

/// <summary>Related origins (/.well-known/webauthn).</summary>
public sealed record RelatedOriginsResponse(IReadOnlyList<string> Origins);
