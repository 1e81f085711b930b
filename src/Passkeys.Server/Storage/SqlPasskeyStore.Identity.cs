using System.Security.Cryptography;

namespace Passkeys.Server.Storage;

// Per-tenant secrets and attempt budgets (see IPasskeyStore.Identity.cs).
public abstract partial class SqlPasskeyStore
{
    /// <inheritdoc />
    public async Task<byte[]> GetTenantSecretAsync(string tenantId, CancellationToken cancellationToken = default)
    {
        using var _ = Measure();
        var existing = await QueryAsync("SELECT secret FROM tenant_secrets WHERE tenant_id = @t", r => (byte[])r.GetValue(0), cancellationToken,
            ("@t", tenantId)).ConfigureAwait(false);
        if (existing.Count == 1)
        {
            return existing[0];
        }
        // The first node to insert wins; everyone (that node included) then reads the winner's value.
        await ExecuteAsync("INSERT INTO tenant_secrets (tenant_id, secret, created_at) VALUES (@t, @s, @at) ON CONFLICT (tenant_id) DO NOTHING",
            cancellationToken, ("@t", tenantId), ("@s", RandomNumberGenerator.GetBytes(32)), ("@at", DateTimeOffset.UtcNow)).ConfigureAwait(false);
        var rows = await QueryAsync("SELECT secret FROM tenant_secrets WHERE tenant_id = @t", r => (byte[])r.GetValue(0), cancellationToken,
            ("@t", tenantId)).ConfigureAwait(false);
        return rows.Count == 1 ? rows[0] : throw new InvalidOperationException($"tenant {tenantId} has no secret after creating one");
    }

    /// <inheritdoc />
    public async Task<long> CountAttemptAsync(string tenantId, string subject, DateTimeOffset windowStart, DateTimeOffset expiresAt, CancellationToken cancellationToken = default)
    {
        using var _ = Measure();
        // One upsert: PostgreSQL locks the row, so concurrent increments queue and each returns its own count;
        // SQLite writers run one at a time.
        var rows = await WriteQueryAsync(
            "INSERT INTO attempt_counters (tenant_id, subject, window_start, attempts, expires_at) VALUES (@t, @s, @w, 1, @exp) " +
            "ON CONFLICT (tenant_id, subject, window_start) DO UPDATE SET attempts = attempt_counters.attempts + 1 RETURNING attempts",
            r => Convert.ToInt64(r.GetValue(0), System.Globalization.CultureInfo.InvariantCulture), cancellationToken,
            ("@t", tenantId), ("@s", subject), ("@w", windowStart), ("@exp", expiresAt)).ConfigureAwait(false);
        return rows[0];
    }

    /// <inheritdoc />
    public async Task<int> PurgeExpiredAttemptsAsync(DateTimeOffset now, int max, CancellationToken cancellationToken = default)
    {
        using var _ = Measure();
        return (await WriteQueryAsync(PurgeExpiredAttemptsSql, r => 1, cancellationToken, ("@now", now), ("@max", max)).ConfigureAwait(false)).Count;
    }
}

// The batch delete of expired attempt counters differs per dialect like the ceremony purge.
public abstract partial class SqlPasskeyStore
{
    /// <summary><c>DELETE</c> up to <c>@max</c> attempt counters with <c>expires_at &lt; @now</c>, <c>RETURNING</c> one column.</summary>
    private protected abstract string PurgeExpiredAttemptsSql { get; }
}

// What the tenant's credentials look like, for fakes that look the same.
public abstract partial class SqlPasskeyStore
{
    // Through the tenant's users: on PostgreSQL no index of credentials begins with the tenant (so
    // that a new install's key lookups cannot take one, PostgresMigrations), and the users' key does,
    // so a tenant's credentials are found user by user instead of by scanning every tenant's.
    // (length() of a BLOB on SQLite and of a bytea on PostgreSQL is its length in bytes.)
    internal const string ListRecentCredentialShapesSql =
        "SELECT c.transports, length(c.id) FROM users u JOIN credentials c ON c.tenant_id = u.tenant_id AND c.user_id = u.id " +
        "WHERE u.tenant_id = @t ORDER BY c.created_at DESC LIMIT @limit";

    /// <inheritdoc />
    public async Task<IReadOnlyList<CredentialShape>> ListRecentCredentialShapesAsync(string tenantId, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        using var _ = Measure();
        return await QueryAsync(ListRecentCredentialShapesSql,
            r => new CredentialShape(System.Text.Json.JsonSerializer.Deserialize(r.GetString(0), StoreJson.Default.IReadOnlyListString) ?? [], Convert.ToInt32(r.GetValue(1), System.Globalization.CultureInfo.InvariantCulture)),
            cancellationToken, ("@t", tenantId), ("@limit", limit)).ConfigureAwait(false);
    }
}
