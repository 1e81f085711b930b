using System.Data.Common;
using System.Runtime.CompilerServices;

namespace Passkeys.Server.Storage;

/// <summary>
/// The store over any ADO.NET provider: every method whose SQL and logic are the same in SQLite
/// and PostgreSQL lives here, once, split into partial files by area (tenants and users,
/// credentials, ceremonies and recovery codes, keys and audit). A derived store supplies only what
/// its database does differently (<c>SqlPasskeyStore.Dialect.cs</c>): opening a connection, the
/// statements whose SQL differs, how its constraint errors read, and its migrations.
/// </summary>
/// <remarks>
/// A connection is opened per operation (both providers pool them), or once per ceremony step
/// (<see cref="BeginStepAsync"/>, <c>SqlPasskeyStore.Step.cs</c>). Provider exceptions other than
/// the constraint violations the contract turns into results are not caught here: the endpoints
/// report them as <c>ServerError.StoreUnavailable</c>.
/// </remarks>
public abstract partial class SqlPasskeyStore : IPasskeyStore
{
    private readonly StoreMetrics _metrics;
    private readonly IColumnTypes _columns;

    // private protected: only this assembly's stores derive from it, so the helpers below are no public API.
    private protected SqlPasskeyStore(StoreMetrics metrics, IColumnTypes columns)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        _metrics = metrics;
        _columns = columns;
        Rows = new RowReaders(columns);
    }

    /// <summary>Reads result rows into records, with this database's column types.</summary>
    private protected RowReaders Rows { get; }

    private protected StoreMetrics.Timing Measure([CallerMemberName] string operation = "") => _metrics.Measure(operation);

    /// <summary>
    /// A command on <paramref name="connection"/>, enlisted in <paramref name="tx"/> when given: the
    /// connection's kept, already prepared one for this SQL when it keeps them (<see cref="IPreparedCommands"/>).
    /// </summary>
    private protected DbCommand Command(DbConnection connection, DbTransaction? tx, string sql, params (string Name, object? Value)[] parameters)
    {
        var command = connection is IPreparedCommands prepared ? prepared.CommandFor(sql) : connection.CreateCommand();
        command.Transaction = tx;
#pragma warning disable CA2100 // all SQL here is constant text (or built from constant fragments); values are always parameters
        command.CommandText = sql;
#pragma warning restore CA2100
        foreach (var (name, value) in parameters)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = _columns.Parameter(value);
            command.Parameters.Add(parameter);
        }
        return command;
    }

    /// <summary>Runs one statement inside <paramref name="tx"/> (or none); returns the rows affected.</summary>
    private protected async Task<int> ExecuteAsync(DbConnection connection, DbTransaction? tx, string sql, CancellationToken ct, params (string, object?)[] parameters)
    {
        await using var command = Command(connection, tx, sql, parameters);
        return await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }

    /// <summary>Runs one query inside <paramref name="tx"/> (or none); returns the first column of the first row, or null.</summary>
    private protected async Task<object?> ScalarAsync(DbConnection connection, DbTransaction? tx, string sql, CancellationToken ct, params (string, object?)[] parameters)
    {
        await using var command = Command(connection, tx, sql, parameters);
        return await command.ExecuteScalarAsync(ct).ConfigureAwait(false);
    }

    /// <summary>Runs one write statement on its own connection, inside the write gate; returns the rows affected.</summary>
    private protected async Task<int> ExecuteAsync(string sql, CancellationToken ct, params (string, object?)[] parameters)
    {
        await using var connection = await OpenAsync(ct).ConfigureAwait(false);
        using var gate = await EnterWriteAsync(ct).ConfigureAwait(false);
        return await ExecuteAsync(connection, null, sql, ct, parameters).ConfigureAwait(false);
    }

    /// <summary>Runs one read-only query on its own connection and maps every row.</summary>
    private protected Task<List<T>> QueryAsync<T>(string sql, Func<DbDataReader, T> map, CancellationToken ct, params (string, object?)[] parameters) =>
        QueryCoreAsync(write: false, sql, map, ct, parameters);

    /// <summary>Runs one writing query (<c>DELETE … RETURNING</c>) on its own connection, inside the write gate, and maps every row.</summary>
    private protected Task<List<T>> WriteQueryAsync<T>(string sql, Func<DbDataReader, T> map, CancellationToken ct, params (string, object?)[] parameters) =>
        QueryCoreAsync(write: true, sql, map, ct, parameters);

    private async Task<List<T>> QueryCoreAsync<T>(bool write, string sql, Func<DbDataReader, T> map, CancellationToken ct, (string, object?)[] parameters)
    {
        await using var connection = await OpenAsync(ct).ConfigureAwait(false);
        using var gate = write ? await EnterWriteAsync(ct).ConfigureAwait(false) : null;
        await using var command = Command(connection, null, sql, parameters);
        await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        var list = new List<T>();
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            list.Add(map(reader));
        }
        return list;
    }

    /// <summary>Runs one query on its own connection; the first row mapped, or null.</summary>
    private protected async Task<T?> QuerySingleAsync<T>(string sql, Func<DbDataReader, T> map, CancellationToken ct, params (string, object?)[] parameters)
        where T : class
    {
        var list = await QueryAsync(sql, map, ct, parameters).ConfigureAwait(false);
        return list.Count == 0 ? null : list[0];
    }

    /// <summary>The applied schema version: the highest recorded in <c>schema_migrations</c>, 0 when none.</summary>
    private protected const string SchemaVersionSql = "SELECT COALESCE(MAX(version), 0) FROM schema_migrations";

    /// <inheritdoc />
    public abstract Task MigrateAsync(CancellationToken cancellationToken = default);

    /// <inheritdoc />
    public async Task<int> GetSchemaVersionAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        return Convert.ToInt32(await ScalarAsync(connection, null, SchemaVersionSql, cancellationToken).ConfigureAwait(false),
            System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <inheritdoc />
    public async Task<bool> PingAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            // Reading the migrations table (not just SELECT 1) also says the schema is in place.
            await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
            await ScalarAsync(connection, null, "SELECT COUNT(*) FROM schema_migrations", cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (DbException) // SqliteException, NpgsqlException (and its PostgresException): the provider's own errors only
        {
            return false;
        }
    }
}
