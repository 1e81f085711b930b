using System.Text.Json.Nodes;
using Passkeys.Server.Tests.Integration;
using Passkeys.Server.Tests.Storage;

namespace Passkeys.Server.Tests.Migration;

/// <summary>
/// A tenant moves from a server on SQLite to a server on PostgreSQL (two real Kestrel servers) by
/// export and import, and its users sign in there with the same software passkeys.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class MoveTenantTests(PostgresCluster cluster) : IDisposable
{
    private readonly SqliteStorage _sqlite = new();
    private readonly PostgresStorage _postgres = new(cluster);

    internal static object ShopTenant => new
    {
        id = "shop", rpId = "localhost", rpName = "Shop", origins = new[] { TestServer.Origin }, selfSignUp = true, cloneDetection = "flag",
        algorithms = new[] { "ES256", "EdDSA" },
        nativeApps = new { ios = new[] { "ABCDE12345.com.example.shop" } },
    };

    [PostgresFact]
    public async Task A_tenant_exported_from_SQLite_and_imported_into_PostgreSQL_signs_in_with_the_same_passkeys()
    {
        await using var from = await _sqlite.StartAsync(await _sqlite.NewAsync());
        await from.OkJsonAsync(HttpMethod.Post, "/v1/admin/tenants", ShopTenant, bearer: TestServer.AdminKey);
        var apiKey = await from.CreateApiKeyAsync("shop");
        var alice = TestServer.NewClient();
        var bob = TestServer.NewClient();
        var aliceUp = await from.SignUpAsync(alice, "alice", "shop");
        var bobUp = await from.SignUpAsync(bob, "bob", "shop");
        var bobSignIn = await from.SignInAsync(bob, tenant: "shop");
        var aliceCredential = (string)aliceUp["credential"]!["id"]!;
        await from.OkJsonAsync(HttpMethod.Patch, $"/v1/tenants/shop/me/credentials/{aliceCredential}", new { name = "Work laptop" }, bearer: (string)aliceUp["token"]!);

        var export = await from.OkJsonAsync(HttpMethod.Get, "/v1/admin/tenants/shop/export", bearer: TestServer.AdminKey);
        Assert.Equal("passkeys-tenant-export", (string)export["format"]!);
        Assert.Equal(1, (int)export["formatVersion"]!);
        Assert.Equal(2, export["users"]!.AsArray().Count);
        var text = export.ToJsonString();
        // No secret travels: not the API key, not a refresh token or session, not a signing key.
        Assert.DoesNotContain(apiKey, text, StringComparison.Ordinal);
        Assert.DoesNotContain(apiKey.Split('.')[0], text, StringComparison.Ordinal);
        Assert.DoesNotContain((string)bobSignIn["refreshToken"]!, text, StringComparison.Ordinal);
        Assert.DoesNotContain((string)bobSignIn["sessionId"]!, text, StringComparison.Ordinal);
        foreach (var forbidden in new[] { "privateKey", "tenantSecret", "recoveryCode", "apiKey", "refreshToken" })
        {
            Assert.DoesNotContain(forbidden, text, StringComparison.OrdinalIgnoreCase);
        }

        await using var to = await _postgres.StartAsync(await _postgres.NewAsync());
        var summary = await to.OkJsonAsync(HttpMethod.Post, "/v1/admin/tenants/import", text, bearer: TestServer.AdminKey);
        Assert.Equal("shop", (string)summary["tenant"]!);
        Assert.Equal(2, (int)summary["users"]!);
        Assert.Equal(2, (int)summary["credentials"]!);

        // Settings, users and passkeys arrived as they were.
        var tenant = await to.OkJsonAsync(HttpMethod.Get, "/v1/admin/tenants/shop", bearer: TestServer.AdminKey);
        var original = await from.OkJsonAsync(HttpMethod.Get, "/v1/admin/tenants/shop", bearer: TestServer.AdminKey);
        Assert.True(JsonNode.DeepEquals(original, tenant), $"{original.ToJsonString()} != {tenant.ToJsonString()}");
        var aliceId = (string)aliceUp["user"]!["id"]!;
        Assert.True(JsonNode.DeepEquals(
            await from.OkJsonAsync(HttpMethod.Get, $"/v1/admin/tenants/shop/users/{aliceId}", bearer: TestServer.AdminKey),
            await to.OkJsonAsync(HttpMethod.Get, $"/v1/admin/tenants/shop/users/{aliceId}", bearer: TestServer.AdminKey)));

        // The same passkeys sign in on the new server, as the same users.
        var aliceIn = await to.SignInAsync(alice, tenant: "shop");
        Assert.Equal(aliceId, (string)aliceIn["user"]!["id"]!);
        var bobIn = await to.SignInAsync(bob, "bob", "shop");
        Assert.Equal((string)bobUp["user"]!["id"]!, (string)bobIn["user"]!["id"]!);

        // Importing it again changes nothing: the tenant exists.
        using var again = await to.SendAsync(HttpMethod.Post, "/v1/admin/tenants/import", text, bearer: TestServer.AdminKey);
        var problem = await TestServer.ProblemAsync(again, 409, 1155);
        Assert.Equal("$.tenant.id", (string)problem["path"]!);
    }

    public void Dispose()
    {
        _sqlite.Dispose();
        _postgres.Dispose();
    }
}
