namespace Passkeys.Server.Tests.Storage;

/// <summary>
/// Every statement of a ceremony step's hot path (<c>SqlPasskeyStore.HotPathStatements</c>) finds its
/// rows by an index on SQLite with no <c>sqlite_stat1</c> (a new install: the server never runs
/// ANALYZE), not by a scan nor by the tenant alone. SQLite's plans without statistics depend only on
/// the schema: it prefers the index that matches the most equality terms, so, unlike PostgreSQL
/// (<see cref="PostgresHotPathPlanTests"/>), no statistics are needed to tell the key from an index
/// that begins with the same column. Checked on SQLite's query plans (<see cref="SqlitePlans"/>).
/// </summary>
public sealed class HotPathPlanTests
{
    [Fact]
    public async Task No_hot_path_statement_scans_or_walks_the_tenant_on_a_store_never_analyzed()
    {
        await using var plans = await SqlitePlans.StartAsync("hotpath");
        Assert.Equal(0, await plans.ScalarAsync("SELECT COUNT(*) FROM sqlite_master WHERE name = 'sqlite_stat1'"));

        // The rule below does catch a search by the tenant alone.
        Assert.NotEmpty(Walks(await plans.PlanAsync("SELECT 1 FROM sessions WHERE tenant_id = @t AND revoked_at IS NULL")));

        var statements = plans.Store.HotPathStatements;
        Assert.Equal(24, statements.Count);
        foreach (var (name, sql) in statements)
        {
            var plan = await plans.PlanAsync(sql);
            var walks = Walks(plan);
            Assert.True(walks.Count == 0, $"{name}: {sql}\nwalks a table that grows with use: {string.Join("; ", walks)}\nplan: {string.Join("; ", plan)}");
        }
    }

    // A scan, or a search by the tenant alone (every row of the tenant). The audit insert's probe for
    // a webhook subscriber reads the tenant's webhook endpoints by the tenant: configuration, a few
    // rows that do not grow with sign-ins.
    private static List<string> Walks(List<string> plan) =>
        plan.Where(p => (p.StartsWith("SCAN ", StringComparison.Ordinal) && !p.Contains("CONSTANT ROW", StringComparison.Ordinal))
            || (p.Contains("(tenant_id=?)", StringComparison.Ordinal) && !p.Contains(" ix_webhook_endpoints_tenant ", StringComparison.Ordinal))).ToList();
}
