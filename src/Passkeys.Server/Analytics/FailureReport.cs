using Passkeys.Server.Storage;

namespace Passkeys.Server.Analytics;

/// <summary>Failed attempts by reason and by segment (docs/analytics.md, "Failures").</summary>
public static class FailureReport
{
    /// <summary>The value a segment is listed under when the request did not say (no user agent, no AAGUID name).</summary>
    public const string Unknown = "unknown";

    /// <summary>Builds the answer over the attempts among <paramref name="rows"/>.</summary>
    public static FailuresResponse Build(AnalyticsWindow window, string? kind, IReadOnlyList<CeremonyOutcomeRecord> rows)
    {
        ArgumentNullException.ThrowIfNull(window);
        ArgumentNullException.ThrowIfNull(rows);
        var attempts = rows.Where(r => (kind is null || r.Kind == kind) && FunnelResults.IsAttempt(r)).ToList();
        var failed = attempts.Where(r => FunnelResults.Of(r) != FunnelResults.Succeeded).ToList();
        var reasons = failed.GroupBy(r => FunnelResults.ReasonOf(r)!, StringComparer.Ordinal)
            .Select(g => new FailureReason(g.Key, SourceOf(g.First()), FunnelResults.Of(g.First()) == FunnelResults.Failed ? g.First().ErrorCode : null, g.LongCount()))
            .OrderByDescending(r => r.Count).ThenBy(r => r.Reason, StringComparer.Ordinal).ToList();
        List<FailureSegment> By(Func<CeremonyOutcomeRecord, string?> value) => attempts
            .GroupBy(r => value(r) ?? Unknown, StringComparer.Ordinal)
            .Select(g =>
            {
                var (n, f) = (g.LongCount(), g.LongCount(r => FunnelResults.Of(r) != FunnelResults.Succeeded));
                return new FailureSegment(g.Key, n, f, Rate(f, n)!.Value, SegmentRule.StandsOut(n, f, attempts.Count, failed.Count));
            })
            .OrderByDescending(s => s.Attempts).ThenBy(s => s.Value, StringComparer.Ordinal).ToList();
        return new FailuresResponse(window.From, window.To, kind, attempts.Count, failed.Count, Rate(failed.Count, attempts.Count), SegmentRule.Text, reasons,
            By(r => r.Browser), By(r => r.Os), By(r => r.DeviceType), By(r => r.Provider));
    }

    private static string SourceOf(CeremonyOutcomeRecord row) => FunnelResults.Of(row) switch
    {
        FunnelResults.Failed => "server",
        FunnelResults.Abandoned => "expiry",
        _ => "client",
    };

    /// <summary><paramref name="part"/> / <paramref name="whole"/> rounded to 4 decimals; null when <paramref name="whole"/> is 0.</summary>
    public static double? Rate(long part, long whole) => whole == 0 ? null : Math.Round((double)part / whole, 4);
}
