using System.Diagnostics.Metrics;
using System.Text.RegularExpressions;
using Npgsql;
using Passkeys.Server.Storage;
using Passkeys.Server.Storage.Postgres;

namespace Passkeys.Server.Tests.Storage;

/// <summary>
/// A freshly migrated PostgreSQL database of its own (in the run's <see cref="PostgresCluster"/>) whose
/// tables have never been analyzed, as on a new install before autovacuum's first autoanalyze, and the
/// <em>generic</em> plan of any statement against it: the plan a prepared statement (Npgsql's
/// <c>Max Auto Prepare</c>) may keep from its sixth execution until the table is next analyzed.
/// Autovacuum is off for these tables so that it cannot analyze them in the middle of a test.
/// </summary>
public sealed partial class PostgresPlans : IAsyncDisposable
{
    private readonly Meter _meter;
    private readonly NpgsqlConnection _connection;

    private PostgresPlans(Meter meter, PostgresPasskeyStore store, NpgsqlConnection connection) => (_meter, Store, _connection) = (meter, store, connection);

    /// <summary>The migrated store, for the statement lists it exposes to these tests.</summary>
    public PostgresPasskeyStore Store { get; }

    /// <summary>A new database, migrated; <paramref name="beforeMigrations"/> (if any) runs on it first.</summary>
    public static async Task<PostgresPlans> StartAsync(PostgresCluster cluster, string name, Func<NpgsqlConnection, Task>? beforeMigrations = null)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        var database = await cluster.CreateDatabaseAsync();
        if (beforeMigrations is not null)
        {
            await using var before = new NpgsqlConnection(database);
            await before.OpenAsync();
            await beforeMigrations(before);
        }
        var meter = new Meter($"Passkeys.Server.Tests.{name}PostgresPlan");
        var store = new PostgresPasskeyStore(database, new StoreMetrics(meter));
        await store.MigrateAsync();
        var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        var plans = new PostgresPlans(meter, store, connection);
        foreach (var table in await plans.ListAsync("SELECT relname::text FROM pg_class WHERE relkind = 'r' AND relnamespace = 'public'::regnamespace"))
        {
            await plans.ExecuteAsync($"ALTER TABLE {table} SET (autovacuum_enabled = off)");
        }
        await plans.ExecuteAsync("SET plan_cache_mode = force_generic_plan");
        return plans;
    }

    /// <summary>Runs <paramref name="sql"/> (no parameters).</summary>
    public async Task ExecuteAsync(string sql)
    {
        await using var command = new NpgsqlCommand(sql, _connection);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>The first column of every row of <paramref name="sql"/>, as text.</summary>
    public async Task<List<string>> ListAsync(string sql)
    {
        await using var command = new NpgsqlCommand(sql, _connection);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<string>();
        while (await reader.ReadAsync())
        {
            rows.Add(reader.IsDBNull(0) ? "" : reader.GetValue(0).ToString()!);
        }
        return rows;
    }

    /// <summary>
    /// The generic plan of <paramref name="sql"/>: each <c>@name</c> becomes a <c>$n</c> whose type
    /// PostgreSQL infers, the statement is <c>PREPARE</c>d and <c>EXPLAIN EXECUTE</c>d with a value
    /// of each type (a generic plan does not look at them). One line per plan line.
    /// </summary>
    public async Task<List<string>> GenericPlanAsync(string sql)
    {
        ArgumentNullException.ThrowIfNull(sql);
        var names = Parameter().Matches(sql).Select(m => m.Value).Distinct(StringComparer.Ordinal).ToList();
        var numbered = Parameter().Replace(sql, m => "$" + (names.IndexOf(m.Value) + 1));
        await ExecuteAsync("PREPARE plan_of AS " + numbered);
        try
        {
            var types = await ListAsync("SELECT unnest(parameter_types)::text FROM pg_prepared_statements WHERE name = 'plan_of'");
            var arguments = types.Count == 0 ? "" : "(" + string.Join(", ", types.Select(Plausible)) + ")";
            return await ListAsync("EXPLAIN EXECUTE plan_of" + arguments);
        }
        finally
        {
            await ExecuteAsync("DEALLOCATE plan_of");
        }
    }

    // A value of each parameter type the statements use.
    private static string Plausible(string type) => type switch
    {
        "text" => "'t1'",
        "bytea" => @"'\x0102030405060708'::bytea",
        "timestamp with time zone" => "now()",
        "boolean" => "false",
        "smallint" or "integer" or "bigint" or "double precision" => "1",
        "jsonb" => "'[]'::jsonb",
        "uuid" => "'00000000-0000-0000-0000-000000000000'::uuid",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "no plausible value for this parameter type"),
    };

    public async ValueTask DisposeAsync()
    {
        await _connection.DisposeAsync();
        await Store.DisposeAsync();
        _meter.Dispose();
    }

    [GeneratedRegex("@[A-Za-z_][A-Za-z0-9_]*")]
    private static partial Regex Parameter();
}
