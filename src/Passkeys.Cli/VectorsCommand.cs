using System.CommandLine;
using Passkeys.Cli.Vectors;

namespace Passkeys.Cli;

/// <summary>`passkeys vectors DIR`: runs every vector file and reports those that misbehave.</summary>
internal static class VectorsCommand
{
    public static Command Create()
    {
        var directory = new Argument<DirectoryInfo>("dir") { Description = "A folder of WebAuthn test vector files (*.json, searched recursively)" };
        var verbose = new Option<bool>("--verbose") { Description = "Also print skipped vectors and why" };
        var command = new Command("vectors", "Run WebAuthn test vectors through the library and compare with their expected outcome")
        {
            directory,
            verbose,
        };
        command.SetAction(result => Run(result.GetValue(directory)!, result.GetValue(verbose), Console.Out));
        return command;
    }

    /// <summary>Prints one line per vector whose outcome differs from expected, then the counts. Returns the exit code.</summary>
    public static int Run(DirectoryInfo directory, bool verbose, TextWriter output)
    {
        if (!directory.Exists)
        {
            output.WriteLine($"passkeys vectors: no such folder: {directory.FullName}");
            return 2;
        }
        int passed = 0, failed = 0, skipped = 0;
        foreach (string path in TestVector.Find(directory.FullName))
        {
            string name = Path.GetRelativePath(directory.FullName, path);
            VectorResult result;
            try
            {
                result = VectorRunner.Run(TestVector.Load(path));
            }
            catch (Exception e) when (e is System.Text.Json.JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
            {
                output.WriteLine($"{name}: unreadable vector file: {e.Message}");
                failed++;
                continue;
            }
            switch (result.Status)
            {
                case VectorStatus.Passed:
                    passed++;
                    break;
                case VectorStatus.Skipped:
                    skipped++;
                    if (verbose)
                    {
                        output.WriteLine($"{name}: skipped: {result.Detail}");
                    }
                    break;
                default:
                    failed++;
                    string expected = result.Vector.ExpectedOk ? "ok" : "failure";
                    output.WriteLine($"{name}: expected {expected}, got {result.Actual}{(result.Detail.Length > 0 ? $" ({result.Detail})" : "")}");
                    break;
            }
        }
        string summary = $"{passed} passed, {failed} failed";
        summary += skipped > 0 ? $", {skipped} skipped" : "";
        output.WriteLine(summary);
        return failed == 0 ? 0 : 1;
    }
}
