using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using Passkeys.Server.Tests.Storage;

namespace Passkeys.Server.Tests.Integration;

/// <summary>
/// Tenants and signing keys are cached in each node's memory; a change made on one node must reach
/// the others. Two nodes on one PostgreSQL database with a cache lifetime far longer than the test,
/// so only the change notice (LISTEN/NOTIFY) can explain a node seeing the change.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresCacheInvalidationTests(PostgresCluster cluster) : IAsyncLifetime
{
    /// <summary>How long a notice may take here; far below the cache lifetime the nodes run with.</summary>
    private static readonly TimeSpan NoticeDeadline = TimeSpan.FromSeconds(5);
    private TestServer _a = null!;
    private TestServer _b = null!;

    public async Task InitializeAsync()
    {
        if (PostgresCluster.SkipReason is not null)
        {
            return;
        }
        var database = await cluster.CreateDatabaseAsync();
        // One issuer and one KEK for both, as behind a load balancer: a token of one node is valid on the other.
        string[] args = ["--Passkeys:CacheLifetime=01:00:00", "--Passkeys:Tokens:Issuer=http://passkeys.test", SigningKeyAtRestTests.Kek];
        var nodes = await Task.WhenAll(PostgresServer.OnDatabaseAsync(database, null, args), PostgresServer.OnDatabaseAsync(database, null, args));
        (_a, _b) = (nodes[0], nodes[1]);
    }

    public async Task DisposeAsync()
    {
        if (_a is not null) await _a.DisposeAsync();
        if (_b is not null) await _b.DisposeAsync();
    }

    private static object Tenant(string rpName, bool selfSignUp = true) =>
        new { id = "shop", rpId = "localhost", rpName, origins = new[] { TestServer.Origin }, selfSignUp };

    /// <summary>Asks <paramref name="node"/> until <paramref name="seen"/> holds, or fails after <see cref="NoticeDeadline"/>.</summary>
    private static async Task EventuallyAsync(TestServer node, string path, Func<HttpStatusCode, JsonNode?, bool> seen, string what)
    {
        var deadline = DateTime.UtcNow + NoticeDeadline;
        while (true)
        {
            using var response = await node.SendAsync(HttpMethod.Get, path, bearer: TestServer.AdminKey);
            var body = await response.Content.ReadAsStringAsync();
            if (seen(response.StatusCode, body.Length == 0 ? null : JsonNode.Parse(body)))
            {
                return;
            }
            Assert.True(DateTime.UtcNow < deadline, $"the other node did not see {what} within {NoticeDeadline}: {(int)response.StatusCode} {body}");
            await Task.Delay(50);
        }
    }

    [PostgresFact]
    public async Task A_tenant_changed_or_deleted_on_one_node_is_seen_by_the_other()
    {
        using (var created = await _a.SendAsync(HttpMethod.Post, "/v1/admin/tenants", Tenant("Shop"), bearer: TestServer.AdminKey))
        {
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }
        // Node B reads (and caches) the tenant.
        Assert.Equal("Shop", (string?)(await _b.OkJsonAsync(HttpMethod.Get, "/v1/admin/tenants/shop", bearer: TestServer.AdminKey))["rpName"]);
        await _b.OkJsonAsync(HttpMethod.Post, "/v1/tenants/shop/authentication/begin", new { });

        await _a.OkJsonAsync(HttpMethod.Put, "/v1/admin/tenants/shop", Tenant("Shop renamed", selfSignUp: false), bearer: TestServer.AdminKey);
        await EventuallyAsync(_b, "/v1/admin/tenants/shop", (_, t) => (string?)t?["rpName"] == "Shop renamed", "the new name");
        using (var refused = await _b.SendAsync(HttpMethod.Post, "/v1/tenants/shop/registration/begin", new { user = new { name = "late" } }))
        {
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode); // B applies the new settings too, not only shows them
        }

        using (var deleted = await _a.SendAsync(HttpMethod.Delete, "/v1/admin/tenants/shop", bearer: TestServer.AdminKey))
        {
            Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        }
        await EventuallyAsync(_b, "/v1/admin/tenants/shop", (status, _) => status == HttpStatusCode.NotFound, "the deletion");
    }

    [PostgresFact]
    public async Task A_tenants_algorithms_changed_on_one_node_are_offered_by_the_other()
    {
        static async Task<string> OfferedAsync(TestServer node, string name) =>
            (await node.OkJsonAsync(HttpMethod.Post, "/v1/tenants/shop/registration/begin", new { user = new { name } }))["options"]!["pubKeyCredParams"]!.ToJsonString();
        object WithAlgorithms(params string[] algorithms) =>
            new { id = "shop", rpId = "localhost", rpName = "Shop", origins = new[] { TestServer.Origin }, selfSignUp = true, algorithms };

        await _a.OkJsonAsync(HttpMethod.Post, "/v1/admin/tenants", WithAlgorithms("EdDSA"), bearer: TestServer.AdminKey);
        Assert.Equal("[{\"type\":\"public-key\",\"alg\":-8}]", await OfferedAsync(_b, "one")); // B caches tenant and relying party

        await _a.OkJsonAsync(HttpMethod.Put, "/v1/admin/tenants/shop", WithAlgorithms("ML-DSA-44"), bearer: TestServer.AdminKey);
        await EventuallyAsync(_b, "/v1/admin/tenants/shop", (_, t) => t?["algorithms"]?.ToJsonString() == "[\"ML-DSA-44\"]", "the new algorithms");
        Assert.Equal("[{\"type\":\"public-key\",\"alg\":-48}]", await OfferedAsync(_b, "two"));
    }

    [PostgresFact]
    public async Task A_key_rotated_on_one_node_is_published_and_accepted_by_the_other()
    {
        var client = TestServer.NewClient();
        await _a.SignUpAsync(client, "rotor");
        var before = await _b.OkJsonAsync(HttpMethod.Get, "/v1/tenants/default/jwks.json"); // B caches the keys

        var rotated = await _a.OkJsonAsync(HttpMethod.Post, "/v1/admin/tenants/default/signing-keys/rotate", bearer: TestServer.AdminKey);
        var kid = (string)rotated["kid"]!;
        Assert.DoesNotContain(kid, before.ToJsonString(), StringComparison.Ordinal);

        // A token signed on A with the new key is accepted by B at once (notice, or B re-reads on an unknown key id).
        var token = (string)(await _a.SignInAsync(client))["token"]!;
        using (var me = await _b.SendAsync(HttpMethod.Get, "/v1/tenants/default/me/credentials", bearer: token))
        {
            Assert.Equal(HttpStatusCode.OK, me.StatusCode);
        }
        await EventuallyAsync(_b, "/v1/tenants/default/jwks.json", (_, jwks) => jwks?.ToJsonString().Contains(kid, StringComparison.Ordinal) == true, "the new key");
    }
}

/// <summary>
/// Without notices (SQLite has no channel between processes: an operator's tool or a second
/// process writing the file) a node serves a cached tenant for at most <c>Passkeys:CacheLifetime</c>.
/// </summary>
public sealed class SqliteCacheLifetimeTests : IAsyncLifetime, IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "passkeys-cache-" + Guid.NewGuid().ToString("N"));
    private TestServer _server = null!;

    public async Task InitializeAsync() =>
        _server = await TestServer.StartAsync(null, "--Passkeys:DataDirectory=" + _directory, "--Passkeys:CacheLifetime=00:00:01");

    public async Task DisposeAsync() => await _server.DisposeAsync();

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // best effort: a temp folder
        }
    }

    [Fact]
    public async Task A_tenant_changed_behind_the_servers_back_is_seen_after_the_cache_lifetime()
    {
        await _server.OkJsonAsync(HttpMethod.Post, "/v1/tenants/default/registration/begin", new { user = new { name = "first" } }); // cached: self sign-up on
        await using (var connection = new SqliteConnection($"Data Source={Path.Combine(_directory, "passkeys.db")};Pooling=False"))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "UPDATE tenants SET self_sign_up = 0 WHERE id = 'default'";
            Assert.Equal(1, await command.ExecuteNonQueryAsync());
        }
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (true)
        {
            using var response = await _server.SendAsync(HttpMethod.Post, "/v1/tenants/default/registration/begin", new { user = new { name = "next" } });
            if (response.StatusCode == HttpStatusCode.Forbidden)
            {
                return;
            }
            Assert.True(DateTime.UtcNow < deadline, "the change was not seen after the 1 s cache lifetime");
            await Task.Delay(100);
        }
    }
}
