using System.Data.Common;

namespace Passkeys.Server.Storage;

// Tenants and their users.
public abstract partial class SqlPasskeyStore
{
    private protected const string TenantColumns = "id, rp_id, rp_name, origins, related_origins, user_verification, attestation, self_sign_up, algorithms, created_at, clone_detection, attestation_policy, native_apps, rollout";
    private protected const string UserColumns = "tenant_id, id, handle, name, display_name, created_at, default_credential_id";

    private protected const string GetUserSql = $"SELECT {UserColumns} FROM users WHERE tenant_id = @t AND id = @id";
    private protected const string GetUserByNameSql = $"SELECT {UserColumns} FROM users WHERE tenant_id = @t AND name_key = @k";
    private protected const string InsertUserSql =
        "INSERT INTO users (tenant_id, id, handle, name, name_key, display_name, created_at) VALUES (@t, @id, @h, @n, @nk, @dn, @at)";

    // ON CONFLICT: an existing id inserts nothing (0 rows), for the caller to report.

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

    // ON CONFLICT: two nodes seeding the default tenant at the same start both succeed quietly.
    private protected string CreateTenantSql =>
        $"INSERT INTO tenants ({TenantColumns}) VALUES (@id, @rp, @name, {Typed("@o", SqlType.JsonList)}, {Typed("@ro", SqlType.JsonList)}, @uv, @att, @ssu, {Typed("@algs", SqlType.JsonList)}, @at, @cd, @ap, " +
        $"{Typed("@na", SqlType.JsonList)}, @rollout) ON CONFLICT (id) DO NOTHING";
    // Without created_at, which an update never changes.
    private protected string UpdateTenantSql =>
        $"UPDATE tenants SET rp_id = @rp, rp_name = @name, origins = {Typed("@o", SqlType.JsonList)}, related_origins = {Typed("@ro", SqlType.JsonList)}, " +
        $"user_verification = @uv, attestation = @att, self_sign_up = @ssu, algorithms = {Typed("@algs", SqlType.JsonList)}, clone_detection = @cd, attestation_policy = @ap, " +
        $"native_apps = {Typed("@na", SqlType.JsonList)}, rollout = @rollout WHERE id = @id";
    private protected static (string, object?)[] UpdateTenantParameters(TenantRecord tenant) => [.. StoreParameters.Tenant(tenant).Where(p => p.Item1 != "@at")];

    /// <inheritdoc />
    public async Task<bool> CreateTenantAsync(TenantRecord tenant, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        using var _ = Measure();
        // ON CONFLICT: two nodes seeding the default tenant at the same start both succeed quietly.
        var created = await ExecuteAsync(CreateTenantSql, cancellationToken, StoreParameters.Tenant(tenant)).ConfigureAwait(false) == 1;
        if (created)
        {
            await AnnounceAsync(new StoreChange(StoreChangeKind.Tenant, tenant.Id), cancellationToken).ConfigureAwait(false);
        }
        return created;
    }

    /// <inheritdoc />
    public async Task<bool> UpdateTenantAsync(TenantRecord tenant, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        using var _ = Measure();
        var updated = await ExecuteAsync(UpdateTenantSql, cancellationToken, UpdateTenantParameters(tenant)).ConfigureAwait(false) == 1;
        if (updated)
        {
            await AnnounceAsync(new StoreChange(StoreChangeKind.Tenant, tenant.Id), cancellationToken).ConfigureAwait(false);
        }
        return updated;
    }

    /// <inheritdoc />
    public async Task<bool> DeleteTenantAsync(string tenantId, CancellationToken cancellationToken = default)
    {
        using var _ = Measure();
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        using var gate = await EnterWriteAsync(cancellationToken).ConfigureAwait(false);
        await using var tx = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var deleted = await DeleteTenantAsync(connection, tx, tenantId, cancellationToken).ConfigureAwait(false);
        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
        if (deleted)
        {
            await AnnounceAsync(new StoreChange(StoreChangeKind.Tenant, tenantId), cancellationToken).ConfigureAwait(false);
            await AnnounceAsync(new StoreChange(StoreChangeKind.SigningKeys, tenantId), cancellationToken).ConfigureAwait(false);
        }
        return deleted;
    }

    /// <summary>
    /// The deletes of <see cref="DeleteTenantAsync(string, CancellationToken)"/> inside <paramref name="tx"/>. The
    /// tenant's audit events are kept (they have no foreign key): an audit trail must outlive what
    /// it describes, its <c>tenant.deleted</c> event included; the retention purge removes them in time.
    /// </summary>
    private protected async Task<bool> DeleteTenantAsync(DbConnection connection, DbTransaction tx, string tenantId, CancellationToken cancellationToken)
    {
        // Children first, explicitly, so the outcome does not depend on foreign-key enforcement
        // (SQLite's is a per-connection setting) and reaches ceremonies and the analytics rows, which
        // have no foreign key. Audit events are kept (docs/api.md, "Deleted tenants").
        foreach (var table in new[] { "recovery_codes", "credentials", "users", "ceremonies", "api_keys", "signing_keys",
                     "ceremony_outcomes", "app_sign_ins", "passkey_offers", "rollout_flips" })
        {
            await ExecuteAsync(connection, tx, $"DELETE FROM {table} WHERE tenant_id = @t", cancellationToken, ("@t", tenantId)).ConfigureAwait(false);
        }
        return await ExecuteAsync(connection, tx, "DELETE FROM tenants WHERE id = @t", cancellationToken, ("@t", tenantId)).ConfigureAwait(false) == 1;
    }

    /// <inheritdoc />
    public async Task<UserRecord?> GetUserAsync(string tenantId, string userId, CancellationToken cancellationToken = default)
    {
        using var _ = Measure();
        return await QuerySingleAsync(GetUserSql, Rows.User, cancellationToken,
            ("@t", tenantId), ("@id", userId)).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<UserRecord?> GetUserByNameAsync(string tenantId, string name, CancellationToken cancellationToken = default)
    {
        using var _ = Measure();
        ArgumentNullException.ThrowIfNull(name);
        // By the comparison key: ALICE, ＡＬＩＣＥ and alice are one name (Security/Usernames/UsernameRules.cs).
        return await QuerySingleAsync(GetUserByNameSql, Rows.User, cancellationToken,
            ("@t", tenantId), ("@k", Security.Usernames.UsernameRules.Key(name))).ConfigureAwait(false);
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
        // SQLite reads a negative LIMIT as "no limit", PostgreSQL refuses it: one rule for both.
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        using var _ = Measure();
        // Typed: @after is NULL on the first page.
        var after = Typed("@after", SqlType.Text);
        return await QueryAsync($"SELECT {UserColumns} FROM users WHERE tenant_id = @t AND ({after} IS NULL OR id > {after}) ORDER BY id LIMIT @limit",
            Rows.User, cancellationToken, ("@t", tenantId), ("@after", afterUserId), ("@limit", limit)).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<bool> CreateUserAsync(UserRecord user, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(user);
        using var _ = Measure();
        try
        {
            // A taken id, name or handle inserts nothing: false.
            return await ExecuteAsync(InsertUserSql + " ON CONFLICT DO NOTHING", cancellationToken, StoreParameters.User(user)).ConfigureAwait(false) == 1;
        }
        catch (DbException e) when (ViolationOf(e) == ConstraintViolation.ForeignKey)
        {
            return false; // no such tenant: refused too
        }
    }

    /// <inheritdoc />
    public async Task<bool> DeleteUserAsync(string tenantId, string userId, CancellationToken cancellationToken = default)
    {
        using var _ = Measure();
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        using var gate = await EnterWriteAsync(cancellationToken).ConfigureAwait(false);
        await using var tx = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var deleted = await DeleteUserAsync(connection, tx, tenantId, userId, cancellationToken).ConfigureAwait(false);
        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
        return deleted;
    }

    /// <summary>The deletes of <see cref="DeleteUserAsync(string, string, CancellationToken)"/> inside <paramref name="tx"/>.</summary>
    private protected async Task<bool> DeleteUserAsync(DbConnection connection, DbTransaction tx, string tenantId, string userId, CancellationToken cancellationToken)
    {
        foreach (var table in new[] { "recovery_codes", "credentials" })
        {
            await ExecuteAsync(connection, tx, $"DELETE FROM {table} WHERE tenant_id = @t AND user_id = @u", cancellationToken,
                ("@t", tenantId), ("@u", userId)).ConfigureAwait(false);
        }
        return await ExecuteAsync(connection, tx, "DELETE FROM users WHERE tenant_id = @t AND id = @u", cancellationToken,
            ("@t", tenantId), ("@u", userId)).ConfigureAwait(false) == 1;
    }
}
