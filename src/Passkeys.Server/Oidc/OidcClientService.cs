using Passkeys.Server.Ceremonies;
using Passkeys.Server.Errors;
using Passkeys.Server.Security;

namespace Passkeys.Server.Oidc;

/// <summary>
/// Manages a tenant's OIDC clients (admin API) and authenticates them (token endpoint). A
/// confidential client's secret is <c>pkcs_</c> + 32 random bytes (base64url), shown once at
/// creation and stored only as its SHA-256.
/// </summary>
public sealed class OidcClientService(IOidcClientStore store, TimeProvider time)
{
    private const string SecretPrefix = "pkcs_";

    /// <summary>Creates a client; the answer carries a confidential client's secret, once.</summary>
    public async Task<OidcClientCreated> CreateAsync(string tenantId, OidcClientInput? body, CancellationToken ct)
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
        if (!await store.CreateOidcClientAsync(record, ct).ConfigureAwait(false))
        {
            throw new ServerException(ServerError.OidcClientExists);
        }
        return new OidcClientCreated(OidcClientView.Of(record), secret);
    }

    /// <summary>Replaces a client's display name and URIs.</summary>
    public async Task<OidcClientView> UpdateAsync(string tenantId, string clientId, OidcClientInput? body, CancellationToken ct)
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
        if (!await store.UpdateOidcClientAsync(updated, ct).ConfigureAwait(false))
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
    public async Task DeleteAsync(string tenantId, string clientId, CancellationToken ct)
    {
        if (clientId.Length > OidcClientRules.MaxClientIdLength || !await store.DeleteOidcClientAsync(tenantId, clientId, ct).ConfigureAwait(false))
        {
            throw new ServerException(ServerError.OidcClientNotFound);
        }
    }

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
