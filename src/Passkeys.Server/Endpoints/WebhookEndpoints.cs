using Microsoft.AspNetCore.Http.HttpResults;
using Passkeys.Server.Errors;
using Passkeys.Server.Observability;
using Passkeys.Server.Security;
using Passkeys.Server.Storage;
using Passkeys.Server.Webhooks;

namespace Passkeys.Server.Endpoints;

/// <summary>A tenant's webhook endpoints and their deliveries, on the admin API (docs/webhooks.md).</summary>
public static class WebhookEndpoints
{
    /// <summary>Maps <c>/tenants/{tenant}/webhooks/**</c> on the admin group (its admin-key filter applies; no trailing-slash routes).</summary>
    public static RouteGroupBuilder MapWebhookEndpoints(this RouteGroupBuilder admin)
    {
        ArgumentNullException.ThrowIfNull(admin);
        var hooks = admin.MapGroup("/tenants/{tenant}").WithTags("Webhooks");

        hooks.MapPost("/webhooks", async Task<Created<WebhookCreated>> (string tenant, WebhookInput body, HttpContext http, Access access, WebhookService webhooks,
            CancellationToken ct) =>
        {
            var t = await access.TenantAsync(tenant, ct);
            var created = await webhooks.CreateAsync(t.Id, body, RequestActor.Of(http), ClientInfo.From(http), ct);
            return TypedResults.Created($"/v1/admin/tenants/{t.Id}/webhooks/{created.Id}", created);
        });
        hooks.MapGet("/webhooks", async Task<Ok<WebhookList>> (string tenant, Access access, IPasskeyStore store, WebhookService webhooks, CancellationToken ct) =>
        {
            var t = await access.TenantAsync(tenant, ct);
            return TypedResults.Ok(new WebhookList((await store.ListWebhookEndpointsAsync(t.Id, ct)).Select(webhooks.ViewOf).ToList()));
        });
        hooks.MapGet("/webhooks/{webhookId}", async Task<Ok<WebhookView>> (string tenant, string webhookId, Access access, WebhookService webhooks, CancellationToken ct) =>
        {
            var t = await access.TenantAsync(tenant, ct);
            return TypedResults.Ok(webhooks.ViewOf(await webhooks.GetAsync(t.Id, webhookId, ct)));
        });
        hooks.MapPut("/webhooks/{webhookId}", async Task<Ok<WebhookView>> (string tenant, string webhookId, WebhookInput body, HttpContext http, Access access,
            WebhookService webhooks, CancellationToken ct) =>
        {
            var t = await access.TenantAsync(tenant, ct);
            return TypedResults.Ok(await webhooks.UpdateAsync(t.Id, webhookId, body, RequestActor.Of(http), ClientInfo.From(http), ct));
        });
        hooks.MapDelete("/webhooks/{webhookId}", async Task<NoContent> (string tenant, string webhookId, HttpContext http, Access access, WebhookService webhooks,
            CancellationToken ct) =>
        {
            var t = await access.TenantAsync(tenant, ct);
            await webhooks.DeleteAsync(t.Id, webhookId, RequestActor.Of(http), ClientInfo.From(http), ct);
            return TypedResults.NoContent();
        });
        hooks.MapPost("/webhooks/{webhookId}/rotate-secret", async Task<Ok<WebhookSecretRotated>> (string tenant, string webhookId, string? overlapSeconds, HttpContext http,
            Access access, WebhookService webhooks, CancellationToken ct) =>
        {
            var t = await access.TenantAsync(tenant, ct);
            return TypedResults.Ok(await webhooks.RotateSecretAsync(t.Id, webhookId, overlapSeconds, RequestActor.Of(http), ClientInfo.From(http), ct));
        });

        hooks.MapGet("/webhooks/{webhookId}/deliveries", async Task<Ok<WebhookDeliveryList>> (string tenant, string webhookId, string? status, string? before, string? limit,
            Access access, IPasskeyStore store, WebhookService webhooks, CancellationToken ct) =>
        {
            var take = QueryParameters.Limit(limit);
            var wanted = QueryParameters.OneOf(status, "status", WebhookDeliveryStatus.All);
            var beforeId = before is null ? (long?)null : WebhookMessageId.Parse(before)
                ?? throw new ServerException(ServerError.ValidationFailed, "before must be a delivery id (msg_…) from an earlier page's next.");
            var t = await access.TenantAsync(tenant, ct);
            var endpoint = await webhooks.GetAsync(t.Id, webhookId, ct);
            // One row more than the page: 'next' only when older deliveries exist.
            var rows = await store.ListWebhookDeliveriesAsync(t.Id, endpoint.Id, wanted, beforeId, take + 1, ct);
            var more = rows.Count > take;
            return TypedResults.Ok(new WebhookDeliveryList(rows.Take(take).Select(ViewOf).ToList(), more ? WebhookMessageId.Of(rows[take - 1].Id) : null));
        });
        hooks.MapPost("/webhooks/{webhookId}/deliveries/{deliveryId}/retry", async Task<NoContent> (string tenant, string webhookId, string deliveryId, HttpContext http,
            Access access, IPasskeyStore store, WebhookService webhooks, AuditLog audit, TimeProvider time, CancellationToken ct) =>
        {
            var t = await access.TenantAsync(tenant, ct);
            var endpoint = await webhooks.GetAsync(t.Id, webhookId, ct);
            var id = WebhookMessageId.Parse(deliveryId) ?? throw new ServerException(ServerError.WebhookDeliveryNotFound);
            // Sending an event again is a change to the outbox: audited in the retry's commit.
            var retried = audit.Change(t.Id, AuditTypes.WebhookDeliveryRetried, RequestActor.Of(http), AuditTarget.Webhook(endpoint.Id),
                client: ClientInfo.From(http), details: new Dictionary<string, string?> { ["deliveryId"] = WebhookMessageId.Of(id) });
            return await store.RetryWebhookDeliveryAsync(t.Id, endpoint.Id, id, time.GetUtcNow(), retried, ct) switch
            {
                WebhookRetryResult.Scheduled => TypedResults.NoContent(),
                WebhookRetryResult.InFlight => throw new ServerException(ServerError.WebhookDeliveryInFlight),
                _ => throw new ServerException(ServerError.WebhookDeliveryNotFound),
            };
        });
        return hooks;
    }

    private static WebhookDeliveryView ViewOf(WebhookDeliveryRecord d) =>
        new(WebhookMessageId.Of(d.Id), d.EventId, d.EventType, d.Status, d.Attempts, d.CreatedAt,
            d.Status == WebhookDeliveryStatus.Pending ? d.NextAttemptAt : null, d.LastAttemptAt, d.LastStatusCode, d.LastError, d.CompletedAt);
}
