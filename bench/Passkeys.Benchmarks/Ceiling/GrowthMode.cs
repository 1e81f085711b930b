using static Passkeys.Benchmarks.Ceiling.CeilingMode;

namespace Passkeys.Benchmarks.Ceiling;

/// <summary>
/// `growth`: does sign-in slow down as history piles up? Two server processes of the same build run
/// side by side: one on an empty database, one on a database grown with 10⁶ audit events and 10⁶
/// sessions (<see cref="GrowthSeed"/>; a tenth of each due for purging, and the purge running every
/// few seconds in both, so its batches compete with the measured sign-ins). The load engine drives
/// both in alternating rounds; the paired ratio grown/empty is the figure (issue 11: ≥ 1/1.2).
/// With <c>--mix register</c> it asks the same of self sign-up, whose inserts meet the users
/// table's unique keys: grow that table with <c>--seed-users 100000</c>.
/// </summary>
/// <remarks>
/// Options: <c>--store sqlite|postgres</c> (postgres needs <c>--connection-string</c> and
/// <c>--grown-connection-string</c>, two empty databases), <c>--server-dll</c>, <c>--rounds 3</c>,
/// <c>--duration 8s</c>, <c>--warmup 2s</c>, <c>--users 64</c>, <c>--concurrency 16</c>,
/// <c>--audit-rows 1000000</c>, <c>--session-rows 1000000</c>, <c>--purge-interval 00:00:05</c>,
/// <c>--mix signin|register</c>, <c>--seed-users 1000</c> (users with one passkey each, the sessions' owners).
/// </remarks>
internal static class GrowthMode
{
    public static int Run(string[] args)
    {
        try
        {
            return RunAsync(args).GetAwaiter().GetResult();
        }
        catch (Exception e) when (e is ArgumentException or FormatException or InvalidOperationException or TimeoutException)
        {
            Console.Error.WriteLine("growth: " + e.Message);
            return 2;
        }
    }

    private static async Task<int> RunAsync(string[] args)
    {
        var cli = BenchOptions.Parse(args,
            ["--store", "--connection-string", "--grown-connection-string", "--server-dll", "--rounds", "--duration", "--warmup", "--users", "--concurrency",
             "--audit-rows", "--session-rows", "--purge-interval", "--mix", "--seed-users"]);
        var store = cli.Text("--store") ?? "sqlite";
        var emptyConnection = cli.Text("--connection-string");
        var grownConnection = cli.Text("--grown-connection-string");
        if (store is not ("sqlite" or "postgres") || (store == "postgres" && (emptyConnection is null || grownConnection is null)))
        {
            throw new ArgumentException("--store sqlite, or --store postgres with --connection-string and --grown-connection-string (two empty databases)");
        }
        var serverDll = cli.Text("--server-dll") ?? DefaultServerDll();
        if (!File.Exists(serverDll))
        {
            throw new ArgumentException($"no server at {serverDll}: build it first (dotnet build -c Release src/Passkeys.Server) or give --server-dll");
        }
        var rounds = cli.Count("--rounds", 3);
        var duration = cli.Duration("--duration", "8s");
        var warmup = cli.Duration("--warmup", "2s");
        var users = cli.Count("--users", 64);
        var concurrency = cli.Count("--concurrency", 16);
        var auditRows = cli.Count("--audit-rows", 1000000, min: 0);
        var sessionRows = cli.Count("--session-rows", 1000000, min: 0);
        var purgeInterval = cli.Text("--purge-interval") ?? "00:00:05";
        var mix = cli.Text("--mix") ?? "signin";
        if (mix is not ("signin" or "register"))
        {
            throw new ArgumentException("--mix signin|register");
        }
        var seedUsers = cli.Count("--seed-users", 1000);

        var emptyFolder = Path.Combine(Path.GetTempPath(), "passkeys-bench-growth-empty-" + Guid.NewGuid().ToString("N"));
        var grownFolder = Path.Combine(Path.GetTempPath(), "passkeys-bench-growth-grown-" + Guid.NewGuid().ToString("N"));
        string[] Settings(string folder, string? connection) =>
        [
            "--Passkeys:DataDirectory=" + folder, "--Passkeys:AdminKey=" + AdminKey, "--Passkeys:Store=" + store,
            .. connection is null ? Array.Empty<string>() : ["--Passkeys:ConnectionString=" + connection],
            "--Passkeys:RateLimits:Enabled=true", "--Passkeys:RateLimits:CeremonyPerAddress=1000000000", "--Passkeys:RateLimits:CeremonyPerTenant=1000000000",
            "--Passkeys:Ceremonies:PurgeInterval=" + purgeInterval, "--Logging:LogLevel:Default=Warning",
        ];
        var none = new Dictionary<string, string>();
        using var empty = await ChildServer.StartAsync("empty", serverDll, Settings(emptyFolder, emptyConnection), none);
        using var grown = await ChildServer.StartAsync("grown", serverDll, Settings(grownFolder, grownConnection), none);
        var grownTarget = store == "sqlite" ? Path.Combine(grownFolder, "passkeys.db") : grownConnection!;
        Console.WriteLine($"machine: {Environment.ProcessorCount} logical cores, .NET {Environment.Version}; store {store}; server {serverDll}");
        var seeding = System.Diagnostics.Stopwatch.StartNew();
        await GrowthSeed.SeedAsync(store, grownTarget, auditRows, sessionRows, seedUsers);
        var before = await GrowthSeed.CountAsync(store, grownTarget);
        Console.WriteLine(Invariant($"grown: {seedUsers} users, {before.Audit} audit events, {before.Sessions} sessions (seeded in {seeding.Elapsed.TotalSeconds:0} s); purge every {purgeInterval}"));
        Console.WriteLine(Invariant($"rounds {rounds} x {duration.TotalSeconds:0.#} s measured (+{warmup.TotalSeconds:0.#} s warm-up) per side, {mix}, {concurrency} concurrent, {users} users"));

        var pairs = new List<(double Empty, double Grown, double EmptyCpu, double GrownCpu)>();
        try
        {
            foreach (var target in new[] { empty, grown })
            {
                await MeasureAsync(target, mix, concurrency, users, TimeSpan.FromSeconds(6), TimeSpan.Zero);
            }
            for (var round = 1; round <= rounds; round++)
            {
                var order = round % 2 == 1 ? new[] { empty, grown } : [grown, empty];
                var results = new Dictionary<string, (double Throughput, double CpuMs)>();
                foreach (var target in order)
                {
                    results[target.Name] = await MeasureAsync(target, mix, concurrency, users, duration, warmup);
                }
                pairs.Add((results["empty"].Throughput, results["grown"].Throughput, results["empty"].CpuMs, results["grown"].CpuMs));
                Console.Error.WriteLine(Invariant($"  round {round}: empty {results["empty"].Throughput:0}/s, grown {results["grown"].Throughput:0}/s, ratio {results["grown"].Throughput / results["empty"].Throughput:0.00}"));
            }
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        }
        var after = await GrowthSeed.CountAsync(store, grownTarget);
        empty.Dispose();
        grown.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        foreach (var folder in new[] { emptyFolder, grownFolder })
        {
            try { Directory.Delete(folder, true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }

        Console.WriteLine();
        // Net: the purges' deletions minus what the rounds wrote (negative when the rounds wrote more).
        Console.WriteLine(Invariant($"removed during the run, net of the rows the rounds wrote: {before.Audit - after.Audit} audit events, {before.Sessions - after.Sessions} sessions"));
        Console.WriteLine("store     empty/s  grown/s  grown/empty  empty CPU ms  grown CPU ms");
        Console.WriteLine(Invariant($"{store,-9} {Median(pairs.Select(p => p.Empty)),7:0} {Median(pairs.Select(p => p.Grown)),8:0} {Median(pairs.Select(p => p.Grown / p.Empty)),12:0.00} {Median(pairs.Select(p => p.EmptyCpu)),13:0.000} {Median(pairs.Select(p => p.GrownCpu)),13:0.000}"));
        return 0;
    }
}
