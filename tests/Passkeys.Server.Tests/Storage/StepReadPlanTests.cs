namespace Passkeys.Server.Tests.Storage;

/// <summary>
/// The joined reads of a ceremony step (a credential with its user, a user with their credentials)
/// find every row by a whole key, so a sign-in's reads do not grow with the number of users or
/// passkeys. Checked on SQLite's query plans (<see cref="SqlitePlans"/>).
/// </summary>
public sealed class StepReadPlanTests
{
    [Fact]
    public async Task No_joined_step_read_walks_the_users_or_credentials()
    {
        await using var plans = await SqlitePlans.StartAsync("stepreads");

        // The rule below does catch a join that walks the credentials of the whole tenant.
        Assert.NotEmpty(Walks(await plans.PlanAsync(
            "SELECT u.id FROM users u LEFT JOIN credentials c ON c.tenant_id = u.tenant_id WHERE u.tenant_id = @t AND u.name_key = @k")));

        Assert.Equal(3, Passkeys.Server.Storage.SqlPasskeyStore.StepReadStatements.Count);
        foreach (var sql in Passkeys.Server.Storage.SqlPasskeyStore.StepReadStatements)
        {
            var plan = await plans.PlanAsync(sql);
            var walks = Walks(plan);
            Assert.True(walks.Count == 0, $"{sql}\nwalks a table that grows with use: {string.Join("; ", walks)}\nplan: {string.Join("; ", plan)}");
            Assert.True(plan.Count(p => p.StartsWith("SEARCH ", StringComparison.Ordinal)) >= 2, string.Join("; ", plan));
        }
    }

    // A scan, or a search by the tenant alone (every user or credential of the tenant; a joined
    // table's line ends in "LEFT-JOIN").
    private static List<string> Walks(List<string> plan) =>
        plan.Where(p => (p.StartsWith("SCAN ", StringComparison.Ordinal) && !p.Contains("CONSTANT ROW", StringComparison.Ordinal))
            || p.Contains("(tenant_id=?)", StringComparison.Ordinal)).ToList();
}
