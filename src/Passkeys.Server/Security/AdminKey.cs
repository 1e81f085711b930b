using Microsoft.Extensions.Options;
using Passkeys.Server.Configuration;

namespace Passkeys.Server.Security;

/// <summary>
/// The admin key: from configuration, or generated once into <c>{DataDirectory}/admin.key</c>
/// (owner-only permissions) and reused at later starts. The key itself is never logged.
/// </summary>
public sealed partial class AdminKey
{
    private readonly string _key;

    /// <summary>Loads or creates the key.</summary>
    public AdminKey(IOptions<PasskeysServerOptions> options, ILogger<AdminKey> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        var configured = options.Value.AdminKey;
        if (!string.IsNullOrEmpty(configured))
        {
            _key = configured;
            return;
        }
        var directory = Path.GetFullPath(options.Value.DataDirectory);
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, "admin.key");
        if (File.Exists(path))
        {
            _key = File.ReadAllText(path).Trim();
        }
        else
        {
            _key = "pka_" + Secrets.RandomId(32);
            File.WriteAllText(path, _key + "\n");
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }
        }
        FilePath = path;
        LogGenerated(logger, path);
    }

    /// <summary>Where the generated key is, or null when it came from configuration.</summary>
    public string? FilePath { get; }

    /// <summary>Constant-time check of a presented key.</summary>
    public bool Matches(string? presented) => presented is not null && Secrets.EqualsConstantTime(presented, _key);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Passkeys:AdminKey is not configured; the admin key is in {Path} (set Passkeys:AdminKey in production).")]
    private static partial void LogGenerated(ILogger logger, string path);
}
