using Passkeys.Cli.Vectors;

namespace Passkeys.Cli.Tests;

/// <summary>
/// Every vector in ../shared/vectors through the same runner as `passkeys vectors`, one test case
/// per file, so a regression names the vector that broke.
/// </summary>
public class VectorTests
{
    public static TheoryData<string> Vectors()
    {
        var data = new TheoryData<string>();
        if (SharedData.Directory is null)
        {
            // Under CI the missing folder must fail, not produce an empty (silently passing) theory.
            data.Add(SharedData.IsCi ? "(missing ../shared)" : "(skipped)");
            return data;
        }
        foreach (string path in TestVector.Find(SharedData.VectorsDirectory))
        {
            data.Add(Path.GetRelativePath(SharedData.VectorsDirectory, path));
        }
        return data;
    }

    [SharedDataTheory]
    [MemberData(nameof(Vectors))]
    public void Vector_behaves_as_expected(string name)
    {
        Assert.True(SharedData.Directory is not null, "../shared/vectors is missing beside the checkout (CI=true requires it)");
        var result = VectorRunner.Run(TestVector.Load(Path.Combine(SharedData.VectorsDirectory, name)));
        if (result.Status == VectorStatus.Skipped)
        {
            // Only a revocation-dependent vector may skip, and only because this run is offline;
            // ML-DSA (and every other algorithm and format) runs on every platform.
            Assert.Equal(VectorSkip.Offline, result.Skip);
            Assert.Contains("requires-revocation-check", result.Vector.Tags);
            Assert.StartsWith("offline:", result.Detail, StringComparison.Ordinal);
            return;
        }
        Assert.True(result.Status == VectorStatus.Passed,
            $"{name}: expected {(result.Vector.ExpectedOk ? "ok" : "failure")}, got {result.Actual} {result.Detail}");
    }

    [SharedDataFact]
    public void Vectors_command_prints_counts_last_and_fails_when_a_vector_fails()
    {
        var output = new StringWriter();
        int exit = VectorsCommand.Run(new DirectoryInfo(SharedData.VectorsDirectory), verbose: false, output);
        string[] lines = output.ToString().TrimEnd().Split('\n');
        Assert.Matches(@"^\d+ passed, \d+ failed, \d+ skipped$", lines[^1].TrimEnd());
        bool anyFailed = !lines[^1].Contains(" 0 failed", StringComparison.Ordinal);
        Assert.Equal(anyFailed ? 1 : 0, exit);
    }

    [SharedDataFact]
    public void Nothing_is_skipped_here_but_revocation_offline_and_every_skip_says_why()
    {
        var output = new StringWriter();
        int exit = VectorsCommand.Run(new DirectoryInfo(SharedData.VectorsDirectory), verbose: false, output);
        string text = output.ToString();
        Assert.Equal(0, exit);
        Assert.DoesNotContain("missing capability", text, StringComparison.Ordinal);
        var skips = text.Split('\n').Where(l => l.Contains(": skipped, ", StringComparison.Ordinal)).ToList();
        Assert.All(skips, l => Assert.Contains("skipped, offline:", l, StringComparison.Ordinal));
        Assert.EndsWith($", {skips.Count} skipped", text.TrimEnd().Split('\n')[^1].TrimEnd(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_skip_for_a_missing_capability_fails_the_run_and_an_offline_skip_does_not()
    {
        var folder = Directory.CreateTempSubdirectory("passkeys-vectors-");
        try
        {
            File.WriteAllText(Path.Combine(folder.FullName, "one.json"), MinimalVector);
            foreach (var (skip, expectedExit) in new[] { (VectorSkip.MissingCapability, 1), (VectorSkip.Offline, 0) })
            {
                var output = new StringWriter();
                int exit = VectorsCommand.Run(folder, verbose: false, output, online: false,
                    v => new VectorResult(v, VectorStatus.Skipped, "-", "the reason") { Skip = skip });
                Assert.Equal(expectedExit, exit);
                Assert.Contains("one.json: skipped, " + (skip == VectorSkip.MissingCapability ? "missing capability: " : "") + "the reason", output.ToString(), StringComparison.Ordinal);
                Assert.EndsWith("0 passed, 0 failed, 1 skipped", output.ToString().TrimEnd(), StringComparison.Ordinal);
            }
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public void A_build_without_a_format_reports_the_missing_capability()
    {
        var vector = LoadMinimal(MinimalVector.Replace("\"ok\": true", "\"ok\": true, \"fmt\": \"packed\"", StringComparison.Ordinal));
        var withoutPacked = new Passkeys.Attestation.AttestationStatementVerifiers([new Passkeys.Attestation.NoneAttestationVerifier()]);
        Assert.Contains("'packed'", VectorCapabilities.Missing(vector, withoutPacked), StringComparison.Ordinal);
        Assert.Null(VectorCapabilities.Missing(vector));
        // An unregistered fmt is what a refusal vector tests: no capability is missing.
        var unknown = LoadMinimal(MinimalVector.Replace("\"ok\": true", "\"ok\": false, \"fmt\": \"not_real_fmt\"", StringComparison.Ordinal));
        Assert.Null(VectorCapabilities.Missing(unknown, withoutPacked));
    }

    private const string MinimalVector = """
        {"ceremony": "registration", "rpId": "example.org", "origin": "https://example.org", "expectedChallenge": "AA",
         "response": {}, "expected": {"ok": true, "alg": -48}, "tags": ["ml-dsa"]}
        """;

    private static TestVector LoadMinimal(string json)
    {
        string path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, json);
            return TestVector.Load(path);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
