namespace Passkeys.Server.Storage;

// Webhook endpoints and their outbox (docs/webhooks.md). Deliveries are enqueued by the store
// itself, in the transaction of every audit event (SqlPasskeyStore.WriteAuditEventAsync).
public partial interface IPasskeyStore
{
    /// <summary>
    /// Stores a new endpoint and its subscriptions with <paramref name="auditEvent"/>, in one
    /// transaction, unless the tenant already has <paramref name="maxPerTenant"/>; false then (nothing written).
    /// </summary>
    Task<bool> CreateWebhookEndpointAsync(WebhookEndpointRecord endpoint, int maxPerTenant, AuditEventRecord auditEvent, CancellationToken cancellationToken = default);
    /// <summary>A tenant's endpoints, oldest first.</summary>
    Task<IReadOnlyList<WebhookEndpointRecord>> ListWebhookEndpointsAsync(string tenantId, CancellationToken cancellationToken = default);
    /// <summary>One endpoint of the tenant, or null.</summary>
    Task<WebhookEndpointRecord?> GetWebhookEndpointAsync(string tenantId, string endpointId, CancellationToken cancellationToken = default);
    /// <summary>Replaces an endpoint's settings, secrets and subscriptions (not its creation time) with <paramref name="auditEvent"/>, in one transaction; false when it does not exist (nothing written).</summary>
    Task<bool> UpdateWebhookEndpointAsync(WebhookEndpointRecord endpoint, AuditEventRecord auditEvent, CancellationToken cancellationToken = default);
    /// <summary>Deletes an endpoint with its subscriptions and deliveries, with <paramref name="auditEvent"/>, in one transaction; false when it does not exist (nothing written).</summary>
    Task<bool> DeleteWebhookEndpointAsync(string tenantId, string endpointId, AuditEventRecord auditEvent, CancellationToken cancellationToken = default);

    /// <summary>
    /// Leases up to <paramref name="max"/> due deliveries to <paramref name="node"/> until
    /// <paramref name="lockedUntil"/>, counting an attempt on each, and commits before returning:
    /// the lease stands before any HTTP call. A delivery whose lease has expired is due again.
    /// Several nodes claiming at once never get the same row (PostgreSQL: SKIP LOCKED).
    /// </summary>
    Task<IReadOnlyList<WebhookDeliveryRecord>> ClaimWebhookDeliveriesAsync(string node, DateTimeOffset now, DateTimeOffset lockedUntil, int max,
        CancellationToken cancellationToken = default);
    /// <summary>Records how the attempt numbered <paramref name="attempts"/> ended and ends the lease; false when the lease was lost meanwhile.</summary>
    Task<bool> CompleteWebhookDeliveryAsync(long deliveryId, string node, int attempts, WebhookAttemptResult result, CancellationToken cancellationToken = default);
    /// <summary>An endpoint's deliveries, newest first, optionally of one status and older than <paramref name="beforeId"/>.</summary>
    Task<IReadOnlyList<WebhookDeliveryRecord>> ListWebhookDeliveriesAsync(string tenantId, string endpointId, string? status, long? beforeId, int limit,
        CancellationToken cancellationToken = default);
    /// <summary>
    /// Makes a delivery due now with a fresh retry schedule, unless a node is attempting it, with
    /// <paramref name="auditEvent"/> in the same commit (written only when it was scheduled).
    /// </summary>
    Task<WebhookRetryResult> RetryWebhookDeliveryAsync(string tenantId, string endpointId, long deliveryId, DateTimeOffset now, AuditEventRecord auditEvent,
        CancellationToken cancellationToken = default);
    /// <summary>Deletes up to <paramref name="max"/> deliveries of <paramref name="status"/> that ended before <paramref name="before"/>.</summary>
    Task<int> PurgeWebhookDeliveriesAsync(string status, DateTimeOffset before, int max, CancellationToken cancellationToken = default);
}
