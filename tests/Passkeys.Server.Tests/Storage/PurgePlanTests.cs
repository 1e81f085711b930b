namespace Passkeys.Server.Tests.Storage;

/// <summary>
/// Every statement of the background purge is bounded by an index: with 10⁶ sessions, ceremonies,
/// funnel rows or attempt counters stored, a purge pass that finds nothing due reads no table rows while it
/// holds SQLite's write lock (the growth check in docs/benchmarks.md measures the effect). Checked
/// on SQLite's query plans (<see cref="SqlitePlans"/>).
/// </summary>
public sealed class PurgePlanTests
{
    [Fact]
    public async Task No_purge_statement_scans_a_table_that_grows_with_use()
    {
        await using var plans = await SqlitePlans.StartAsync("purge");
        Assert.Equal(5, plans.Store.PurgeStatements.Count);
        foreach (var sql in plans.Store.PurgeStatements)
        {
            var plan = await plans.PlanAsync(sql);
            // Audit events are taken oldest first by primary key with a LIMIT: a bounded walk of the
            // rowid, which SQLite reports as a scan; every other table must be searched by an index.
            // Funnel rows are marked abandoned by the keys of the ceremonies purged, a list of
            // parameters (a VALUES clause the statement walks, not a table).
            var scans = plan.Where(p => p.StartsWith("SCAN ", StringComparison.Ordinal) && !p.Contains("INDEX", StringComparison.Ordinal)
                && !p.StartsWith("SCAN audit_events", StringComparison.Ordinal) && !p.StartsWith("SCAN oldest", StringComparison.Ordinal)
                && !p.EndsWith("-ROW VALUES CLAUSE", StringComparison.Ordinal)).ToList();
            Assert.True(scans.Count == 0, $"{sql}\nreads a whole table: {string.Join("; ", scans)}\nplan: {string.Join("; ", plan)}");
        }
    }
}
