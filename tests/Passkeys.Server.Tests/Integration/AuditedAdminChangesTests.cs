using System.Text.Json.Nodes;
using Passkeys.Server.Oidc;
using Passkeys.Server.Tests.Storage;

namespace Passkeys.Server.Tests.Integration;

/// <summary>
/// The admin changes that once wrote no audit event: tenant import (one event, in the import's
/// commit), tenant export (a sensitive read, recorded before the file is handed out), OIDC client
/// create, update, secret rotation and delete, and the Passkey Endpoints setting. Each event has
/// its type, actor, target and details; a refused change writes no event, and a change whose
/// event cannot be written (the audit insert refused by a trigger) is not made (503, nothing
/// half-written). One derived class per store (<c>AuditedAdminChangesTestsOnStores.cs</c>).
/// </summary>
public abstract class AuditedAdminChangesTests(TestStores stores) : SingleServerStoreSuite(stores)
{
    private static readonly object Shop = new { id = "shop", rpId = "localhost", rpName = "Shop", origins = new[] { TestServer.Origin }, selfSignUp = true };

    private Task<JsonNode> Admin(HttpMethod method, string path, object? body = null) => Server.OkJsonAsync(method, path, body, bearer: TestServer.AdminKey);

    private async Task<JsonNode> ProblemAsync(HttpMethod method, string path, object? body, int status, int code)
    {
        using var response = await Server.SendAsync(method, path, body, bearer: TestServer.AdminKey);
        return await TestServer.ProblemAsync(response, status, code);
    }

    /// <summary>The events of <paramref name="type"/> in <paramref name="tenant"/>, newest first.</summary>
    private async Task<List<JsonNode>> EventsAsync(string tenant, string type) =>
        (await Admin(HttpMethod.Get, $"/v1/admin/tenants/{tenant}/audit?type={type}&limit=1000"))["events"]!.AsArray().Select(e => e!).ToList();

    private static void AssertEvent(JsonNode e, string type, (string Kind, string Id) target, params (string Key, string Value)[] details)
    {
        Assert.Equal(type, (string)e["type"]!);
        Assert.Equal("admin", (string)e["actor"]!["kind"]!);
        Assert.Equal(target, ((string)e["target"]!["kind"]!, (string)e["target"]!["id"]!));
        foreach (var (key, value) in details)
        {
            Assert.True(value == (string?)e["details"]?[key], $"details.{key}: expected {value}, got {e["details"]?.ToJsonString()}");
        }
    }

    private Task<long> CountAsync(string sql) => SqlAsync(sql);

    [StoreFact]
    public async Task An_export_is_recorded_before_it_is_handed_out()
    {
        await Admin(HttpMethod.Post, "/v1/admin/tenants", Shop);
        await Server.SignUpAsync(TestServer.NewClient(), "alice", "shop");
        await Server.SignUpAsync(TestServer.NewClient(), "bob", "shop");

        var export = await Admin(HttpMethod.Get, "/v1/admin/tenants/shop/export");
        Assert.Equal(2, export["users"]!.AsArray().Count);
        AssertEvent(Assert.Single(await EventsAsync("shop", "tenant.exported")), "tenant.exported", ("tenant", "shop"), ("users", "2"), ("credentials", "2"));

        // No event, no file: the accounts are not handed out untraced.
        await BreakAuditAsync();
        var problem = await ProblemAsync(HttpMethod.Get, "/v1/admin/tenants/shop/export", null, 503, 1016);
        Assert.Null(problem["users"]);
        await RepairAuditAsync();
        Assert.Single(await EventsAsync("shop", "tenant.exported"));
    }

    [StoreFact]
    public async Task An_import_writes_one_event_in_its_commit_and_a_refused_or_failed_one_leaves_nothing()
    {
        await Admin(HttpMethod.Post, "/v1/admin/tenants", Shop);
        await Server.SignUpAsync(TestServer.NewClient(), "alice", "shop");
        var file = (await Admin(HttpMethod.Get, "/v1/admin/tenants/shop/export")).ToJsonString();

        // Refused: the passkey is registered already (into an existing tenant, and as a new tenant).
        await ProblemAsync(HttpMethod.Post, "/v1/admin/tenants/default/import", file, 409, 1155);
        var renamed = JsonNode.Parse(file)!;
        renamed["tenant"]!["id"] = "shop2";
        await ProblemAsync(HttpMethod.Post, "/v1/admin/tenants/import", renamed.ToJsonString(), 409, 1155);
        Assert.Equal(0, await CountAsync("SELECT COUNT(*) FROM tenants WHERE id = 'shop2'"));
        Assert.Equal(0, await CountAsync("SELECT COUNT(*) FROM users WHERE tenant_id IN ('default', 'shop2')"));
        Assert.Equal(0, await CountAsync("SELECT COUNT(*) FROM audit_events WHERE type = 'tenant.imported'"));

        // The store fails in the middle (the event cannot be written): no tenant, no user, no passkey.
        using (var deleted = await Server.SendAsync(HttpMethod.Delete, "/v1/admin/tenants/shop", bearer: TestServer.AdminKey))
        {
            Assert.Equal(204, (int)deleted.StatusCode);
        }
        await BreakAuditAsync();
        await ProblemAsync(HttpMethod.Post, "/v1/admin/tenants/import", file, 503, 1016);
        await RepairAuditAsync();
        Assert.Equal(0, await CountAsync("SELECT COUNT(*) FROM tenants WHERE id = 'shop'"));
        Assert.Equal(0, await CountAsync("SELECT COUNT(*) FROM users WHERE tenant_id = 'shop'"));
        Assert.Equal(0, await CountAsync("SELECT COUNT(*) FROM credentials WHERE tenant_id = 'shop'"));
        Assert.Equal(0, await CountAsync("SELECT COUNT(*) FROM audit_events WHERE type = 'tenant.imported'"));

        // Imported: one event, with the counts, by the admin, on the tenant.
        var summary = await Admin(HttpMethod.Post, "/v1/admin/tenants/import", file);
        Assert.Equal((1, 1), ((int)summary["users"]!, (int)summary["credentials"]!));
        AssertEvent(Assert.Single(await EventsAsync("shop", "tenant.imported")), "tenant.imported", ("tenant", "shop"),
            ("format", "passkeys-tenant-export"), ("users", "1"), ("credentials", "1"), ("tenantCreated", "true"));
        Assert.Equal(1, await CountAsync("SELECT COUNT(*) FROM audit_events WHERE type = 'tenant.imported'"));
    }

    [StoreFact]
    public async Task Oidc_client_changes_are_audited_and_a_change_that_cannot_be_audited_is_not_made()
    {
        const string Clients = "/v1/admin/tenants/default/oidc-clients";
        object Client(string id, string type, string name = "Web") => new { clientId = id, displayName = name, clientType = type, redirectUris = new[] { "https://app.example.com/cb" } };

        var created = await Admin(HttpMethod.Post, Clients, Client("web", "confidential"));
        var firstSecret = (string)created["clientSecret"]!;
        AssertEvent(Assert.Single(await EventsAsync("default", "oidc_client.created")), "oidc_client.created", ("oidcClient", "web"), ("clientType", "confidential"));
        await ProblemAsync(HttpMethod.Post, Clients, Client("web", "confidential"), 409, 1135);
        Assert.Single(await EventsAsync("default", "oidc_client.created"));

        await Admin(HttpMethod.Put, Clients + "/web", Client("web", "confidential", "Web shop"));
        AssertEvent(Assert.Single(await EventsAsync("default", "oidc_client.updated")), "oidc_client.updated", ("oidcClient", "web"));
        await ProblemAsync(HttpMethod.Put, Clients + "/nope", Client("nope", "confidential"), 404, 1130);
        Assert.Single(await EventsAsync("default", "oidc_client.updated"));

        // Rotation: a new secret, shown once; the old one stops working at once.
        var rotated = await Admin(HttpMethod.Post, Clients + "/web/secret");
        var secret = (string)rotated["clientSecret"]!;
        Assert.StartsWith("pkcs_", secret, StringComparison.Ordinal);
        Assert.NotEqual(firstSecret, secret);
        Assert.Equal("Web shop", (string)rotated["client"]!["displayName"]!);
        var stored = (await Server.Services<OidcClientService>().FindAsync("default", "web", default))!;
        Assert.True(OidcClientService.Authenticates(stored, secret));
        Assert.False(OidcClientService.Authenticates(stored, firstSecret));
        AssertEvent(Assert.Single(await EventsAsync("default", "oidc_client.secret_rotated")), "oidc_client.secret_rotated", ("oidcClient", "web"));
        Assert.DoesNotContain(secret, (await Admin(HttpMethod.Get, "/v1/admin/tenants/default/audit?limit=1000")).ToJsonString(), StringComparison.Ordinal);
        // A public client has no secret to rotate; an unknown one is not found: neither writes anything.
        await Admin(HttpMethod.Post, Clients, Client("spa", "public"));
        await ProblemAsync(HttpMethod.Post, Clients + "/spa/secret", null, 409, 1180);
        await ProblemAsync(HttpMethod.Post, Clients + "/nope/secret", null, 404, 1130);
        Assert.Single(await EventsAsync("default", "oidc_client.secret_rotated"));

        // The event cannot be written: no change is made either.
        await BreakAuditAsync();
        await ProblemAsync(HttpMethod.Post, Clients, Client("other", "public"), 503, 1016);
        await ProblemAsync(HttpMethod.Put, Clients + "/web", Client("web", "confidential", "Renamed"), 503, 1016);
        await ProblemAsync(HttpMethod.Post, Clients + "/web/secret", null, 503, 1016);
        await ProblemAsync(HttpMethod.Delete, Clients + "/web", null, 503, 1016);
        await RepairAuditAsync();
        Assert.Equal(0, await CountAsync("SELECT COUNT(*) FROM oidc_clients WHERE client_id = 'other'"));
        var unchanged = (await Server.Services<OidcClientService>().FindAsync("default", "web", default))!;
        Assert.Equal("Web shop", unchanged.DisplayName);
        Assert.True(OidcClientService.Authenticates(unchanged, secret));

        using (var deleted = await Server.SendAsync(HttpMethod.Delete, Clients + "/web", bearer: TestServer.AdminKey))
        {
            Assert.Equal(204, (int)deleted.StatusCode);
        }
        AssertEvent(Assert.Single(await EventsAsync("default", "oidc_client.deleted")), "oidc_client.deleted", ("oidcClient", "web"));
        await ProblemAsync(HttpMethod.Delete, Clients + "/web", null, 404, 1130);
        Assert.Single(await EventsAsync("default", "oidc_client.deleted"));
        Assert.Equal(2, (await EventsAsync("default", "oidc_client.created")).Count);
    }

    [StoreFact]
    public async Task Passkey_endpoints_are_a_tenant_setting_audited_as_one()
    {
        const string Endpoints = "/v1/admin/tenants/default/passkey-endpoints";
        await Admin(HttpMethod.Put, Endpoints, new { enroll = "https://app.example.com/passkeys/new" });
        AssertEvent(Assert.Single(await EventsAsync("default", "tenant.updated")), "tenant.updated", ("tenant", "default"), ("settings", "passkeyEndpoints"));
        await ProblemAsync(HttpMethod.Put, Endpoints, new { enroll = "ftp://app.example.com/" }, 400, 1137);
        Assert.Single(await EventsAsync("default", "tenant.updated"));

        await BreakAuditAsync();
        await ProblemAsync(HttpMethod.Put, Endpoints, new { manage = "https://app.example.com/passkeys" }, 503, 1016);
        await RepairAuditAsync();
        var document = await Admin(HttpMethod.Get, Endpoints);
        Assert.Equal(("https://app.example.com/passkeys/new", null), ((string?)document["enroll"], (string?)document["manage"]));
    }
}
