using System.Diagnostics;

namespace Passkeys.Cli.Fuzzing;

/// <summary>The counts and distinct findings of a fuzz run.</summary>
internal sealed class FuzzReport
{
    public long Iterations { get; set; }
    public Dictionary<string, long> IterationsByTarget { get; } = new(StringComparer.Ordinal);
    public List<FuzzFinding> Findings { get; } = [];
}

/// <summary>
/// Runs targets round-robin, each with its own <see cref="Random"/> derived from the run seed and
/// the target's position, so a target's input sequence does not depend on how long others take.
/// </summary>
internal static class FuzzRunner
{
    /// <summary>Runs until <paramref name="iterationsPerTarget"/> inputs went to each target, or <paramref name="duration"/> passed.</summary>
    public static FuzzReport Run(IReadOnlyList<FuzzTarget> targets, int seed, long iterationsPerTarget, TimeSpan duration, Action<FuzzFinding>? onFinding = null)
    {
        var report = new FuzzReport();
        var randoms = targets.Select((_, i) => new Random(HashCode.Combine(seed, i))).ToArray();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var clock = Stopwatch.StartNew();
        for (long round = 0; round < iterationsPerTarget && clock.Elapsed < duration; round++)
        {
            for (int t = 0; t < targets.Count; t++)
            {
                var target = targets[t];
                var (seedIndex, input) = target.Next(randoms[t]);
                report.Iterations++;
                report.IterationsByTarget[target.Name] = report.IterationsByTarget.GetValueOrDefault(target.Name) + 1;
                var finding = RunOne(target, seedIndex, input);
                if (finding is not null && seen.Add(finding.Signature))
                {
                    report.Findings.Add(finding);
                    onFinding?.Invoke(finding);
                }
            }
        }
        return report;
    }

    /// <summary>Feeds one input; returns a finding when anything but a PasskeyException escapes.</summary>
    public static FuzzFinding? RunOne(FuzzTarget target, int seedIndex, byte[] input)
    {
        try
        {
            target.Run(seedIndex, input);
            return null;
        }
        catch (PasskeyException)
        {
            return null;
        }
#pragma warning disable CA1031 // Catching everything else is the point: any other type is a finding.
        catch (Exception e)
#pragma warning restore CA1031
        {
            return new FuzzFinding(target.Name, seedIndex, input, e);
        }
    }
}
