using Passkeys.Server.Storage;

namespace Passkeys.Server.Analytics;

/// <summary>
/// Answers the analytics API from the funnel rows, the app-reported sign-ins and the passkeys
/// (docs/analytics.md). Every number is counted in memory from the rows of the window by the same
/// classification (<see cref="FunnelResults"/>), on either database, so a count and the rows the
/// drill-down lists for it always agree.
/// </summary>
public sealed class AnalyticsService(IPasskeyStore store)
{
    /// <summary>Funnels per kind and mediation.</summary>
    public async Task<FunnelsResponse> FunnelsAsync(string tenantId, AnalyticsWindow window, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(window);
        return FunnelReport.Build(window, await store.ListCeremonyOutcomesAsync(tenantId, window.From, window.To, ct).ConfigureAwait(false));
    }

    /// <summary>Failures by reason and segment, of one kind or all.</summary>
    public async Task<FailuresResponse> FailuresAsync(string tenantId, AnalyticsWindow window, string? kind, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(window);
        return FailureReport.Build(window, kind, await store.ListCeremonyOutcomesAsync(tenantId, window.From, window.To, ct).ConfigureAwait(false));
    }

    /// <summary>Adoption.</summary>
    public async Task<AdoptionResponse> AdoptionAsync(string tenantId, AnalyticsWindow window, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(window);
        var rows = await store.ListCeremonyOutcomesAsync(tenantId, window.From, window.To, ct).ConfigureAwait(false);
        var signIns = await store.ListAppSignInsAsync(tenantId, window.From, window.To, ct).ConfigureAwait(false);
        var passkeys = await store.ListActivePasskeysAsync(tenantId, ct).ConfigureAwait(false);
        var users = await store.CountUsersAsync(tenantId, ct).ConfigureAwait(false);
        return AdoptionReport.Build(window, rows, signIns, passkeys, users);
    }

    /// <summary>The adoption share over [<paramref name="from"/>, <paramref name="to"/>) (the rollout's default-sign-in threshold uses it).</summary>
    public async Task<AdoptionShare> AdoptionShareAsync(string tenantId, DateTimeOffset from, DateTimeOffset to, CancellationToken ct)
    {
        var rows = await store.ListCeremonyOutcomesAsync(tenantId, from, to, ct).ConfigureAwait(false);
        var signIns = await store.ListAppSignInsAsync(tenantId, from, to, ct).ConfigureAwait(false);
        var passkeys = await store.ListActivePasskeysAsync(tenantId, ct).ConfigureAwait(false);
        return AdoptionReport.Share(to, rows, signIns, passkeys);
    }

    /// <summary>The overview of the window and of the window of equal length before it.</summary>
    public async Task<OverviewResponse> OverviewAsync(string tenantId, AnalyticsWindow window, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(window);
        var passkeys = await store.ListActivePasskeysAsync(tenantId, ct).ConfigureAwait(false);
        var current = await FiguresAsync(tenantId, window, passkeys, ct).ConfigureAwait(false);
        var previous = await FiguresAsync(tenantId, window.Previous, passkeys, ct).ConfigureAwait(false);
        return new OverviewResponse(current, previous, new FigureChanges(current.SignIns - previous.SignIns, current.SignUps - previous.SignUps,
            Minus(current.SuccessRate, previous.SuccessRate), Minus(current.MedianTimeToFinishMs, previous.MedianTimeToFinishMs),
            Minus(current.Adoption.Rate, previous.Adoption.Rate)));
    }

    private async Task<PeriodFigures> FiguresAsync(string tenantId, AnalyticsWindow window, IReadOnlyList<PasskeyFact> passkeys, CancellationToken ct)
    {
        var rows = await store.ListCeremonyOutcomesAsync(tenantId, window.From, window.To, ct).ConfigureAwait(false);
        var signIns = await store.ListAppSignInsAsync(tenantId, window.From, window.To, ct).ConfigureAwait(false);
        var attempts = rows.Where(FunnelResults.IsAttempt).ToList();
        var succeeded = attempts.LongCount(r => FunnelResults.Of(r) == FunnelResults.Succeeded);
        // Modal only: a conditional ceremony waits from page load, so its "time to finish" is time on the page.
        var median = FunnelResults.Median(rows.Where(r => r.Mediation == Mediations.Modal).Select(FunnelResults.TimeToFinishMs).OfType<double>());
        return new PeriodFigures(window.From, window.To,
            rows.LongCount(r => r.Kind == FunnelKinds.SignIn && r.ServerOutcome == ServerOutcomes.Succeeded),
            rows.LongCount(r => r.Kind == FunnelKinds.Registration && r.NewUser && r.ServerOutcome == ServerOutcomes.Succeeded),
            attempts.Count, succeeded, FailureReport.Rate(succeeded, attempts.Count), median, AdoptionReport.Share(window.To, rows, signIns, passkeys));
    }

    private static double? Minus(double? a, double? b) => a is { } x && b is { } y ? Math.Round(x - y, 4) : null;

    /// <summary>The rows behind a number (drill-down), oldest first, one page.</summary>
    public async Task<CeremonyRowList> CeremoniesAsync(string tenantId, AnalyticsWindow window, CeremonyFilter filter, int offset, int limit, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(window);
        ArgumentNullException.ThrowIfNull(filter);
        var rows = (await store.ListCeremonyOutcomesAsync(tenantId, window.From, window.To, ct).ConfigureAwait(false)).Where(filter.Matches).ToList();
        var page = rows.Skip(offset).Take(limit).Select(View).ToList();
        return new CeremonyRowList(page, rows.Count, offset + limit < rows.Count ? offset + limit : null);
    }

    private static CeremonyRowView View(CeremonyOutcomeRecord r) => new(r.CeremonyId, r.Kind, r.Mediation, FunnelResults.Of(r), FunnelResults.IsAttempt(r),
        FunnelResults.ReasonOf(r), r.BegunAt, r.ExpiresAt, r.PromptShownAt, r.ClientOutcome, r.ServerOutcome, r.ErrorCode, r.Error, r.FinishedAt, r.UserId, r.NewUser,
        r.AfterOffer, r.Browser, r.Os, r.DeviceType, r.Aaguid, r.Provider, r.Synced);
}

/// <summary>
/// Drill-down filters; null means any. <see cref="Attempt"/> and <see cref="Failed"/> select as the
/// failure figures count; a segment value of "unknown" matches rows without that value.
/// </summary>
public sealed record CeremonyFilter(string? Kind = null, string? Mediation = null, string? Result = null, bool? PromptShown = null, bool? Attempt = null,
    bool? Failed = null, string? Reason = null, string? Browser = null, string? Os = null, string? DeviceType = null, string? Provider = null,
    bool? NewUser = null, bool? AfterOffer = null)
{
    /// <summary>True when the row passes every filter given.</summary>
    public bool Matches(CeremonyOutcomeRecord row)
    {
        ArgumentNullException.ThrowIfNull(row);
        var attempt = FunnelResults.IsAttempt(row);
        return (Kind is null || row.Kind == Kind)
            && (Mediation is null || row.Mediation == Mediation)
            && (Result is null || FunnelResults.Of(row) == Result)
            && (PromptShown is null || (row.PromptShownAt is not null) == PromptShown)
            && (Attempt is null || attempt == Attempt)
            && (Failed is null || (attempt && FunnelResults.Of(row) != FunnelResults.Succeeded) == Failed)
            && (Reason is null || (attempt && FunnelResults.ReasonOf(row) == Reason))
            && Segment(Browser, row.Browser) && Segment(Os, row.Os) && Segment(DeviceType, row.DeviceType) && Segment(Provider, row.Provider)
            && (NewUser is null || row.NewUser == NewUser)
            && (AfterOffer is null || row.AfterOffer == AfterOffer);
    }

    private static bool Segment(string? wanted, string? value) => wanted is null || (value ?? FailureReport.Unknown) == wanted;
}
