using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;

namespace Passkeys.Benchmarks;

/// <summary>
/// `ratio`: a quick measurement (well under a minute) that is robust to a noisy shared machine:
/// pinned to one core, every contender warmed up past tiered JIT, then short timed batches of all
/// contenders interleaved round by round (so a burst of outside load hits them all alike), and the
/// median batch throughput of each. Ends with the line <c>finish-authentication/raw-verify: X.XX</c>.
/// </summary>
/// <remarks>Options: <c>--seconds N</c> (measuring time over all contenders, default 15), <c>--batch-ms N</c> (default 20).</remarks>
internal static class RatioMode
{
    private sealed record Contender(string Name, Action Run)
    {
        public int Batch { get; set; }
        public List<double> OpsPerSecond { get; } = [];
        public double Median => MedianOf(OpsPerSecond);
    }

    public static int Run(string[] args)
    {
        var cli = BenchOptions.Parse(args, ["--seconds", "--batch-ms"]);
        double seconds = cli.Positive("--seconds", 15);
        double batchMs = cli.Positive("--batch-ms", 20);

        using var f = AssertionFixture.Create();
        var rawWarm = new Contender("raw-verify", () => f.RawVerify(f.ImportedKey));
        var oursWarm = new Contender("finish-authentication (warm)", () => f.Warm.FinishAuthentication(f.ResponseJson, f.State, f.Credential));
        var rawCold = new Contender("raw-import+verify", () => f.RawImportAndVerify());
        var oursCold = new Contender("finish-authentication (cold)", () => f.Cold.FinishAuthentication(f.ResponseJson, f.State, f.Credential));
        var identity = new Contender("aspnetcore-identity", () => f.IdentityVerify());
        Contender[] all = [rawWarm, oursWarm, rawCold, oursCold, identity];

        // Warm-up (unpinned, until the JIT is quiet), then pin and size each batch to about batchMs.
        var warmUp = WarmUp.UntilJitQuiet([.. all.Select(c => c.Run)]);
        string pinned = CorePinning.PinToCore0();
        foreach (var c in all)
        {
            int n = WarmUp.RunFor(c.Run, TimeSpan.FromMilliseconds(batchMs * 2), minimumCalls: 1);
            c.Batch = Math.Max(4, n / 2);
        }

        // Interleaved rounds, rotating the order so no contender always runs right after another.
        var total = Stopwatch.StartNew();
        int round = 0;
        while (total.Elapsed.TotalSeconds < seconds || round < 10)
        {
            for (int i = 0; i < all.Length; i++)
            {
                var c = all[(i + round) % all.Length];
                long start = Stopwatch.GetTimestamp();
                for (int k = 0; k < c.Batch; k++)
                {
                    c.Run();
                }
                c.OpsPerSecond.Add(c.Batch / Stopwatch.GetElapsedTime(start).TotalSeconds);
            }
            round++;
        }

        // Allocation: bytes this thread allocated per call, over 2 000 calls after the above. The
        // response JSON string (the input) was allocated in setup, so it is not counted; everything
        // the call itself allocates (parsed response, decoded buffer, results, updated record) is.
        var bytes = all.ToDictionary(c => c, c => AllocatedPerCall(c.Run, 2000));

        var inv = CultureInfo.InvariantCulture;
        Console.WriteLine($"machine: {Environment.ProcessorCount} logical cores, {RuntimeInformation.OSDescription}, {RuntimeInformation.ProcessArchitecture}, .NET {Environment.Version}");
        Console.WriteLine($"warm-up: {WarmUp.Describe(warmUp)}");
        Console.WriteLine($"pinned: {pinned}; {round} interleaved rounds in {total.Elapsed.TotalSeconds:F1} s, batches of ~{batchMs} ms");
        Console.WriteLine(string.Create(inv, $"{"contender",-30} {"median ops/s",12} {"µs/op",8} {"min..max ops/s",20} {"B/op",6}"));
        foreach (var c in all)
        {
            Console.WriteLine(string.Create(inv,
                $"{c.Name,-30} {c.Median,12:F0} {1e6 / c.Median,8:F1} {$"{c.OpsPerSecond.Min():F0}..{c.OpsPerSecond.Max():F0}",20} {bytes[c],6:F0}"));
        }
        double warmRatio = oursWarm.Median / rawWarm.Median;
        // The same ratios paired round by round (each round's batches ran within ~100 ms of each
        // other): a check on the ratio of medians; a wide gap between the two means heavy noise.
        Console.WriteLine(string.Create(inv,
            $"paired per-round medians: warm {PairedMedian(oursWarm, rawWarm):F2}, cold {PairedMedian(oursCold, rawCold):F2}, warm/identity {PairedMedian(oursWarm, identity):F2}"));
        double coldRatio = oursCold.Median / rawCold.Median;
        double identityWarm = oursWarm.Median / identity.Median;
        double identityCold = oursCold.Median / identity.Median;
        Console.WriteLine(string.Create(inv, $"warm ratio (finish-authentication warm / raw-verify): {warmRatio:F2} (target >= 0.90)"));
        Console.WriteLine(string.Create(inv, $"cold ratio (finish-authentication cold / raw-import+verify): {coldRatio:F2} (target >= 0.90)"));
        Console.WriteLine(string.Create(inv, $"identity ratio (finish-authentication warm / aspnetcore-identity): {identityWarm:F2} (target >= 2.00); cold / identity: {identityCold:F2}"));
        Console.WriteLine(string.Create(inv, $"allocated per verification (this thread, input string excluded): warm {bytes[oursWarm]:F0} B, cold {bytes[oursCold]:F0} B (target <= 2048 B); raw-verify {bytes[rawWarm]:F0} B, identity {bytes[identity]:F0} B"));
        Console.WriteLine(string.Create(inv, $"finish-authentication/raw-verify: {warmRatio:F2}"));
        return 0;
    }

    private static double AllocatedPerCall(Action run, int count)
    {
        run();
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < count; i++)
        {
            run();
        }
        return (GC.GetAllocatedBytesForCurrentThread() - before) / (double)count;
    }

    private static double PairedMedian(Contender a, Contender b) =>
        MedianOf([.. a.OpsPerSecond.Zip(b.OpsPerSecond, (x, y) => x / y)]);

    private static double MedianOf(List<double> values)
    {
        var sorted = values.Order().ToArray();
        int mid = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }
}
