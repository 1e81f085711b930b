using System.Diagnostics.Metrics;
using Microsoft.Data.Sqlite;
using Passkeys.Server.Storage;
using Passkeys.Server.Storage.Sqlite;

namespace Passkeys.Server.Tests.Storage;

/// <summary>
/// Every statement of the background purge is bounded by an index: with 10⁶ sessions, ceremonies
/// or attempt counters stored, a purge pass that finds nothing due reads no table rows while it
/// holds SQLite's write lock (the growth check in docs/benchmarks.md measures the effect). Checked
/// on SQLite's query plans, which depend only on the schema; PostgreSQL's planner picks by table
/// statistics, so an empty test table says nothing there.
/// </summary>
public sealed class PurgePlanTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "passkeys-purge-plan-" + Guid.NewGuid().ToString("N"));
    private readonly Meter _meter = new("Passkeys.Server.Tests.PurgePlan");

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        _meter.Dispose();
        try { Directory.Delete(_directory, recursive: true); } catch (IOException) { }
    }

    [Fact]
    public async Task No_purge_statement_scans_a_table_that_grows_with_use()
    {
        Directory.CreateDirectory(_directory);
        var file = Path.Combine(_directory, "passkeys.db");
        var store = new SqlitePasskeyStore(file, new StoreMetrics(_meter));
        await store.MigrateAsync();

        await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = file }.ToString());
        await connection.OpenAsync();
        Assert.Equal(4, store.PurgeStatements.Count);
        foreach (var sql in store.PurgeStatements)
        {
            var plan = await PlanAsync(connection, sql);
            // Audit events are taken oldest first by primary key with a LIMIT: a bounded walk of the
            // rowid, which SQLite reports as a scan; every other table must be searched by an index.
            var scans = plan.Where(p => p.StartsWith("SCAN ", StringComparison.Ordinal) && !p.Contains("INDEX", StringComparison.Ordinal)
                && !p.StartsWith("SCAN audit_events", StringComparison.Ordinal) && !p.StartsWith("SCAN oldest", StringComparison.Ordinal)).ToList();
            Assert.True(scans.Count == 0, $"{sql}\nreads a whole table: {string.Join("; ", scans)}\nplan: {string.Join("; ", plan)}");
        }
    }

    private static async Task<List<string>> PlanAsync(SqliteConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = "EXPLAIN QUERY PLAN " + sql;
        foreach (var name in new[] { "@now", "@before", "@max" })
        {
            if (sql.Contains(name, StringComparison.Ordinal))
            {
                command.Parameters.AddWithValue(name, 1);
            }
        }
        var rows = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows.Add(reader.GetString(3));
        }
        return rows;
    }
}
