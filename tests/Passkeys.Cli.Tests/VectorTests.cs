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
            // Only the two tags the issue allows may skip.
            Assert.True(result.Vector.Tags.Contains("ml-dsa") || result.Vector.Tags.Contains("requires-revocation-check"), result.Detail);
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
        Assert.Matches(@"^\d+ passed, \d+ failed(, \d+ skipped)?$", lines[^1].TrimEnd());
        bool anyFailed = !lines[^1].Contains(" 0 failed", StringComparison.Ordinal);
        Assert.Equal(anyFailed ? 1 : 0, exit);
    }
}
