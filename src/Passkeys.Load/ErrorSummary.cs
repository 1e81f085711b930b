namespace Passkeys.Load;

/// <summary>The error tallies regrouped by error for the reports: most frequent first, with where each happened.</summary>
public sealed record ErrorSummary(LoadError Error, long Count, string? Detail, IReadOnlyList<(ErrorSite Site, long Count)> Sites)
{
    /// <summary>Groups <paramref name="stats"/>' tallies by error.</summary>
    public static IReadOnlyList<ErrorSummary> Of(WorkerStats stats)
    {
        ArgumentNullException.ThrowIfNull(stats);
        // Runs once per report over a handful of entries: LINQ is fine here.
        return [.. stats.Errors
            .GroupBy(e => e.Key.Error)
            .Select(g => new ErrorSummary(g.Key, g.Sum(e => e.Value.Count), g.First().Value.Detail,
                [.. g.OrderByDescending(e => e.Value.Count).Select(e => (e.Key, e.Value.Count))]))
            .OrderByDescending(s => s.Count)];
    }
}
