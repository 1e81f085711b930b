namespace Passkeys.Server.Analytics;

/// <summary>
/// When a segment's failure rate stands out (docs/analytics.md): it has at least
/// <see cref="MinAttempts"/> attempts and at least one failure, and its failure rate is at least
/// twice the overall rate, or every one of its attempts failed (for when twice the overall rate
/// would be over 100%). Compared in whole numbers, so the flag never depends on rounding.
/// </summary>
public static class SegmentRule
{
    /// <summary>Fewer attempts than this never stand out: two failures out of three say little.</summary>
    public const int MinAttempts = 5;

    /// <summary>The rule in words, as the failures answer states it.</summary>
    public const string Text = "attempts >= 5, failures >= 1, and failure rate >= 2 x the overall failure rate (or every attempt failed)";

    /// <summary>Applies the rule.</summary>
    public static bool StandsOut(long attempts, long failures, long allAttempts, long allFailures) =>
        attempts >= MinAttempts && failures >= 1
        && (failures == attempts || failures * allAttempts >= 2 * allFailures * attempts);
}
