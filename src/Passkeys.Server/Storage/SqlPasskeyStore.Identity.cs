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
    /// <inheritdoc />
    public async Task<IReadOnlyList<CredentialShape>> ListRecentCredentialShapesAsync(string tenantId, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        using var _ = Measure();
        // length() of a BLOB (SQLite) and of a bytea (PostgreSQL) is its length in bytes.
        return await QueryAsync("SELECT transports, length(id) FROM credentials WHERE tenant_id = @t ORDER BY created_at DESC LIMIT @limit",
            r => new CredentialShape(System.Text.Json.JsonSerializer.Deserialize(r.GetString(0), StoreJson.Default.IReadOnlyListString) ?? [], Convert.ToInt32(r.GetValue(1), System.Globalization.CultureInfo.InvariantCulture)),
            cancellationToken, ("@t", tenantId), ("@limit", limit)).ConfigureAwait(false);
    }
}
