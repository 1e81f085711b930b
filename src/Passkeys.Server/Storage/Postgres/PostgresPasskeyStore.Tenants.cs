using Npgsql;

namespace Passkeys.Server.Storage.Postgres;

public sealed partial class PostgresPasskeyStore
{
    private const string TenantColumns = "id, rp_id, rp_name, origins, related_origins, user_verification, attestation, self_sign_up, created_at";
    private const string UserColumns = "tenant_id, id, handle, name, display_name, created_at, default_credential_id";

    /// <inheritdoc />
    public async Task<TenantRecord?> GetTenantAsync(string tenantId, CancellationToken cancellationToken = default)
    {
        using var _ = Measure();
        return await QuerySingleAsync($"SELECT {TenantColumns} FROM tenants WHERE id = @id", Rows.Tenant, cancellationToken, ("@id", tenantId)).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<TenantRecord>> ListTenantsAsync(CancellationToken cancellationToken = default)
    {
        using var _ = Measure();
        return await QueryAsync($"SELECT {TenantColumns} FROM tenants ORDER BY id", Rows.Tenant, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<bool> CreateTenantAsync(TenantRecord tenant, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        using var _ = Measure();
        // ON CONFLICT: two nodes seeding the default tenant at the same start both succeed quietly.
        return await ExecuteAsync(
            $"INSERT INTO tenants ({TenantColumns}) VALUES (@id, @rp, @name, @o::jsonb, @ro::jsonb, @uv, @att, @ssu, @at) ON CONFLICT (id) DO NOTHING",
            cancellationToken, StoreParameters.Tenant(tenant)).ConfigureAwait(false) == 1;
    }

    /// <inheritdoc />
    public async Task<bool> UpdateTenantAsync(TenantRecord tenant, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        using var _ = Measure();
        return await ExecuteAsync(
            "UPDATE tenants SET rp_id = @rp, rp_name = @name, origins = @o::jsonb, related_origins = @ro::jsonb, user_verification = @uv, " +
            "attestation = @att, self_sign_up = @ssu WHERE id = @id",
            cancellationToken, StoreParameters.Tenant(tenant)[..^1]).ConfigureAwait(false) == 1;
    }

    /// <inheritdoc />
    public async Task<bool> DeleteTenantAsync(string tenantId, CancellationToken cancellationToken = default)
    {
        using var _ = Measure();
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var tx = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        // Children first, explicitly (as in the SQLite store): ceremonies and audit events have no foreign key.
        foreach (var table in new[] { "recovery_codes", "credentials", "users", "ceremonies", "api_keys", "signing_keys", "audit_events" })
        {
            await using var delete = Command(connection, tx, $"DELETE FROM {table} WHERE tenant_id = @t", ("@t", tenantId));
            await delete.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        await using var command = Command(connection, tx, "DELETE FROM tenants WHERE id = @t", ("@t", tenantId));
        var deleted = await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
        return deleted;
    }

    /// <inheritdoc />
    public async Task<UserRecord?> GetUserAsync(string tenantId, string userId, CancellationToken cancellationToken = default)
    {
        using var _ = Measure();
        return await QuerySingleAsync($"SELECT {UserColumns} FROM users WHERE tenant_id = @t AND id = @id", Rows.User, cancellationToken,
            ("@t", tenantId), ("@id", userId)).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<UserRecord?> GetUserByNameAsync(string tenantId, string name, CancellationToken cancellationToken = default)
    {
        using var _ = Measure();
        return await QuerySingleAsync($"SELECT {UserColumns} FROM users WHERE tenant_id = @t AND name = @n", Rows.User, cancellationToken,
            ("@t", tenantId), ("@n", name)).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<UserRecord?> GetUserByHandleAsync(string tenantId, byte[] handle, CancellationToken cancellationToken = default)
    {
        using var _ = Measure();
        return await QuerySingleAsync($"SELECT {UserColumns} FROM users WHERE tenant_id = @t AND handle = @h", Rows.User, cancellationToken,
            ("@t", tenantId), ("@h", handle)).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<UserRecord>> ListUsersAsync(string tenantId, string? afterUserId, int limit, CancellationToken cancellationToken = default)
    {
        using var _ = Measure();
        // The cast gives the parameter a type when it is NULL (first page).
        return await QueryAsync($"SELECT {UserColumns} FROM users WHERE tenant_id = @t AND (@after::text IS NULL OR id > @after::text) ORDER BY id LIMIT @limit",
            Rows.User, cancellationToken, ("@t", tenantId), ("@after", afterUserId), ("@limit", limit)).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<bool> CreateUserAsync(UserRecord user, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(user);
        using var _ = Measure();
        try
        {
            return await ExecuteAsync(InsertUserSql + " ON CONFLICT DO NOTHING", cancellationToken, StoreParameters.User(user)).ConfigureAwait(false) == 1;
        }
        catch (PostgresException e) when (IsForeignKeyViolation(e))
        {
            return false; // no such tenant: refused, as SQLite's constraint error is
        }
    }

    private const string InsertUserSql =
        "INSERT INTO users (tenant_id, id, handle, name, display_name, created_at) VALUES (@t, @id, @h, @n, @dn, @at)";

    /// <inheritdoc />
    public async Task<bool> DeleteUserAsync(string tenantId, string userId, CancellationToken cancellationToken = default)
    {
        using var _ = Measure();
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var tx = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        foreach (var table in new[] { "recovery_codes", "credentials" })
        {
            await using var delete = Command(connection, tx, $"DELETE FROM {table} WHERE tenant_id = @t AND user_id = @u", ("@t", tenantId), ("@u", userId));
            await delete.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        await using var command = Command(connection, tx, "DELETE FROM users WHERE tenant_id = @t AND id = @u", ("@t", tenantId), ("@u", userId));
        var deleted = await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
        return deleted;
    }
}
