namespace Passkeys.Server.Storage;

/// <summary>
/// A tenant's webhook endpoint. <paramref name="EventTypes"/> are exact audit types, <c>family.*</c>
/// or <c>*</c>, as the admin gave them; the secrets are stored encrypted (<see cref="Tokens.SigningKeyProtector"/>),
/// the previous one only during a rotation's overlap.
/// </summary>
public sealed record WebhookEndpointRecord(
    string Id,
    string TenantId,
    string Url,
    IReadOnlyList<string> EventTypes,
    string? Description,
    bool Enabled,
    byte[] Secret,
    byte[]? PreviousSecret,
    DateTimeOffset? PreviousSecretExpiresAt,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt);

/// <summary>
/// One row of the webhook outbox: one event for one endpoint, its payload frozen when the event was
/// written. <paramref name="LockedUntil"/> and <paramref name="LockedBy"/> are the lease of the node
/// attempting it; <paramref name="Attempts"/> counts attempts begun (a node killed mid-attempt counts too).
/// </summary>
public sealed record WebhookDeliveryRecord(
    long Id,
    string TenantId,
    string EndpointId,
    long EventId,
    string EventType,
    string Payload,
    string Status,
    int Attempts,
    DateTimeOffset CreatedAt,
    DateTimeOffset NextAttemptAt,
    DateTimeOffset? LockedUntil,
    string? LockedBy,
    DateTimeOffset? LastAttemptAt,
    int? LastStatusCode,
    string? LastError,
    DateTimeOffset? CompletedAt);

/// <summary>A delivery's status.</summary>
public static class WebhookDeliveryStatus
{
    /// <summary>Not yet delivered: due at <c>next_attempt_at</c> (or being attempted under a lease).</summary>
    public const string Pending = "pending";
    /// <summary>The receiver answered 2xx.</summary>
    public const string Delivered = "delivered";
    /// <summary>Every attempt of the retry schedule failed.</summary>
    public const string Failed = "failed";

    /// <summary>Every status, as the deliveries query accepts them.</summary>
    public static IReadOnlyList<string> All { get; } = [Pending, Delivered, Failed];
}

/// <summary>How one attempt ended, as <see cref="IPasskeyStore.CompleteWebhookDeliveryAsync"/> records it.</summary>
/// <param name="Status">The new status (pending again when another attempt is scheduled).</param>
/// <param name="NextAttemptAt">When the next attempt is due (pending), otherwise when it ended.</param>
/// <param name="StatusCode">The receiver's HTTP status, or null when none came (timeout, refused connection).</param>
/// <param name="Error">Why it failed, in a few words; null when delivered.</param>
/// <param name="At">When the attempt ended.</param>
public sealed record WebhookAttemptResult(string Status, DateTimeOffset NextAttemptAt, int? StatusCode, string? Error, DateTimeOffset At);

/// <summary>The outcome of <see cref="IPasskeyStore.RetryWebhookDeliveryAsync"/>.</summary>
public enum WebhookRetryResult
{
    /// <summary>The delivery is due now, with a fresh retry schedule.</summary>
    Scheduled = 0,
    /// <summary>No such delivery of that endpoint.</summary>
    NotFound = 1,
    /// <summary>A node holds its lease and is attempting it right now.</summary>
    InFlight = 2,
}
