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
    public Task<bool> CreateOidcClientAsync(OidcClientRecord client, AuditEventRecord auditEvent, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        // ON CONFLICT DO NOTHING: a taken id changes no row (and, on PostgreSQL, does not abort the transaction).
        return ChangeOidcClientAsync($"INSERT INTO oidc_clients ({OidcClientColumns}) VALUES (@t, @id, @n, @type, @secret, @ru, @plru, @at, @up) " +
            "ON CONFLICT (tenant_id, client_id) DO NOTHING", OidcClientParameters(client), auditEvent, cancellationToken);
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
    public Task<bool> UpdateOidcClientAsync(OidcClientRecord client, AuditEventRecord auditEvent, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        return ChangeOidcClientAsync("UPDATE oidc_clients SET display_name = @n, redirect_uris = @ru, post_logout_redirect_uris = @plru, updated_at = @up " +
            "WHERE tenant_id = @t AND client_id = @id", OidcClientParameters(client), auditEvent, cancellationToken);
    }

    /// <inheritdoc />
    public Task<bool> ReplaceOidcClientSecretAsync(string tenantId, string clientId, byte[] secretHash, DateTimeOffset updatedAt, AuditEventRecord auditEvent,
        CancellationToken cancellationToken = default) =>
        ChangeOidcClientAsync("UPDATE oidc_clients SET secret_hash = @secret, updated_at = @up WHERE tenant_id = @t AND client_id = @id AND client_type = @type",
            [("@t", tenantId), ("@id", clientId), ("@secret", secretHash), ("@up", updatedAt), ("@type", OidcClientTypes.Confidential)], auditEvent, cancellationToken);

    /// <inheritdoc />
    public Task<bool> DeleteOidcClientAsync(string tenantId, string clientId, AuditEventRecord auditEvent, CancellationToken cancellationToken = default) =>
        ChangeOidcClientAsync("DELETE FROM oidc_clients WHERE tenant_id = @t AND client_id = @id", [("@t", tenantId), ("@id", clientId)], auditEvent, cancellationToken);

    /// <summary>
    /// Runs one statement on a client and, when it changed exactly one row, writes
    /// <paramref name="auditEvent"/> and commits both; otherwise rolls back and writes nothing.
    /// </summary>
    private async Task<bool> ChangeOidcClientAsync(string sql, (string, object?)[] parameters, AuditEventRecord auditEvent, CancellationToken ct,
        [System.Runtime.CompilerServices.CallerMemberName] string operation = "")
    {
        ArgumentNullException.ThrowIfNull(auditEvent);
        using var _ = Measure(operation);
        await using var connection = await OpenAsync(ct).ConfigureAwait(false);
        using var gate = await EnterWriteAsync(ct).ConfigureAwait(false);
        await using var tx = await connection.BeginTransactionAsync(ct).ConfigureAwait(false);
        if (await ExecuteAsync(connection, tx, sql, ct, parameters).ConfigureAwait(false) != 1)
        {
            return false; // disposing the uncommitted transaction rolls it back
        }
        await WriteAuditEventAsync(connection, tx, auditEvent, ct).ConfigureAwait(false);
        await tx.CommitAsync(ct).ConfigureAwait(false);
        return true;
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
