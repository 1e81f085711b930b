using System.Data.Common;
using System.Text.Json;
using Passkeys.Server.Oidc;

namespace Passkeys.Server.Storage;

// OpenID Connect clients (Oidc/). Kept in the Oidc folder: the table belongs to that feature.
public abstract partial class SqlPasskeyStore : IOidcClientStore
{
    private const string OidcClientColumns =
        "tenant_id, client_id, display_name, client_type, secret_hash, redirect_uris, post_logout_redirect_uris, created_at, updated_at";

    /// <inheritdoc />
    public async Task<bool> CreateOidcClientAsync(OidcClientRecord client, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        using var _ = Measure();
        try
        {
            await ExecuteAsync($"INSERT INTO oidc_clients ({OidcClientColumns}) VALUES (@t, @id, @n, @type, @secret, @ru, @plru, @at, @up)", cancellationToken,
                OidcClientParameters(client)).ConfigureAwait(false);
            return true;
        }
        catch (DbException e) when (ViolationOf(e) == ConstraintViolation.Unique)
        {
            return false;
        }
    }

    /// <inheritdoc />
    public async Task<OidcClientRecord?> GetOidcClientAsync(string tenantId, string clientId, CancellationToken cancellationToken = default)
    {
        using var _ = Measure();
        return await QuerySingleAsync($"SELECT {OidcClientColumns} FROM oidc_clients WHERE tenant_id = @t AND client_id = @id", ReadOidcClient, cancellationToken,
            ("@t", tenantId), ("@id", clientId)).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<OidcClientRecord>> ListOidcClientsAsync(string tenantId, CancellationToken cancellationToken = default)
    {
        using var _ = Measure();
        return await QueryAsync($"SELECT {OidcClientColumns} FROM oidc_clients WHERE tenant_id = @t ORDER BY client_id", ReadOidcClient, cancellationToken,
            ("@t", tenantId)).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<bool> UpdateOidcClientAsync(OidcClientRecord client, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        using var _ = Measure();
        return await ExecuteAsync("UPDATE oidc_clients SET display_name = @n, redirect_uris = @ru, post_logout_redirect_uris = @plru, updated_at = @up " +
            "WHERE tenant_id = @t AND client_id = @id", cancellationToken, OidcClientParameters(client)).ConfigureAwait(false) == 1;
    }

    /// <inheritdoc />
    public async Task<bool> DeleteOidcClientAsync(string tenantId, string clientId, CancellationToken cancellationToken = default)
    {
        using var _ = Measure();
        return await ExecuteAsync("DELETE FROM oidc_clients WHERE tenant_id = @t AND client_id = @id", cancellationToken,
            ("@t", tenantId), ("@id", clientId)).ConfigureAwait(false) == 1;
    }

    private static (string, object?)[] OidcClientParameters(OidcClientRecord c) =>
    [
        ("@t", c.TenantId), ("@id", c.ClientId), ("@n", c.DisplayName), ("@type", c.ClientType), ("@secret", c.SecretHash),
        ("@ru", JsonSerializer.Serialize(c.RedirectUris, StoreJson.Default.IReadOnlyListString)),
        ("@plru", JsonSerializer.Serialize(c.PostLogoutRedirectUris, StoreJson.Default.IReadOnlyListString)),
        ("@at", c.CreatedAt), ("@up", c.UpdatedAt),
    ];

    private OidcClientRecord ReadOidcClient(DbDataReader r) => new(
        r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), r.IsDBNull(4) ? null : _columns.Bytes(r, 4),
        JsonSerializer.Deserialize(r.GetString(5), StoreJson.Default.IReadOnlyListString) ?? [],
        JsonSerializer.Deserialize(r.GetString(6), StoreJson.Default.IReadOnlyListString) ?? [],
        _columns.Time(r, 7), _columns.Time(r, 8));
}
