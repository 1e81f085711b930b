using Passkeys.Server.Errors;

namespace Passkeys.Server.Analytics;

/// <summary>
/// The time range of an analytics query: ceremonies begun in [<see cref="From"/>, <see cref="To"/>),
/// cut into buckets of one <see cref="Period"/> (hour, day, or ISO week starting Monday), all UTC.
/// </summary>
public sealed record AnalyticsWindow(DateTimeOffset From, DateTimeOffset To, string Period)
{
    /// <summary>The most buckets one query may have (a year of days is 366).</summary>
    public const int MaxBuckets = 1000;

    /// <summary>The periods.</summary>
    public static IReadOnlyList<string> Periods { get; } = ["hour", "day", "week"];

    /// <summary>The window of equal length just before this one (for "what changed").</summary>
    public AnalyticsWindow Previous => new(From - (To - From), From, Period);

    /// <summary>
    /// The window from the query: <paramref name="to"/> defaults to now (inclusive: one millisecond after it), <paramref name="from"/> to
    /// seven days before it, <paramref name="period"/> to day. Refused (AnalyticsRangeInvalid) when
    /// from is not before to, the period is unknown, or (<paramref name="bucketed"/>: the answer is per
    /// period) there would be more than <see cref="MaxBuckets"/> buckets.
    /// </summary>
    public static AnalyticsWindow Of(DateTimeOffset? from, DateTimeOffset? to, string? period, DateTimeOffset now, bool bucketed = true)
    {
        var end = (to ?? now + TimeSpan.FromMilliseconds(1)).ToUniversalTime();
        var start = (from ?? end - TimeSpan.FromDays(7)).ToUniversalTime();
        var p = period ?? "day";
        if (!Periods.Contains(p, StringComparer.Ordinal))
        {
            throw new ServerException(ServerError.AnalyticsRangeInvalid, $"period must be one of: {string.Join(", ", Periods)}.");
        }
        if (start >= end)
        {
            throw new ServerException(ServerError.AnalyticsRangeInvalid, $"from ({start:O}) must be before to ({end:O}).");
        }
        var window = new AnalyticsWindow(start, end, p);
        if (!bucketed)
        {
            return window;
        }
        var buckets = (long)Math.Ceiling((end - window.BucketOf(start)).Ticks / (double)window.Length.Ticks);
        if (buckets > MaxBuckets)
        {
            throw new ServerException(ServerError.AnalyticsRangeInvalid,
                $"from … to spans {buckets} {p}s; at most {MaxBuckets} buckets are allowed. Choose a shorter range or a longer period.");
        }
        return window;
    }

    /// <summary>The length of one bucket.</summary>
    public TimeSpan Length => Period switch
    {
        "hour" => TimeSpan.FromHours(1),
        "week" => TimeSpan.FromDays(7),
        _ => TimeSpan.FromDays(1),
    };

    /// <summary>The start of the bucket that holds <paramref name="at"/>: the UTC hour, the UTC day, or the Monday 00:00 UTC of its ISO week.</summary>
    public DateTimeOffset BucketOf(DateTimeOffset at)
    {
        var u = at.ToUniversalTime();
        var day = new DateTimeOffset(u.Year, u.Month, u.Day, 0, 0, 0, TimeSpan.Zero);
        return Period switch
        {
            "hour" => day.AddHours(u.Hour),
            "week" => day.AddDays(-(((int)u.DayOfWeek + 6) % 7)),
            _ => day,
        };
    }

    /// <summary>Every bucket start from the one holding <see cref="From"/> to the last before <see cref="To"/>.</summary>
    public IReadOnlyList<DateTimeOffset> Buckets()
    {
        var list = new List<DateTimeOffset>();
        for (var b = BucketOf(From); b < To; b += Length)
        {
            list.Add(b);
        }
        return list;
    }
}
