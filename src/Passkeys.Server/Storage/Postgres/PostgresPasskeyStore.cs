using System.Data.Common;
using Npgsql;

namespace Passkeys.Server.Storage.Postgres;

/// <summary>
/// The PostgreSQL store: one <see cref="NpgsqlDataSource"/> (a connection pool) per store, a
/// connection per operation, hand-written SQL. Several server nodes may share one database:
/// migrations serialize on an advisory lock, ceremonies are consumed with one
/// <c>DELETE … RETURNING</c>, multi-row writes are single transactions. The SQL shared with SQLite
/// is in <see cref="SqlPasskeyStore"/>; this class holds what PostgreSQL does its own way.
/// </summary>
public sealed partial class PostgresPasskeyStore : SqlPasskeyStore, IAsyncDisposable, IDisposable
{
    // Any fixed number works; it only has to be the same on every node. ASCII "Passkeys".
    private const long MigrationLockKey = 0x506173736B657973;

    private readonly NpgsqlDataSource _dataSource;
    private readonly string _listenConnectionString;

    /// <summary>Creates a store over <paramref name="connectionString"/> (nothing is opened until first use).</summary>
    /// <exception cref="ArgumentException">The connection string cannot be parsed.</exception>
    public PostgresPasskeyStore(string connectionString, StoreMetrics metrics)
        : base(metrics, PostgresColumnTypes.Instance)
    {
        ArgumentException.ThrowIfNullOrEmpty(connectionString);
        var builder = new NpgsqlDataSourceBuilder(connectionString);
        // Lets a DBA tell our sessions apart in pg_stat_activity unless the operator chose a name.
        if (string.IsNullOrEmpty(builder.ConnectionStringBuilder.ApplicationName))
        {
            builder.ConnectionStringBuilder.ApplicationName = "passkeys-server";
        }
        var csb = builder.ConnectionStringBuilder;
        var given = new DbConnectionStringBuilder { ConnectionString = connectionString };
        // Measured (docs/benchmarks.md): each saves a round trip or a parse per statement. Both
        // stay as the operator set them when the connection string names them.
        // No Reset On Close: no DISCARD ALL each time a pooled connection is returned; this store
        // leaves no session state behind (its LISTEN runs on a connection of its own, unpooled).
        if (!given.ContainsKey("No Reset On Close") && !given.ContainsKey("NoResetOnClose"))
        {
            csb.NoResetOnClose = true;
        }
        // Max Auto Prepare: the statements a step repeats are prepared once per physical connection.
        if (!given.ContainsKey("Max Auto Prepare") && !given.ContainsKey("MaxAutoPrepare"))
        {
            csb.MaxAutoPrepare = 64;
        }
        Target = $"{csb.Host}:{csb.Port}/{csb.Database ?? csb.Username} as {csb.Username}";
        _listenConnectionString = new NpgsqlConnectionStringBuilder(csb.ConnectionString) { Pooling = false, KeepAlive = 30 }.ConnectionString;
        _dataSource = builder.Build();
    }

    /// <summary>Where the store connects, for messages: host, port, database and user, never the password.</summary>
    public string Target { get; }

    private protected override async ValueTask<DbConnection> OpenAsync(CancellationToken ct) =>
        await _dataSource.OpenConnectionAsync(ct).ConfigureAwait(false);

    // The constraint violations the contract turns into results instead of errors.
    private protected override ConstraintViolation ViolationOf(DbException e) => (e as PostgresException)?.SqlState switch
    {
        PostgresErrorCodes.UniqueViolation => ConstraintViolation.Unique,
        PostgresErrorCodes.ForeignKeyViolation => ConstraintViolation.ForeignKey,
        _ => ConstraintViolation.None,
    };

    // A NULL parameter reaches PostgreSQL without a type, and "@p IS NULL" alone does not give it
    // one; JSON lists are jsonb columns, and the text Npgsql sends for them does not convert implicitly.
    private protected override string Typed(string parameter, SqlType type) => type switch
    {
        SqlType.Text => parameter + "::text",
        SqlType.JsonList => parameter + "::jsonb",
        SqlType.Time => parameter + "::timestamptz",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "no PostgreSQL type for it"),
    };

    // SKIP LOCKED: nodes purging at the same time take disjoint batches instead of queueing behind
    // each other, and a ceremony being consumed right now is left to its consumer.
    private protected override string PurgeExpiredCeremoniesSql { get; } =
        "DELETE FROM ceremonies WHERE (tenant_id, id) IN " +
        "(SELECT tenant_id, id FROM ceremonies WHERE expires_at < @now ORDER BY expires_at LIMIT @max FOR UPDATE SKIP LOCKED) " +
        $"RETURNING {CeremonyColumns}";

    /// <inheritdoc />
    public override async Task MigrateAsync(CancellationToken cancellationToken = default)
    {
        using var _ = Measure();
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        // One transaction for everything: PostgreSQL DDL is transactional, so a node that dies
        // half-way leaves nothing behind. The advisory lock (released at commit) makes a second node
        // starting at the same moment wait here and then find every version already applied; without
        // it, even CREATE TABLE IF NOT EXISTS can fail when two sessions race.
        await using var tx = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(connection, tx, "SELECT pg_advisory_xact_lock(@key)", cancellationToken, ("@key", MigrationLockKey)).ConfigureAwait(false);
        await ExecuteAsync(connection, tx,
            "CREATE TABLE IF NOT EXISTS schema_migrations (version integer NOT NULL PRIMARY KEY, applied_at timestamptz NOT NULL)", cancellationToken).ConfigureAwait(false);
        var current = Convert.ToInt32(await ScalarAsync(connection, tx, SchemaVersionSql, cancellationToken).ConfigureAwait(false),
            System.Globalization.CultureInfo.InvariantCulture);
        for (var version = current + 1; version <= PostgresMigrations.All.Length; version++)
        {
            await ExecuteAsync(connection, tx, PostgresMigrations.All[version - 1], cancellationToken).ConfigureAwait(false);
            await ExecuteAsync(connection, tx, "INSERT INTO schema_migrations (version, applied_at) VALUES (@v, now())", cancellationToken,
                ("@v", version)).ConfigureAwait(false);
        }
        // Under the same lock and transaction: one node fills in the keys, the others find none missing.
        await BackfillNameKeysAsync(connection, tx, cancellationToken).ConfigureAwait(false);
        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _dataSource.DisposeAsync();

    /// <inheritdoc />
    public void Dispose() => _dataSource.Dispose();
}
