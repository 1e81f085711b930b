using System.Diagnostics;

namespace Passkeys.Benchmarks;

/// <summary>
/// Warm-up for the custom modes: rounds of every action until no method has been compiled for two
/// rounds (tier-0, instrumented and optimized tier-1 code all done), at most <c>maxSeconds</c>. Run
/// it unpinned, so the tiered JIT's background thread has the other core. On a loaded machine a
/// fixed warm-up time is not enough: measuring half-tiered code once gave a ratio of 0.41.
/// </summary>
internal static class WarmUp
{
    public readonly record struct Outcome(int Passes, double Seconds, bool JitQuiet);

    public static Outcome UntilJitQuiet(IReadOnlyList<Action> actions, double maxSeconds = 15)
    {
        var watch = Stopwatch.StartNew();
        long compiled = -1;
        int quiet = 0, passes = 0;
        while (quiet < 2 && watch.Elapsed.TotalSeconds < maxSeconds)
        {
            foreach (var action in actions)
            {
                RunFor(action, TimeSpan.FromMilliseconds(150), minimumCalls: 200);
            }
            Thread.Sleep(150);
            long now = System.Runtime.JitInfo.GetCompiledMethodCount();
            quiet = now == compiled ? quiet + 1 : 0;
            compiled = now;
            passes++;
        }
        return new Outcome(passes, watch.Elapsed.TotalSeconds, quiet >= 2);
    }

    /// <summary>Runs <paramref name="run"/> for at least <paramref name="duration"/> and <paramref name="minimumCalls"/> calls; returns the count.</summary>
    public static int RunFor(Action run, TimeSpan duration, int minimumCalls)
    {
        int n = 0;
        long start = Stopwatch.GetTimestamp();
        do
        {
            run();
            n++;
        }
        while (n < minimumCalls || Stopwatch.GetElapsedTime(start) < duration);
        return n;
    }

    public static string Describe(Outcome o) =>
        $"{o.Passes} passes in {o.Seconds:F1} s until the JIT was quiet ({(o.JitQuiet ? "reached" : "NOT reached; figures may include unoptimized code")})";
}
