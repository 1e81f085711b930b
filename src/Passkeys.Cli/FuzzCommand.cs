using System.CommandLine;
using Passkeys.Cli.Fuzzing;

namespace Passkeys.Cli;

/// <summary>
/// `passkeys fuzz [--seconds N] [--seed N] [--vectors DIR]`: the in-suite parser fuzzing, run for
/// longer. Prints iterations per target and every distinct non-PasskeyException with the input
/// hex that caused it; exit 1 when there is any. With `--server URL` (admin key in
/// $PASSKEYS_ADMIN_KEY) it posts hostile request bodies to a running server instead and reports
/// every 5xx.
/// </summary>
internal static class FuzzCommand
{
    public static Command Create()
    {
        var seconds = new Option<int>("--seconds") { Description = "How long to run", DefaultValueFactory = _ => 60 };
        var seed = new Option<int>("--seed") { Description = "The run's seed (the same seed replays the same inputs)", DefaultValueFactory = _ => 1 };
        var vectors = new Option<string?>("--vectors") { Description = "A folder of WebAuthn test vectors to take more seeds from (e.g. ../shared/vectors)" };
        var statements = new Option<string?>("--metadata-statements") { Description = "A folder of MDS3 entries (JSON) for the metadata BLOB seed" };
        var server = new Option<string?>("--server") { Description = "Instead: post hostile request bodies to every /v1 endpoint of this running server and report every 5xx" };
        var command = new Command("fuzz", "Fuzz every parser and verifier with mutated real inputs; report anything but PasskeyException") { seconds, seed, vectors, statements, server };
        command.SetAction(r => r.GetValue(server) is { } url
            ? RunServer(new Uri(url), Environment.GetEnvironmentVariable(Admin.AdminOptions.AdminKeyVariable)
                ?? throw new CliException($"no admin key: set ${Admin.AdminOptions.AdminKeyVariable} (the fuzzer creates a tenant of its own)"),
                TimeSpan.FromSeconds(r.GetValue(seconds)), r.GetValue(seed), long.MaxValue, Console.Out)
            : Run(TimeSpan.FromSeconds(r.GetValue(seconds)), r.GetValue(seed), r.GetValue(vectors), r.GetValue(statements), Console.Out));
        return command;
    }

    /// <summary>`passkeys fuzz --server URL`: hostile bodies to every /v1 endpoint; exit 1 on any 5xx.</summary>
    public static int RunServer(Uri url, string adminKey, TimeSpan duration, int seed, long requestsPerEndpoint, TextWriter output)
    {
        using var http = new HttpClient { BaseAddress = url };
        var fuzzer = new ServerBodyFuzzer(http, adminKey);
        fuzzer.SetUpAsync(seed).GetAwaiter().GetResult();
        output.WriteLine($"fuzzing the request bodies of {url} for {duration.TotalSeconds:0}s, seed {seed}");
        var report = fuzzer.RunAsync(seed, requestsPerEndpoint, duration, finding =>
        {
            output.WriteLine("FOUND " + finding);
            output.Flush();
        }).GetAwaiter().GetResult();
        foreach (var (endpoint, count) in report.RequestsByEndpoint)
        {
            output.WriteLine($"  {endpoint,-38}{count,8}");
        }
        output.WriteLine($"{report.Requests} requests, {report.Findings.Count} 5xx finding(s)");
        return report.Findings.Count == 0 ? 0 : 1;
    }

    public static int Run(TimeSpan duration, int seed, string? vectorsDirectory, string? statementsDirectory, TextWriter output)
    {
        var corpus = FuzzCorpus.Build(vectorsDirectory);
        using var signer = new MetadataSigner();
        var targets = FuzzTargets.Create(corpus, signer, statementsDirectory);
        output.WriteLine($"fuzzing {targets.Count} targets for {duration.TotalSeconds:0}s, seed {seed}: {corpus.Registrations.Count} registration and {corpus.Authentications.Count} authentication seeds");
        var report = FuzzRunner.Run(targets, seed, long.MaxValue, duration, finding =>
        {
            output.WriteLine("FOUND " + finding);
            output.Flush();
        });
        foreach (var (target, count) in report.IterationsByTarget)
        {
            output.WriteLine($"  {target,-26}{count,10}");
        }
        output.WriteLine($"{report.Iterations} iterations, {report.Findings.Count} non-PasskeyException finding(s)");
        return report.Findings.Count == 0 ? 0 : 1;
    }
}
