namespace Passkeys.Server.Observability;

/// <summary>
/// Who made a change: a signed-in user, an app's API key, a console operator, the admin key, or
/// the server itself (purges, metadata refreshes, migrations). Ids are never secrets: a user id,
/// an API key's id (not the key), an operator id.
/// </summary>
public sealed record AuditActor(string Kind, string? Id)
{
    /// <summary>A signed-in user of the tenant.</summary>
    public static AuditActor User(string userId) => new("user", userId);

    /// <summary>An app's backend, by the id of the API key it presented.</summary>
    public static AuditActor ApiKey(string keyId) => new("apiKey", keyId);

    /// <summary>A console operator.</summary>
    public static AuditActor Operator(string operatorId) => new("operator", operatorId);

    /// <summary>Whoever holds the admin key (API and CLI); it names no one.</summary>
    public static AuditActor Admin { get; } = new("admin", null);

    /// <summary>The server on its own (a purge, a metadata refresh, a start-up migration).</summary>
    public static AuditActor System { get; } = new("system", null);

    /// <summary>Someone not (yet) identified: a sign-in that has not named its user.</summary>
    public static AuditActor Anonymous { get; } = new("anonymous", null);
}

/// <summary>What a change was made to.</summary>
public sealed record AuditTarget(string Kind, string Id)
{
    /// <summary>A user of the tenant, by the app's user id.</summary>
    public static AuditTarget User(string userId) => new("user", userId);

    /// <summary>A passkey, by its credential id (base64url).</summary>
    public static AuditTarget Credential(string credentialId) => new("credential", credentialId);

    /// <summary>A session, by its id.</summary>
    public static AuditTarget Session(string sessionId) => new("session", sessionId);

    /// <summary>The tenant itself.</summary>
    public static AuditTarget Tenant(string tenantId) => new("tenant", tenantId);

    /// <summary>An API key, by its id.</summary>
    public static AuditTarget ApiKey(string keyId) => new("apiKey", keyId);

    /// <summary>A token signing key, by its kid.</summary>
    public static AuditTarget SigningKey(string kid) => new("signingKey", kid);

    /// <summary>A webhook endpoint, by its id.</summary>
    public static AuditTarget Webhook(string webhookId) => new("webhook", webhookId);

    /// <summary>An OpenID Connect client of the tenant, by its client id.</summary>
    public static AuditTarget OidcClient(string clientId) => new("oidcClient", clientId);

    /// <summary>A console operator enrolment link (bootstrap or invitation), by its id (a hash of its secret, never the secret).</summary>
    public static AuditTarget OperatorInvitation(string invitationId) => new("operatorInvitation", invitationId);

    /// <summary>A user's set of recovery codes (they are one thing: generated and replaced together).</summary>
    public static AuditTarget RecoveryCodes(string userId) => new("recoveryCodes", userId);
}
