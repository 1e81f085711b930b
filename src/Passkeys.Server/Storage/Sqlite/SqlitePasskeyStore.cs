using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;

namespace Passkeys.Server.Storage.Sqlite;

/// <summary>
/// The SQLite store: one database file, WAL journal, a busy timeout so concurrent writers wait
/// instead of failing, foreign keys on. A connection is opened per operation (pooled by the
/// provider). Split into partial files by concern.
/// </summary>
public sealed partial class SqlitePasskeyStore : IPasskeyStore
{
    private const int BusyTimeoutMs = 5000;
    private readonly string _connectionString;
    private readonly StoreMetrics _metrics;

    /// <summary>Creates a store over the database file at <paramref name="databasePath"/> (created when missing).</summary>
    public SqlitePasskeyStore(string databasePath, StoreMetrics metrics)
    {
        ArgumentException.ThrowIfNullOrEmpty(databasePath);
        ArgumentNullException.ThrowIfNull(metrics);
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = databasePath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            DefaultTimeout = BusyTimeoutMs / 1000,
        }.ToString();
        _metrics = metrics;
    }

    private async Task<SqliteConnection> OpenAsync(CancellationToken ct)
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            await connection.OpenAsync(ct).ConfigureAwait(false);
            using var pragma = connection.CreateCommand();
            pragma.CommandText = $"PRAGMA busy_timeout = {BusyTimeoutMs}; PRAGMA foreign_keys = ON;";
            await pragma.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private static SqliteCommand Command(SqliteConnection connection, string sql, params (string Name, object? Value)[] parameters)
    {
        var command = connection.CreateCommand();
#pragma warning disable CA2100 // all SQL here is constant text; values are always parameters
        command.CommandText = sql;
#pragma warning restore CA2100
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, SqliteColumnTypes.Instance.Parameter(value));
        }
        return command;
    }

    private StoreMetrics.Timing Measure([CallerMemberName] string operation = "") => _metrics.Measure(operation);

    private async Task<int> ExecuteAsync(string sql, CancellationToken ct, params (string, object?)[] parameters)
    {
        await using var connection = await OpenAsync(ct).ConfigureAwait(false);
        await using var command = Command(connection, sql, parameters);
        return await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }

    private async Task<List<T>> QueryAsync<T>(string sql, Func<DbDataReader, T> map, CancellationToken ct, params (string, object?)[] parameters)
    {
        await using var connection = await OpenAsync(ct).ConfigureAwait(false);
        await using var command = Command(connection, sql, parameters);
        return await StoreCommands.ReadAllAsync(command, map, ct).ConfigureAwait(false);
    }

    private async Task<T?> QuerySingleAsync<T>(string sql, Func<DbDataReader, T> map, CancellationToken ct, params (string, object?)[] parameters)
        where T : class
    {
        var list = await QueryAsync(sql, map, ct, parameters).ConfigureAwait(false);
        return list.Count == 0 ? null : list[0];
    }

    /// <inheritdoc />
    public async Task MigrateAsync(CancellationToken cancellationToken = default)
    {
        using var _ = Measure();
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (var wal = Command(connection, "PRAGMA journal_mode = WAL;"))
        {
            await wal.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        await using (var create = Command(connection,
            "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER NOT NULL PRIMARY KEY, applied_at BIGINT NOT NULL);"))
        {
            await create.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        for (var i = 0; i < SqliteMigrations.All.Length; i++)
        {
            var version = i + 1;
            // BEGIN IMMEDIATE: two nodes starting together serialize here; the second sees the version.
            await using var tx = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await using var check = Command(connection, "SELECT COUNT(*) FROM schema_migrations WHERE version = @v", ("@v", version));
            check.Transaction = tx;
            if (Convert.ToInt64(await check.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture) > 0)
            {
                continue;
            }
            await using var migrate = Command(connection, SqliteMigrations.All[i]);
            migrate.Transaction = tx;
            await migrate.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            await using var record = Command(connection, "INSERT INTO schema_migrations (version, applied_at) VALUES (@v, @at)",
                ("@v", version), ("@at", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()));
            record.Transaction = tx;
            await record.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public async Task<int> GetSchemaVersionAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Command(connection, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations");
        return Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <inheritdoc />
    public async Task<bool> PingAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
            await using var command = Command(connection, "SELECT COUNT(*) FROM schema_migrations");
            await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (SqliteException)
        {
            return false;
        }
    }

    private static readonly RowReaders Rows = new(SqliteColumnTypes.Instance);

    private static bool IsConstraintViolation(SqliteException e) => e.SqliteErrorCode == 19; // SQLITE_CONSTRAINT
}
