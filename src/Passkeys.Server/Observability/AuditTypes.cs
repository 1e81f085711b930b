using System.Reflection;

namespace Passkeys.Server.Observability;

/// <summary>
/// The stable audit event types, <c>{family}.{what happened}</c> in snake_case: what the admin audit
/// query filters by, what webhooks subscribe to, documented in docs/api.md ("Audit event types").
/// A type, once published, never changes meaning; new ones are added here (and only here).
/// </summary>
public static class AuditTypes
{
    // Ceremony steps: the family is the ceremony, the second part its outcome (AuditLog.Event).
    /// <summary>A registration was begun.</summary>
    public const string RegistrationStarted = "registration.started";
    /// <summary>A registration finished: a passkey was stored.</summary>
    public const string RegistrationSucceeded = "registration.succeeded";
    /// <summary>A registration was refused (the event's errorCode says why; policy refusals included).</summary>
    public const string RegistrationFailed = "registration.failed";
    /// <summary>A registration was begun and never finished before it expired.</summary>
    public const string RegistrationAbandoned = "registration.abandoned";
    /// <summary>A sign-in was begun.</summary>
    public const string AuthenticationStarted = "authentication.started";
    /// <summary>A sign-in succeeded.</summary>
    public const string AuthenticationSucceeded = "authentication.succeeded";
    /// <summary>A sign-in was refused.</summary>
    public const string AuthenticationFailed = "authentication.failed";
    /// <summary>A sign-in was begun and never finished before it expired.</summary>
    public const string AuthenticationAbandoned = "authentication.abandoned";
    /// <summary>A step-up was begun.</summary>
    public const string StepUpStarted = "step_up.started";
    /// <summary>A step-up succeeded.</summary>
    public const string StepUpSucceeded = "step_up.succeeded";
    /// <summary>A step-up was refused.</summary>
    public const string StepUpFailed = "step_up.failed";
    /// <summary>A step-up was begun and never finished before it expired.</summary>
    public const string StepUpAbandoned = "step_up.abandoned";
    /// <summary>A recovery ceremony was begun.</summary>
    public const string RecoveryStarted = "recovery.started";
    /// <summary>A recovery succeeded.</summary>
    public const string RecoverySucceeded = "recovery.succeeded";
    /// <summary>A recovery was refused.</summary>
    public const string RecoveryFailed = "recovery.failed";
    /// <summary>A recovery was begun and never finished before it expired.</summary>
    public const string RecoveryAbandoned = "recovery.abandoned";
    /// <summary>A session operation was refused (a refresh token presented again: the session is revoked).</summary>
    public const string SessionFailed = "session.failed";

    /// <summary>A POST, PUT or DELETE through the admin API (by an operator or with the admin key) succeeded (error: its method and route); the change it made has its own event.</summary>
    public const string AdminSucceeded = "admin.succeeded";
    /// <summary>A POST, PUT or DELETE through the admin API (by an operator or with the admin key) was refused (errorCode, error: why and the route).</summary>
    public const string AdminFailed = "admin.failed";

    /// <summary>An operator enrolment link was made: the bootstrap (actor admin) or an invitation (actor the operator; details: note, expiresAt).</summary>
    public const string OperatorInvitationCreated = "operator_invitation.created";
    /// <summary>A pending operator invitation was cancelled: its link can no longer be used (details: note).</summary>
    public const string OperatorInvitationCancelled = "operator_invitation.cancelled";

    // Changes to an account.
    /// <summary>A user was created (by sign-up or by the app).</summary>
    public const string UserCreated = "user.created";
    /// <summary>A user was renamed (also by the look-alike migration, actor system).</summary>
    public const string UserRenamed = "user.renamed";
    /// <summary>A user and everything of theirs was deleted.</summary>
    public const string UserDeleted = "user.deleted";
    /// <summary>A passkey was added to an account.</summary>
    public const string CredentialAdded = "credential.added";
    /// <summary>A passkey was renamed (details: the new name).</summary>
    public const string CredentialRenamed = "credential.renamed";
    /// <summary>A passkey was deleted.</summary>
    public const string CredentialDeleted = "credential.deleted";
    /// <summary>A passkey was made the account's default.</summary>
    public const string CredentialDefaultSet = "credential.default_set";
    /// <summary>A passkey was suspended (details: the reason: clone-suspected, authenticator-revoked, operator).</summary>
    public const string CredentialSuspended = "credential.suspended";
    /// <summary>A suspended passkey was made active again.</summary>
    public const string CredentialReinstated = "credential.reinstated";
    /// <summary>A passkey whose counter did not grow was let through (tenant cloneDetection "flag").</summary>
    public const string CredentialFlagged = "credential.flagged";
    /// <summary>A user's recovery codes were generated (replacing any earlier set).</summary>
    public const string RecoveryCodesGenerated = "recovery_codes.generated";
    /// <summary>A recovery code was redeemed.</summary>
    public const string RecoveryCodesRedeemed = "recovery_codes.redeemed";
    /// <summary>A session was revoked (by its user, the app, an operator, or refresh-token reuse).</summary>
    public const string SessionRevoked = "session.revoked";

    // Changes to a tenant.
    /// <summary>A tenant was created.</summary>
    public const string TenantCreated = "tenant.created";
    /// <summary>A tenant's settings were changed (details: which settings).</summary>
    public const string TenantUpdated = "tenant.updated";
    /// <summary>A tenant was deleted.</summary>
    public const string TenantDeleted = "tenant.deleted";
    /// <summary>An API key was created.</summary>
    public const string ApiKeyCreated = "api_key.created";
    /// <summary>An API key was revoked.</summary>
    public const string ApiKeyRevoked = "api_key.revoked";
    /// <summary>Users and passkeys were imported from a file, all in one commit (details: format, users, credentials, tenantCreated: whether the import created the tenant).</summary>
    public const string TenantImported = "tenant.imported";
    /// <summary>The tenant's users and passkeys were exported: a read, recorded because it hands out every account (details: users, credentials).</summary>
    public const string TenantExported = "tenant.exported";
    /// <summary>The tenant's token signing key was rotated.</summary>
    public const string SigningKeyRotated = "signing_key.rotated";
    /// <summary>A webhook endpoint was created (details: its URL).</summary>
    public const string WebhookCreated = "webhook.created";
    /// <summary>A webhook endpoint's URL, event types, description or state were changed (details: its URL).</summary>
    public const string WebhookUpdated = "webhook.updated";
    /// <summary>A webhook endpoint was deleted, with its deliveries.</summary>
    public const string WebhookDeleted = "webhook.deleted";
    /// <summary>An administrator had a delivery of a webhook endpoint sent again (details: its deliveryId, msg_…).</summary>
    public const string WebhookDeliveryRetried = "webhook.delivery_retried";
    /// <summary>A webhook endpoint's signing secret was rotated (details: until when the old one still signs).</summary>
    public const string WebhookSecretRotated = "webhook.secret_rotated";

    /// <summary>An OpenID Connect client was created (details: its clientType).</summary>
    public const string OidcClientCreated = "oidc_client.created";
    /// <summary>An OpenID Connect client's display name or redirect URIs were replaced.</summary>
    public const string OidcClientUpdated = "oidc_client.updated";
    /// <summary>An OpenID Connect client was deleted (its codes and refresh tokens stop working).</summary>
    public const string OidcClientDeleted = "oidc_client.deleted";
    /// <summary>A confidential OpenID Connect client's secret was replaced by a new one (the old one stops working at once).</summary>
    public const string OidcClientSecretRotated = "oidc_client.secret_rotated";

    /// <summary>The tenant's rollout made passkeys the default sign-in: adoption reached <c>rollout.defaultSignInAt</c> (details: adoption, defaultSignInAt).</summary>
    public const string RolloutDefaultFlipped = "rollout.default_flipped";

    /// <summary>Every type, as the audit query and webhook subscriptions accept them.</summary>
    public static IReadOnlyList<string> All { get; } = [.. typeof(AuditTypes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Where(f => f.IsLiteral && f.FieldType == typeof(string))
        .Select(f => (string)f.GetRawConstantValue()!)
        .Order(StringComparer.Ordinal)];

    /// <summary>The type of a ceremony step's event: its ceremony (snake_case) and outcome.</summary>
    public static string OfCeremony(string ceremony, string outcome) => $"{ceremony.Replace('-', '_')}.{outcome}";
}
