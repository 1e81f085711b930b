using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using Passkeys.Server.Errors;
using Passkeys.Server.Observability;
using Passkeys.Server.Storage;
using Passkeys.Server.Tokens;

namespace Passkeys.Server.Webhooks;

/// <summary>
/// Managing a tenant's webhook endpoints: every input checked (URL and where it points, event
/// types, description), secrets made here, shown once and stored encrypted; every change audited
/// (actor: the admin key) in the transaction that makes it.
/// </summary>
public sealed class WebhookService(IPasskeyStore store, WebhookTargets targets, SigningKeyProtector protector, AuditLog audit, TimeProvider time,
    IOptions<WebhookOptions> options)
{
    /// <summary>The Data Protection purpose (and KEK associated-data prefix) of endpoint secrets.</summary>
    public const string SecretPurpose = "Passkeys.Server.WebhookSecrets.v1";

    /// <summary>The longest description accepted.</summary>
    public const int MaxDescriptionLength = 256;

    /// <summary>The longest rotation overlap (7 days).</summary>
    public const int MaxOverlapSeconds = 7 * 24 * 3600;

    /// <summary>Creates an endpoint; the answer carries its secret, which is never shown again.</summary>
    public async Task<WebhookCreated> CreateAsync(string tenantId, WebhookInput input, AuditActor actor, ClientInfo client, CancellationToken ct)
    {
        var (url, types, description) = await CheckAsync(input, ct).ConfigureAwait(false);
        var id = "wh_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));
        var key = WebhookSecret.New();
        var now = time.GetUtcNow();
        var record = new WebhookEndpointRecord(id, tenantId, url, types, description, input.Enabled, Protect(tenantId, id, key), null, null, now, now);
        var auditEvent = Audit(tenantId, AuditTypes.WebhookCreated, id, actor, client, "url", url);
        if (!await store.CreateWebhookEndpointAsync(record, options.Value.MaxEndpointsPerTenant, auditEvent, ct).ConfigureAwait(false))
        {
            throw new ServerException(ServerError.WebhookLimitReached,
                $"This tenant already has {options.Value.MaxEndpointsPerTenant} webhook endpoints, the most allowed. Delete one first.");
        }
        return new WebhookCreated(id, url, types, description, record.Enabled, now, now, WebhookSecret.Format(key));
    }

    /// <summary>Replaces an endpoint's URL, types, description and state (its secret stays).</summary>
    public async Task<WebhookView> UpdateAsync(string tenantId, string endpointId, WebhookInput input, AuditActor actor, ClientInfo client, CancellationToken ct)
    {
        var existing = await GetAsync(tenantId, endpointId, ct).ConfigureAwait(false);
        var (url, types, description) = await CheckAsync(input, ct).ConfigureAwait(false);
        var updated = existing with { Url = url, EventTypes = types, Description = description, Enabled = input.Enabled, UpdatedAt = time.GetUtcNow() };
        return await store.UpdateWebhookEndpointAsync(updated, Audit(tenantId, AuditTypes.WebhookUpdated, endpointId, actor, client, "url", url), ct).ConfigureAwait(false)
            ? ViewOf(updated)
            : throw new ServerException(ServerError.WebhookNotFound);
    }

    /// <summary>Deletes an endpoint with its deliveries.</summary>
    public async Task DeleteAsync(string tenantId, string endpointId, AuditActor actor, ClientInfo client, CancellationToken ct)
    {
        if (!await store.DeleteWebhookEndpointAsync(tenantId, endpointId, Audit(tenantId, AuditTypes.WebhookDeleted, endpointId, actor, client), ct).ConfigureAwait(false))
        {
            throw new ServerException(ServerError.WebhookNotFound);
        }
    }

    /// <summary>
    /// A new secret; the current one becomes the previous one and keeps signing (both signatures are
    /// sent) for <paramref name="overlapSeconds"/>, so receivers can switch without losing a delivery.
    /// </summary>
    public async Task<WebhookSecretRotated> RotateSecretAsync(string tenantId, string endpointId, string? overlapSeconds, AuditActor actor, ClientInfo client, CancellationToken ct)
    {
        var overlap = 24 * 3600;
        if (overlapSeconds is not null && (!int.TryParse(overlapSeconds, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out overlap)
            || overlap > MaxOverlapSeconds))
        {
            throw new ServerException(ServerError.WebhookSecretOverlapInvalid);
        }
        var existing = await GetAsync(tenantId, endpointId, ct).ConfigureAwait(false);
        var now = time.GetUtcNow();
        var key = WebhookSecret.New();
        var expires = overlap == 0 ? (DateTimeOffset?)null : now.AddSeconds(overlap);
        var rotated = existing with
        {
            Secret = Protect(tenantId, endpointId, key),
            PreviousSecret = expires is null ? null : existing.Secret,
            PreviousSecretExpiresAt = expires,
            UpdatedAt = now,
        };
        var auditEvent = Audit(tenantId, AuditTypes.WebhookSecretRotated, endpointId, actor, client, "previousSecretExpiresAt",
            expires?.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
        return await store.UpdateWebhookEndpointAsync(rotated, auditEvent, ct).ConfigureAwait(false)
            ? new WebhookSecretRotated(WebhookSecret.Format(key), expires)
            : throw new ServerException(ServerError.WebhookNotFound);
    }

    /// <summary>The endpoint, or WebhookNotFound.</summary>
    public async Task<WebhookEndpointRecord> GetAsync(string tenantId, string endpointId, CancellationToken ct) =>
        await store.GetWebhookEndpointAsync(tenantId, endpointId, ct).ConfigureAwait(false) ?? throw new ServerException(ServerError.WebhookNotFound);

    /// <summary>The keys that sign a delivery now: the current secret, and the previous one while its overlap lasts.</summary>
    public IReadOnlyList<byte[]> SigningKeysOf(WebhookEndpointRecord endpoint, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        var keys = new List<byte[]> { protector.UnprotectSecret(SecretPurpose, endpoint.TenantId, endpoint.Id, endpoint.Secret) };
        if (endpoint.PreviousSecret is not null && endpoint.PreviousSecretExpiresAt > now)
        {
            keys.Add(protector.UnprotectSecret(SecretPurpose, endpoint.TenantId, endpoint.Id, endpoint.PreviousSecret));
        }
        return keys;
    }

    /// <summary>The view of an endpoint (never its secret).</summary>
    public WebhookView ViewOf(WebhookEndpointRecord e)
    {
        ArgumentNullException.ThrowIfNull(e);
        return new(e.Id, e.Url, e.EventTypes, e.Description, e.Enabled, e.CreatedAt, e.UpdatedAt,
            e.PreviousSecretExpiresAt > time.GetUtcNow() ? e.PreviousSecretExpiresAt : null);
    }

    private AuditEventRecord Audit(string tenantId, string type, string endpointId, AuditActor actor, ClientInfo client, string? detail = null, string? value = null) =>
        audit.Change(tenantId, type, actor, AuditTarget.Webhook(endpointId), client: client,
            details: detail is null ? null : new Dictionary<string, string?> { [detail] = value });

    private byte[] Protect(string tenantId, string endpointId, byte[] key) => protector.ProtectSecret(SecretPurpose, tenantId, endpointId, key);

    private async Task<(string Url, IReadOnlyList<string> Types, string? Description)> CheckAsync(WebhookInput input, CancellationToken ct)
    {
        var types = WebhookEventTypes.Check(input.EventTypes);
        var description = string.IsNullOrWhiteSpace(input.Description) ? null : input.Description.Trim();
        if (description is not null && (description.Length > MaxDescriptionLength || description.Any(char.IsControl)))
        {
            throw new ServerException(ServerError.WebhookDescriptionInvalid);
        }
        // Last: it may resolve a host name, the slowest check.
        var url = await targets.CheckAsync(input.Url, ct).ConfigureAwait(false);
        return (url, types, description);
    }
}
