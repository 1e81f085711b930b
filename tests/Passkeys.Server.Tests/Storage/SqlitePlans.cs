using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;
using Passkeys.Server.Storage.Sqlite;

namespace Passkeys.Server.Tests.Storage;

/// <summary>
/// A freshly migrated SQLite store in its own folder, and SQLite's query plan of any statement
/// against its schema: the plan tests (<see cref="PurgePlanTests"/>, <see cref="RegistrationPlanTests"/>)
/// check that a statement finds its rows by an index. SQLite's plans depend only on the schema;
/// PostgreSQL's planner picks by table statistics, so an empty test table says nothing there.
/// </summary>
public sealed partial class SqlitePlans : IAsyncDisposable
{
    private readonly SqliteTestFolder _folder;
    private readonly SqliteConnection _connection;

    private SqlitePlans(SqliteTestFolder folder, SqlitePasskeyStore store, SqliteConnection connection) =>
        (_folder, Store, _connection) = (folder, store, connection);

    /// <summary>The migrated store, for the statement lists it exposes to these tests.</summary>
    public SqlitePasskeyStore Store { get; }

    public static async Task<SqlitePlans> StartAsync(string name)
    {
        var folder = new SqliteTestFolder(name + "-plan");
        var store = folder.NewStore();
        await store.MigrateAsync();
        return new SqlitePlans(folder, store, await folder.OpenOutsideAsync());
    }

    /// <summary>The lines of <c>EXPLAIN QUERY PLAN</c> for <paramref name="sql"/>, every <c>@name</c> bound to 1.</summary>
    public async Task<List<string>> PlanAsync(string sql)
    {
        await using var command = _connection.CreateCommand();
        command.CommandText = "EXPLAIN QUERY PLAN " + sql;
        foreach (var name in Parameter().Matches(sql).Select(m => m.Value).Distinct(StringComparer.Ordinal))
        {
            command.Parameters.AddWithValue(name, 1);
        }
        var rows = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows.Add(reader.GetString(3));
        }
        return rows;
    }

    /// <summary>The first column of the first row of <paramref name="sql"/> (no parameters), as a number.</summary>
    public async Task<long> ScalarAsync(string sql)
    {
        await using var command = _connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    public async ValueTask DisposeAsync()
    {
        await _connection.DisposeAsync();
        Store.Dispose();
        _folder.Dispose();
    }

    [GeneratedRegex("@[A-Za-z_]+")]
    private static partial Regex Parameter();
}
