using System.Data.Common;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Passkeys.Server.Storage.Sqlite;

/// <summary>
/// The SQLite store: one database file, WAL journal, one writer per file in this process so
/// concurrent writers queue instead of contending for SQLite's lock, and ceremony steps write on
/// one connection and commit in groups (<see cref="SqliteWriter"/>); a busy timeout for writers in
/// other processes, foreign keys on. Connections stay open between operations, their
/// statements prepared once (<see cref="KeptSqliteConnection"/>); disposing the store closes them. The SQL shared with PostgreSQL is in <see cref="SqlPasskeyStore"/>; this class holds
/// what SQLite does its own way.
/// </summary>
public sealed partial class SqlitePasskeyStore : SqlPasskeyStore, IDisposable
{
    // The safety net for writers outside this process (another node on the same file, an
    // operator's sqlite3 shell); writers inside it queue for turns on the SqliteWriter instead.
    private const int BusyTimeoutMs = 5000;
    private readonly string _connectionString;
    private readonly string _writerConnectionString;

    // The database handles (physical connections) whose per-connection PRAGMAs are set; weak, so a
    // handle the pool closes takes its entry with it.
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<sqlite3, object> Configured = new();
    private static readonly object Marker = new();
    private readonly SqliteWriter _writer;
    private readonly SqliteKeptConnections _kept = new();
    private int _disposed;

    static SqlitePasskeyStore() => _ = SqliteProcessSettings.Applied;

    /// <summary>Creates a store over the database file at <paramref name="databasePath"/> (created when missing).</summary>
    public SqlitePasskeyStore(string databasePath, StoreMetrics metrics)
        : base(metrics, SqliteColumnTypes.Instance)
    {
        ArgumentException.ThrowIfNullOrEmpty(databasePath);
        // SQLite creates a missing database with the process umask (usually 0644) and gives the
        // -wal and -shm files it creates later the database file's own mode: creating the file
        // 0600 first makes all three owner-only from their first byte.
        Security.OwnerOnlyFiles.CreateIfMissing(databasePath);
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = databasePath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            DefaultTimeout = BusyTimeoutMs / 1000,
        }.ToString();
        _writerConnectionString = new SqliteConnectionStringBuilder(_connectionString) { Pooling = false }.ToString();
        _writer = SqliteWriter.Acquire(databasePath, OpenWriterAsync);
    }

    private protected override async ValueTask<DbConnection> OpenAsync(CancellationToken ct) =>
        _kept.TryRent() ?? await OpenNewAsync(_kept, ct).ConfigureAwait(false);

    // The writer's own connection (SqliteWriter): kept by the writer, never in the idle set, and
    // not pooled (its handle has settings of its own). temp_store = MEMORY: a step writes inside a
    // savepoint, and SQLite keeps the original of every page a savepoint changes in a sub-journal,
    // by default a temporary file (two pwrite calls per page, more than the WAL itself).
    private async Task<KeptSqliteConnection> OpenWriterAsync(CancellationToken ct)
    {
        var writer = await OpenNewAsync(home: null, ct, _writerConnectionString).ConfigureAwait(false);
        try
        {
            // Checkpoints every 8,000 WAL pages (~32 MB) instead of 1,000: the pages every commit
            // rewrites (the rightmost of each index) are copied into the database once per
            // checkpoint, and its fsyncs come eight times less often (docs/operations.md, Storage).
            await ExecuteAsync(writer, null, "PRAGMA temp_store = MEMORY; PRAGMA wal_autocheckpoint = 8000;", ct).ConfigureAwait(false);
            return writer;
        }
        catch
        {
            writer.CloseForGood();
            throw;
        }
    }

    private async Task<KeptSqliteConnection> OpenNewAsync(SqliteKeptConnections? home, CancellationToken ct, string? connectionString = null)
    {
        var connection = new KeptSqliteConnection(connectionString ?? _connectionString, home);
        try
        {
            await connection.OpenAsync(ct).ConfigureAwait(false);
            // Per physical connection: SQLite forgets these settings only when the database handle
            // closes, and the pool hands the same handle out again and again, so they are set the
            // first time a handle is seen (one statement less on every operation). No mmap_size:
            // mapping the file saved a reader's pread calls (21 -> 9 per sign-in) but SQLite remaps
            // it whenever the growing file passes the mapped size (munmap, then page faults on
            // every page touched again): 5% of a sign-in's CPU against 1% saved (docs/benchmarks.md).
            if (connection.Handle is { } handle && !Configured.TryGetValue(handle, out _))
            {
                await ExecuteAsync(connection, null, $"PRAGMA busy_timeout = {BusyTimeoutMs}; PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL;", ct).ConfigureAwait(false);
                Configured.AddOrUpdate(handle, Marker);
            }
            return connection;
        }
        catch
        {
            connection.CloseForGood();
            throw;
        }
    }

    /// <summary>The database file's writer (tests look at it).</summary>
    internal SqliteWriter Writer => _writer;

    /// <summary>The connections kept open between operations (tests look at them).</summary>
    internal SqliteKeptConnections KeptConnections => _kept;

    /// <summary>Closes the connections the store keeps open (the host disposes the store when it stops).</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _kept.Dispose();
            _writer.Release();
        }
    }

    private protected override async ValueTask<IDisposable?> EnterWriteAsync(CancellationToken ct) => await _writer.EnterAsync(ct).ConfigureAwait(false);

    private protected override IDisposable? StepOpened() => _writer.StepOpened();

    private protected override async ValueTask<StepTransaction> BeginStepTransactionAsync(DbConnection stepConnection, IDisposable? presence, CancellationToken ct) =>
        new GroupedStepTransaction(await _writer.BeginStepAsync(presence as SqliteWriter.StepPresence, ct).ConfigureAwait(false));

    // A step's turn on the writer connection, in the group's transaction (SqliteWriter).
    private sealed class GroupedStepTransaction(SqliteWriter.GroupedStep step) : StepTransaction
    {
        public override DbConnection Connection => step.Connection;

        public override DbTransaction Transaction => step.Transaction;

        public override Task CommitAsync(CancellationToken ct) => step.CommitAsync();

        public override Task RollbackAsync(CancellationToken ct) => step.RollbackAsync();

        public override async ValueTask AbandonAsync() => await step.RollbackAsync().ConfigureAwait(false);
    }

    private protected override ConstraintViolation ViolationOf(DbException e) =>
        e is SqliteException { SqliteErrorCode: raw.SQLITE_CONSTRAINT } constraint
            ? constraint.SqliteExtendedErrorCode switch
            {
                raw.SQLITE_CONSTRAINT_PRIMARYKEY or raw.SQLITE_CONSTRAINT_UNIQUE => ConstraintViolation.Unique,
                raw.SQLITE_CONSTRAINT_FOREIGNKEY => ConstraintViolation.ForeignKey,
                _ => ConstraintViolation.None,
            }
            : ConstraintViolation.None;

    // By key (the table has no rowid): SQLite has no row locks to skip; a writer holds the whole
    // database, so concurrent purges simply run one after the other.
    private protected override string PurgeExpiredCeremoniesSql { get; } =
        "DELETE FROM ceremonies WHERE (tenant_id, id) IN (SELECT tenant_id, id FROM ceremonies WHERE expires_at < @now ORDER BY expires_at LIMIT @max) " +
        $"RETURNING {CeremonyColumns}";

    /// <inheritdoc />
    public override async Task MigrateAsync(CancellationToken cancellationToken = default)
    {
        using var _ = Measure();
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        // The whole migration is one write: switching the journal mode and creating tables need the write lock too.
        using var gate = await EnterWriteAsync(cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(connection, null, "PRAGMA journal_mode = WAL;", cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(connection, null,
            "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER NOT NULL PRIMARY KEY, applied_at BIGINT NOT NULL);", cancellationToken).ConfigureAwait(false);
        for (var i = 0; i < SqliteMigrations.All.Length; i++)
        {
            var version = i + 1;
            // BEGIN IMMEDIATE: two nodes starting together serialize here; the second sees the version.
            await using var tx = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            var applied = await ScalarAsync(connection, tx, "SELECT COUNT(*) FROM schema_migrations WHERE version = @v", cancellationToken, ("@v", version)).ConfigureAwait(false);
            if (Convert.ToInt64(applied, System.Globalization.CultureInfo.InvariantCulture) > 0)
            {
                continue;
            }
            await ExecuteAsync(connection, tx, SqliteMigrations.All[i], cancellationToken).ConfigureAwait(false);
            await ExecuteAsync(connection, tx, "INSERT INTO schema_migrations (version, applied_at) VALUES (@v, @at)", cancellationToken,
                ("@v", version), ("@at", DateTimeOffset.UtcNow)).ConfigureAwait(false);
            await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
        }
        // Rows from before name_key existed get theirs (BEGIN IMMEDIATE: one node at a time).
        await using (var backfill = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false))
        {
            await BackfillNameKeysAsync(connection, backfill, cancellationToken).ConfigureAwait(false);
            await backfill.CommitAsync(cancellationToken).ConfigureAwait(false);
        }
    }
}
