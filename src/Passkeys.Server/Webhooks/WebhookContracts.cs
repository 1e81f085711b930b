namespace Passkeys.Server.Webhooks;

/// <summary>
/// A webhook endpoint to create or (PUT) replace: where to send, which event types (exact audit
/// types, <c>family.*</c> or <c>*</c>), an optional description, and whether it is on (default true).
/// </summary>
public sealed record WebhookInput(string Url, IReadOnlyList<string> EventTypes, string? Description = null, bool Enabled = true);

/// <summary>A webhook endpoint (never its secret); <c>previousSecretExpiresAt</c> while a rotation's old secret still signs.</summary>
public sealed record WebhookView(string Id, string Url, IReadOnlyList<string> EventTypes, string? Description, bool Enabled,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, DateTimeOffset? PreviousSecretExpiresAt);

/// <summary>A created endpoint with its signing secret, shown this once.</summary>
public sealed record WebhookCreated(string Id, string Url, IReadOnlyList<string> EventTypes, string? Description, bool Enabled,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, string Secret);

/// <summary>A tenant's endpoints.</summary>
public sealed record WebhookList(IReadOnlyList<WebhookView> Webhooks);

/// <summary>A rotated secret, shown this once; the old one keeps signing until <c>previousSecretExpiresAt</c> (null: not at all).</summary>
public sealed record WebhookSecretRotated(string Secret, DateTimeOffset? PreviousSecretExpiresAt);

/// <summary>
/// One delivery of one event to the endpoint: <c>id</c> is the <c>webhook-id</c> header (the same on
/// every attempt); <c>nextAttemptAt</c> only while pending.
/// </summary>
public sealed record WebhookDeliveryView(string Id, long EventId, string EventType, string Status, int Attempts, DateTimeOffset CreatedAt,
    DateTimeOffset? NextAttemptAt, DateTimeOffset? LastAttemptAt, int? LastStatusCode, string? LastError, DateTimeOffset? CompletedAt);

/// <summary>A page of deliveries, newest first; <c>next</c> (pass it as <c>before</c>) only when older ones exist.</summary>
public sealed record WebhookDeliveryList(IReadOnlyList<WebhookDeliveryView> Deliveries, string? Next);
