using Microsoft.Extensions.Options;
using Passkeys.Server.Configuration;

namespace Passkeys.Server.Security;

/// <summary>
/// The admin key, from the first of: <c>Passkeys:AdminKey</c> (best set through the environment,
/// <c>Passkeys__AdminKey</c>), the file named by <c>Passkeys:AdminKeyFile</c> (a mounted secret), or
/// <c>{DataDirectory}/admin.key</c>, generated owner-only at the first start and reused later. A key
/// on the command line would show in the process list (<c>ps</c>, <c>/proc/*/cmdline</c>) to every
/// local account, so the documentation never puts it there. The key itself is never logged.
/// </summary>
public sealed partial class AdminKey
{
    /// <summary>The shortest key accepted from configuration or a file.</summary>
    public const int MinimumLength = 32;

    private readonly string _key;

    /// <summary>Loads or creates the key.</summary>
    /// <exception cref="InvalidOperationException">The key file cannot be read or holds too short a key.</exception>
    public AdminKey(IOptions<PasskeysServerOptions> options, DataFolder dataFolder, ILogger<AdminKey> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(dataFolder);
        var configured = options.Value.AdminKey;
        if (!string.IsNullOrEmpty(configured))
        {
            _key = configured;
            return;
        }
        if (!string.IsNullOrEmpty(options.Value.AdminKeyFile))
        {
            var file = Path.GetFullPath(options.Value.AdminKeyFile);
            _key = ReadKeyFile(file);
            FilePath = file;
            if (OwnerOnlyFiles.IsOpenToOthers(file))
            {
                LogKeyFileOpen(logger, file);
            }
            return;
        }
        dataFolder.Ensure();
        var path = dataFolder.PathOf(DataFolder.AdminKeyFileName);
        if (File.Exists(path))
        {
            _key = File.ReadAllText(path).Trim();
        }
        else
        {
            _key = "pka_" + Secrets.RandomId(32);
            OwnerOnlyFiles.WriteAllText(path, _key + "\n");
        }
        FilePath = path;
        LogGenerated(logger, path);
    }

    /// <summary>The file the key came from (<c>AdminKeyFile</c> or the generated one), or null when it came from configuration.</summary>
    public string? FilePath { get; }

    /// <summary>Constant-time check of a presented key.</summary>
    public bool Matches(string? presented) => presented is not null && Secrets.EqualsConstantTime(presented, _key);

    private static string ReadKeyFile(string file)
    {
        string key;
        try
        {
            key = File.ReadAllText(file).Trim();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InvalidOperationException($"Passkeys:AdminKeyFile names {file}, which cannot be read: {e.Message}", e);
        }
        if (key.Length < MinimumLength)
        {
            throw new InvalidOperationException($"Passkeys:AdminKeyFile names {file}, which must hold a key of at least {MinimumLength} characters (it holds {key.Length}).");
        }
        return key;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Passkeys:AdminKey is not configured; the admin key is in {Path} (set Passkeys__AdminKey or Passkeys:AdminKeyFile in production).")]
    private static partial void LogGenerated(ILogger logger, string path);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The admin key file {Path} is readable by other accounts; make it owner-only (chmod 600).")]
    private static partial void LogKeyFileOpen(ILogger logger, string path);
}
