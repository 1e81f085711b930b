namespace Passkeys.Load;

/// <summary>Everything a run measured; the report writers turn it into text or JSON.</summary>
public sealed class LoadReport
{
    /// <summary>The options the run used.</summary>
    public required LoadOptions Options { get; init; }

    /// <summary>The run's id, which the user names carry (bench-{RunId}-u1, …).</summary>
    public required string RunId { get; init; }

    /// <summary>When the run started.</summary>
    public required DateTimeOffset StartedAt { get; init; }

    /// <summary>How many setup users the server registered.</summary>
    public int UsersRegistered { get; set; }

    /// <summary>The setup phase's statistics (registrations of the sign-in population).</summary>
    public WorkerStats Setup { get; } = new();

    /// <summary>How long setup took.</summary>
    public TimeSpan SetupTime { get; set; }

    /// <summary>How long the warm-up ran.</summary>
    public TimeSpan WarmupTime { get; set; }

    /// <summary>Ceremonies run during the warm-up (not in the figures).</summary>
    public long WarmupCeremonies { get; set; }

    /// <summary>The measured phase's statistics.</summary>
    public WorkerStats Measured { get; } = new();

    /// <summary>The measured phase's wall-clock time, to the end of its last ceremony.</summary>
    public TimeSpan MeasuredTime { get; set; }

    /// <summary>Whether the measured phase ran at all (not when setup or warm-up was interrupted).</summary>
    public bool MeasuredPhaseRan { get; set; }

    /// <summary>Whether the run was stopped early (Ctrl+C): the figures cover what had finished.</summary>
    public bool Cancelled { get; set; }

    /// <summary>CPU time this process used during the measured phase (all threads).</summary>
    public TimeSpan ProcessCpu { get; set; }

    /// <summary>The machine's logical processors.</summary>
    public int Cores { get; init; } = Environment.ProcessorCount;

    /// <summary>Set when the run could not go on: what went wrong, for the user.</summary>
    public string? Aborted { get; set; }

    /// <summary>The exit code of an aborted run (2 for usage, reachability or configuration; 1 for ceremonies failing).</summary>
    public int AbortExitCode { get; set; } = 2;

    /// <summary>Measured ceremonies that succeeded.</summary>
    public long Succeeded => Measured.TotalSucceeded;

    /// <summary>Measured ceremonies that failed.</summary>
    public long Failed => Measured.TotalFailed;

    /// <summary>All measured ceremonies.</summary>
    public long Ceremonies => Succeeded + Failed;

    /// <summary>Failed / all measured ceremonies (0 when none ran).</summary>
    public double ErrorRate => Ceremonies == 0 ? 0 : (double)Failed / Ceremonies;

    /// <summary>Successful ceremonies per second of the measured phase.</summary>
    public double Throughput => MeasuredTime > TimeSpan.Zero ? Succeeded / MeasuredTime.TotalSeconds : 0;

    /// <summary>The share of the machine's CPU this process used while measuring (0–1).</summary>
    public double CpuShare => MeasuredTime > TimeSpan.Zero ? ProcessCpu.TotalSeconds / (MeasuredTime.TotalSeconds * Cores) : 0;

    /// <summary>Whether the server's rate limiter answered at any point.</summary>
    public bool RateLimited => HasRateLimit(Setup) || HasRateLimit(Measured);

    /// <summary>0: the ceremonies succeeded (error rate within --max-error-rate); 1: they did not; 2: the run could not start.</summary>
    public int ExitCode =>
        Aborted is not null ? AbortExitCode
        : !MeasuredPhaseRan && Cancelled ? 1
        : Succeeded == 0 || ErrorRate > Options.MaxErrorRate ? 1
        : 0;

    private static bool HasRateLimit(WorkerStats stats)
    {
        foreach (var site in stats.Errors.Keys)
        {
            if (site.Error.IsRateLimited)
            {
                return true;
            }
        }
        return false;
    }
}
