using Microsoft.Extensions.Options;
using Passkeys.Server.Configuration;

namespace Passkeys.Server.Security;

/// <summary>
/// <c>Passkeys:DataDirectory</c>: the SQLite database (<c>passkeys.db</c> with its <c>-wal</c> and
/// <c>-shm</c>), the generated <c>admin.key</c> and, by default, the key ring (<c>keys/</c>). The
/// first use creates it <c>0700</c>, or tightens an existing looser folder, and tightens the files
/// the server keeps there to <c>0600</c>, logging each change (see <see cref="OwnerOnlyFiles"/>).
/// </summary>
public sealed partial class DataFolder
{
    /// <summary>The SQLite database's file name.</summary>
    public const string DatabaseFileName = "passkeys.db";

    /// <summary>The generated admin key's file name.</summary>
    public const string AdminKeyFileName = "admin.key";

    // The files the server (or SQLite on its behalf) creates here. Only these are touched: an
    // operator may point DataDirectory at a folder that also holds other things.
    private static readonly string[] OwnFiles =
        [DatabaseFileName, DatabaseFileName + "-wal", DatabaseFileName + "-shm", DatabaseFileName + "-journal", AdminKeyFileName];

    private readonly ILogger<DataFolder> _logger;
    private readonly Lazy<string> _ensured;

    /// <summary>Names the folder; nothing is created until <see cref="Ensure"/>.</summary>
    public DataFolder(IOptions<PasskeysServerOptions> options, ILogger<DataFolder> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _logger = logger;
        FullPath = System.IO.Path.GetFullPath(options.Value.DataDirectory);
        _ensured = new Lazy<string>(Secure);
    }

    /// <summary>The folder's absolute path.</summary>
    public string FullPath { get; }

    /// <summary>The path of a file in the folder.</summary>
    public string PathOf(string fileName) => System.IO.Path.Combine(FullPath, fileName);

    /// <summary>Creates or tightens the folder and tightens the server's files in it (once per process); returns its path.</summary>
    public string Ensure() => _ensured.Value;

    /// <summary>Creates or tightens <paramref name="folder"/> and every file directly in it (the key ring folder).</summary>
    public void SecureFolderAndFiles(string folder)
    {
        OwnerOnlyFiles.EnsureFolder(folder, LogTightened);
        foreach (var file in Directory.EnumerateFiles(folder))
        {
            OwnerOnlyFiles.TightenFile(file, LogTightened);
        }
    }

    private string Secure()
    {
        var folder = OwnerOnlyFiles.EnsureFolder(FullPath, LogTightened);
        foreach (var name in OwnFiles)
        {
            OwnerOnlyFiles.TightenFile(System.IO.Path.Combine(folder, name), LogTightened);
        }
        return folder;
    }

    private void LogTightened(string path, UnixFileMode was) => LogModeTightened(_logger, path, Octal(was), Directory.Exists(path) ? "0700" : "0600");

    private static string Octal(UnixFileMode mode) => Convert.ToString((int)mode, 8).PadLeft(4, '0');

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Path} was readable by other accounts (mode {Was}); set to {Now}.")]
    private static partial void LogModeTightened(ILogger logger, string path, string was, string now);
}
