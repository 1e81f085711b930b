using System.Globalization;
using Passkeys.Load;

namespace Passkeys.Benchmarks.Ceiling;

/// <summary>
/// `ceiling`: the real server (Passkeys.Server.dll, its own process and runtime settings) against
/// the ceiling app (<see cref="CeilingApp"/>, another process of this program), driven by the load
/// engine of `passkeys bench` in alternating rounds, for sign-in and for registration, at 1, 16 and
/// 64 concurrent users. Prints per store the paired ratio server/ceiling (rounds are paired: the
/// same concurrency and mix, one right after the other, in alternating order) and each process's
/// CPU per ceremony, read from the OS during the measured phase only.
/// </summary>
/// <remarks>
/// Options: <c>--store sqlite|postgres</c> (postgres needs <c>--connection-string</c> to an empty
/// database this run may fill), <c>--server-dll PATH</c> (default: the Release build of
/// src/Passkeys.Server; give another build to measure "before"), <c>--rounds N</c> (default 2),
/// <c>--duration 8s</c>, <c>--warmup 2s</c> (per run), <c>--prewarm 6s</c> (once per side and mix, unmeasured), <c>--users N</c> (registered before sign-ins, default 64),
/// <c>--concurrency 1,16,64</c>, <c>--mixes signin,register</c>. With PostgreSQL: <c>--nodes 2</c> runs
/// two server processes on the one database and splits each load between them (half the users and
/// half the concurrency each, run at the same time; throughput added, CPU per ceremony over both);
/// <c>--postgres-data DIR</c> (the cluster's data folder) also prints the database's CPU per
/// ceremony: the postmaster named in DIR/postmaster.pid and its child processes, read from /proc.
/// On PostgreSQL the database is analyzed after the pre-warm (<see cref="AnalyzeAsync"/>).
/// </remarks>
internal static class CeilingMode
{
    internal const string AdminKey = "bench-ceiling-admin-key-0123456789abcdef0123";

    public static int Run(string[] args)
    {
        try
        {
            return RunAsync(args).GetAwaiter().GetResult();
        }
        catch (Exception e) when (e is ArgumentException or FormatException or InvalidOperationException or TimeoutException)
        {
            Console.Error.WriteLine("ceiling: " + e.Message);
            return 2;
        }
    }

    /// <summary>
    /// Gives PostgreSQL statistics of the tables the pre-warm filled. A new database has never been
    /// analyzed, and PostgreSQL may keep a generic plan it made for a server's prepared statement
    /// (Npgsql prepares them automatically) from empty-table estimates until autovacuum first
    /// analyzes the table: the funnel row's finish then read every funnel row of the tenant through
    /// <c>(tenant_id, begun_at)</c> instead of its primary key, in about half the runs, ten to a
    /// hundred times slower (docs/benchmarks.md, "The funnel row's finish"). Since session 8 the
    /// schema leaves those statements no index but their key (PostgresHotPathPlanTests), so this no
    /// longer decides the plans; it stays so that every run measures tables with statistics, as a
    /// deployed server's are, and runs before and after that change stay comparable.
    /// </summary>
    private static async Task AnalyzeAsync(string connectionString)
    {
        await using var db = new Npgsql.NpgsqlConnection(connectionString);
        await db.OpenAsync();
        await using var analyze = new Npgsql.NpgsqlCommand("ANALYZE", db);
        await analyze.ExecuteNonQueryAsync();
    }

    private sealed record Pair(string Mix, int Concurrency, int Round, double Server, double Ceiling, double ServerCpuMs, double CeilingCpuMs, double DbCpuMs);

    private static async Task<int> RunAsync(string[] args)
    {
        var cli = BenchOptions.Parse(args,
            ["--store", "--connection-string", "--server-dll", "--rounds", "--duration", "--warmup", "--prewarm", "--users", "--concurrency", "--mixes", "--nodes", "--postgres-data"]);
        var store = cli.Text("--store") ?? "sqlite";
        if (store is not ("sqlite" or "postgres"))
        {
            throw new ArgumentException($"--store must be sqlite or postgres, not '{store}'");
        }
        var connection = cli.Text("--connection-string");
        if (store == "postgres" && connection is null)
        {
            throw new ArgumentException("--store postgres needs --connection-string 'Host=…;Database=…;Username=…' (an empty database this run may fill)");
        }
        var serverDll = cli.Text("--server-dll") ?? DefaultServerDll();
        if (!File.Exists(serverDll))
        {
            throw new ArgumentException($"no server at {serverDll}: build it first (dotnet build -c Release src/Passkeys.Server) or give --server-dll");
        }
        var rounds = cli.Count("--rounds", 2);
        var duration = cli.Duration("--duration", "8s");
        var warmup = cli.Duration("--warmup", "2s");
        var users = cli.Count("--users", 64);
        var levels = cli.Counts("--concurrency", "1,16,64");
        var mixes = (cli.Text("--mixes") ?? "signin,register").Split(',');
        var nodes = cli.Count("--nodes", 1);
        if (nodes is < 1 or > 2 || (nodes == 2 && store != "postgres"))
        {
            throw new ArgumentException("--nodes must be 1, or 2 with --store postgres (two servers on one database)");
        }
        var database = cli.Text("--postgres-data") is { } data ? new PostgresCpu(data) : null;

        var folder = Path.Combine(Path.GetTempPath(), "passkeys-bench-ceiling-" + Guid.NewGuid().ToString("N"));
        // The ceiling app runs with the GC the server ships with (ASP.NET Core's defaults: server GC, concurrent).
        var webGc = new Dictionary<string, string> { ["DOTNET_gcServer"] = "1", ["DOTNET_gcConcurrent"] = "1" };
        string[] serverArgs =
        [
            "--Passkeys:DataDirectory=" + folder, "--Passkeys:AdminKey=" + AdminKey, "--Passkeys:Store=" + store,
            .. connection is null ? Array.Empty<string>() : ["--Passkeys:ConnectionString=" + connection],
            "--Passkeys:RateLimits:Enabled=true", "--Passkeys:RateLimits:CeremonyPerAddress=1000000000", "--Passkeys:RateLimits:CeremonyPerTenant=1000000000",
            "--Logging:LogLevel:Default=Warning",
        ];
        // Two nodes must decrypt each other's signing keys: one key-encryption key for both (from the
        // environment: the server takes no secrets on its command line).
        var serverEnvironment = nodes == 1 ? new Dictionary<string, string>() : new Dictionary<string, string>
        {
            ["Passkeys__KeyProtection__KeyEncryptionKey"] = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)),
        };
        using var server = await ChildServer.StartAsync("server", serverDll, serverArgs, serverEnvironment);
        // The second node: its own process and data folder on the same database (PostgreSQL only).
        using var second = nodes == 2
            ? await ChildServer.StartAsync("server-2", serverDll, [.. serverArgs, "--Passkeys:DataDirectory=" + folder + "-2"], serverEnvironment)
            : null;
        using var ceiling = await ChildServer.StartAsync("ceiling", typeof(CeilingMode).Assembly.Location, ["serve-ceiling"], webGc);
        Console.WriteLine($"machine: {Environment.ProcessorCount} logical cores, .NET {Environment.Version}; store {store}; server {serverDll}{(nodes == 2 ? " (2 nodes)" : "")}");
        Console.WriteLine($"rounds {rounds} x {duration.TotalSeconds:0.#} s measured (+{warmup.TotalSeconds:0.#} s warm-up) per side, {users} users");
        var pairs = new List<Pair>();
        try
        {
            // Both sides once through every code path before anything is measured (JIT tiers, pools, caches).
            var prewarm = cli.Duration("--prewarm", "6s");
            foreach (var target in new[] { server, ceiling })
            {
                foreach (var mix in mixes)
                {
                    await MeasureAsync(target, mix, 16, users, prewarm, TimeSpan.Zero);
                    if (target == server && second is not null)
                    {
                        await MeasureAsync(second, mix, 16, users, prewarm, TimeSpan.Zero);
                    }
                }
            }
            if (store == "postgres")
            {
                await AnalyzeAsync(connection!);
            }
            foreach (var mix in mixes)
            {
                foreach (var c in levels)
                {
                    for (var round = 1; round <= rounds; round++)
                    {
                        // Alternate who goes first, so a drift in the machine's load hits both sides alike.
                        var order = round % 2 == 1 ? new[] { server, ceiling } : [ceiling, server];
                        var results = new Dictionary<string, (double Throughput, double CpuMs)>();
                        var dbCpuMs = double.NaN;
                        foreach (var target in order)
                        {
                            if (target != server)
                            {
                                results[target.Name] = await MeasureAsync(target, mix, c, users, duration, warmup);
                                continue;
                            }
                            // The database's CPU from the (first) measured phase's start to the end of the load.
                            TimeSpan? dbStart = null;
                            void Measuring()
                            {
                                lock (results)
                                {
                                    dbStart ??= database?.Total;
                                }
                            }
                            results[target.Name] = second is null
                                ? await MeasureAsync(target, mix, c, users, duration, warmup, Measuring)
                                : await MeasureNodesAsync(server, second, mix, c, users, duration, warmup, Measuring);
                            if (database is not null && dbStart is not null)
                            {
                                dbCpuMs = (database.Total - dbStart.Value).TotalMilliseconds / (results[target.Name].Throughput * duration.TotalSeconds);
                            }
                        }
                        var pair = new Pair(mix, c, round, results["server"].Throughput, results["ceiling"].Throughput, results["server"].CpuMs, results["ceiling"].CpuMs, dbCpuMs);
                        pairs.Add(pair);
                        Console.Error.WriteLine(Invariant($"  {mix} c={c} round {round}: server {pair.Server:0}/s ({pair.ServerCpuMs:0.00} ms CPU), ceiling {pair.Ceiling:0}/s ({pair.CeilingCpuMs:0.00} ms CPU), ratio {pair.Server / pair.Ceiling:0.00}{(database is null ? "" : Invariant($", database {dbCpuMs:0.00} ms CPU"))}"));
                    }
                }
            }
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        }
        server.Dispose();
        second?.Dispose();
        try { Directory.Delete(folder + "-2", true); } catch (DirectoryNotFoundException) { } catch (IOException) { } catch (UnauthorizedAccessException) { }
        try { Directory.Delete(folder, true); } catch (IOException) { } catch (UnauthorizedAccessException) { }

        Console.WriteLine();
        Console.WriteLine($"store {store}: ceremonies/s (median of rounds), paired ratio server/ceiling (median of the rounds' ratios), server CPU per ceremony");
        Console.WriteLine("mix       users  server/s  ceiling/s  ratio   server CPU ms  ceiling CPU ms" + (database is null ? "" : "  database CPU ms"));
        foreach (var g in pairs.GroupBy(p => (p.Mix, p.Concurrency)))
        {
            Console.WriteLine(Invariant($"{g.Key.Mix,-9} {g.Key.Concurrency,5} {Median(g.Select(p => p.Server)),9:0} {Median(g.Select(p => p.Ceiling)),10:0} {Median(g.Select(p => p.Server / p.Ceiling)),6:0.00} {Median(g.Select(p => p.ServerCpuMs)),15:0.000} {Median(g.Select(p => p.CeilingCpuMs)),15:0.000}")
                + (database is null ? "" : Invariant($" {Median(g.Select(p => p.DbCpuMs)),16:0.000}")));
        }
        return 0;
    }

    /// <summary>One load run against <paramref name="target"/>; the throughput and the target's CPU ms per successful ceremony in the measured phase.</summary>
    internal static async Task<(double Throughput, double CpuMs)> MeasureAsync(ChildServer target, string mix, int concurrency, int users, TimeSpan duration, TimeSpan warmup,
        Action? measuring = null)
    {
        var options = new LoadOptions
        {
            Server = target.Url,
            Tenant = "default",
            Origin = "http://localhost:5080",
            Users = mix == "register" ? 1 : users,
            Concurrency = concurrency,
            Duration = duration,
            Warmup = warmup,
            Mix = OperationMix.Parse(mix + "=100"),
        };
        if (options.Validate() is { Count: > 0 } problems)
        {
            throw new ArgumentException(problems[0]);
        }
        var marker = new MeasuredPhase(target, measuring);
        var report = await new LoadEngine(options, marker).RunAsync(CancellationToken.None);
        var cpu = target.Cpu - marker.CpuAtStart;
        if (report.Aborted is not null || report.Succeeded == 0)
        {
            throw new InvalidOperationException($"{target.Name} {mix} c={concurrency}: {report.Aborted ?? "nothing succeeded"}");
        }
        if (report.Failed > 0)
        {
            Console.Error.WriteLine(Invariant($"  {target.Name} {mix} c={concurrency}: {report.Failed} of {report.Ceremonies} ceremonies failed"));
            TextReportWriter.Write(report, Console.Error);
        }
        return (report.Throughput, cpu.TotalMilliseconds / report.Succeeded);
    }

    /// <summary>
    /// One load split over two nodes at once: half the concurrency (and users) each, the throughputs
    /// added, the CPU per ceremony of both processes together.
    /// </summary>
    private static async Task<(double Throughput, double CpuMs)> MeasureNodesAsync(ChildServer first, ChildServer second, string mix, int concurrency, int users,
        TimeSpan duration, TimeSpan warmup, Action? measuring)
    {
        var half = Math.Max(1, concurrency / 2);
        var runs = await Task.WhenAll(
            MeasureAsync(first, mix, half, Math.Max(1, users / 2), duration, warmup, measuring),
            MeasureAsync(second, mix, Math.Max(1, concurrency - half), Math.Max(1, users - (users / 2)), duration, warmup, measuring));
        var throughput = runs[0].Throughput + runs[1].Throughput;
        return (throughput, ((runs[0].CpuMs * runs[0].Throughput) + (runs[1].CpuMs * runs[1].Throughput)) / throughput);
    }

    // The engine announces its measured phase on the progress writer: the target's CPU is read there.
    private sealed class MeasuredPhase(ChildServer target, Action? measuring) : TextWriter
    {
        public TimeSpan CpuAtStart { get; private set; }

        public override System.Text.Encoding Encoding => System.Text.Encoding.UTF8;

        public override void WriteLine(string? value)
        {
            if (value?.StartsWith("measuring:", StringComparison.Ordinal) == true)
            {
                CpuAtStart = target.Cpu;
                measuring?.Invoke();
            }
        }
    }

    internal static string DefaultServerDll()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "src", "Passkeys.Server", "bin", "Release", "net10.0", "Passkeys.Server.dll");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }
        return Path.Combine("src", "Passkeys.Server", "bin", "Release", "net10.0", "Passkeys.Server.dll");
    }

    internal static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length == 0 ? 0 : sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }

    internal static string Invariant(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);

}
