using System.Diagnostics;
using System.Globalization;

namespace Passkeys.Load;

/// <summary>
/// Runs a load test: checks the server answers, registers the sign-in population (setup), warms up,
/// then runs the operation mix with <see cref="LoadOptions.Concurrency"/> workers for a duration or
/// a number of ceremonies (measured). Each worker runs one ceremony at a time, back to back (a
/// closed loop: the offered load follows the server's speed), into statistics of its own.
/// Cancelling the token stops the run between ceremonies; what finished is reported.
/// </summary>
public sealed class LoadEngine
{
    private readonly LoadOptions _options;
    private readonly TextWriter _progress;
    private readonly string _runId = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(4));
    private long _registrations;

    /// <summary>Creates an engine; progress lines (phases, a line every 5 s) go to <paramref name="progress"/>.</summary>
    public LoadEngine(LoadOptions options, TextWriter progress)
    {
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _progress = progress ?? throw new ArgumentNullException(nameof(progress));
    }

    /// <summary>How often the measured phase prints a progress line.</summary>
    public TimeSpan ProgressInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Runs the test. Never throws for what the server does; the report says it (see <see cref="LoadReport.Aborted"/>).</summary>
    public async Task<LoadReport> RunAsync(CancellationToken cancellationToken)
    {
        var report = new LoadReport { Options = _options, RunId = _runId, StartedAt = DateTimeOffset.UtcNow };
        using var server = new ServerConnection(_options);
        var users = new List<VirtualUser>();
        try
        {
            if (await PreflightAsync(server, report, users, cancellationToken).ConfigureAwait(false)
                && await SetupAsync(server, report, users, cancellationToken).ConfigureAwait(false))
            {
                var pool = users.ToArray();
                if (_options.Warmup > TimeSpan.Zero)
                {
                    _progress.WriteLine(Invariant($"warm-up: {_options.Warmup.TotalSeconds:0.#} s (not measured)"));
                    var warm = new WorkerStats();
                    var elapsed = await RunPhaseAsync(server, pool, Gate.For(_options.Warmup, null), warm, false, cancellationToken).ConfigureAwait(false);
                    report.WarmupTime = elapsed;
                    report.WarmupCeremonies = warm.TotalSucceeded + warm.TotalFailed;
                }
                if (!cancellationToken.IsCancellationRequested)
                {
                    _progress.WriteLine(_options.Iterations is long n
                        ? Invariant($"measuring: {n} ceremonies, {_options.Concurrency} at a time ({_options.Mix})")
                        : Invariant($"measuring: {_options.Duration.TotalSeconds:0.#} s, {_options.Concurrency} at a time ({_options.Mix})"));
                    var cpuBefore = Environment.CpuUsage.TotalTime;
                    report.MeasuredPhaseRan = true;
                    report.MeasuredTime = await RunPhaseAsync(server, pool, Gate.For(_options.Duration, _options.Iterations), report.Measured, true, cancellationToken)
                        .ConfigureAwait(false);
                    report.ProcessCpu = Environment.CpuUsage.TotalTime - cpuBefore;
                }
            }
        }
        finally
        {
            report.Cancelled = cancellationToken.IsCancellationRequested;
            foreach (var user in users)
            {
                user.Dispose();
            }
        }
        return report;
    }

    // GET /health, then one registration alone: a wrong URL, tenant, key or origin shows here, once,
    // with a message that says what to change, instead of as thousands of identical errors.
    private async Task<bool> PreflightAsync(ServerConnection server, LoadReport report, List<VirtualUser> users, CancellationToken cancellationToken)
    {
        ServerAnswer health;
        try
        {
            health = await server.GetAsync("/health", cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
        if (!health.Ok)
        {
            (report.Aborted, report.AbortExitCode) = SetupDiagnosis.Health(_options.Server, health);
            return false;
        }
        health.Json!.Dispose();

        var first = new VirtualUser(UserName("u", 1), _options.EffectiveOrigin);
        CeremonyResult result;
        try
        {
            result = await first.RegisterAsync(server, report.Setup, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            first.Dispose();
            return false;
        }
        if (!result.Ok)
        {
            first.Dispose();
            (report.Aborted, report.AbortExitCode) = SetupDiagnosis.FirstRegistration(_options, result);
            return false;
        }
        users.Add(first);
        return true;
    }

    // Registers users 2..N, Concurrency at a time. Users the server refused are left out of the
    // sign-in population and counted in the report's setup errors.
    private async Task<bool> SetupAsync(ServerConnection server, LoadReport report, List<VirtualUser> users, CancellationToken cancellationToken)
    {
        _progress.WriteLine(Invariant($"setup: registering {_options.Users} users ({(server.UsesApiKey ? "with the API key" : "self sign-up")}) on {_options.Server} tenant {_options.Tenant}"));
        var clock = Stopwatch.StartNew();
        int next = 1;
        var registered = new VirtualUser?[_options.Users];
        registered[0] = users[0];
        users.Clear();
        int workers = Math.Min(_options.Concurrency, Math.Max(1, _options.Users - 1));
        var stats = new WorkerStats[workers];
        var tasks = new Task[workers];
        for (int w = 0; w < workers; w++)
        {
            var mine = stats[w] = new WorkerStats();
            tasks[w] = Task.Run(async () =>
            {
                int i;
                while ((i = Interlocked.Increment(ref next)) <= _options.Users && !cancellationToken.IsCancellationRequested)
                {
                    var user = new VirtualUser(UserName("u", i), _options.EffectiveOrigin);
                    try
                    {
                        if ((await user.RegisterAsync(server, mine, cancellationToken).ConfigureAwait(false)).Ok)
                        {
                            registered[i - 1] = user;
                            continue;
                        }
                    }
                    catch (OperationCanceledException)
                    {
                        // Ctrl+C: this user is not finished; stop.
                    }
                    user.Dispose();
                }
            }, CancellationToken.None);
        }
        await Task.WhenAll(tasks).ConfigureAwait(false);
        report.SetupTime = clock.Elapsed;
        foreach (var s in stats)
        {
            report.Setup.Add(s);
        }
        foreach (var user in registered)
        {
            if (user is not null)
            {
                users.Add(user);
            }
        }
        report.UsersRegistered = users.Count;
        _progress.WriteLine(Invariant($"setup: {users.Count} of {_options.Users} users registered in {report.SetupTime.TotalSeconds:0.0} s"));
        return !cancellationToken.IsCancellationRequested;
    }

    private async Task<TimeSpan> RunPhaseAsync(ServerConnection server, VirtualUser[] pool, Gate gate, WorkerStats total, bool showProgress,
        CancellationToken cancellationToken)
    {
        var stats = new WorkerStats[_options.Concurrency];
        var tasks = new Task[stats.Length];
        var clock = Stopwatch.StartNew();
        gate.Start();
        for (int w = 0; w < stats.Length; w++)
        {
            var mine = stats[w] = new WorkerStats();
            var users = UsersOf(pool, w, stats.Length);
            tasks[w] = Task.Run(() => WorkerAsync(server, users, gate, mine, cancellationToken), CancellationToken.None);
        }
        var all = Task.WhenAll(tasks);
        while (showProgress && await Task.WhenAny(all, Task.Delay(ProgressInterval, CancellationToken.None)).ConfigureAwait(false) != all)
        {
            long ok = 0, failed = 0;
            foreach (var s in stats)
            {
                // Read while the workers write: an approximate count is all a progress line needs.
                ok += s.TotalSucceeded;
                failed += s.TotalFailed;
            }
            _progress.WriteLine(Invariant($"  {clock.Elapsed.TotalSeconds,5:0} s: {ok} ok, {failed} failed"));
        }
        await all.ConfigureAwait(false);
        var elapsed = clock.Elapsed;
        foreach (var s in stats)
        {
            total.Add(s);
        }
        return elapsed;
    }

    /// <summary>
    /// The users worker <paramref name="worker"/> of <paramref name="workers"/> signs in as: every
    /// <paramref name="workers"/>-th user of the population from its own index on, so that no two
    /// workers ever sign in as the same user at once. Two concurrent sign-ins of one credential both
    /// update its row: on PostgreSQL the second waits for the first to commit (a row lock), a cost
    /// of the generator's choice, not of the server (people rarely sign in twice at once). With
    /// fewer users than workers that cannot be helped: worker w then shares user w mod N.
    /// </summary>
    public static T[] UsersOf<T>(T[] pool, int worker, int workers)
    {
        ArgumentNullException.ThrowIfNull(pool);
        if (pool.Length == 0)
        {
            return pool;
        }
        if (pool.Length < workers)
        {
            return [pool[worker % pool.Length]];
        }
        var mine = new List<T>();
        for (var i = worker; i < pool.Length; i += workers)
        {
            mine.Add(pool[i]);
        }
        return [.. mine];
    }

    // One worker: ceremonies back to back until the gate closes. A sign-in picks a user at random
    // from the worker's own share of the population (UsersOf); a registration is a new person with
    // a new device, who is not added to the population.
    private async Task WorkerAsync(ServerConnection server, VirtualUser[] pool, Gate gate, WorkerStats stats, CancellationToken cancellationToken)
    {
        var random = new Random();
        try
        {
            while (!cancellationToken.IsCancellationRequested && gate.TryEnter())
            {
                var operation = _options.Mix.Pick(random);
                if (operation == Operation.Register)
                {
                    using var user = new VirtualUser(UserName("r", Interlocked.Increment(ref _registrations)), _options.EffectiveOrigin);
                    await user.RegisterAsync(server, stats, cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    await pool[random.Next(pool.Length)].SignInAsync(server, operation == Operation.SignInUsername, stats, cancellationToken).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Ctrl+C: the ceremony in flight is neither a success nor a failure; stop.
        }
    }

    private string UserName(string kind, long n) => Invariant($"bench-{_runId}-{kind}{n}");

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    /// <summary>Lets workers start ceremonies until a deadline passes or a number of them have started.</summary>
    private sealed class Gate
    {
        private readonly TimeSpan _duration;
        private readonly bool _counted;
        private long _remaining;
        private long _deadline;

        private Gate(TimeSpan duration, long? count)
        {
            _duration = duration;
            _counted = count is not null;
            _remaining = count ?? 0;
        }

        public static Gate For(TimeSpan duration, long? count) => new(duration, count);

        public void Start() => _deadline = Stopwatch.GetTimestamp() + (long)(_duration.TotalSeconds * Stopwatch.Frequency);

        public bool TryEnter() => _counted
            ? Interlocked.Decrement(ref _remaining) >= 0
            : Stopwatch.GetTimestamp() < _deadline;
    }
}
