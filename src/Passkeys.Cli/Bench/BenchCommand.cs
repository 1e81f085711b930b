using System.CommandLine;
using Passkeys.Load;

namespace Passkeys.Cli.Bench;

/// <summary>
/// `passkeys bench --url URL --tenant T …`: HTTP load with real devices (Passkeys.Load). Prints the
/// text report (or writes JSON with --json), and exits 0 when the ceremonies succeeded within
/// --max-error-rate, 1 when they did not, 2 for bad usage or a server that cannot be used (wrong
/// URL, unreachable, unknown tenant, refused key). Ctrl+C stops between ceremonies and reports
/// what finished.
/// </summary>
internal static class BenchCommand
{
    public static Command Create() => Build(Console.Out, Console.Error, cancellation: null);

    /// <summary>Runs `passkeys bench ARGS` (<paramref name="args"/> are the words after `bench`) as the executable does; for tests.</summary>
    public static int Run(string[] args, TextWriter output, TextWriter error, CancellationToken cancellation) =>
        PasskeysCli.Run(new RootCommand { Build(output, error, cancellation) }, ["bench", .. args], output, error);

    // With no token given (the real command), Ctrl+C cancels the run; tests pass their own token.
    private static Command Build(TextWriter output, TextWriter error, CancellationToken? cancellation)
    {
        var arguments = new BenchArguments();
        var command = new Command("bench", "HTTP load: virtual users with software passkeys run real ceremonies against a Passkeys server");
        foreach (var option in arguments.All)
        {
            command.Options.Add(option);
        }
        command.SetAction(r =>
        {
            LoadOptions options;
            try
            {
                options = arguments.Read(r);
                CheckJsonPath(BenchArguments.JsonPath(r, arguments));
            }
            catch (CliException e)
            {
                error.WriteLine($"passkeys: {e.Message}");
                return 2;
            }
            return cancellation is { } token
                ? Execute(options, r, arguments, output, error, token)
                : WithCtrlC(error, token => Execute(options, r, arguments, output, error, token));
        });
        return command;
    }

    private static int Execute(LoadOptions options, ParseResult r, BenchArguments arguments, TextWriter output, TextWriter error, CancellationToken cancellation)
    {
        bool json = BenchArguments.WantsJson(r, arguments);
        string? jsonPath = BenchArguments.JsonPath(r, arguments);
        // JSON on stdout keeps stdout machine-readable: the people's report moves to stderr.
        var text = json && jsonPath is null ? error : output;
        var report = new LoadEngine(options, error).RunAsync(cancellation).GetAwaiter().GetResult();
        if (report.Aborted is not null)
        {
            error.WriteLine($"passkeys: {report.Aborted}");
        }
        else
        {
            TextReportWriter.Write(report, text);
        }
        if (json)
        {
            try
            {
                using Stream stream = jsonPath is null ? Console.OpenStandardOutput() : File.Create(jsonPath);
                JsonReportWriter.Write(report, stream);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                error.WriteLine($"passkeys: cannot write the JSON report to {jsonPath}: {e.Message}");
                return 2;
            }
        }
        return report.ExitCode;
    }

    // First Ctrl+C: stop between ceremonies and report. A second one ends the process at once.
    private static int WithCtrlC(TextWriter error, Func<CancellationToken, int> run)
    {
        using var stop = new CancellationTokenSource();
        void OnCancel(object? sender, ConsoleCancelEventArgs e)
        {
            if (stop.IsCancellationRequested)
            {
                return;
            }
            e.Cancel = true;
            error.WriteLine("stopping after the ceremonies in flight (Ctrl+C again to quit at once)…");
            stop.Cancel();
        }
        Console.CancelKeyPress += OnCancel;
        try
        {
            return run(stop.Token);
        }
        finally
        {
            Console.CancelKeyPress -= OnCancel;
        }
    }

    // Fail before a long run, not after it, when the report could not be saved.
    private static void CheckJsonPath(string? path)
    {
        if (path is null)
        {
            return;
        }
        string? folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (folder is not null && !Directory.Exists(folder))
        {
            throw new CliException($"--json: the folder {folder} does not exist");
        }
    }
}
