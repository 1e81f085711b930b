// One file, linked into the test projects that run a built app as its user would (its dll in its
// own process) to see how it ends: exit code and what it printed.
using System.Diagnostics;

namespace Passkeys.TestSupport;

/// <summary>Runs <c>dotnet APP.dll ARGS</c> from the test's output folder until it exits.</summary>
public static class DotnetProcess
{
    /// <summary>What the process printed and how it ended (line endings as "\n").</summary>
    public sealed record Ended(int Exit, string Output, string Error);

    /// <param name="dll">A dll in the test's output folder (the test project references the app).</param>
    /// <param name="withoutEnvironment">Prefixes of environment variables the process must not see (settings that would change the outcome).</param>
    public static async Task<Ended> RunToExitAsync(string dll, IEnumerable<string> args, params string[] withoutEnvironment)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, dll));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        foreach (var name in start.Environment.Keys.Where(k => withoutEnvironment.Any(p => k.StartsWith(p, StringComparison.Ordinal))).ToList())
        {
            start.Environment.Remove(name);
        }
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{dll} did not exit within 60 s:\n{await output}{await error}");
        }
        return new Ended(process.ExitCode, (await output).ReplaceLineEndings("\n"), (await error).ReplaceLineEndings("\n"));
    }
}
