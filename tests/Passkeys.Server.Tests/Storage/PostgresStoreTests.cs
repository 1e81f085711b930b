using System.Diagnostics.Metrics;
using Npgsql;
using Passkeys.Server.Storage;
using Passkeys.Server.Storage.Postgres;
using Passkeys.TestSupport;

namespace Passkeys.Server.Tests.Storage;

/// <summary>What only the PostgreSQL store has to show: several nodes at once, races that reach the constraints, the login index.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresStoreTests(PostgresCluster cluster) : IDisposable
{
    private static readonly DateTimeOffset T0 = DateTimeOffset.FromUnixTimeMilliseconds(1_750_000_000_000);
    private readonly Meter _meter = new("Passkeys.Server.Tests.PostgresStoreTests");

    public void Dispose() => _meter.Dispose();

    private PostgresPasskeyStore NewStore(string connectionString) => new(connectionString, new StoreMetrics(_meter));

    private async Task<PostgresPasskeyStore> NewMigratedStoreAsync(string? connectionString = null)
    {
        var store = NewStore(connectionString ?? await cluster.CreateDatabaseAsync());
        await store.MigrateAsync();
        await store.CreateTenantAsync(new TenantRecord("t1", "t1.example", "T1", ["https://t1.example"], [], "preferred", "none", true, T0));
        return store;
    }

    private static UserRecord User(string id, string? name = null) =>
        new("t1", id, System.Security.Cryptography.RandomNumberGenerator.GetBytes(32), name ?? id, id, T0);

    private static CredentialRecordRow Credential(string userId, byte[] id) =>
        new("t1", id, userId, new byte[32], [0xA5], -7, 0, true, false, false, [], Guid.Empty, "none", false, null, T0, null);

    [PostgresFact]
    public async Task Nodes_starting_together_migrate_an_empty_database_once()
    {
        var database = await cluster.CreateDatabaseAsync();
        var stores = Enumerable.Range(0, 6).Select(_ => NewStore(database)).ToList();
        try
        {
            await Task.WhenAll(stores.Select(s => Task.Run(() => s.MigrateAsync())));
            var version = await stores[0].GetSchemaVersionAsync();
            Assert.True(version >= 1);
            foreach (var store in stores)
            {
                Assert.Equal(version, await store.GetSchemaVersionAsync());
            }
            // Each version recorded once: no node applied a migration a second time.
            await using var connection = new NpgsqlConnection(database);
            await connection.OpenAsync();
            await using var count = new NpgsqlCommand("SELECT COUNT(*) FROM schema_migrations", connection);
            Assert.Equal((long)version, await count.ExecuteScalarAsync());
        }
        finally
        {
            foreach (var store in stores) await store.DisposeAsync();
        }
    }

    [PostgresFact]
    public async Task Racing_registrations_of_one_credential_id_store_it_once_and_no_orphan_user()
    {
        await using var store = await NewMigratedStoreAsync();
        // All pass the existence checks together; the primary key decides, and the losers' users roll back.
        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Task.Run(() => store.AddCredentialAsync(Credential("u" + i, [7, 7, 7]), User("u" + i)))));
        Assert.Single(results, r => r == AddCredentialResult.Added);
        Assert.All(results.Where(r => r != AddCredentialResult.Added), r => Assert.Equal(AddCredentialResult.CredentialExists, r));
        Assert.Single(await store.ListUsersAsync("t1", null, 100));
    }

    [PostgresFact]
    public async Task Racing_sign_ups_of_one_user_name_create_one_user()
    {
        await using var store = await NewMigratedStoreAsync();
        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Task.Run(() => store.AddCredentialAsync(Credential("u" + i, [(byte)i]), User("u" + i, "same-name")))));
        Assert.Single(results, r => r == AddCredentialResult.Added);
        Assert.All(results.Where(r => r != AddCredentialResult.Added), r => Assert.Equal(AddCredentialResult.UserExists, r));
        Assert.Single(await store.ListUsersAsync("t1", null, 100));
    }

    [PostgresFact]
    public async Task Credential_lookup_is_an_index_scan_on_the_credential_id()
    {
        var database = await cluster.CreateDatabaseAsync();
        await using var store = await NewMigratedStoreAsync(database);
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        // Enough users that a sequential scan would be visibly wrong; the planner must use the key.
        await using (var fill = new NpgsqlCommand(
            "INSERT INTO users (tenant_id, id, handle, name, display_name, created_at) " +
            "SELECT 't1', 'u' || g, sha256(int4send(g)), 'n' || g, 'n', now() FROM generate_series(1, 20000) g; " +
            "INSERT INTO credentials (tenant_id, id, user_id, user_handle, public_key, algorithm, sign_count, uv_initialized, backup_eligible, backup_state, " +
            "transports, aaguid, attestation_format, attestation_trusted, created_at) " +
            "SELECT 't1', sha256(int4send(g)), 'u' || g, sha256(int4send(g)), '\\xa5', -7, 0, true, false, false, '[]', gen_random_uuid(), 'none', false, now() " +
            "FROM generate_series(1, 20000) g; ANALYZE users; ANALYZE credentials;", connection))
        {
            await fill.ExecuteNonQueryAsync();
        }
        await using var explain = new NpgsqlCommand("EXPLAIN SELECT * FROM credentials WHERE id = $1 AND tenant_id = $2", connection);
        explain.Parameters.Add(new NpgsqlParameter { Value = new byte[] { 1, 2, 3 } });
        explain.Parameters.Add(new NpgsqlParameter { Value = "t1" });
        var plan = string.Join('\n', await ReadAllAsync(explain));
        Assert.True(plan.Contains("Index Scan using credentials_pkey", StringComparison.Ordinal), plan);
        var id = new byte[4];
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(id, 12345); // what int4send(12345) sends
        Assert.Equal("u12345", (await store.GetCredentialAsync("t1", System.Security.Cryptography.SHA256.HashData(id)))!.UserId);
    }

    [PostgresFact]
    public async Task An_endpoint_acknowledged_on_one_node_gets_the_next_event_written_on_another_with_no_notice_between_them()
    {
        var database = await cluster.CreateDatabaseAsync();
        await using var a = await NewMigratedStoreAsync(database);
        await using var b = NewStore(database); // neither node listens for notices: the database alone decides
        static AuditEventRecord SignedIn(string ceremony) =>
            new(0, "t1", T0, "authentication", "succeeded", ceremony, "u1", null, null, null, null, null, null, null, null);
        static WebhookEndpointRecord Endpoint(bool enabled) =>
            new("e1", "t1", "https://hooks.example/e1", ["authentication.*"], null, enabled, [1, 2, 3], null, null, T0, T0);
        static AuditEventRecord Changed(string type) => new(0, "t1", T0, "webhook", type, null, null, null, null, null, null, null, null, null, null,
            "webhook." + type, "api_key", "k1", "webhook", "e1");

        // The bound: an event's subscribers are those committed before its audit row was inserted.
        // Inserted before the endpoint existed, committed after its creation was acknowledged: not delivered.
        await using (var step = await b.BeginStepAsync())
        {
            await step.AppendAuditEventAsync(SignedIn("before"));
            Assert.True(await a.CreateWebhookEndpointAsync(Endpoint(enabled: true), 10, Changed("created")));
            await step.CommitAsync();
        }
        Assert.Empty(await a.ListWebhookDeliveriesAsync("t1", "e1", null, null, 10));

        // Written after the acknowledgement, on the other node, at once: delivered.
        await b.AppendAuditEventAsync(SignedIn("after"));
        await using (var step = await b.BeginStepAsync())
        {
            await step.AppendAuditEventAsync(SignedIn("after-in-step"));
            await step.CommitAsync();
        }
        var events = await b.QueryAuditEventsAsync(new AuditQuery("t1", Ceremony: "authentication"));
        var delivered = await b.ListWebhookDeliveriesAsync("t1", "e1", null, null, 10);
        Assert.Equal(events.Where(e => e.CeremonyId != "before").Select(e => e.Id).Order(), delivered.Select(d => d.EventId).Order());

        // Disabled on one node: the other enqueues no more.
        Assert.True(await a.UpdateWebhookEndpointAsync(Endpoint(enabled: false) with { UpdatedAt = T0.AddMinutes(1) }, Changed("updated")));
        await b.AppendAuditEventAsync(SignedIn("disabled"));
        Assert.Equal(2, (await a.ListWebhookDeliveriesAsync("t1", "e1", null, null, 10)).Count);
    }

    [PostgresFact]
    public async Task An_unreachable_server_is_not_ready_and_fails_with_an_npgsql_exception()
    {
        using var closed = LoopbackPort.Reserve();
        var connectionString = $"Host=127.0.0.1;Port={closed.Port};Username=postgres;Database=x;Timeout=5";
        await using var store = NewStore(connectionString);
        Assert.False(await store.PingAsync());
        await Assert.ThrowsAnyAsync<NpgsqlException>(() => store.MigrateAsync());
    }

    private static async Task<List<string>> ReadAllAsync(NpgsqlCommand command)
    {
        var lines = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            lines.Add(reader.GetString(0));
        }
        return lines;
    }
}
