using System.Data.Common;
using System.Runtime.CompilerServices;
using Npgsql;

namespace Passkeys.Server.Storage.Postgres;

/// <summary>
/// The PostgreSQL store: one <see cref="NpgsqlDataSource"/> (a connection pool) per store, a
/// connection per operation, hand-written SQL. Several server nodes may share one database:
/// migrations serialize on an advisory lock, ceremonies are consumed with one
/// <c>DELETE … RETURNING</c>, multi-row writes are single transactions. Split into partial files by
/// concern, mirroring the SQLite store.
/// </summary>
public sealed partial class PostgresPasskeyStore : IPasskeyStore, IAsyncDisposable, IDisposable
{
    // Any fixed number works; it only has to be the same on every node. ASCII "Passkeys".
    private const long MigrationLockKey = 0x506173736B657973;

    private readonly NpgsqlDataSource _dataSource;
    private readonly StoreMetrics _metrics;

    /// <summary>Creates a store over <paramref name="connectionString"/> (nothing is opened until first use).</summary>
    /// <exception cref="ArgumentException">The connection string cannot be parsed.</exception>
    public PostgresPasskeyStore(string connectionString, StoreMetrics metrics)
    {
        ArgumentException.ThrowIfNullOrEmpty(connectionString);
        ArgumentNullException.ThrowIfNull(metrics);
        var builder = new NpgsqlDataSourceBuilder(connectionString);
        // Lets a DBA tell our sessions apart in pg_stat_activity unless the operator chose a name.
        if (string.IsNullOrEmpty(builder.ConnectionStringBuilder.ApplicationName))
        {
            builder.ConnectionStringBuilder.ApplicationName = "passkeys-server";
        }
        var csb = builder.ConnectionStringBuilder;
        Target = $"{csb.Host}:{csb.Port}/{csb.Database ?? csb.Username} as {csb.Username}";
        _dataSource = builder.Build();
        _metrics = metrics;
    }

    /// <summary>Where the store connects, for messages: host, port, database and user, never the password.</summary>
    public string Target { get; }

    private ValueTask<NpgsqlConnection> OpenAsync(CancellationToken ct) => _dataSource.OpenConnectionAsync(ct);

    private static NpgsqlCommand Command(NpgsqlConnection connection, NpgsqlTransaction? tx, string sql, params (string Name, object? Value)[] parameters)
    {
#pragma warning disable CA2100 // all SQL here is constant text (or built from constant fragments); values are always parameters
        var command = new NpgsqlCommand(sql, connection, tx);
#pragma warning restore CA2100
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, PostgresColumnTypes.Instance.Parameter(value));
        }
        return command;
    }

    private StoreMetrics.Timing Measure([CallerMemberName] string operation = "") => _metrics.Measure(operation);

    private async Task<int> ExecuteAsync(string sql, CancellationToken ct, params (string, object?)[] parameters)
    {
        await using var connection = await OpenAsync(ct).ConfigureAwait(false);
        await using var command = Command(connection, null, sql, parameters);
        return await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }

    private async Task<List<T>> QueryAsync<T>(string sql, Func<DbDataReader, T> map, CancellationToken ct, params (string, object?)[] parameters)
    {
        await using var connection = await OpenAsync(ct).ConfigureAwait(false);
        await using var command = Command(connection, null, sql, parameters);
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
        // One transaction for everything: PostgreSQL DDL is transactional, so a node that dies
        // half-way leaves nothing behind. The advisory lock (released at commit) makes a second node
        // starting at the same moment wait here and then find every version already applied; without
        // it, even CREATE TABLE IF NOT EXISTS can fail when two sessions race.
        await using var tx = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using (var lockCommand = Command(connection, tx, "SELECT pg_advisory_xact_lock(@key)", ("@key", MigrationLockKey)))
        {
            await lockCommand.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        await using (var create = Command(connection, tx,
            "CREATE TABLE IF NOT EXISTS schema_migrations (version integer NOT NULL PRIMARY KEY, applied_at timestamptz NOT NULL)"))
        {
            await create.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        int current;
        await using (var check = Command(connection, tx, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations"))
        {
            current = Convert.ToInt32(await check.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture);
        }
        for (var version = current + 1; version <= PostgresMigrations.All.Length; version++)
        {
            await using var migrate = Command(connection, tx, PostgresMigrations.All[version - 1]);
            await migrate.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            await using var record = Command(connection, tx, "INSERT INTO schema_migrations (version, applied_at) VALUES (@v, now())", ("@v", version));
            await record.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<int> GetSchemaVersionAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Command(connection, null, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations");
        return Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <inheritdoc />
    public async Task<bool> PingAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            // Reading the migrations table (not just SELECT 1) also says the schema is in place.
            await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
            await using var command = Command(connection, null, "SELECT COUNT(*) FROM schema_migrations");
            await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (NpgsqlException)
        {
            return false;
        }
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _dataSource.DisposeAsync();

    /// <inheritdoc />
    public void Dispose() => _dataSource.Dispose();

    private static readonly RowReaders Rows = new(PostgresColumnTypes.Instance);

    // The constraint violations the contract turns into results instead of errors.
    private static bool IsUniqueViolation(PostgresException e) => e.SqlState == PostgresErrorCodes.UniqueViolation;
    private static bool IsForeignKeyViolation(PostgresException e) => e.SqlState == PostgresErrorCodes.ForeignKeyViolation;
}
