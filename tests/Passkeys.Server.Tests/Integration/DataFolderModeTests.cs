using Microsoft.Extensions.Logging;
using Passkeys.Server.Tests.Storage;

namespace Passkeys.Server.Tests.Integration;

/// <summary>
/// The data folder and the key ring are owner-only on Linux and macOS: folders 0700 and every file
/// 0600 (database, -wal, -shm, admin key, key ring), new ones from their creation and existing looser
/// ones tightened at start. Checked on the real files after a real start and real writes.
/// </summary>
public abstract class DataFolderModeTests : IDisposable
{
    private const UnixFileMode Folder = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode File600 = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    protected abstract ServerStorage Storage { get; }

    public void Dispose()
    {
        Storage.Dispose();
        GC.SuppressFinalize(this);
    }

    // The data folder of the server, the key ring (inside it by default) and what they hold.
    private static List<string> Everything(params string?[] roots) =>
        [.. roots.Where(r => r is not null && Directory.Exists(r)).SelectMany(r => Directory.EnumerateFileSystemEntries(r!, "*", SearchOption.AllDirectories).Append(r!)).Distinct()];

    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    private static void AssertOwnerOnly(List<string> entries)
    {
        Assert.NotEmpty(entries);
        foreach (var path in entries)
        {
            var expected = Directory.Exists(path) ? Folder : File600;
            Assert.True(File.GetUnixFileMode(path) == expected, $"{path} is {File.GetUnixFileMode(path)}, expected {expected}");
        }
    }

    // An empty AdminKey after the test server's own: the key is generated into the data folder.
    private static readonly string[] GeneratedAdminKey = ["--Passkeys:AdminKey="];

    private StorageLocation _storage = null!;
    private string _dataFolder = null!;

    // The server's data folder: the SQLite storage's own, or for PostgreSQL one made here.
    private async Task<string> NewStorageAsync()
    {
        _storage = await Storage.NewAsync();
        _dataFolder = Storage.DataFolderOf(_storage) ?? Path.Combine(Path.GetTempPath(), "passkeys-df-" + Guid.NewGuid().ToString("N"));
        return _storage.KeyRing ?? Path.Combine(_dataFolder, "keys");
    }

    private Task<TestServer> StartAsync(LogSink? logs = null) => logs is null
        ? Storage.StartAsync(_storage, null, [.. GeneratedAdminKey, "--Passkeys:DataDirectory=" + _dataFolder])
        : Storage.StartWithAsync(_storage, b => b.Logging.AddProvider(logs), [.. GeneratedAdminKey, "--Passkeys:DataDirectory=" + _dataFolder]);

    [StoreFact]
    public async Task Every_folder_is_0700_and_every_file_0600_after_a_start_and_writes()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }
        var keyRing = await NewStorageAsync();
        var dataFolder = _dataFolder;
        await using (var server = await StartAsync())
        {
            var client = TestServer.NewClient();
            await server.SignUpAsync(client, "alice");
            await server.SignInAsync(client);
            var entries = Everything(dataFolder, keyRing);
            Assert.Contains(Path.Combine(dataFolder, "admin.key"), entries);
            Assert.Contains(entries, e => Path.GetDirectoryName(e) == keyRing && e.EndsWith(".xml", StringComparison.Ordinal));
            if (Storage is SqliteStorage)
            {
                // While the pool holds connections, SQLite's -wal and -shm exist: checked here, not assumed.
                Assert.Contains(Path.Combine(dataFolder, "passkeys.db-wal"), entries);
                Assert.Contains(Path.Combine(dataFolder, "passkeys.db-shm"), entries);
            }
            AssertOwnerOnly(entries);
        }
        TryDelete(dataFolder);
    }

    [StoreFact]
    public async Task Looser_folders_and_files_left_by_an_older_version_are_tightened_at_start()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }
        var keyRing = await NewStorageAsync();
        var dataFolder = _dataFolder;
        var client = TestServer.NewClient();
        await using (var first = await StartAsync())
        {
            await first.SignUpAsync(client, "alice");
        }
        // What the previous version left: 0755 folders, 0644 files.
        foreach (var path in Everything(dataFolder, keyRing))
        {
            File.SetUnixFileMode(path, Directory.Exists(path) ? Folder | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute
                : File600 | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        }
        using var logs = new LogSink();
        await using (var second = await StartAsync(logs))
        {
            // At start, before anything reads the key ring or writes; each change logged with the old mode.
            AssertOwnerOnly(Everything(dataFolder, keyRing));
            Assert.Contains(logs.Messages, m => m.Contains(Path.Combine(dataFolder, "admin.key") + " was readable by other accounts (mode 0644); set to 0600", StringComparison.Ordinal));
            Assert.Contains(logs.Messages, m => m.Contains(keyRing + " was readable by other accounts (mode 0755); set to 0700", StringComparison.Ordinal));
            await second.SignInAsync(client);
            AssertOwnerOnly(Everything(dataFolder, keyRing));
        }
        TryDelete(dataFolder);
    }

    private void TryDelete(string folder)
    {
        if (Storage is SqliteStorage)
        {
            return; // the storage's own folder, deleted with it
        }
        try { Directory.Delete(folder, true); } catch (IOException) { }
    }
}

public sealed class SqliteDataFolderModeTests : DataFolderModeTests
{
    protected override ServerStorage Storage { get; } = new SqliteStorage();
}

[Collection(PostgresCollection.Name)]
public sealed class PostgresDataFolderModeTests(PostgresCluster cluster) : DataFolderModeTests
{
    protected override ServerStorage Storage { get; } = new PostgresStorage(cluster);
}

/// <summary>Collects the server's log messages at Warning and above.</summary>
public sealed class LogSink : Microsoft.Extensions.Logging.ILoggerProvider
{
    private readonly System.Collections.Concurrent.ConcurrentQueue<string> _messages = new();

    public IReadOnlyCollection<string> Messages => _messages;

    public Microsoft.Extensions.Logging.ILogger CreateLogger(string categoryName) => new Logger(_messages);

    public void Dispose() { }

    private sealed class Logger(System.Collections.Concurrent.ConcurrentQueue<string> messages) : Microsoft.Extensions.Logging.ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(Microsoft.Extensions.Logging.LogLevel logLevel) => logLevel >= Microsoft.Extensions.Logging.LogLevel.Warning;
        public void Log<TState>(Microsoft.Extensions.Logging.LogLevel logLevel, Microsoft.Extensions.Logging.EventId eventId, TState state, Exception? exception,
            Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                messages.Enqueue(formatter(state, exception));
            }
        }
    }
}
