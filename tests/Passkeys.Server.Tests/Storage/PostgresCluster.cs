using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace Passkeys.Server.Tests.Storage;

/// <summary>
/// A throwaway PostgreSQL cluster for one test run: <c>initdb</c> into a fresh temporary folder,
/// <c>pg_ctl start</c> on a free loopback port with its socket in that folder, a fresh database per
/// caller, <c>pg_ctl stop -m fast</c> and the folder deleted at the end. As root (CI containers) the
/// server runs as the <c>postgres</c> user, since PostgreSQL refuses to run as root.
/// </summary>
/// <remarks>
/// A run that was killed leaves its cluster behind; the next run never reuses its folder or port,
/// and stops and deletes it once no live run holds its lock file (see <see cref="RemoveStaleClusters"/>).
/// When the binaries are absent the PostgreSQL tests are skipped (<see cref="SkipReason"/>), except
/// with <c>CI=true</c>, where this fixture fails so a CI image without PostgreSQL cannot go green.
/// </remarks>
public sealed class PostgresCluster : IAsyncLifetime
{
    private const string FolderPrefix = "passkeys-pg-";
    private const string LockFileName = "owner.lock";
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(60);

    private string? _folder;
    private FileStream? _lock;
    private int _port;

    /// <summary>The newest <c>/usr/lib/postgresql/N/bin</c> that has <c>initdb</c>, or null.</summary>
    public static string? BinDirectory { get; } = FindBinDirectory();

    /// <summary>Whether this is a CI run (<c>CI=true</c>), where missing PostgreSQL is a failure, not a skip.</summary>
    public static bool IsCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>Why PostgreSQL tests are skipped, or null when they run.</summary>
    public static string? SkipReason => BinDirectory is null && !IsCi
        ? "PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb); install the 'postgresql' package to run the PostgreSQL tests (with CI=true they fail instead)."
        : null;

    private static bool IsRoot => Environment.UserName == "root";

    /// <summary>Connection string of the cluster's maintenance database (for CREATE/DROP DATABASE).</summary>
    public string AdminConnectionString => ConnectionString("postgres");

    /// <summary>The connection string of database <paramref name="database"/> in this cluster.</summary>
    public string ConnectionString(string database) =>
        new NpgsqlConnectionStringBuilder { Host = "127.0.0.1", Port = _port, Username = "postgres", Database = database, IncludeErrorDetail = true }.ToString();

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        if (BinDirectory is null)
        {
            if (IsCi)
            {
                throw new InvalidOperationException("CI=true but PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb): install the 'postgresql' package in the CI image.");
            }
            return; // every PostgreSQL test is skipped; nothing to start
        }
        RemoveStaleClusters();
        _folder = Directory.CreateTempSubdirectory(FolderPrefix).FullName;
        // Held for the whole run: tells a later run's RemoveStaleClusters that this cluster is alive.
        _lock = new FileStream(Path.Combine(_folder, LockFileName), FileMode.Create, FileAccess.ReadWrite, FileShare.None);
        if (IsRoot)
        {
            await RunAsync("chown", ["postgres", _folder], asPostgres: false);
        }
        // --no-sync and the -c settings below trade durability for speed: the data dies with the run.
        await RunAsync(Path.Combine(BinDirectory, "initdb"),
            ["-D", DataFolder, "-A", "trust", "-U", "postgres", "-E", "UTF8", "--locale=C", "--no-sync"], asPostgres: true);

        // A free port can be taken by someone else between probing and binding; try a few.
        Exception? last = null;
        for (var attempt = 0; attempt < 3; attempt++)
        {
            _port = FreeLoopbackPort();
            try
            {
                await RunAsync(Path.Combine(BinDirectory, "pg_ctl"),
                [
                    "-D", DataFolder, "-l", Path.Combine(_folder, "log"), "-w", "-t", "60",
                    "-o", $"-p {_port} -k {_folder} -c listen_addresses=127.0.0.1 -c max_connections=300 -c fsync=off -c synchronous_commit=off -c full_page_writes=off",
                    "start",
                ], asPostgres: true);
                await using var connection = new NpgsqlConnection(AdminConnectionString);
                await connection.OpenAsync();
                return;
            }
            catch (InvalidOperationException e)
            {
                last = e;
            }
        }
        throw new InvalidOperationException($"PostgreSQL did not start; log: {ReadLog()}", last);
    }

    /// <summary>Creates an empty database and returns its connection string; tests never share one.</summary>
    public async Task<string> CreateDatabaseAsync()
    {
        var name = "pk_" + Guid.NewGuid().ToString("N");
        await using var connection = new NpgsqlConnection(AdminConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
        await command.ExecuteNonQueryAsync();
        return ConnectionString(name);
    }

    /// <summary>Drops a database even while clients are connected (to simulate losing the store).</summary>
    public async Task DropDatabaseAsync(string connectionString)
    {
        var name = new NpgsqlConnectionStringBuilder(connectionString).Database!;
        await using var connection = new NpgsqlConnection(AdminConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"DROP DATABASE {name} WITH (FORCE)", connection);
        await command.ExecuteNonQueryAsync();
    }

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        if (_folder is null)
        {
            return;
        }
        NpgsqlConnection.ClearAllPools();
        try
        {
            await RunAsync(Path.Combine(BinDirectory!, "pg_ctl"), ["-D", DataFolder, "-m", "fast", "-w", "stop"], asPostgres: true);
        }
        finally
        {
            if (_lock is not null)
            {
                await _lock.DisposeAsync();
            }
            DeleteFolder(_folder);
        }
    }

    private string DataFolder => Path.Combine(_folder!, "data");

    private string ReadLog()
    {
        try
        {
            return File.ReadAllText(Path.Combine(_folder!, "log"));
        }
        catch (IOException)
        {
            return "(no log)";
        }
    }

    private static string? FindBinDirectory()
    {
        const string root = "/usr/lib/postgresql";
        if (!Directory.Exists(root))
        {
            return null;
        }
        return Directory.EnumerateDirectories(root)
            .Select(d => (Dir: d, Version: int.TryParse(Path.GetFileName(d), out var v) ? v : -1))
            .Where(x => x.Version >= 0 && File.Exists(Path.Combine(x.Dir, "bin", "initdb")))
            .OrderByDescending(x => x.Version)
            .Select(x => Path.Combine(x.Dir, "bin"))
            .FirstOrDefault();
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>
    /// Stops and deletes clusters left by killed runs: a folder of ours whose lock file can be
    /// opened exclusively has no live owner (the OS released the lock when the owner died).
    /// </summary>
    private static void RemoveStaleClusters()
    {
        foreach (var folder in Directory.EnumerateDirectories(Path.GetTempPath(), FolderPrefix + "*"))
        {
            try
            {
                using (new FileStream(Path.Combine(folder, LockFileName), FileMode.Open, FileAccess.ReadWrite, FileShare.None))
                {
                    var data = Path.Combine(folder, "data");
                    if (File.Exists(Path.Combine(data, "postmaster.pid")))
                    {
                        RunAsync(Path.Combine(BinDirectory!, "pg_ctl"), ["-D", data, "-m", "immediate", "-w", "stop"], asPostgres: true).GetAwaiter().GetResult();
                    }
                }
                DeleteFolder(folder);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidOperationException)
            {
                // In use by a live run, or not ours to clean: leave it.
            }
        }
    }

    private static void DeleteFolder(string folder)
    {
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // best effort: a temp folder left behind is harmless and cleaned by the next run
        }
    }

    private static async Task RunAsync(string file, IReadOnlyList<string> arguments, bool asPostgres)
    {
        var start = new ProcessStartInfo
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (asPostgres && IsRoot)
        {
            start.FileName = "runuser";
            foreach (var a in (string[])["-u", "postgres", "--", file])
            {
                start.ArgumentList.Add(a);
            }
        }
        else
        {
            start.FileName = file;
        }
        foreach (var a in arguments)
        {
            start.ArgumentList.Add(a);
        }
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {file}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(CommandTimeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException($"{file} {string.Join(' ', arguments)} timed out");
        }
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', arguments)} exited with {process.ExitCode}: {await stdout}{await stderr}");
        }
    }
}

/// <summary>The test classes that share the run's one cluster (xunit runs them one after another).</summary>
[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresCluster>
{
    /// <summary>The collection name.</summary>
    public const string Name = "PostgreSQL";
}
