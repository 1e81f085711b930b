using System.Diagnostics.Metrics;
using Microsoft.Data.Sqlite;
using Passkeys.Server.Storage;
using Passkeys.Server.Storage.Sqlite;

namespace Passkeys.Server.Tests.Storage;

/// <summary>
/// Every statement that stores a new passkey (and its new user), in a registration or an import,
/// finds its rows by a whole unique key: the time a registration holds SQLite's write lock must not
/// grow with the number of users (nor an import's with users times imported users).
/// A check of the form <c>tenant_id = @t AND (id = … OR name = … OR …)</c> had SQLite walk every
/// user of the tenant (with no table statistics it searches by the <c>tenant_id</c> prefix only).
/// Checked on SQLite's query plans, which depend only on the schema (as <see cref="PurgePlanTests"/>).
/// </summary>
public sealed class RegistrationPlanTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "passkeys-registration-plan-" + Guid.NewGuid().ToString("N"));
    private readonly Meter _meter = new("Passkeys.Server.Tests.RegistrationPlan");

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        _meter.Dispose();
        try { Directory.Delete(_directory, recursive: true); } catch (IOException) { }
    }

    [Fact]
    public async Task No_statement_that_adds_a_credential_walks_the_users_or_credentials()
    {
        Directory.CreateDirectory(_directory);
        var file = Path.Combine(_directory, "passkeys.db");
        var store = new SqlitePasskeyStore(file, new StoreMetrics(_meter));
        await store.MigrateAsync();
        await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = file }.ToString());
        await connection.OpenAsync();

        // The rule below does catch the checking query this replaced.
        Assert.NotEmpty(Walks(await PlanAsync(connection,
            "SELECT 1 FROM users WHERE tenant_id = @t AND (id = @id OR name = @n OR name_key = @nk OR handle = @h)")));

        Assert.Equal(4, store.AddCredentialStatements.Count);
        foreach (var sql in store.AddCredentialStatements)
        {
            var plan = await PlanAsync(connection, sql);
            var walks = Walks(plan);
            Assert.True(walks.Count == 0, $"{sql}\nwalks a table that grows with use: {string.Join("; ", walks)}\nplan: {string.Join("; ", plan)}");
        }
    }

    // A scan, or a search by the tenant alone (every user of the tenant).
    private static List<string> Walks(List<string> plan) =>
        plan.Where(p => (p.StartsWith("SCAN ", StringComparison.Ordinal) && !p.Contains("CONSTANT ROW", StringComparison.Ordinal))
            || p.EndsWith("(tenant_id=?)", StringComparison.Ordinal)).ToList();

    private static async Task<List<string>> PlanAsync(SqliteConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = "EXPLAIN QUERY PLAN " + sql;
        foreach (System.Text.RegularExpressions.Match name in System.Text.RegularExpressions.Regex.Matches(sql, "@[a-z]+"))
        {
            if (!command.Parameters.Contains(name.Value))
            {
                command.Parameters.AddWithValue(name.Value, 1);
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
