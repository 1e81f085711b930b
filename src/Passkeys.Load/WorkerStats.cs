namespace Passkeys.Load;

/// <summary>
/// What one worker measured: a histogram per operation and stage, success and failure counts, and
/// error tallies. Each worker owns one, so recording takes no lock; the engine adds them up at the
/// end (<see cref="Add"/>).
/// </summary>
public sealed class WorkerStats
{
    private readonly LatencyHistogram[] _histograms;
    private readonly long[] _succeeded = new long[OperationNames.All.Length];
    private readonly long[] _failed = new long[OperationNames.All.Length];
    private readonly Dictionary<ErrorSite, ErrorTally> _errors = [];

    /// <summary>Creates empty statistics.</summary>
    public WorkerStats()
    {
        _histograms = new LatencyHistogram[OperationNames.All.Length * OperationNames.Stages.Length];
        for (int i = 0; i < _histograms.Length; i++)
        {
            _histograms[i] = new LatencyHistogram();
        }
    }

    /// <summary>
    /// The latencies (µs) of <paramref name="stage"/>: for begin, device and finish, every time that
    /// stage succeeded (a fast 429 would otherwise pull the percentiles down); for the whole ceremony,
    /// every successful ceremony.
    /// </summary>
    public LatencyHistogram Latency(Operation operation, Stage stage) => _histograms[((int)operation * OperationNames.Stages.Length) + (int)stage];

    /// <summary>Ceremonies of <paramref name="operation"/> that the server completed as asked.</summary>
    public long Succeeded(Operation operation) => _succeeded[(int)operation];

    /// <summary>Ceremonies of <paramref name="operation"/> that failed anywhere.</summary>
    public long Failed(Operation operation) => _failed[(int)operation];

    /// <summary>All succeeded ceremonies.</summary>
    public long TotalSucceeded => Sum(_succeeded);

    /// <summary>All failed ceremonies.</summary>
    public long TotalFailed => Sum(_failed);

    /// <summary>The error tallies.</summary>
    public IReadOnlyDictionary<ErrorSite, ErrorTally> Errors => _errors;

    /// <summary>Records how long a stage took (in Stopwatch ticks).</summary>
    public void RecordStage(Operation operation, Stage stage, long elapsedTicks) =>
        Latency(operation, stage).Record(TicksToMicroseconds(elapsedTicks));

    /// <summary>Counts a completed ceremony and records its whole duration.</summary>
    public void RecordSuccess(Operation operation, long ceremonyTicks)
    {
        _succeeded[(int)operation]++;
        RecordStage(operation, Stage.Ceremony, ceremonyTicks);
    }

    /// <summary>Counts a failed ceremony under its error.</summary>
    public void RecordFailure(Operation operation, Stage stage, LoadError error, string? detail)
    {
        _failed[(int)operation]++;
        var site = new ErrorSite(error, operation, stage);
        if (!_errors.TryGetValue(site, out var tally))
        {
            tally = new ErrorTally { Detail = detail };
            _errors[site] = tally;
        }
        tally.Count++;
    }

    /// <summary>Adds another worker's statistics to these.</summary>
    public void Add(WorkerStats other)
    {
        ArgumentNullException.ThrowIfNull(other);
        for (int i = 0; i < _histograms.Length; i++)
        {
            _histograms[i].Add(other._histograms[i]);
        }
        for (int i = 0; i < _succeeded.Length; i++)
        {
            _succeeded[i] += other._succeeded[i];
            _failed[i] += other._failed[i];
        }
        foreach (var (site, tally) in other._errors)
        {
            if (_errors.TryGetValue(site, out var mine))
            {
                mine.Count += tally.Count;
            }
            else
            {
                _errors[site] = new ErrorTally { Count = tally.Count, Detail = tally.Detail };
            }
        }
    }

    /// <summary>Stopwatch ticks to whole microseconds.</summary>
    public static long TicksToMicroseconds(long ticks) => (long)(ticks * (1_000_000.0 / System.Diagnostics.Stopwatch.Frequency));

    private static long Sum(long[] values)
    {
        long total = 0;
        foreach (long v in values)
        {
            total += v;
        }
        return total;
    }
}
