namespace Passkeys.Server.Storage;

// Identity hardening: per-tenant secrets and attempt budgets shared by every node of the store.
public partial interface IPasskeyStore
{
    /// <summary>
    /// The tenant's 32-byte secret for keyed derivations (fake credentials for unknown names, the
    /// recovery-code HMAC key). Created on first use with an insert that only one node can win, so
    /// every node and every restart sees the same value; deleted with the tenant.
    /// </summary>
    Task<byte[]> GetTenantSecretAsync(string tenantId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Takes one attempt from the budget <paramref name="subject"/> has in the fixed window that
    /// started at <paramref name="windowStart"/> and returns how many attempts the window has now
    /// counted (this one included), in one atomic statement: concurrent callers on any number of
    /// nodes each get a distinct count. The row is kept until <paramref name="expiresAt"/>.
    /// </summary>
    Task<long> CountAttemptAsync(string tenantId, string subject, DateTimeOffset windowStart, DateTimeOffset expiresAt, CancellationToken cancellationToken = default);

    /// <summary>Deletes up to <paramref name="max"/> attempt counters whose window ended before <paramref name="now"/>; returns how many.</summary>
    Task<int> PurgeExpiredAttemptsAsync(DateTimeOffset now, int max, CancellationToken cancellationToken = default);
}

/// <summary>What a credential looks like from outside: its transports and the length of its id.</summary>
public sealed record CredentialShape(IReadOnlyList<string> Transports, int IdLength);

public partial interface IPasskeyStore
{
    /// <summary>The shapes of up to <paramref name="limit"/> of the tenant's most recently registered credentials.</summary>
    Task<IReadOnlyList<CredentialShape>> ListRecentCredentialShapesAsync(string tenantId, int limit, CancellationToken cancellationToken = default);
}
