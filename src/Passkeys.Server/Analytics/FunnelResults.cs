using Passkeys.Server.Storage;

namespace Passkeys.Server.Analytics;

/// <summary>
/// Where each ceremony ended, one result per row, so that the funnel's result columns add up to
/// "begun" exactly (docs/analytics.md, "Results"). Every report and the drill-down classify rows
/// here and only here, so a count and the rows listed behind it can never disagree.
/// </summary>
public static class FunnelResults
{
    /// <summary>The server verified the response.</summary>
    public const string Succeeded = "succeeded";
    /// <summary>The server refused the response (an error code).</summary>
    public const string Failed = "failed";
    /// <summary>The SDK reported the user closed the prompt.</summary>
    public const string Cancelled = "cancelled";
    /// <summary>The SDK reported the prompt timed out.</summary>
    public const string TimedOut = "timed-out";
    /// <summary>The SDK reported another browser error (not-allowed, invalid-state, security, not-supported, unknown).</summary>
    public const string OtherClientError = "other-client-error";
    /// <summary>Expired with no answer and no report.</summary>
    public const string Abandoned = "abandoned";
    /// <summary>Still open: neither answered nor expired (nor marked by the purge yet).</summary>
    public const string Pending = "pending";

    /// <summary>Every result, in funnel order.</summary>
    public static IReadOnlyList<string> All { get; } = [Succeeded, Failed, Cancelled, TimedOut, OtherClientError, Abandoned, Pending];

    /// <summary>
    /// The row's result: the server's answer first (a browser cannot both error and send a response),
    /// then the SDK's report, then abandonment.
    /// </summary>
    public static string Of(CeremonyOutcomeRecord row)
    {
        ArgumentNullException.ThrowIfNull(row);
        return row.ServerOutcome switch
        {
            ServerOutcomes.Succeeded => Succeeded,
            ServerOutcomes.Failed => Failed,
            _ => row.ClientOutcome switch
            {
                ClientOutcomes.Cancelled => Cancelled,
                ClientOutcomes.TimedOut => TimedOut,
                null => row.ServerOutcome == ServerOutcomes.Abandoned ? Abandoned : Pending,
                _ => OtherClientError,
            },
        };
    }

    /// <summary>
    /// Whether the row is an attempt, as success and failure rates count them: a modal ceremony
    /// that has ended (any result but pending); a conditional one only once the user acted on it
    /// (the server got a response, or the SDK reported a browser error): conditional ceremonies
    /// offered on page load and never used are not attempts.
    /// </summary>
    public static bool IsAttempt(CeremonyOutcomeRecord row)
    {
        ArgumentNullException.ThrowIfNull(row);
        var result = Of(row);
        return row.Mediation == Mediations.Conditional
            ? result is not (Abandoned or Pending)
            : result != Pending;
    }

    /// <summary>Why an attempt did not succeed: the server's error name, the browser outcome, or abandoned; null for a success.</summary>
    public static string? ReasonOf(CeremonyOutcomeRecord row)
    {
        ArgumentNullException.ThrowIfNull(row);
        return Of(row) switch
        {
            Succeeded or Pending => null,
            Failed => row.Error ?? "unknown",
            Abandoned => Abandoned,
            _ => row.ClientOutcome,
        };
    }

    /// <summary>Time from begin to a successful finish, in whole milliseconds; null unless succeeded.</summary>
    public static double? TimeToFinishMs(CeremonyOutcomeRecord row)
    {
        ArgumentNullException.ThrowIfNull(row);
        return row.ServerOutcome == ServerOutcomes.Succeeded && row.FinishedAt is { } f ? Math.Round((f - row.BegunAt).TotalMilliseconds) : null;
    }

    /// <summary>The median (the mean of the two middle values for an even count); null for none.</summary>
    public static double? Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        if (sorted.Count == 0)
        {
            return null;
        }
        var mid = sorted.Count / 2;
        return sorted.Count % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }
}
