using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Passkeys.Load;
using Passkeys.Server;

namespace Passkeys.Benchmarks.Http;

/// <summary>
/// `http`: the real server (<see cref="PasskeysServerApp.Build"/>, Kestrel on 127.0.0.1, a temp
/// SQLite file or a given PostgreSQL) in this process, loaded by the same engine as `passkeys bench`
/// (Passkeys.Load). Rate limits stay on — their cost is part of a request — but are raised far
/// beyond what a run can reach. Prints the load report, then a rough profile from the server's own
/// instruments (<see cref="ServerTimings"/>).
/// </summary>
/// <remarks>
/// Options: <c>--store sqlite|postgres</c> (postgres needs <c>--connection-string</c>),
/// <c>--users N</c> (default 200), <c>--concurrency C</c> (default 16), <c>--duration 30s</c> or
/// <c>--iterations N</c>, <c>--warmup 5s</c>, <c>--mix signin=90,register=10</c>, <c>--json FILE</c>.
/// </remarks>
internal static class HttpMode
{
    private const string AdminKey = "bench-http-admin-key-0123456789abcdef01234";

    public static int Run(string[] args)
    {
        try
        {
            return RunAsync(args).GetAwaiter().GetResult();
        }
        catch (Exception e) when (e is ArgumentException or FormatException or OverflowException)
        {
            Console.Error.WriteLine("http: " + e.Message);
            return 2;
        }
    }

    private static async Task<int> RunAsync(string[] args)
    {
        var cli = BenchOptions.Parse(args, ["--store", "--connection-string", "--users", "--concurrency", "--duration", "--iterations", "--warmup", "--mix", "--json"]);
        string store = cli.Text("--store") ?? "sqlite";
        if (store is not ("sqlite" or "postgres"))
        {
            throw new ArgumentException($"--store must be sqlite or postgres, not '{store}'");
        }
        string? connection = cli.Text("--connection-string");
        if (store == "postgres" && connection is null)
        {
            throw new ArgumentException("--store postgres needs --connection-string 'Host=…;Database=…;Username=…;Password=…' (a database this run may fill)");
        }
        // Every option is read before the server starts, so a wrong one stops nothing half-made.
        var users = cli.Count("--users", 200);
        var concurrency = cli.Count("--concurrency", 16);
        var duration = cli.Duration("--duration", "30s");
        long? iterations = cli.Text("--iterations") is null ? null : cli.Count("--iterations", 1);
        var warmup = cli.Duration("--warmup", "5s");
        var mix = cli.Text("--mix") is { } mixText ? OperationMix.Parse(mixText) : OperationMix.Default;
        string folder = Path.Combine(Path.GetTempPath(), "passkeys-bench-http-" + Guid.NewGuid().ToString("N"));
        string[] serverArgs =
        [
            "--urls", "http://127.0.0.1:0",
            "--Passkeys:DataDirectory=" + folder,
            "--Passkeys:AdminKey=" + AdminKey,
            "--Passkeys:Store=" + store,
            .. connection is null ? Array.Empty<string>() : ["--Passkeys:ConnectionString=" + connection],
            // Each run has a new key ring: signing keys a previous run left in a reused PostgreSQL
            // database cannot be decrypted, and are replaced instead of stopping the start.
            "--Passkeys:KeyProtection:DangerouslyReplaceUnreadableKeys=true",
            "--Passkeys:RateLimits:Enabled=true",
            "--Passkeys:RateLimits:CeremonyPerAddress=1000000000",
            "--Passkeys:RateLimits:CeremonyPerTenant=1000000000",
            "--Logging:LogLevel:Default=Warning",
        ];
        using var timings = new ServerTimings();
        var app = PasskeysServerApp.Build(serverArgs);
        await app.StartAsync();
        try
        {
            var url = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
            var options = new LoadOptions
            {
                Server = url,
                Tenant = "default",
                // The default tenant's origin; the software client need not be served from it.
                Origin = "http://localhost:5080",
                Users = users,
                Concurrency = concurrency,
                Duration = duration,
                Iterations = iterations,
                Warmup = warmup,
                Mix = mix,
                ServerInProcess = true,
            };
            if (options.Validate() is { Count: > 0 } problems)
            {
                throw new ArgumentException(problems[0]);
            }
            Console.WriteLine($"machine: {Environment.ProcessorCount} logical cores, .NET {Environment.Version}, server GC {System.Runtime.GCSettings.IsServerGC}; store {store}");
            using var stop = new CancellationTokenSource();
            Console.CancelKeyPress += (_, e) => { e.Cancel = true; stop.Cancel(); };
            var progress = new TimingsSwitch(Console.Error, timings);
            var report = await new LoadEngine(options, progress).RunAsync(stop.Token);
            timings.Stop();
            TextReportWriter.Write(report, Console.Out);
            if (report.Aborted is null && report.MeasuredPhaseRan)
            {
                Console.WriteLine();
                timings.Write(Console.Out, report.MeasuredTime);
            }
            if (cli.Text("--json") is { } json)
            {
                using var file = File.Create(json);
                JsonReportWriter.Write(report, file);
            }
            return report.ExitCode;
        }
        finally
        {
            await app.StopAsync();
            await app.DisposeAsync();
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try { Directory.Delete(folder, true); } catch (IOException) { }
        }
    }

    // The engine announces the measured phase on its progress writer: that is where the server's
    // timings start counting, so setup and warm-up stay out of the profile.
    private sealed class TimingsSwitch(TextWriter inner, ServerTimings timings) : TextWriter
    {
        public override System.Text.Encoding Encoding => inner.Encoding;

        public override void WriteLine(string? value)
        {
            if (value?.StartsWith("measuring:", StringComparison.Ordinal) == true)
            {
                timings.Restart();
            }
            inner.WriteLine(value);
        }
    }
}
