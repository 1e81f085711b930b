namespace Passkeys.Server.Storage;

// Analytics (docs/analytics.md): the ceremony funnel rows, the app's other sign-ins, passkey offers
// and the rollout's default flip. The begin and finish of a ceremony write its row through their
// step (IStoreStep); everything here is written on its own.
public partial interface IPasskeyStore
{
    /// <summary>The funnel row of a ceremony, or null.</summary>
    Task<CeremonyOutcomeRecord?> GetCeremonyOutcomeAsync(string tenantId, string ceremonyId, CancellationToken cancellationToken = default);
    /// <summary>The funnel rows of the ceremonies begun in [<paramref name="from"/>, <paramref name="to"/>), oldest first (ties by id).</summary>
    Task<IReadOnlyList<CeremonyOutcomeRecord>> ListCeremonyOutcomesAsync(string tenantId, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default);
    /// <summary>Sets the time the SDK showed the ceremony's prompt; false when unknown or already set (the first report stands).</summary>
    Task<bool> RecordPromptShownAsync(string tenantId, string ceremonyId, DateTimeOffset at, CancellationToken cancellationToken = default);
    /// <summary>
    /// Sets the browser outcome the SDK reported; false when unknown, already set (the first report
    /// stands) or when the server has already answered the ceremony (succeeded or failed: the browser
    /// then had an answer, not an error).
    /// </summary>
    Task<bool> RecordClientOutcomeAsync(string tenantId, string ceremonyId, string outcome, DateTimeOffset at, CancellationToken cancellationToken = default);

    /// <summary>
    /// Deletes up to <paramref name="max"/> of the oldest funnel rows begun, and up to as many app-reported
    /// sign-ins made, before <paramref name="before"/>, in short statements; returns how many rows went.
    /// </summary>
    Task<int> PurgeAnalyticsAsync(DateTimeOffset before, int max, CancellationToken cancellationToken = default);

    /// <summary>Stores a sign-in the app reports it made with another method.</summary>
    Task AppendAppSignInAsync(AppSignInRecord signIn, CancellationToken cancellationToken = default);
    /// <summary>The app-reported sign-ins in [<paramref name="from"/>, <paramref name="to"/>), oldest first.</summary>
    Task<IReadOnlyList<AppSignInRecord>> ListAppSignInsAsync(string tenantId, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default);
    /// <summary>The time of the user's latest app-reported sign-in, or null.</summary>
    Task<DateTimeOffset?> GetLastAppSignInAsync(string tenantId, string userId, CancellationToken cancellationToken = default);

    /// <summary>The tenant's active passkeys (suspended ones cannot sign in), ordered by user.</summary>
    Task<IReadOnlyList<PasskeyFact>> ListActivePasskeysAsync(string tenantId, CancellationToken cancellationToken = default);
    /// <summary>How many users the tenant has.</summary>
    Task<long> CountUsersAsync(string tenantId, CancellationToken cancellationToken = default);

    /// <summary>Records (replacing any earlier one) that the app was told to offer the user a passkey at <paramref name="at"/>.</summary>
    Task RecordPasskeyOfferAsync(string tenantId, string userId, DateTimeOffset at, CancellationToken cancellationToken = default);
    /// <summary>
    /// Records that the tenant's passkey adoption reached its rollout's default-sign-in threshold,
    /// with <paramref name="auditEvent"/> (<c>rollout.default_flipped</c>) in the same commit: never
    /// a flip without its event, nor an event without the flip. True only for the one caller (on any
    /// node) that recorded it; false, writing nothing, when it was recorded before.
    /// </summary>
    Task<bool> RecordDefaultFlipAsync(string tenantId, DateTimeOffset at, double adoption, AuditEventRecord auditEvent, CancellationToken cancellationToken = default);
    /// <summary>When the tenant's default flip was recorded, or null.</summary>
    Task<DateTimeOffset?> GetDefaultFlipAsync(string tenantId, CancellationToken cancellationToken = default);
}
