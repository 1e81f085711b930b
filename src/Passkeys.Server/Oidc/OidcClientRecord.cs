namespace Passkeys.Server.Oidc;

/// <summary>
/// An OpenID Connect client (relying party) of one tenant. A confidential client has a secret,
/// stored only as its SHA-256 (<paramref name="SecretHash"/>; the secret is 32 random bytes, so a
/// plain hash is enough); a public client has none and must use PKCE.
/// </summary>
/// <param name="ClientType"><see cref="OidcClientTypes.Public"/> or <see cref="OidcClientTypes.Confidential"/>.</param>
/// <param name="RedirectUris">Where codes may be sent; compared exactly (ordinal, whole string).</param>
/// <param name="PostLogoutRedirectUris">Where RP-initiated logout may return to; compared exactly.</param>
public sealed record OidcClientRecord(
    string TenantId,
    string ClientId,
    string DisplayName,
    string ClientType,
    byte[]? SecretHash,
    IReadOnlyList<string> RedirectUris,
    IReadOnlyList<string> PostLogoutRedirectUris,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt)
{
    /// <summary>True for a confidential client (it authenticates with its secret at the token endpoint).</summary>
    public bool IsConfidential => ClientType == OidcClientTypes.Confidential;
}

/// <summary>The values of <see cref="OidcClientRecord.ClientType"/>.</summary>
public static class OidcClientTypes
{
    /// <summary>A client that cannot keep a secret (browser app, native app): PKCE (S256) required.</summary>
    public const string Public = "public";
    /// <summary>A client with a backend that keeps a secret.</summary>
    public const string Confidential = "confidential";
}

/// <summary>
/// Where OIDC clients are kept; implemented by both SQL stores (SqlPasskeyStore.OidcClients.cs).
/// Every change commits its audit event (<see cref="Storage.AuditEventRecord"/>) in its own
/// transaction: a change is never without its event, nor an event without its change.
/// </summary>
public interface IOidcClientStore
{
    /// <summary>Adds a client with its event; false (nothing written) when the tenant already has one with that id.</summary>
    Task<bool> CreateOidcClientAsync(OidcClientRecord client, Storage.AuditEventRecord auditEvent, CancellationToken cancellationToken = default);

    /// <summary>The client, or null.</summary>
    Task<OidcClientRecord?> GetOidcClientAsync(string tenantId, string clientId, CancellationToken cancellationToken = default);

    /// <summary>The tenant's clients, by id.</summary>
    Task<IReadOnlyList<OidcClientRecord>> ListOidcClientsAsync(string tenantId, CancellationToken cancellationToken = default);

    /// <summary>Replaces a client's settings (not its id, type, secret or creation time) with its event; false (nothing written) when there is no such client.</summary>
    Task<bool> UpdateOidcClientAsync(OidcClientRecord client, Storage.AuditEventRecord auditEvent, CancellationToken cancellationToken = default);

    /// <summary>
    /// Replaces a confidential client's secret hash with its event; false (nothing written) when
    /// there is no such confidential client.
    /// </summary>
    Task<bool> ReplaceOidcClientSecretAsync(string tenantId, string clientId, byte[] secretHash, DateTimeOffset updatedAt, Storage.AuditEventRecord auditEvent,
        CancellationToken cancellationToken = default);

    /// <summary>Deletes a client with its event; false (nothing written) when there is no such client.</summary>
    Task<bool> DeleteOidcClientAsync(string tenantId, string clientId, Storage.AuditEventRecord auditEvent, CancellationToken cancellationToken = default);
}
