using System.Diagnostics;

namespace Passkeys.Browser.Tests.Infrastructure;

/// <summary>Runs a command line tool (npm, esbuild) to completion, failing with its output.</summary>
public static class Commands
{
    /// <summary>Runs <paramref name="file"/> in <paramref name="directory"/>; returns stdout, throws with stdout and stderr on a non-zero exit.</summary>
    public static async Task<string> RunAsync(string file, IEnumerable<string> args, string directory,
        IReadOnlyDictionary<string, string>? environment = null, int timeoutSeconds = 120)
    {
        var start = new ProcessStartInfo(file)
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }
        // No registry, no update checks, no audit: everything the tests install is offline.
        start.Environment["npm_config_update_notifier"] = "false";
        start.Environment["npm_config_fund"] = "false";
        start.Environment["npm_config_audit"] = "false";
        foreach (var (k, v) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[k] = v;
        }
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {file}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(timeoutSeconds));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {string.Join(' ', args)} did not finish within {timeoutSeconds} s");
        }
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', args)} (in {directory}) exited with {process.ExitCode}:\n{await stdout}\n{await stderr}");
        }
        return await stdout;
    }
}
