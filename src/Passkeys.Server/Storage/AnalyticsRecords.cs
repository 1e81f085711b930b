namespace Passkeys.Server.Storage;

/// <summary>
/// One ceremony's whole funnel (docs/analytics.md): written at begin, completed by the SDK's
/// reports (prompt shown, browser outcome) and by the finish or the purge (server outcome), each in
/// the transaction of the step that learnt it.
/// </summary>
/// <param name="Kind">registration | sign-in | step-up | recovery (<see cref="Analytics.FunnelKinds"/>).</param>
/// <param name="Mediation">modal | conditional.</param>
/// <param name="NewUser">The registration creates its user (a sign-up), rather than adding a passkey.</param>
/// <param name="AfterOffer">A registration begun within a day after the app was told to offer the user a passkey.</param>
/// <param name="DeviceType">desktop | mobile | tablet, or null when the request said nothing about it.</param>
/// <param name="ClientOutcome">What the SDK reported the browser answered (<see cref="Analytics.ClientOutcomes"/>).</param>
/// <param name="ServerOutcome">succeeded | failed | abandoned, null while the ceremony is open.</param>
/// <param name="Provider">The authenticator's name from its AAGUID, when known.</param>
/// <param name="Synced">The credential's backup state (BS) as the finish saw it.</param>
public sealed record CeremonyOutcomeRecord(
    string TenantId,
    string CeremonyId,
    string Kind,
    string Mediation,
    DateTimeOffset BegunAt,
    DateTimeOffset ExpiresAt,
    string? UserId,
    bool NewUser,
    bool AfterOffer,
    string? Browser,
    string? Os,
    string? DeviceType,
    DateTimeOffset? PromptShownAt = null,
    string? ClientOutcome = null,
    DateTimeOffset? ClientReportedAt = null,
    string? ServerOutcome = null,
    int? ErrorCode = null,
    string? Error = null,
    DateTimeOffset? FinishedAt = null,
    Guid? Aaguid = null,
    string? Provider = null,
    bool? Synced = null);

/// <summary>How a finish ended, for <see cref="IStoreStep.RecordCeremonyFinishedAsync"/>.</summary>
/// <param name="ServerOutcome">succeeded | failed.</param>
public sealed record CeremonyFinish(
    string ServerOutcome,
    int? ErrorCode,
    string? Error,
    DateTimeOffset FinishedAt,
    string? UserId,
    Guid? Aaguid,
    string? Provider,
    bool? Synced);

/// <summary>A sign-in the app made with another method than a passkey, as it reported it.</summary>
/// <param name="Method">password | otp | social | other.</param>
public sealed record AppSignInRecord(string TenantId, string Id, string UserId, string Method, DateTimeOffset At);

/// <summary>One active passkey, as adoption counts it: whose, since when, and whether it is synced (backup state set).</summary>
public sealed record PasskeyFact(string UserId, DateTimeOffset CreatedAt, bool Synced);
