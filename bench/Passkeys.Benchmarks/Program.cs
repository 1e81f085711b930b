using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Passkeys.Benchmarks;

// `breakdown`: per-sub-step time and allocation (BreakdownMode).
// `ratio`: the quick, robust measurement (see RatioMode).
// `http`: the real server in process under HTTP load from virtual users (Http/HttpMode).
// `ceiling`: the real server and a minimal ceiling app, each its own process, side by side (Ceiling/CeilingMode);
// `growth`: sign-in on a database holding 10^6 audit events and sessions against an empty one (Ceiling/GrowthMode).
// `store-floor`: the store calls of a sign-in alone, in process (Ceiling/StoreFloorMode).
// `serve-ceiling` is that app. Anything else goes to BenchmarkDotNet's
// switcher; unless a job is given on the command line (--job, -j, --runtimes), a short run pinned
// to one core, in process (no generated project to build on a shared machine).
// A mode given a wrong option says which and exits 2 (as the CLI does), instead of a stack trace.
Func<int>? mode = args.Length == 0 ? null : args[0] switch
{
    "ratio" => () => RatioMode.Run(args[1..]),
    "http" => () => Passkeys.Benchmarks.Http.HttpMode.Run(args[1..]),
    "ceiling" => () => Passkeys.Benchmarks.Ceiling.CeilingMode.Run(args[1..]),
    "growth" => () => Passkeys.Benchmarks.Ceiling.GrowthMode.Run(args[1..]),
    "store-floor" => () => Passkeys.Benchmarks.Ceiling.StoreFloorMode.Run(args[1..]),
    "serve-ceiling" => () => Passkeys.Benchmarks.Ceiling.CeilingApp.Run(args[1..]),
    "breakdown" => BreakdownMode.Run,
    _ => null,
};
if (mode is not null)
{
    try
    {
        return mode();
    }
    catch (Exception e) when (e is ArgumentException or FormatException or OverflowException)
    {
        Console.Error.WriteLine($"{args[0]}: {e.Message}");
        return 2;
    }
}

static bool ChoosesJob(string a) => a is "--job" or "-j" or "--runtimes" or "-r" || a.StartsWith("--job=", StringComparison.Ordinal);
IConfig config = DefaultConfig.Instance;
if (!Array.Exists(args, ChoosesJob))
{
    config = config.AddJob(Job.ShortRun
        .WithAffinity(1)
        .WithToolchain(InProcessEmitToolchain.Instance)
        .WithId("ShortRun-InProcess-Core0"));
}
BenchmarkSwitcher.FromAssembly(typeof(AssertionBenchmarks).Assembly).Run(args, config);
return 0;
