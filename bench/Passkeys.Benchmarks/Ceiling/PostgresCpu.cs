using System.Globalization;

namespace Passkeys.Benchmarks.Ceiling;

/// <summary>
/// The CPU time a PostgreSQL cluster has used: its postmaster (the first line of
/// <c>postmaster.pid</c> in its data folder) and every child process (backends, WAL writer,
/// checkpointer…), read from /proc. Backends that ended between two readings are missed (the
/// server's pooled connections stay open, so few do).
/// </summary>
internal sealed class PostgresCpu(string dataFolder)
{
    private readonly int _postmaster = int.Parse(File.ReadLines(Path.Combine(dataFolder, "postmaster.pid")).First(), CultureInfo.InvariantCulture);

    /// <summary>User + system time of the postmaster and its children now.</summary>
    public TimeSpan Total
    {
        get
        {
            var ticks = 0L;
            foreach (var dir in Directory.EnumerateDirectories("/proc"))
            {
                if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
                {
                    continue;
                }
                try
                {
                    // /proc/<pid>/stat: "pid (comm) state ppid …"; utime and stime are fields 14 and 15.
                    var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                    var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                    var ppid = int.Parse(fields[1], CultureInfo.InvariantCulture);
                    if (pid == _postmaster || ppid == _postmaster)
                    {
                        ticks += long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
                    }
                }
                catch (IOException)
                {
                    // the process ended meanwhile
                }
                catch (UnauthorizedAccessException)
                {
                }
            }
            // USER_HZ is 100 on Linux.
            return TimeSpan.FromMilliseconds(ticks * 10.0);
        }
    }
}
