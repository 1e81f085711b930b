using System.Text.Json.Nodes;
using Passkeys.Server.Tests.Integration;
using Passkeys.Server.Tests.Storage;

namespace Passkeys.Server.Tests.Migration;

/// <summary>
/// A bad import file, in any one field, is refused with a specific code and the JSON path at fault,
/// and changes nothing: no tenant, no user, no passkey is left behind; one derived class per store.
/// </summary>
public abstract class BadImportTests : IDisposable
{
    /// <summary>Where the servers keep their data.</summary>
    protected abstract ServerStorage Storage { get; }

    private static async Task<(TestServer Server, JsonObject Export)> ExportedShopAsync(ServerStorage storage)
    {
        var server = await storage.StartAsync(await storage.NewAsync());
        await server.OkJsonAsync(HttpMethod.Post, "/v1/admin/tenants", MoveTenantTests.ShopTenant, bearer: TestServer.AdminKey);
        await server.SignUpAsync(TestServer.NewClient(), "alice", "shop");
        await server.SignUpAsync(TestServer.NewClient(), "bob", "shop");
        var export = (await server.OkJsonAsync(HttpMethod.Get, "/v1/admin/tenants/shop/export", bearer: TestServer.AdminKey)).AsObject();
        using var deleted = await server.SendAsync(HttpMethod.Delete, "/v1/admin/tenants/shop", bearer: TestServer.AdminKey);
        Assert.Equal(System.Net.HttpStatusCode.NoContent, deleted.StatusCode);
        return (server, export);
    }

    public static TheoryData<string, string, int, string> Damage => new()
    {
        // description, JSON path to change, code, path the problem names
        { "no format", "$.format=null", 1153, "$.format" },
        { "another format", "$.format=\"webauthn-rs\"", 1153, "$.format" },
        { "a newer version", "$.formatVersion=2", 1153, "$.formatVersion" },
        { "an origin outside the rpId", "$.tenant.origins=[\"https://evil.example\"]", 1052, "$.tenant" },
        { "an unknown algorithm", "$.tenant.algorithms=[\"RS1\"]", 1090, "$.tenant" },
        { "a bad iOS app id", "$.tenant.nativeApps={\"ios\":[\"nope\"]}", 1152, "$.tenant" },
        { "origins of the wrong type", "$.tenant.origins=42", 1154, "$.tenant.origins" },
        { "a user without a handle", "$.users[1].handle=null", 1154, "$.users[1].handle" },
        { "a handle too long", "$.users[1].handle=\"" + new string('A', 100) + "\"", 1154, "$.users[1].handle" },
        { "a name the rules refuse", "$.users[1].name=\"b\u200Bob\"", 1030, "$.users[1].name" },
        { "two users with one id", "$.users[1].id=USER0", 1154, "$.users[1]" },
        { "two users with one name", "$.users[1].name=NAME0UPPER", 1154, "$.users[1]" },
        { "a public key that is not COSE", "$.users[1].credentials[0].publicKey=\"AAEC\"", 1154, "$.users[1].credentials[0].publicKey" },
        { "an algorithm not the key's", "$.users[1].credentials[0].algorithm=-8", 1154, "$.users[1].credentials[0].algorithm" },
        { "a negative counter", "$.users[1].credentials[0].signCount=-1", 1154, "$.users[1].credentials[0].signCount" },
        { "backed up but not eligible", "$.users[1].credentials[0].backupState=true & $.users[1].credentials[0].backupEligible=false", 1154, "$.users[1].credentials[0].backupState" },
        { "an unknown status", "$.users[1].credentials[0].status=\"deleted\"", 1154, "$.users[1].credentials[0].status" },
        { "suspended without a time", "$.users[1].credentials[0].status=\"suspended\"", 1154, "$.users[1].credentials[0].suspendedReason" },
        { "a bad date", "$.users[1].credentials[0].createdAt=\"yesterday\"", 1154, "$.users[1].credentials[0].createdAt" },
        { "a bad AAGUID", "$.users[1].credentials[0].aaguid=\"x\"", 1154, "$.users[1].credentials[0].aaguid" },
        { "two credentials with one id", "$.users[1].credentials[0].id=CRED0", 1154, "$.users[1].credentials[0]" },
        { "a default that is not theirs", "$.users[1].defaultCredentialId=CRED0", 1154, "$.users[1].defaultCredentialId" },
        { "users not a list", "$.users={}", 1154, "$.users" },
    };

    // "$.a.b[1].c=<json>", several joined by " & ": sets values; USER0 and CRED0 stand for the first user's id and first credential's id.
    private static void Apply(JsonObject file, string changes)
    {
        foreach (var change in changes.Split(" & "))
        {
            ApplyOne(file, change);
        }
    }

    private static void ApplyOne(JsonObject file, string change)
    {
        var (path, json) = (change[..change.IndexOf('=', StringComparison.Ordinal)], change[(change.IndexOf('=', StringComparison.Ordinal) + 1)..]);
        json = json.Replace("USER0", file["users"]![0]!["id"]!.ToJsonString(), StringComparison.Ordinal)
            .Replace("NAME0UPPER", JsonValue.Create(((string)file["users"]![0]!["name"]!).ToUpperInvariant()).ToJsonString(), StringComparison.Ordinal)
            .Replace("CRED0", file["users"]![0]!["credentials"]![0]!["id"]!.ToJsonString(), StringComparison.Ordinal);
        JsonNode node = file;
        var steps = path[2..].Replace("[", ".[", StringComparison.Ordinal).Split('.');
        for (var i = 0; i < steps.Length - 1; i++)
        {
            node = steps[i].StartsWith('[') ? node[int.Parse(steps[i][1..^1], System.Globalization.CultureInfo.InvariantCulture)]! : node[steps[i]]!;
        }
        node[steps[^1]] = JsonNode.Parse(json);
    }

    [StoreTheory]
    [MemberData(nameof(Damage))]
    public async Task A_damaged_file_is_refused_naming_the_field_and_creates_nothing(string what, string change, int code, string path)
    {
        var (server, file) = await ExportedShopAsync(Storage);
        await using var _ = server;
        Apply(file, change);
        using var response = await server.SendAsync(HttpMethod.Post, "/v1/admin/tenants/import", file.ToJsonString(), bearer: TestServer.AdminKey);
        var status = code == 1155 ? 409 : 400;
        var problem = await TestServer.ProblemAsync(response, status, code);
        Assert.True(path == (string?)problem["path"], $"{what}: path {(string?)problem["path"]}, expected {path}");
        using var get = await server.SendAsync(HttpMethod.Get, "/v1/admin/tenants/shop", bearer: TestServer.AdminKey);
        await TestServer.ProblemAsync(get, 404, 1008);
    }

    [StoreFact]
    public async Task A_conflict_with_a_passkey_of_another_tenant_found_late_leaves_nothing_written()
    {
        var (server, file) = await ExportedShopAsync(Storage);
        await using var _ = server;
        // Another tenant holds bob's credential already: found when the store reaches it, after the
        // tenant and both users were inserted in the transaction.
        var other = (JsonObject)file.DeepClone();
        other["tenant"]!["id"] = "other";
        other["users"] = new JsonArray(other["users"]![1]!.DeepClone());
        await server.OkJsonAsync(HttpMethod.Post, "/v1/admin/tenants/import", other.ToJsonString(), bearer: TestServer.AdminKey);

        using var response = await server.SendAsync(HttpMethod.Post, "/v1/admin/tenants/import", file.ToJsonString(), bearer: TestServer.AdminKey);
        var problem = await TestServer.ProblemAsync(response, 409, 1155);
        Assert.Equal("$.users[1].credentials[0]", (string)problem["path"]!);
        using var get = await server.SendAsync(HttpMethod.Get, "/v1/admin/tenants/shop", bearer: TestServer.AdminKey);
        await TestServer.ProblemAsync(get, 404, 1008);

        // Into an existing tenant: alice is refused as a user who exists, and nothing of the file is added.
        var before = await server.OkJsonAsync(HttpMethod.Get, "/v1/admin/tenants/other/users", bearer: TestServer.AdminKey);
        using var into = await server.SendAsync(HttpMethod.Post, "/v1/admin/tenants/other/import", file.ToJsonString(), bearer: TestServer.AdminKey);
        var intoProblem = await TestServer.ProblemAsync(into, 409, 1155);
        Assert.Equal("$.users[1]", (string)intoProblem["path"]!);
        Assert.True(JsonNode.DeepEquals(before, await server.OkJsonAsync(HttpMethod.Get, "/v1/admin/tenants/other/users", bearer: TestServer.AdminKey)));
    }

    [StoreFact]
    public async Task Foreign_files_need_a_tenant_and_passkeys_of_another_rp_id_are_refused()
    {
        var server = await Storage.StartAsync(await Storage.NewAsync());
        await using var _ = server;
        await server.OkJsonAsync(HttpMethod.Post, "/v1/admin/tenants", new { id = "shop", rpId = "example.com", rpName = "Shop", origins = new[] { "https://shop.example.com" } },
            bearer: TestServer.AdminKey);
        var (_, response, credential, data) = await ForeignPasskeyTests.RegisterElsewhereAsync("u1"u8.ToArray(), "alice");
        var file = new JsonObject
        {
            ["format"] = "aspnetcore-identity",
            ["users"] = new JsonArray(new JsonObject { ["id"] = "u1", ["userName"] = "alice" }),
            ["passkeys"] = new JsonArray(ForeignPasskeyTests.IdentityRow("u1", response, credential, data)),
        };
        using var noTenant = await server.SendAsync(HttpMethod.Post, "/v1/admin/tenants/import", file.ToJsonString(), bearer: TestServer.AdminKey);
        Assert.Equal("$.format", (string)(await TestServer.ProblemAsync(noTenant, 400, 1154))["path"]!);

        // Made for rpId localhost; this tenant's rpId is example.com.
        using var wrongRp = await server.SendAsync(HttpMethod.Post, "/v1/admin/tenants/shop/import", file.ToJsonString(), bearer: TestServer.AdminKey);
        Assert.Equal("$.passkeys[0].AttestationObject", (string)(await TestServer.ProblemAsync(wrongRp, 400, 1154))["path"]!);

        file["passkeys"]![0]!["UserId"] = "nobody";
        using var noUser = await server.SendAsync(HttpMethod.Post, "/v1/admin/tenants/shop/import", file.ToJsonString(), bearer: TestServer.AdminKey);
        Assert.Equal("$.passkeys[0].UserId", (string)(await TestServer.ProblemAsync(noUser, 400, 1154))["path"]!);
        var users = await server.OkJsonAsync(HttpMethod.Get, "/v1/admin/tenants/shop/users", bearer: TestServer.AdminKey);
        Assert.Empty(users["users"]!.AsArray());
    }

    [StoreFact]
    public async Task A_file_larger_than_the_api_body_limit_is_accepted()
    {
        var (server, file) = await ExportedShopAsync(Storage);
        await using var _ = server;
        // Padding past the 64 KiB API limit: imports have their own, larger limit.
        file["padding"] = new string('x', 200 * 1024);
        using var response = await server.SendAsync(HttpMethod.Post, "/v1/admin/tenants/import", file.ToJsonString(), bearer: TestServer.AdminKey);
        Assert.Equal(System.Net.HttpStatusCode.Created, response.StatusCode);
    }

    public void Dispose()
    {
        Storage.Dispose();
        GC.SuppressFinalize(this);
    }
}

/// <summary>The bad-import suite on SQLite.</summary>
public sealed class SqliteBadImportTests : BadImportTests
{
    protected override ServerStorage Storage { get; } = new SqliteStorage();
}

/// <summary>The bad-import suite on PostgreSQL.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresBadImportTests(PostgresCluster cluster) : BadImportTests
{
    protected override ServerStorage Storage { get; } = new PostgresStorage(cluster);
}
