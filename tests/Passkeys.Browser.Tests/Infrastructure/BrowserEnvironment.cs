namespace Passkeys.Browser.Tests.Infrastructure;

/// <summary>Where the browser is and whether this run is CI (where a missing browser is a failure).</summary>
public static class BrowserEnvironment
{
    /// <summary>Debian's Chromium; PASSKEYS_CHROMIUM overrides it (another build, or checking the skip path).</summary>
    public static string ChromiumPath =>
        Environment.GetEnvironmentVariable("PASSKEYS_CHROMIUM") is { Length: > 0 } path ? path : "/usr/bin/chromium";

    public static bool IsCi =>
        string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    public static bool ChromiumPresent => File.Exists(ChromiumPath);

    public static string MissingReason =>
        $"Chromium is not installed at {ChromiumPath}; install Debian's 'chromium' package (apt-get install chromium) " +
        "to run the real-browser passkey tests. With CI=true this is a failure instead of a skip.";

    /// <summary>Flags from ../shared/e2e/RECIPE.md: headless, and nothing that reaches the network.</summary>
    public static readonly string[] LaunchArgs =
    [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
    ];

    /// <summary>The repository root (the folder holding Passkeys.slnx), found from the test binaries.</summary>
    public static string RepositoryRoot
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "Passkeys.slnx")))
                {
                    return dir.FullName;
                }
            }
            throw new InvalidOperationException($"Passkeys.slnx not found above {AppContext.BaseDirectory}.");
        }
    }

    public static string WebRoot => Path.Combine(RepositoryRoot, "src", "Passkeys.Server", "wwwroot");
}
