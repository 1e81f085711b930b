using Passkeys.Server.Storage;

namespace Passkeys.Server.Analytics;

/// <summary>Funnels per ceremony kind and mediation, in total and per period (docs/analytics.md, "Funnels").</summary>
public static class FunnelReport
{
    /// <summary>The counts of <paramref name="rows"/>.</summary>
    public static FunnelCounts Count(IEnumerable<CeremonyOutcomeRecord> rows)
    {
        long begun = 0, shown = 0;
        var results = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var row in rows)
        {
            begun++;
            shown += row.PromptShownAt is null ? 0 : 1;
            var r = FunnelResults.Of(row);
            results[r] = results.GetValueOrDefault(r) + 1;
        }
        long Of(string result) => results.GetValueOrDefault(result);
        return new FunnelCounts(begun, shown, Of(FunnelResults.Succeeded), Of(FunnelResults.Failed), Of(FunnelResults.Cancelled), Of(FunnelResults.TimedOut),
            Of(FunnelResults.OtherClientError), Of(FunnelResults.Abandoned), Of(FunnelResults.Pending));
    }

    /// <summary>One series per kind and mediation that has rows, in the order of <see cref="FunnelKinds.All"/> then <see cref="Mediations.All"/>.</summary>
    public static FunnelsResponse Build(AnalyticsWindow window, IReadOnlyList<CeremonyOutcomeRecord> rows)
    {
        ArgumentNullException.ThrowIfNull(window);
        ArgumentNullException.ThrowIfNull(rows);
        var buckets = window.Buckets();
        var series = new List<FunnelSeries>();
        foreach (var kind in FunnelKinds.All)
        {
            foreach (var mediation in Mediations.All)
            {
                var mine = rows.Where(r => r.Kind == kind && r.Mediation == mediation).ToList();
                if (mine.Count == 0)
                {
                    continue;
                }
                var byBucket = mine.ToLookup(r => window.BucketOf(r.BegunAt));
                series.Add(new FunnelSeries(kind, mediation, Count(mine), buckets.Select(b => new FunnelBucket(b, Count(byBucket[b]))).ToList()));
            }
        }
        return new FunnelsResponse(window.From, window.To, window.Period, series);
    }
}
