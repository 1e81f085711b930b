using System.Text.RegularExpressions;
using Passkeys.Server.Storage.Postgres;

namespace Passkeys.Server.Tests.Storage;

/// <summary>
/// Every statement of a ceremony step's hot path (<c>SqlPasskeyStore.HotPathStatements</c>) finds its
/// rows by the whole key it is written for in PostgreSQL's generic plan on a new install: tables
/// freshly migrated and never analyzed, empty or holding some rows. There the planner has no
/// statistics and takes <c>tenant_id = $1</c> to match one row, so an index that begins with
/// <c>tenant_id</c> (or the key searched by the tenant alone, inside a join that carries the tenant
/// as a constant) costs as little as the key; a prepared statement then kept a plan that walks every
/// row of the tenant until autovacuum first analyzed the table (the funnel row's finish: 2.5–6.9 ms
/// instead of 0.05). Before the fix 9 of these 24 statements did, and the refresh token's foreign-key
/// check of its session (the fix: PostgresMigrations, the last entry, and the joined reads' tenant comparison).
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed partial class PostgresHotPathPlanTests(PostgresCluster cluster)
{
    // The indexes each statement must find its rows by, each by all of its columns unless the columns
    // are named ("index:column,column"); none for a plain insert.
    private static readonly Dictionary<string, string[]> Intended = new(StringComparer.Ordinal)
    {
        ["allow credentials by name"] = ["ux_users_name_key", "ix_credentials_user"],
        ["credential with user"] = ["credentials_pkey", "users_pkey"],
        ["ceremony with credential"] = ["ceremonies_pkey", "credentials_pkey", "users_pkey"],
        ["ceremony"] = ["ceremonies_pkey"],
        ["user"] = ["users_pkey"],
        ["user by name"] = ["ux_users_name_key"],
        ["credentials of user"] = ["ix_credentials_user"],
        ["passkey offer"] = ["passkey_offers_pkey"],
        ["ceremony insert"] = [],
        ["ceremony consume"] = ["ceremonies_pkey"],
        ["new user insert"] = [],
        ["credential insert"] = [],
        ["credential use"] = ["credentials_pkey"],
        ["funnel row insert"] = [],
        ["funnel row finish"] = ["ceremony_outcomes_pkey"],
        ["session insert"] = [],
        ["refresh token insert"] = [],
        // Whether the event has a webhook subscriber: the tenant's webhook configuration, a few rows
        // that do not grow with sign-ins, found by the tenant.
        ["audit insert"] = ["webhook_subscriptions_pkey:tenant_id", "ix_webhook_endpoints_tenant:tenant_id"],
        ["refresh token with session"] = ["session_tokens_pkey", "sessions_pkey"],
        ["successor tokens"] = ["ix_session_tokens_session"],
        ["refresh token spend"] = ["session_tokens_pkey"],
        ["session refresh"] = ["sessions_pkey"],
        ["session by refresh token"] = ["session_tokens_pkey", "sessions_pkey"],
        ["session"] = ["sessions_pkey"],
    };

    [PostgresTheory]
    [InlineData(0)]
    [InlineData(100)]
    [InlineData(1000)]
    public async Task Every_hot_path_statement_finds_its_row_by_its_key_on_tables_never_analyzed(int rows)
    {
        await using var plans = await PostgresPlans.StartAsync(cluster, "hotpath");
        if (rows > 0)
        {
            await InsertRowsAsync(plans, rows);
        }
        // The exposed state: no table of the hot path has been analyzed (or vacuumed) yet.
        Assert.Empty(await plans.ListAsync("SELECT relname::text FROM pg_class WHERE relkind = 'r' AND relnamespace = 'public'::regnamespace " +
            "AND relname <> 'schema_migrations' AND reltuples >= 0"));
        var columns = await IndexColumnsAsync(plans);

        // The rule below does catch the plan that was measured: the finish's update through the
        // tenant's begun_at index instead of the primary key.
        Assert.NotEmpty(Misses(Parse(["Update on ceremony_outcomes", "  ->  Index Scan using ix_ceremony_outcomes_begun on ceremony_outcomes",
            "        Index Cond: (tenant_id = $9)", "        Filter: (ceremony_id = $10)"]), ["ceremony_outcomes_pkey"], columns));

        var failures = await MissesOfEveryStatementAsync(plans, columns, except: _ => false);
        Assert.True(failures.Count == 0, $"{failures.Count} statement(s) not found by their key with {rows} rows never analyzed:\n" + string.Join("\n", failures));
    }

    [PostgresFact]
    public async Task Every_hot_path_statement_still_finds_its_row_by_its_key_once_the_tables_are_analyzed()
    {
        // The shapes that make the plans right without statistics must not make them wrong with them.
        await using var plans = await PostgresPlans.StartAsync(cluster, "hotpathanalyzed");
        await InsertRowsAsync(plans, 20_000);
        await plans.ExecuteAsync("ANALYZE");
        // The audit insert's probe reads the tenant's webhook configuration, and a new user's key
        // check its tenant: a page of configuration here, which a table with statistics is rightly scanned for.
        var failures = await MissesOfEveryStatementAsync(plans, await IndexColumnsAsync(plans),
            except: name => name == "audit insert" || name.EndsWith(" of tenants", StringComparison.Ordinal));
        Assert.True(failures.Count == 0, $"{failures.Count} statement(s) not found by their key once analyzed:\n" + string.Join("\n", failures));
    }

    [PostgresFact]
    public async Task A_small_tenants_credentials_are_read_through_its_users_not_by_scanning_every_tenants()
    {
        // No index of credentials begins with the tenant on PostgreSQL (the migration above), so the
        // reads of all of one tenant's credentials (the shapes of fake credentials, the analytics'
        // active passkeys) go through the tenant's users. With a large tenant beside a small one,
        // the small one's read must not scan the credentials of both.
        await using var plans = await PostgresPlans.StartAsync(cluster, "tenantreads");
        await InsertRowsAsync(plans, 20_000);
        await plans.ExecuteAsync("""
            INSERT INTO tenants (id, rp_id, rp_name, origins, related_origins, user_verification, attestation, self_sign_up, created_at)
                VALUES ('t2', 't2.example', 'T2', '["https://t2.example"]', '[]', 'preferred', 'none', true, now());
            INSERT INTO users (tenant_id, id, handle, name, name_key, display_name, created_at)
                SELECT 't2', 'u' || g, sha256(('t2' || g)::bytea), 'user' || g, 'user' || g, 'User ' || g, now() FROM generate_series(1, 3) g;
            INSERT INTO credentials (tenant_id, id, user_id, user_handle, public_key, algorithm, sign_count, uv_initialized, backup_eligible, backup_state,
                    transports, aaguid, attestation_format, attestation_trusted, created_at)
                SELECT 't2', sha256(('t2c' || g)::bytea), 'u' || g, sha256(('t2' || g)::bytea), sha256(('t2k' || g)::bytea), -7, 0, true, true, true,
                    '["internal"]', '00000000-0000-0000-0000-000000000000', 'none', false, now() FROM generate_series(1, 3) g;
            ANALYZE;
            """);
        // The rule below does catch the read of every tenant's credentials: by the tenant alone, PostgreSQL
        // walks the whole user index (its second column in the condition) or scans the table.
        var columns = await IndexColumnsAsync(plans);
        Assert.NotEmpty(Misses(Parse(await plans.ListAsync("EXPLAIN SELECT transports FROM credentials WHERE tenant_id = 't2'")), ["ix_credentials_user"], columns));

        foreach (var sql in new[] { Passkeys.Server.Storage.SqlPasskeyStore.ListRecentCredentialShapesSql, Passkeys.Server.Storage.SqlPasskeyStore.ListActivePasskeysSql })
        {
            var plan = await plans.ListAsync("EXPLAIN " + sql.Replace("@t", "'t2'", StringComparison.Ordinal).Replace("@limit", "20", StringComparison.Ordinal));
            var misses = Misses(Parse(plan), ["users_pkey:tenant_id", "ix_credentials_user"], columns);
            Assert.True(misses.Count == 0, $"{sql}: {string.Join("; ", misses)}\n  {string.Join("\n  ", plan)}");
        }
    }

    // Each statement's misses with its plan, one entry per statement not found by its key.
    private static async Task<List<string>> MissesOfEveryStatementAsync(PostgresPlans plans, Dictionary<string, string[]> columns, Func<string, bool> except)
    {
        var statements = plans.Store.HotPathStatements;
        Assert.Equal(Intended.Keys.Order(StringComparer.Ordinal), statements.Keys.Order(StringComparer.Ordinal));
        var failures = new List<string>();
        foreach (var (name, sql) in statements.Where(s => !except(s.Key)))
        {
            var plan = await plans.GenericPlanAsync(sql);
            var misses = Misses(Parse(plan), Intended[name], columns);
            if (misses.Count > 0)
            {
                failures.Add($"{name}: {string.Join("; ", misses)}\n  {sql}\n  {string.Join("\n  ", plan)}");
            }
        }
        // An insert's foreign keys are checked by PostgreSQL's own prepared statements, one per key
        // (ri_triggers.c), planned like the server's: each must find the row by the unique index the
        // key references.
        foreach (var (name, sql, index) in (await ForeignKeyChecksAsync(plans)).Where(k => !except(k.Name)))
        {
            var plan = await plans.GenericPlanAsync(sql);
            var misses = Misses(Parse(plan), [index], columns);
            if (misses.Count > 0)
            {
                failures.Add($"{name}: {string.Join("; ", misses)}\n  {sql}\n  {string.Join("\n  ", plan)}");
            }
        }
        return failures;
    }

    // The tables the steps insert into (new user, credential, session, refresh token).
    private static readonly string[] InsertedTables = ["users", "credentials", "sessions", "session_tokens"];

    // The check of each foreign key of those tables, as ri_triggers.c writes it: the referenced row,
    // locked FOR KEY SHARE, by the referenced columns. With the index the key references.
    private static async Task<List<(string Name, string Sql, string Index)>> ForeignKeyChecksAsync(PostgresPlans plans)
    {
        var keys = await plans.ListAsync("SELECT c.conname || ' ' || c.confrelid::regclass::text || ' ' || c.conindid::regclass::text || ' ' || " +
            "string_agg(a.attname, ' ' ORDER BY k.n) FROM pg_constraint c CROSS JOIN LATERAL unnest(c.confkey) WITH ORDINALITY k(attnum, n) " +
            "JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.attnum " +
            $"WHERE c.contype = 'f' AND c.conrelid::regclass::text IN ({string.Join(", ", InsertedTables.Select(t => $"'{t}'"))}) " +
            "GROUP BY c.conname, c.confrelid, c.conindid ORDER BY c.conname");
        Assert.True(keys.Count >= 5, string.Join("; ", keys));
        return keys.Select(k => k.Split(' ')).Select(p => ($"foreign key {p[0]} of {p[1]}",
            $"SELECT 1 FROM ONLY {p[1]} x WHERE {string.Join(" AND ", p[3..].Select(c => $"{c} = @{c}"))} FOR KEY SHARE OF x", p[2])).ToList();
    }

    [PostgresFact]
    public async Task The_migration_reshapes_the_indexes_of_an_existing_database_with_its_rows()
    {
        // Every migration before the one that reshapes the indexes (found by what it does, not by
        // its number), as the runner records them, then rows, then the server's migrations.
        var reshape = Array.FindIndex(PostgresMigrations.All, m => m.Contains("ON credentials (user_id, tenant_id)", StringComparison.Ordinal));
        Assert.True(reshape > 0);
        await using var plans = await PostgresPlans.StartAsync(cluster, "hotpathupgrade", async connection =>
        {
            await Execute(connection, "CREATE TABLE schema_migrations (version integer NOT NULL PRIMARY KEY, applied_at timestamptz NOT NULL)");
            for (var i = 0; i < reshape; i++)
            {
                await Execute(connection, PostgresMigrations.All[i]);
                await Execute(connection, $"INSERT INTO schema_migrations (version, applied_at) VALUES ({i + 1}, now())");
            }
            await Execute(connection, RowsSql(100));
        });

        Assert.Equal(
            [
                "CREATE INDEX ix_ceremony_outcomes_begun ON public.ceremony_outcomes USING btree (tenant_id, begun_at) WHERE (begun_at IS NOT NULL)",
                "CREATE INDEX ix_credentials_user ON public.credentials USING btree (user_id, tenant_id)",
                "CREATE INDEX ix_sessions_user ON public.sessions USING btree (user_id, tenant_id)",
            ],
            await plans.ListAsync("SELECT indexdef FROM pg_indexes WHERE indexname IN ('ix_ceremony_outcomes_begun', 'ix_credentials_user', 'ix_sessions_user') ORDER BY indexname"));
        foreach (var table in new[] { "users", "credentials", "sessions", "session_tokens", "ceremony_outcomes" })
        {
            Assert.Equal(["100"], await plans.ListAsync($"SELECT COUNT(*) FROM {table}"));
        }

        static async Task Execute(Npgsql.NpgsqlConnection connection, string sql)
        {
            await using var command = new Npgsql.NpgsqlCommand(sql, connection);
            await command.ExecuteNonQueryAsync();
        }
    }

    // A few rows in every table of the hot path, the way the server writes them, and no ANALYZE.
    private static Task InsertRowsAsync(PostgresPlans plans, int rows) => plans.ExecuteAsync(RowsSql(rows));

    private static string RowsSql(int rows) =>
        $"""
            INSERT INTO tenants (id, rp_id, rp_name, origins, related_origins, user_verification, attestation, self_sign_up, created_at)
                VALUES ('t1', 't1.example', 'T1', '["https://t1.example"]', '[]', 'preferred', 'none', true, now());
            INSERT INTO users (tenant_id, id, handle, name, name_key, display_name, created_at)
                SELECT 't1', 'u' || g, sha256(g::text::bytea), 'user' || g, 'user' || g, 'User ' || g, now() FROM generate_series(1, {rows}) g;
            INSERT INTO credentials (tenant_id, id, user_id, user_handle, public_key, algorithm, sign_count, uv_initialized, backup_eligible, backup_state,
                    transports, aaguid, attestation_format, attestation_trusted, created_at)
                SELECT 't1', sha256(('c' || g)::bytea), 'u' || g, sha256(g::text::bytea), sha256(('k' || g)::bytea), -7, 0, true, true, true,
                    '["internal"]', '00000000-0000-0000-0000-000000000000', 'none', false, now() FROM generate_series(1, {rows}) g;
            INSERT INTO ceremonies (tenant_id, id, kind, state, user_id, created_at, expires_at)
                SELECT 't1', 'e' || g, 1, sha256(g::text::bytea), 'u' || g, now(), now() + interval '5 minutes' FROM generate_series(1, {rows}) g;
            INSERT INTO ceremony_outcomes (tenant_id, ceremony_id, kind, mediation, begun_at, expires_at, user_id, new_user, after_offer, browser, os, device_type)
                SELECT 't1', 'e' || g, 'sign-in', 'modal', now(), now() + interval '5 minutes', 'u' || g, false, false, 'Chrome', 'Linux', 'desktop'
                FROM generate_series(1, {rows}) g;
            INSERT INTO passkey_offers (tenant_id, user_id, offered_at) SELECT 't1', 'u' || g, now() FROM generate_series(1, {rows}) g;
            INSERT INTO sessions (tenant_id, id, user_id, credential_id, user_verified, created_at, last_used_at, expires_at, idle_expires_at, browser, os)
                SELECT 't1', 's' || g, 'u' || g, sha256(('c' || g)::bytea), true, now(), now(), now() + interval '1 day', now() + interval '1 hour', 'Chrome', 'Linux'
                FROM generate_series(1, {rows}) g;
            INSERT INTO session_tokens (hash, tenant_id, session_id, created_at) SELECT sha256(('r' || g)::bytea), 't1', 's' || g, now() FROM generate_series(1, {rows}) g;
            INSERT INTO audit_events (tenant_id, at, ceremony, outcome, type) SELECT 't1', now(), 'authentication', 'succeeded', 'authentication.succeeded'
                FROM generate_series(1, {rows}) g;
            INSERT INTO webhook_endpoints (id, tenant_id, url, event_types, enabled, secret, created_at, updated_at)
                VALUES ('w1', 't1', 'https://hooks.t1.example/', '["credential.*"]', true, '\x01', now(), now());
            INSERT INTO webhook_subscriptions (tenant_id, pattern, endpoint_id) VALUES ('t1', 'credential.*', 'w1');
            """;

    // Each index of the schema with its columns, in order.
    private static async Task<Dictionary<string, string[]>> IndexColumnsAsync(PostgresPlans plans) =>
        (await plans.ListAsync("SELECT i.indexrelid::regclass::text || ' ' || string_agg(a.attname, ' ' ORDER BY k.n) FROM pg_index i " +
            "CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY k(attnum, n) JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum " +
            "WHERE i.indrelid IN (SELECT oid FROM pg_class WHERE relnamespace = 'public'::regnamespace) GROUP BY i.indexrelid"))
        .Select(l => l.Split(' ')).ToDictionary(p => p[0], p => p[1..], StringComparer.Ordinal);

    private sealed record ScanNode(string Line, string? Index, string IndexCond);

    // The scan nodes of a plan in EXPLAIN's text format, each with its index condition.
    private static List<ScanNode> Parse(IEnumerable<string> plan)
    {
        var nodes = new List<ScanNode>();
        foreach (var line in plan)
        {
            if (ScanLine().Match(line) is { Success: true } scan)
            {
                nodes.Add(new ScanNode(line.Trim(), scan.Groups["index"].Success ? scan.Groups["index"].Value : null, ""));
            }
            else if (nodes.Count > 0 && line.TrimStart().StartsWith("Index Cond:", StringComparison.Ordinal) && !line.Contains("->", StringComparison.Ordinal))
            {
                nodes[^1] = nodes[^1] with { IndexCond = line.Trim() };
            }
        }
        return nodes;
    }

    // What keeps the plan from finding its rows by the intended indexes: a scan of a table, an other
    // index, an intended index searched by only some of its columns, an intended index not used.
    private static List<string> Misses(List<ScanNode> nodes, string[] intended, Dictionary<string, string[]> columns)
    {
        var misses = new List<string>();
        var keys = intended.Select(i => i.Split(':')).ToDictionary(p => p[0], p => p.Length > 1 ? p[1].Split(',') : columns[p[0]], StringComparer.Ordinal);
        foreach (var node in nodes)
        {
            if (node.Index is null || !keys.TryGetValue(node.Index, out var key))
            {
                misses.Add(node.Line);
            }
            else if (key.FirstOrDefault(c => !Regex.IsMatch(node.IndexCond, $@"\b{c}\b")) is { } missing)
            {
                misses.Add($"{node.Line} without {missing} ({node.IndexCond})");
            }
        }
        misses.AddRange(keys.Keys.Where(i => !nodes.Any(n => n.Index == i)).Select(i => $"{i} not used"));
        return misses;
    }

    // "Index Scan using X on T", "Index Only Scan using X on T", "Bitmap Index Scan on X", "Seq Scan on T".
    [GeneratedRegex(@"(Index (Only )?Scan( Backward)? using (?<index>\S+) on \S+|Bitmap Index Scan on (?<index>\S+)|Seq Scan on \S+)")]
    private static partial Regex ScanLine();
}
