// One file, compiled into every test project that reads ../shared (linked from each .csproj), so
// that there is a single answer to "where is the shared data, and what happens when it is absent".
namespace Passkeys.TestSupport;

/// <summary>
/// Locates ../shared (test vectors, FIDO metadata, the spec step table) beside the repository,
/// whose root is found by walking up from the test binaries to Passkeys.slnx; /work/shared is the
/// fallback for git worktrees, which live elsewhere than the checkout shared/ sits beside. A
/// candidate counts only if it has a vectors/ folder. The files are read in place and never copied
/// into the repository.
/// </summary>
/// <remarks>
/// Absent shared data skips the tests that need it with a message (<see cref="SkipReason"/>),
/// except when CI=true: then they run and fail, so a CI machine without ../shared cannot pass.
/// </remarks>
internal static class SharedData
{
    /// <summary>Where worktrees find the shared data when it is not beside the repository.</summary>
    public const string Fallback = "/work/shared";

    /// <summary>Says what is missing, for skip reasons and failures.</summary>
    public const string MissingMessage = "../shared (test vectors and FIDO metadata) was not found next to the repository or at " + Fallback;

    private static readonly Lazy<string?> Root = new(() => Find(AppContext.BaseDirectory, Fallback));

    /// <summary>The shared data directory, or null when absent.</summary>
    public static string? Directory => Root.Value;

    /// <summary>Whether CI=true (any case): missing shared data is then a failure, not a skip.</summary>
    public static bool IsCi => IsCiValue(Environment.GetEnvironmentVariable("CI"));

    /// <summary>../shared/vectors ("vectors" relative to the working directory when absent, so that file lookups fail plainly).</summary>
    public static string VectorsDirectory => System.IO.Path.Combine(Directory ?? "", "vectors");

    /// <summary>A path inside the shared data; throws with <see cref="MissingMessage"/> when it is absent.</summary>
    public static string Path(params string[] parts) =>
        System.IO.Path.Combine([Directory ?? throw new InvalidOperationException(MissingMessage), .. parts]);

    /// <summary>The skip reason when the shared data is absent; null when present or when CI=true (then tests fail).</summary>
    public static string? SkipReason => SkipReasonFor(Directory, IsCi);

    internal static string? SkipReasonFor(string? directory, bool ci) =>
        directory is null && !ci ? MissingMessage + "; skipped (set CI=true to make this a failure)" : null;

    internal static bool IsCiValue(string? value) => string.Equals(value, "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// The first of "shared beside the directory holding Passkeys.slnx above <paramref name="start"/>"
    /// and <paramref name="fallback"/> that has a vectors/ folder, or null.
    /// </summary>
    internal static string? Find(string start, string fallback)
    {
        var dir = new DirectoryInfo(start);
        while (dir is not null && !File.Exists(System.IO.Path.Combine(dir.FullName, "Passkeys.slnx")))
        {
            dir = dir.Parent;
        }
        var candidates = new List<string>();
        if (dir?.Parent is { } parent)
        {
            candidates.Add(System.IO.Path.Combine(parent.FullName, "shared"));
        }
        candidates.Add(fallback);
        foreach (var candidate in candidates)
        {
            if (System.IO.Directory.Exists(System.IO.Path.Combine(candidate, "vectors")))
            {
                return candidate;
            }
        }
        return null;
    }
}

/// <summary>A fact that needs ../shared: skipped with a message when it is absent, unless CI=true.</summary>
internal sealed class SharedDataFactAttribute : FactAttribute
{
    public SharedDataFactAttribute()
    {
        if (SharedData.SkipReason is { } reason)
        {
            Skip = reason;
        }
    }
}

/// <summary>A theory that needs ../shared: skipped with a message when it is absent, unless CI=true.</summary>
internal sealed class SharedDataTheoryAttribute : TheoryAttribute
{
    public SharedDataTheoryAttribute()
    {
        if (SharedData.SkipReason is { } reason)
        {
            Skip = reason;
        }
    }
}
