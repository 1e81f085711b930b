namespace Passkeys.Server.Security;

/// <summary>
/// Folders <c>0700</c> and files <c>0600</c> on Linux and macOS: the data folder holds the database
/// (tenants, credentials, encrypted signing keys), the admin key and the Data Protection key ring,
/// none of which another local account may read. New ones are created with these modes (never
/// created looser and narrowed later, which would leave a window), existing looser ones are
/// tightened. On Windows the folder's inherited ACL applies and these methods do nothing.
/// </summary>
public static class OwnerOnlyFiles
{
    /// <summary><c>rwx------</c>.</summary>
    public const UnixFileMode FolderPermissions = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    /// <summary><c>rw-------</c>.</summary>
    public const UnixFileMode FilePermissions = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>
    /// Creates the folder (and missing parents) owner-only, or tightens it; returns its full path.
    /// A folder with the sticky bit (such as <c>/tmp</c>) is shared by design: it is refused, not changed.
    /// </summary>
    /// <exception cref="InvalidOperationException">The folder has the sticky bit.</exception>
    /// <param name="tightened">Called with the path and old mode when an existing folder was looser.</param>
    public static string EnsureFolder(string path, Action<string, UnixFileMode>? tightened = null)
    {
        var full = Path.GetFullPath(path);
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(full);
            return full;
        }
        if (!Directory.Exists(full))
        {
            // Parents created on the way get the same mode: they did not exist, so nobody relies on them being open.
            Directory.CreateDirectory(full, FolderPermissions);
            return full;
        }
        Tighten(full, FolderPermissions, tightened);
        return full;
    }

    /// <summary>Sets an existing file to <c>0600</c> when it grants anything to group or others; missing files are ignored.</summary>
    public static void TightenFile(string path, Action<string, UnixFileMode>? tightened = null)
    {
        if (!OperatingSystem.IsWindows() && File.Exists(path))
        {
            Tighten(path, FilePermissions, tightened);
        }
    }

    /// <summary>Creates an empty file with mode <c>0600</c> when it does not exist (a racing creator wins harmlessly).</summary>
    public static void CreateIfMissing(string path)
    {
        if (File.Exists(path))
        {
            return;
        }
        try
        {
            using var _ = Create(path, FileMode.CreateNew);
        }
        catch (IOException) when (File.Exists(path))
        {
            // Another process or node created it between the check and the open.
        }
    }

    /// <summary>Opens a file for writing that, when created, is <c>0600</c> from its first byte.</summary>
    public static FileStream Create(string path, FileMode mode = FileMode.Create)
    {
        var options = new FileStreamOptions { Mode = mode, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = FilePermissions;
        }
        return new FileStream(path, options);
    }

    /// <summary>Writes <paramref name="text"/> to a new file at <paramref name="path"/> with mode <c>0600</c>, atomically (temporary file, then rename).</summary>
    public static void WriteAllText(string path, string text)
    {
        var temporary = path + "." + Guid.NewGuid().ToString("N") + ".tmp";
        try
        {
            using (var stream = Create(temporary, FileMode.CreateNew))
            using (var writer = new StreamWriter(stream))
            {
                writer.Write(text);
            }
            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    /// <summary>True when the file or folder grants any permission to group or others (always false on Windows).</summary>
    public static bool IsOpenToOthers(string path) =>
        !OperatingSystem.IsWindows() && (File.GetUnixFileMode(path) & GroupOrOthers) != 0;

    private const UnixFileMode GroupOrOthers = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute
        | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    private static void Tighten(string path, UnixFileMode wanted, Action<string, UnixFileMode>? tightened)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }
        var mode = File.GetUnixFileMode(path);
        if ((mode & UnixFileMode.StickyBit) != 0)
        {
            throw new InvalidOperationException(
                $"{path} is a shared folder (sticky bit, like /tmp); the server keeps secrets in its data and key ring folders: give it a folder of its own.");
        }
        if ((mode & ~wanted) != 0)
        {
            try
            {
                File.SetUnixFileMode(path, mode & wanted);
            }
            catch (UnauthorizedAccessException e)
            {
                throw new InvalidOperationException(
                    $"{path} is readable by other accounts and cannot be made owner-only ({e.Message}); make the server's account its owner, or chmod it yourself.", e);
            }
            tightened?.Invoke(path, mode);
        }
    }
}
