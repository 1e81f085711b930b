namespace Passkeys.Server.Analytics;

// The analytics API's answers (docs/analytics.md defines every number).

/// <summary>One funnel's counts: <c>begun</c> equals the sum of the seven result counts.</summary>
public sealed record FunnelCounts(long Begun, long PromptShown, long Succeeded, long Failed, long Cancelled, long TimedOut, long OtherClientErrors,
    long Abandoned, long Pending);

/// <summary>A funnel's counts for the ceremonies begun in one period.</summary>
public sealed record FunnelBucket(DateTimeOffset Start, FunnelCounts Counts);

/// <summary>The funnel of one ceremony kind and mediation.</summary>
public sealed record FunnelSeries(string Kind, string Mediation, FunnelCounts Totals, IReadOnlyList<FunnelBucket> Buckets);

/// <summary><c>GET …/analytics/funnels</c>.</summary>
public sealed record FunnelsResponse(DateTimeOffset From, DateTimeOffset To, string Period, IReadOnlyList<FunnelSeries> Funnels);

/// <summary>Failed attempts of one reason. Source: server (an error code), client (an SDK-reported browser outcome) or expiry (abandoned).</summary>
public sealed record FailureReason(string Reason, string Source, int? Code, long Count);

/// <summary>Attempts and failures of one browser, OS, device type or provider.</summary>
public sealed record FailureSegment(string Value, long Attempts, long Failures, double FailureRate, bool StandsOut);

/// <summary><c>GET …/analytics/failures</c>.</summary>
public sealed record FailuresResponse(DateTimeOffset From, DateTimeOffset To, string? Kind, long Attempts, long Failures, double? FailureRate, string StandsOutRule,
    IReadOnlyList<FailureReason> ByReason, IReadOnlyList<FailureSegment> ByBrowser, IReadOnlyList<FailureSegment> ByOs, IReadOnlyList<FailureSegment> ByDeviceType,
    IReadOnlyList<FailureSegment> ByProvider);

/// <summary>Active users, and how many of them had a passkey.</summary>
public sealed record AdoptionShare(long ActiveUsers, long ActiveUsersWithPasskey, double? Rate);

/// <summary>The overview's figures for one window.</summary>
public sealed record PeriodFigures(DateTimeOffset From, DateTimeOffset To, long SignIns, long SignUps, long Attempts, long Succeeded, double? SuccessRate,
    double? MedianTimeToFinishMs, AdoptionShare Adoption);

/// <summary>Current minus previous (rates as fractions); null when either side has none.</summary>
public sealed record FigureChanges(long SignIns, long SignUps, double? SuccessRate, double? MedianTimeToFinishMs, double? AdoptionRate);

/// <summary><c>GET …/analytics/overview</c>.</summary>
public sealed record OverviewResponse(PeriodFigures Current, PeriodFigures Previous, FigureChanges Change);

/// <summary>Sign-ins by method: passkey (counted by the server) and the app's other methods (as it reported them).</summary>
public sealed record SignInsByMethod(long Passkey, long Password, long Otp, long Social, long Other);

/// <summary>How many users have this many active passkeys ("0", "1", "2", "3", "4+").</summary>
public sealed record PasskeysPerUserBucket(string Passkeys, long Users);

/// <summary>Active passkeys that are synced (backup state set) or bound to one device.</summary>
public sealed record SyncedSplit(long Synced, long DeviceBound);

/// <summary>Registrations begun within a day after an offer (passkey-offer said offer), how many succeeded, and their ratio.</summary>
public sealed record UpgradePromptConversion(long RegistrationsBegun, long Succeeded, double? Conversion);

/// <summary><c>GET …/analytics/adoption</c>.</summary>
public sealed record AdoptionResponse(DateTimeOffset From, DateTimeOffset To, AdoptionShare Adoption, SignInsByMethod SignInsByMethod, long Users,
    IReadOnlyList<PasskeysPerUserBucket> PasskeysPerUser, SyncedSplit Passkeys, UpgradePromptConversion UpgradePrompt);

/// <summary>One ceremony behind a number (drill-down).</summary>
public sealed record CeremonyRowView(string CeremonyId, string Kind, string Mediation, string Result, bool Attempt, string? Reason, DateTimeOffset BegunAt,
    DateTimeOffset ExpiresAt, DateTimeOffset? PromptShownAt, string? ClientOutcome, string? ServerOutcome, int? ErrorCode, string? Error, DateTimeOffset? FinishedAt,
    string? UserId, bool NewUser, bool AfterOffer, string? Browser, string? Os, string? DeviceType, Guid? Aaguid, string? Provider, bool? Synced);

/// <summary><c>GET …/analytics/ceremonies</c>: a page of rows; <c>next</c> (pass it as <c>offset</c>) only when more exist.</summary>
public sealed record CeremonyRowList(IReadOnlyList<CeremonyRowView> Ceremonies, long Total, int? Next);

/// <summary>
/// <c>GET …/analytics/rollout</c>: the tenant's rollout, whether passkeys are the default sign-in
/// (a recorded flip while a threshold is set), when it flipped, and the adoption over the last 30
/// days the threshold is compared with (<c>thresholdReached</c>: the next passkey-offer flips it).
/// </summary>
public sealed record RolloutStatus(RolloutSettings? Rollout, bool PasskeyDefault, DateTimeOffset? FlippedAt, AdoptionShare Adoption, bool ThresholdReached);
