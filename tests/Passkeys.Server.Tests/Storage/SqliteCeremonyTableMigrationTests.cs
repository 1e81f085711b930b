using System.Diagnostics.Metrics;
using System.Globalization;
using Microsoft.Data.Sqlite;
using Passkeys.Server.Storage;
using Passkeys.Server.Storage.Sqlite;

namespace Passkeys.Server.Tests.Storage;

/// <summary>
/// The migration that keys SQLite's ceremonies by their primary key alone (WITHOUT ROWID): a
/// database written by the version before keeps its pending ceremonies, which still finish once.
/// </summary>
public sealed class SqliteCeremonyTableMigrationTests : IDisposable
{
    private readonly SqliteTestFolder _folder = new("ceremony-migration");

    public void Dispose() => _folder.Dispose();

    private static async Task ExecuteAsync(SqliteConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<long> ScalarAsync(SqliteConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }

    [Fact]
    public async Task Pending_ceremonies_of_the_version_before_survive_the_migration_and_finish_once()
    {
        var migration = Array.FindIndex(SqliteMigrations.All, m => m.Contains("WITHOUT ROWID", StringComparison.Ordinal) && m.Contains("ceremonies_by_key", StringComparison.Ordinal));
        Assert.True(migration > 0);
        var now = DateTimeOffset.UtcNow;
        // The database as the version before left it: every earlier migration applied, one ceremony pending.
        await using (var connection = await _folder.OpenOutsideAsync())
        {
            await ExecuteAsync(connection, "PRAGMA journal_mode = WAL; CREATE TABLE schema_migrations (version INTEGER NOT NULL PRIMARY KEY, applied_at BIGINT NOT NULL);");
            for (var i = 0; i < migration; i++)
            {
                await ExecuteAsync(connection, SqliteMigrations.All[i]);
                await ExecuteAsync(connection, $"INSERT INTO schema_migrations (version, applied_at) VALUES ({i + 1}, 0)");
            }
            await ExecuteAsync(connection, "INSERT INTO tenants (id, rp_id, rp_name, origins, related_origins, user_verification, attestation, self_sign_up, created_at) " +
                "VALUES ('t1', 'example.com', 'Example', '[\"https://example.com\"]', '[]', 'preferred', 'none', 1, 0)");
            await ExecuteAsync(connection, "INSERT INTO ceremonies (tenant_id, id, kind, state, user_id, data, created_at, expires_at) " +
                $"VALUES ('t1', 'pending', 2, x'010203', NULL, NULL, {now.ToUnixTimeMilliseconds()}, {now.AddMinutes(5).ToUnixTimeMilliseconds()})");
            Assert.Equal(0, await ScalarAsync(connection, "SELECT wr FROM pragma_table_list WHERE name = 'ceremonies'"));
        }

        using (var store = _folder.NewStore())
        {
            await store.MigrateAsync();
            var consumed = await store.ConsumeCeremonyAsync("t1", "pending", CeremonyKind.Authentication);
            Assert.NotNull(consumed);
            Assert.Equal(new byte[] { 1, 2, 3 }, consumed.State);
            Assert.Null(await store.ConsumeCeremonyAsync("t1", "pending", CeremonyKind.Authentication)); // once only
        }

        await using (var connection = await _folder.OpenOutsideAsync())
        {
            Assert.Equal(1, await ScalarAsync(connection, "SELECT wr FROM pragma_table_list WHERE name = 'ceremonies'"));
            Assert.Equal(1, await ScalarAsync(connection, "SELECT COUNT(*) FROM sqlite_schema WHERE type = 'index' AND name = 'ix_ceremonies_expires'"));
            Assert.Equal(0, await ScalarAsync(connection, "SELECT COUNT(*) FROM sqlite_schema WHERE name = 'ceremonies_by_key'"));
        }
    }
}
