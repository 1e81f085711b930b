namespace Passkeys.Cli.Tests;

/// <summary>
/// Finds ../shared (vectors and metadata) beside the repository. Its data is read in place, never
/// copied into the repo. Absent shared data skips those tests with a message, except under CI=true,
/// where it fails the run.
/// </summary>
internal static class SharedData
{
    public static string? Directory { get; } = Find();

    public static bool InCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    public static string VectorsDirectory => Path.Combine(Directory ?? "", "vectors");

    private static string? Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Passkeys.slnx")))
            {
                string candidate = Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared"));
                if (System.IO.Directory.Exists(Path.Combine(candidate, "vectors")))
                {
                    return candidate;
                }
                // Git worktrees live elsewhere; the checkout they come from has shared/ beside it.
                return System.IO.Directory.Exists("/work/shared/vectors") ? "/work/shared" : null;
            }
        }
        return null;
    }
}

/// <summary>A fact that needs ../shared: skipped with a reason when it is absent, failed under CI.</summary>
public sealed class SharedDataFactAttribute : FactAttribute
{
    public SharedDataFactAttribute()
    {
        if (SharedData.Directory is null && !SharedData.InCi)
        {
            Skip = "../shared (test vectors and metadata) is not beside this checkout; CI=true makes this a failure";
        }
    }
}

/// <summary>A theory that needs ../shared; see <see cref="SharedDataFactAttribute"/>.</summary>
public sealed class SharedDataTheoryAttribute : TheoryAttribute
{
    public SharedDataTheoryAttribute()
    {
        if (SharedData.Directory is null && !SharedData.InCi)
        {
            Skip = "../shared (test vectors and metadata) is not beside this checkout; CI=true makes this a failure";
        }
    }
}
