using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Passkeys.Benchmarks.Ceiling;

/// <summary>
/// Fills a running server's database with history: audit events spread over the last 100 days,
/// oldest first as an append-only log has them (with the default 90-day retention, the first tenth
/// are due for purging) and sessions of the seeded users, each with one passkey (1,000 by default; a
/// tenth of the sessions ended days ago, also due). Only columns every schema version has
/// are written, so an older server build can be grown the same way.
/// </summary>
internal static class GrowthSeed
{
    public static async Task SeedAsync(string store, string target, int auditRows, int sessionRows, int seedUsers)
    {
        await using DbConnection connection = store == "sqlite"
            ? new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = target, DefaultTimeout = 120 }.ToString())
            : new NpgsqlConnection(target);
        await connection.OpenAsync();
        var now = DateTimeOffset.UtcNow;
        foreach (var sql in store == "sqlite" ? Sqlite : Postgres)
        {
            await using var command = connection.CreateCommand();
            command.CommandTimeout = 0;
#pragma warning disable CA2100 // constant SQL; values are parameters
            command.CommandText = sql;
#pragma warning restore CA2100
            Add(command, "@users", seedUsers);
            Add(command, "@audit", auditRows);
            Add(command, "@sessions", sessionRows);
            Add(command, "@now", store == "sqlite" ? now.ToUnixTimeMilliseconds() : now);
            await command.ExecuteNonQueryAsync();
        }
    }

    /// <summary>Rows in each grown table now (to show what the purges removed during the run).</summary>
    public static async Task<(long Audit, long Sessions)> CountAsync(string store, string target)
    {
        await using DbConnection connection = store == "sqlite"
            ? new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = target, DefaultTimeout = 120 }.ToString())
            : new NpgsqlConnection(target);
        await connection.OpenAsync();
        async Task<long> Count(string table)
        {
            await using var command = connection.CreateCommand();
#pragma warning disable CA2100 // constant table names
            command.CommandText = $"SELECT COUNT(*) FROM {table}";
#pragma warning restore CA2100
            return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
        }
        return (await Count("audit_events"), await Count("sessions"));
    }

    private static void Add(DbCommand command, string name, object value)
    {
        var p = command.CreateParameter();
        p.ParameterName = name;
        p.Value = value;
        command.Parameters.Add(p);
    }

    // Times are Unix milliseconds on SQLite. 8,640,000,000 ms = 100 days; 172,800,000 ms = 2 days.
    private static readonly string[] Sqlite =
    [
        """
        WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < @users)
        INSERT INTO users (tenant_id, id, handle, name, display_name, created_at, name_key)
        SELECT 'default', 'seed-user-' || i, randomblob(32), 'seed-user-' || i, 'Seed user ' || i, @now, 'seed-user-' || i FROM n;
        """,
        """
        INSERT INTO credentials (id, tenant_id, user_id, user_handle, public_key, algorithm, sign_count, uv_initialized, backup_eligible,
            backup_state, transports, aaguid, attestation_format, attestation_trusted, created_at)
        SELECT randomblob(16), tenant_id, id, handle, randomblob(77), -7, 0, 1, 0, 0, '[]', '00000000-0000-0000-0000-000000000000', 'none', 0, @now
        FROM users WHERE tenant_id = 'default' AND id LIKE 'seed-user-%';
        """,
        """
        WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < @audit)
        INSERT INTO audit_events (tenant_id, at, ceremony, outcome, ceremony_id, user_id)
        SELECT 'default', @now - ((@audit - i) * 8640000000 / @audit), CASE i % 2 WHEN 0 THEN 'authentication' ELSE 'registration' END,
            CASE i % 3 WHEN 0 THEN 'started' ELSE 'succeeded' END, 'seed-' || i, 'seed-user-' || (1 + i % @users) FROM n;
        """,
        """
        WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < @sessions)
        INSERT INTO sessions (tenant_id, id, user_id, credential_id, user_verified, created_at, last_used_at, expires_at, idle_expires_at)
        SELECT 'default', 'seed-session-' || i, c.user_id, c.id, 1, @now - 172800000 * 2, @now - 172800000,
            CASE WHEN i % 10 = 0 THEN @now - 172800000 ELSE @now + 8640000000 END,
            CASE WHEN i % 10 = 0 THEN @now - 172800000 ELSE @now + 8640000000 END
        FROM n JOIN credentials c ON c.tenant_id = 'default' AND c.user_id = 'seed-user-' || (1 + i % @users);
        """,
    ];

    private static readonly string[] Postgres =
    [
        """
        INSERT INTO users (tenant_id, id, handle, name, display_name, created_at, name_key)
        SELECT 'default', 'seed-user-' || i, decode(md5('h' || i) || md5('k' || i), 'hex'), 'seed-user-' || i, 'Seed user ' || i, @now, 'seed-user-' || i
        FROM generate_series(1, @users) AS i;
        """,
        """
        INSERT INTO credentials (id, tenant_id, user_id, user_handle, public_key, algorithm, sign_count, uv_initialized, backup_eligible,
            backup_state, transports, aaguid, attestation_format, attestation_trusted, created_at)
        SELECT decode(md5('c' || id), 'hex'), tenant_id, id, handle, decode(md5('p' || id), 'hex'), -7, 0, true, false, false, '[]',
            '00000000-0000-0000-0000-000000000000', 'none', false, @now
        FROM users WHERE tenant_id = 'default' AND id LIKE 'seed-user-%';
        """,
        """
        INSERT INTO audit_events (tenant_id, at, ceremony, outcome, ceremony_id, user_id)
        SELECT 'default', @now - ((@audit - i) * interval '100 days' / @audit), CASE i % 2 WHEN 0 THEN 'authentication' ELSE 'registration' END,
            CASE i % 3 WHEN 0 THEN 'started' ELSE 'succeeded' END, 'seed-' || i, 'seed-user-' || (1 + i % @users)
        FROM generate_series(1, @audit) AS i;
        """,
        """
        INSERT INTO sessions (tenant_id, id, user_id, credential_id, user_verified, created_at, last_used_at, expires_at, idle_expires_at)
        SELECT 'default', 'seed-session-' || i, c.user_id, c.id, true, @now - interval '4 days', @now - interval '2 days',
            CASE WHEN i % 10 = 0 THEN @now - interval '2 days' ELSE @now + interval '100 days' END,
            CASE WHEN i % 10 = 0 THEN @now - interval '2 days' ELSE @now + interval '100 days' END
        FROM generate_series(1, @sessions) AS i JOIN credentials c ON c.tenant_id = 'default' AND c.user_id = 'seed-user-' || (1 + i % @users);
        """,
    ];
}
