using Passkeys.Server.Ceremonies;
using Passkeys.Server.Errors;
using Passkeys.Server.Observability;
using Passkeys.Server.Security;

namespace Passkeys.Server.Oidc;

/// <summary>
/// Manages a tenant's OIDC clients (admin API) and authenticates them (token endpoint). A
/// confidential client's secret is <c>pkcs_</c> + 32 random bytes (base64url), shown once at
/// creation (or rotation) and stored only as its SHA-256. Every change is audited
/// (<c>oidc_client.*</c>) in the change's own commit, as done by the request's actor.
/// </summary>
public sealed class OidcClientService(IOidcClientStore store, AuditLog audit, TimeProvider time)
{
    private const string SecretPrefix = "pkcs_";

    /// <summary>Creates a client; the answer carries a confidential client's secret, once.</summary>
    public async Task<OidcClientCreated> CreateAsync(string tenantId, OidcClientInput? body, AuditActor actor, ClientInfo? client, CancellationToken ct)
    {
        var input = body ?? throw new ServerException(ServerError.MalformedRequest);
        var clientId = OidcClientRules.ClientId(input.ClientId);
        var displayName = CeremonyService.CheckText(input.DisplayName, "displayName", 128);
        var type = OidcClientRules.ClientType(input.ClientType);
        var redirects = OidcClientRules.RedirectUris(input.RedirectUris);
        var logouts = OidcClientRules.PostLogoutRedirectUris(input.PostLogoutRedirectUris);
        var secret = type == OidcClientTypes.Confidential ? SecretPrefix + Secrets.RandomId(32) : null;
        var now = time.GetUtcNow();
        var record = new OidcClientRecord(tenantId, clientId, displayName, type, secret is null ? null : Secrets.Sha256(secret), redirects, logouts, now, now);
        var created = Event(tenantId, AuditTypes.OidcClientCreated, clientId, actor, client, new Dictionary<string, string?> { ["clientType"] = type });
        if (!await store.CreateOidcClientAsync(record, created, ct).ConfigureAwait(false))
        {
            throw new ServerException(ServerError.OidcClientExists);
        }
        return new OidcClientCreated(OidcClientView.Of(record), secret);
    }

    /// <summary>Replaces a client's display name and URIs.</summary>
    public async Task<OidcClientView> UpdateAsync(string tenantId, string clientId, OidcClientInput? body, AuditActor actor, ClientInfo? client, CancellationToken ct)
    {
        var input = body ?? throw new ServerException(ServerError.MalformedRequest);
        var existing = await GetAsync(tenantId, clientId, ct).ConfigureAwait(false);
        if (input.ClientId is not null && input.ClientId != existing.ClientId)
        {
            throw new ServerException(ServerError.OidcClientIdInvalid, "clientId cannot change; it must be omitted or equal the one in the path.");
        }
        if (input.ClientType is not null && input.ClientType != existing.ClientType)
        {
            throw new ServerException(ServerError.OidcClientTypeInvalid, "clientType cannot change; delete the client and create it again.");
        }
        var updated = existing with
        {
            DisplayName = CeremonyService.CheckText(input.DisplayName, "displayName", 128),
            RedirectUris = OidcClientRules.RedirectUris(input.RedirectUris),
            PostLogoutRedirectUris = OidcClientRules.PostLogoutRedirectUris(input.PostLogoutRedirectUris),
            UpdatedAt = time.GetUtcNow(),
        };
        if (!await store.UpdateOidcClientAsync(updated, Event(tenantId, AuditTypes.OidcClientUpdated, existing.ClientId, actor, client), ct).ConfigureAwait(false))
        {
            throw new ServerException(ServerError.OidcClientNotFound);
        }
        return OidcClientView.Of(updated);
    }

    /// <summary>The client, or 404 <see cref="ServerError.OidcClientNotFound"/>.</summary>
    public async Task<OidcClientRecord> GetAsync(string tenantId, string clientId, CancellationToken ct) =>
        await FindAsync(tenantId, clientId, ct).ConfigureAwait(false) ?? throw new ServerException(ServerError.OidcClientNotFound);

    /// <summary>The client, or null (also for an id that cannot be one).</summary>
    public async Task<OidcClientRecord?> FindAsync(string tenantId, string? clientId, CancellationToken ct) =>
        string.IsNullOrEmpty(clientId) || clientId.Length > OidcClientRules.MaxClientIdLength ? null
            : await store.GetOidcClientAsync(tenantId, clientId, ct).ConfigureAwait(false);

    /// <summary>The tenant's clients.</summary>
    public async Task<OidcClientList> ListAsync(string tenantId, CancellationToken ct) =>
        new((await store.ListOidcClientsAsync(tenantId, ct).ConfigureAwait(false)).Select(OidcClientView.Of).ToList());

    /// <summary>Deletes a client, or 404.</summary>
    public async Task DeleteAsync(string tenantId, string clientId, AuditActor actor, ClientInfo? client, CancellationToken ct)
    {
        if (clientId.Length > OidcClientRules.MaxClientIdLength
            || !await store.DeleteOidcClientAsync(tenantId, clientId, Event(tenantId, AuditTypes.OidcClientDeleted, clientId, actor, client), ct).ConfigureAwait(false))
        {
            throw new ServerException(ServerError.OidcClientNotFound);
        }
    }

    /// <summary>
    /// Gives a confidential client a new secret (shown this once); the old one stops working at
    /// once. 404 for no such client; <see cref="ServerError.OidcClientHasNoSecret"/> for a public one.
    /// </summary>
    public async Task<OidcClientCreated> RotateSecretAsync(string tenantId, string clientId, AuditActor actor, ClientInfo? client, CancellationToken ct)
    {
        var existing = await GetAsync(tenantId, clientId, ct).ConfigureAwait(false);
        if (!existing.IsConfidential)
        {
            throw new ServerException(ServerError.OidcClientHasNoSecret);
        }
        var secret = SecretPrefix + Secrets.RandomId(32);
        var rotated = existing with { SecretHash = Secrets.Sha256(secret), UpdatedAt = time.GetUtcNow() };
        // Deleted (or, in a race, replaced by a public client of the same id) since the read: 404, nothing written.
        if (!await store.ReplaceOidcClientSecretAsync(tenantId, existing.ClientId, rotated.SecretHash, rotated.UpdatedAt,
                Event(tenantId, AuditTypes.OidcClientSecretRotated, existing.ClientId, actor, client), ct).ConfigureAwait(false))
        {
            throw new ServerException(ServerError.OidcClientNotFound);
        }
        return new OidcClientCreated(OidcClientView.Of(rotated), secret);
    }

    // The event of a change to a client: target the client, never its secret.
    private Storage.AuditEventRecord Event(string tenantId, string type, string clientId, AuditActor actor, ClientInfo? client,
        IReadOnlyDictionary<string, string?>? details = null) =>
        audit.Change(tenantId, type, actor, AuditTarget.OidcClient(clientId), client: client, details: details);

    /// <summary>
    /// True when <paramref name="secret"/> authenticates <paramref name="client"/>: a confidential
    /// client's secret hashes to the stored hash (compared in constant time); a public client sends none.
    /// </summary>
    public static bool Authenticates(OidcClientRecord client, string? secret)
    {
        ArgumentNullException.ThrowIfNull(client);
        if (!client.IsConfidential)
        {
            return string.IsNullOrEmpty(secret);
        }
        return !string.IsNullOrEmpty(secret) && secret.Length < 256 && client.SecretHash is not null
            && System.Security.Cryptography.CryptographicOperations.FixedTimeEquals(Secrets.Sha256(secret), client.SecretHash);
    }
}
