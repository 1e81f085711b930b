using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Passkeys.Server.Tests.Integration;
using Passkeys.Server.Tests.Storage;

namespace Passkeys.Server.Tests.Oidc;

/// <summary>The admin API for OIDC clients, on each store.</summary>
public abstract class OidcClientAdminTests(IOidcStore store)
{
    private const string Path = "/v1/admin/tenants/default/oidc-clients";

    private async Task<TestServer> StartAsync() => await TestServer.StartAsync(null, await store.NewStoreArgsAsync());

    private static object Client(string id = "web-app", string type = "confidential", string[]? redirects = null, string[]? logouts = null) => new
    {
        clientId = id,
        displayName = "Web app",
        clientType = type,
        redirectUris = redirects ?? ["https://app.example.com/signin-oidc"],
        postLogoutRedirectUris = logouts ?? ["https://app.example.com/"],
    };

    [Fact]
    public async Task Create_get_list_update_delete()
    {
        await using var server = await StartAsync();
        var created = await server.OkJsonAsync(HttpMethod.Post, Path, Client(), bearer: TestServer.AdminKey);
        var secret = (string)created["clientSecret"]!;
        Assert.StartsWith("pkcs_", secret, StringComparison.Ordinal);
        Assert.Equal("web-app", (string)created["client"]!["clientId"]!);
        Assert.Equal("confidential", (string)created["client"]!["clientType"]!);

        var got = await server.OkJsonAsync(HttpMethod.Get, Path + "/web-app", bearer: TestServer.AdminKey);
        Assert.Null(got["clientSecret"]);
        Assert.DoesNotContain(secret, got.ToJsonString(), StringComparison.Ordinal);
        Assert.Equal("https://app.example.com/signin-oidc", (string)got["redirectUris"]![0]!);

        var pub = await server.OkJsonAsync(HttpMethod.Post, Path, Client("spa", "public", ["http://127.0.0.1:7000/cb"], []), bearer: TestServer.AdminKey);
        Assert.Null(pub["clientSecret"]);

        var list = await server.OkJsonAsync(HttpMethod.Get, Path, bearer: TestServer.AdminKey);
        Assert.Equal(["spa", "web-app"], list["clients"]!.AsArray().Select(c => (string)c!["clientId"]!));

        var updated = await server.OkJsonAsync(HttpMethod.Put, Path + "/web-app", new
        {
            displayName = "Web app 2",
            redirectUris = new[] { "https://app.example.com/cb2" },
            postLogoutRedirectUris = Array.Empty<string>(),
        }, bearer: TestServer.AdminKey);
        Assert.Equal("Web app 2", (string)updated["displayName"]!);
        Assert.Equal("https://app.example.com/cb2", (string)updated["redirectUris"]![0]!);
        Assert.Empty(updated["postLogoutRedirectUris"]!.AsArray());

        using (var deleted = await server.SendAsync(HttpMethod.Delete, Path + "/web-app", bearer: TestServer.AdminKey))
        {
            Assert.Equal(204, (int)deleted.StatusCode);
        }
        using var gone = await server.SendAsync(HttpMethod.Get, Path + "/web-app", bearer: TestServer.AdminKey);
        await TestServer.ProblemAsync(gone, 404, 1130);
    }

    [Fact]
    public async Task Bad_inputs_get_specific_codes()
    {
        await using var server = await StartAsync();
        await server.OkJsonAsync(HttpMethod.Post, Path, Client(), bearer: TestServer.AdminKey);
        (object Body, int Status, int Code)[] cases =
        [
            (Client("web-app"), 409, 1135),
            (Client(""), 400, 1131),
            (Client("has space"), 400, 1131),
            (Client(new string('a', 65)), 400, 1131),
            (Client("x1", "spa"), 400, 1132),
            (new { clientId = "x2", displayName = "X", redirectUris = new[] { "https://a.example/cb" } }, 400, 1132),
            (Client("x3", redirects: []), 400, 1133),
            (new { clientId = "x4", displayName = "X", clientType = "public" }, 400, 1133),
            (Client("x5", redirects: ["http://app.example.com/cb"]), 400, 1133),
            (Client("x6", redirects: ["https://app.example.com/cb#frag"]), 400, 1133),
            (Client("x7", redirects: ["/relative/cb"]), 400, 1133),
            (Client("x8", redirects: ["https://user:pw@app.example.com/cb"]), 400, 1133),
            (Client("x9", redirects: ["https://a.example/cb", "https://a.example/cb"]), 400, 1133),
            (Client("x10", redirects: ["https://a.example/" + new string('p', 2048)]), 400, 1133),
            (Client("x11", redirects: [.. Enumerable.Range(0, 21).Select(i => $"https://a.example/{i}")]), 400, 1133),
            (Client("x12", redirects: ["javascript:alert(1)"]), 400, 1133),
            (Client("x13", logouts: ["http://evil.example/"]), 400, 1134),
            (new { clientId = "x14", clientType = "public", redirectUris = new[] { "https://a.example/cb" } }, 400, 1001),
        ];
        foreach (var (body, status, code) in cases)
        {
            using var response = await server.SendAsync(HttpMethod.Post, Path, body, bearer: TestServer.AdminKey);
            await TestServer.ProblemAsync(response, status, code);
        }
        // Nothing half-written: only the first client exists.
        var list = await server.OkJsonAsync(HttpMethod.Get, Path, bearer: TestServer.AdminKey);
        Assert.Single(list["clients"]!.AsArray());
    }

    [Fact]
    public async Task Loopback_http_is_allowed_and_update_cannot_change_id_or_type()
    {
        await using var server = await StartAsync();
        await server.OkJsonAsync(HttpMethod.Post, Path, Client("native", "public", ["http://localhost:8080/cb", "http://127.0.0.1/cb", "http://[::1]:9/cb"]),
            bearer: TestServer.AdminKey);
        using (var type = await server.SendAsync(HttpMethod.Put, Path + "/native", Client("native", "confidential"), bearer: TestServer.AdminKey))
        {
            await TestServer.ProblemAsync(type, 400, 1132);
        }
        using (var id = await server.SendAsync(HttpMethod.Put, Path + "/native", Client("other", "public"), bearer: TestServer.AdminKey))
        {
            await TestServer.ProblemAsync(id, 400, 1131);
        }
        using (var missing = await server.SendAsync(HttpMethod.Put, Path + "/nobody", Client("nobody", "public"), bearer: TestServer.AdminKey))
        {
            await TestServer.ProblemAsync(missing, 404, 1130);
        }
        using (var delete = await server.SendAsync(HttpMethod.Delete, Path + "/nobody", bearer: TestServer.AdminKey))
        {
            await TestServer.ProblemAsync(delete, 404, 1130);
        }
        using var unauthorized = await server.SendAsync(HttpMethod.Get, Path);
        await TestServer.ProblemAsync(unauthorized, 401, 1006);
    }

    [Fact]
    public async Task Deleting_the_tenant_deletes_its_clients()
    {
        await using var server = await StartAsync();
        await server.OkJsonAsync(HttpMethod.Post, "/v1/admin/tenants", new { id = "shop", rpId = "localhost", rpName = "Shop", origins = new[] { "http://localhost:5080" } },
            bearer: TestServer.AdminKey);
        await server.OkJsonAsync(HttpMethod.Post, "/v1/admin/tenants/shop/oidc-clients", Client(), bearer: TestServer.AdminKey);
        using (var deleted = await server.SendAsync(HttpMethod.Delete, "/v1/admin/tenants/shop", bearer: TestServer.AdminKey))
        {
            Assert.Equal(204, (int)deleted.StatusCode);
        }
        await server.OkJsonAsync(HttpMethod.Post, "/v1/admin/tenants", new { id = "shop", rpId = "localhost", rpName = "Shop", origins = new[] { "http://localhost:5080" } },
            bearer: TestServer.AdminKey);
        var list = await server.OkJsonAsync(HttpMethod.Get, "/v1/admin/tenants/shop/oidc-clients", bearer: TestServer.AdminKey);
        Assert.Empty(list["clients"]!.AsArray());
    }
}

/// <summary>The W3C Passkey Endpoints document and its admin API, on each store.</summary>
public abstract class PasskeyEndpointsTests(IOidcStore store)
{
    [Fact]
    public async Task Document_is_empty_until_set_then_served_per_tenant_and_for_the_rpId_host()
    {
        await using var server = await TestServer.StartAsync(null, await store.NewStoreArgsAsync());
        Assert.Equal("{}", (await server.OkJsonAsync(HttpMethod.Get, "/v1/tenants/default/.well-known/passkey-endpoints")).ToJsonString());

        var set = await server.OkJsonAsync(HttpMethod.Put, "/v1/admin/tenants/default/passkey-endpoints", new
        {
            enroll = "http://localhost:5080/account.html#add",
            manage = "http://localhost:5080/account.html",
        }, bearer: TestServer.AdminKey);
        Assert.Equal("http://localhost:5080/account.html", (string)set["manage"]!);

        foreach (var path in new[] { "/v1/tenants/default/.well-known/passkey-endpoints", "/.well-known/passkey-endpoints" })
        {
            using var response = await server.SendAsync(HttpMethod.Get, path);
            Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
            var doc = System.Text.Json.Nodes.JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
            Assert.Equal("http://localhost:5080/account.html#add", (string)doc["enroll"]!);
            Assert.Equal("http://localhost:5080/account.html", (string)doc["manage"]!);
            Assert.Null(doc["prfUsageDetails"]);
        }

        using (var bad = await server.SendAsync(HttpMethod.Put, "/v1/admin/tenants/default/passkey-endpoints", new { manage = "http://app.example.com/passkeys" },
            bearer: TestServer.AdminKey))
        {
            await TestServer.ProblemAsync(bad, 400, 1137);
        }
        using (var relative = await server.SendAsync(HttpMethod.Put, "/v1/admin/tenants/default/passkey-endpoints", new { enroll = "/account" }, bearer: TestServer.AdminKey))
        {
            await TestServer.ProblemAsync(relative, 400, 1137);
        }
        // Unchanged by the refused updates.
        Assert.Equal("http://localhost:5080/account.html", (string)(await server.OkJsonAsync(HttpMethod.Get, "/v1/admin/tenants/default/passkey-endpoints",
            bearer: TestServer.AdminKey))["manage"]!);
        using var missing = await server.SendAsync(HttpMethod.Get, "/v1/tenants/nobody/.well-known/passkey-endpoints");
        await TestServer.ProblemAsync(missing, 404, 1008);
    }
}

public sealed class SqlitePasskeyEndpointsTests() : PasskeyEndpointsTests(new SqliteOidcStore());

[Collection(PostgresCollection.Name)]
public sealed class PostgresPasskeyEndpointsTests(PostgresCluster cluster) : PasskeyEndpointsTests(new PostgresOidcStore(cluster));

public sealed class SqliteOidcClientAdminTests() : OidcClientAdminTests(new SqliteOidcStore());

[Collection(PostgresCollection.Name)]
public sealed class PostgresOidcClientAdminTests(PostgresCluster cluster) : OidcClientAdminTests(new PostgresOidcStore(cluster));
