namespace Passkeys.Tests.Attestation;

/// <summary>
/// Locates ../shared (vectors and FIDO metadata) relative to the repository root, which is found by
/// walking up to Passkeys.slnx; /work/shared is the fallback for worktree layouts. The files are read
/// in place and never copied into the repository.
/// </summary>
internal static class SharedData
{
    private static readonly Lazy<string?> Root = new(Find);

    public static string? Directory => Root.Value;

    public static bool IsCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    public static string Path(params string[] parts) =>
        System.IO.Path.Combine([Directory ?? throw new InvalidOperationException(MissingMessage), .. parts]);

    public const string MissingMessage = "../shared (test vectors and FIDO metadata) was not found next to the repository or at /work/shared";

    /// <summary>The skip reason when the shared data is absent; null when present or when CI=true (then tests fail).</summary>
    public static string? SkipReason => Directory is null && !IsCi ? MissingMessage + "; skipped (set CI=true to make this a failure)" : null;

    private static string? Find()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(System.IO.Path.Combine(dir.FullName, "Passkeys.slnx")))
        {
            dir = dir.Parent;
        }
        var candidates = new List<string>();
        if (dir?.Parent is { } parent)
        {
            candidates.Add(System.IO.Path.Combine(parent.FullName, "shared"));
        }
        candidates.Add("/work/shared");
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
