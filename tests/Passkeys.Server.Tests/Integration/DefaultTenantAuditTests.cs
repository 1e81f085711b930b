using System.Text.Json.Nodes;
using Passkeys.Server.Tests.Storage;

namespace Passkeys.Server.Tests.Integration;

/// <summary>
/// The default tenant comes from configuration at every start: the server (actor <c>system</c>)
/// audits its creation once, and a start with changed settings as <c>tenant.updated</c> naming them;
/// a start with the same settings writes nothing. One derived class per store.
/// </summary>
public abstract class DefaultTenantAuditTests : IDisposable
{
    protected abstract ServerStorage Storage { get; }

    public void Dispose()
    {
        Storage.Dispose();
        GC.SuppressFinalize(this);
    }

    private static async Task<JsonArray> TenantEventsAsync(TestServer server) =>
        (await server.OkJsonAsync(HttpMethod.Get, "/v1/admin/tenants/default/audit?limit=1000", bearer: TestServer.AdminKey))["events"]!.AsArray();

    [StoreFact]
    public async Task Restarts_audit_the_default_tenant_only_when_its_configuration_changed()
    {
        var storage = await Storage.NewAsync();
        await (await Storage.StartAsync(storage)).DisposeAsync();
        await (await Storage.StartAsync(storage)).DisposeAsync(); // the same configuration: nothing to write
        await using var changed = await Storage.StartAsync(storage, null, "--Passkeys:DefaultTenant:RpName=Renamed demo", "--Passkeys:DefaultTenant:SelfSignUp=false");

        var events = (await TenantEventsAsync(changed)).Select(e => e!).Where(e => ((string)e["type"]!).StartsWith("tenant.", StringComparison.Ordinal)).ToList();
        Assert.Equal(["tenant.updated", "tenant.created"], events.Select(e => (string)e["type"]!));
        Assert.All(events, e => Assert.Equal(("system", "tenant", "default"), ((string)e["actor"]!["kind"]!, (string)e["target"]!["kind"]!, (string)e["target"]!["id"]!)));
        Assert.Equal("rpName,selfSignUp", (string)events[0]["details"]!["settings"]!);
        Assert.Equal("Renamed demo", (string)(await changed.OkJsonAsync(HttpMethod.Get, "/v1/admin/tenants/default", bearer: TestServer.AdminKey))["rpName"]!);
    }
}

public sealed class SqliteDefaultTenantAuditTests : DefaultTenantAuditTests
{
    protected override ServerStorage Storage { get; } = new SqliteStorage();
}

[Collection(PostgresCollection.Name)]
public sealed class PostgresDefaultTenantAuditTests(PostgresCluster cluster) : DefaultTenantAuditTests
{
    protected override ServerStorage Storage { get; } = new PostgresStorage(cluster);
}
