using System.CommandLine;
using Passkeys.Cli.Vectors;
using Passkeys.Cose;

namespace Passkeys.Cli;

/// <summary>`passkeys vectors DIR`: runs every vector file and reports those that misbehave or were not run.</summary>
internal static class VectorsCommand
{
    public static Command Create()
    {
        var directory = new Argument<DirectoryInfo>("dir") { Description = "A folder of WebAuthn test vector files (*.json, searched recursively)" };
        var verbose = new Option<bool>("--verbose") { Description = "Also print the vectors that passed" };
        var online = new Option<bool>("--online")
        {
            Description = "Check attestation revocation online (CRL lookups), so that revocation-dependent vectors run instead of being skipped as offline",
        };
        var command = new Command("vectors", "Run WebAuthn test vectors through the library and compare with their expected outcome")
        {
            directory,
            verbose,
            online,
        };
        command.SetAction(result => Run(result.GetValue(directory)!, result.GetValue(verbose), Console.Out, result.GetValue(online)));
        return command;
    }

    /// <summary>
    /// Prints one line per vector that failed or was skipped (with the reason), then
    /// <c>N passed, N failed, N skipped</c>. Returns the exit code: 0 when nothing failed and nothing
    /// was skipped for a capability this build lacks (a revocation-dependent vector skipped offline
    /// is allowed, and said so); 1 otherwise; 2 when the folder does not exist.
    /// </summary>
    public static int Run(DirectoryInfo directory, bool verbose, TextWriter output, bool online = false) =>
        Run(directory, verbose, output, online, vector => VectorRunner.Run(vector, online));

    /// <summary>As above, with the per-vector runner given (the counting and exit code are what is under test).</summary>
    internal static int Run(DirectoryInfo directory, bool verbose, TextWriter output, bool online, Func<TestVector, VectorResult> run)
    {
        if (!directory.Exists)
        {
            output.WriteLine($"passkeys vectors: no such folder: {directory.FullName}");
            return 2;
        }
        output.WriteLine($"EdDSA verified by {EdDsa.BackendName}, ML-DSA by {CoseAlgorithms.MLDsaBackendName}; revocation {(online ? "checked online" : "not checked (offline)")}");
        int passed = 0, failed = 0, skipped = 0, missingCapability = 0;
        foreach (string path in TestVector.Find(directory.FullName))
        {
            string name = Path.GetRelativePath(directory.FullName, path);
            VectorResult result;
            try
            {
                result = run(TestVector.Load(path));
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
                    if (verbose)
                    {
                        output.WriteLine($"{name}: passed ({result.Actual})");
                    }
                    break;
                case VectorStatus.Skipped:
                    skipped++;
                    if (result.Skip == VectorSkip.MissingCapability)
                    {
                        missingCapability++;
                        output.WriteLine($"{name}: skipped, missing capability: {result.Detail}");
                    }
                    else
                    {
                        output.WriteLine($"{name}: skipped, {result.Detail}");
                    }
                    break;
                default:
                    failed++;
                    string expected = result.Vector.ExpectedOk ? "ok" : "failure";
                    output.WriteLine($"{name}: expected {expected}, got {result.Actual}{(result.Detail.Length > 0 ? $" ({result.Detail})" : "")}");
                    break;
            }
        }
        output.WriteLine($"{passed} passed, {failed} failed, {skipped} skipped");
        return failed == 0 && missingCapability == 0 ? 0 : 1;
    }
}
