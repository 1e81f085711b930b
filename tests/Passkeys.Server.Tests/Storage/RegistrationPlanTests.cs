namespace Passkeys.Server.Tests.Storage;

/// <summary>
/// Every statement that stores a new passkey (and its new user), in a registration or an import,
/// finds its rows by a whole unique key: the time a registration holds SQLite's write lock must not
/// grow with the number of users (nor an import's with users times imported users).
/// A check of the form <c>tenant_id = @t AND (id = … OR name = … OR …)</c> had SQLite walk every
/// user of the tenant (with no table statistics it searches by the <c>tenant_id</c> prefix only).
/// Checked on SQLite's query plans (<see cref="SqlitePlans"/>).
/// </summary>
public sealed class RegistrationPlanTests
{
    [Fact]
    public async Task No_statement_that_adds_a_credential_walks_the_users_or_credentials()
    {
        await using var plans = await SqlitePlans.StartAsync("registration");

        // The rule below does catch the checking query this replaced.
        Assert.NotEmpty(Walks(await plans.PlanAsync(
            "SELECT 1 FROM users WHERE tenant_id = @t AND (id = @id OR name = @n OR name_key = @nk OR handle = @h)")));

        Assert.Equal(4, plans.Store.AddCredentialStatements.Count);
        foreach (var sql in plans.Store.AddCredentialStatements)
        {
            var plan = await plans.PlanAsync(sql);
            var walks = Walks(plan);
            Assert.True(walks.Count == 0, $"{sql}\nwalks a table that grows with use: {string.Join("; ", walks)}\nplan: {string.Join("; ", plan)}");
        }
    }

    // A scan, or a search by the tenant alone (every user of the tenant).
    private static List<string> Walks(List<string> plan) =>
        plan.Where(p => (p.StartsWith("SCAN ", StringComparison.Ordinal) && !p.Contains("CONSTANT ROW", StringComparison.Ordinal))
            || p.EndsWith("(tenant_id=?)", StringComparison.Ordinal)).ToList();
}
