using Passkeys.Server.Storage;
using Passkeys.Server.Tenants.NativeApps;

namespace Passkeys.Server.Tests.Storage;

// Imports: the tenant, users, credentials (with their status) and defaults in one transaction; a
// conflict anywhere leaves nothing. Native apps round-trip as a tenant setting.
public abstract partial class StoreContractTests
{
    private static TenantImport NewShop(string id = "shop")
    {
        var users = new[] { User(id, "u1", 1), User(id, "u2", 2) with { DefaultCredentialId = [9, 2] } };
        var credentials = new[]
        {
            Credential(id, "u1", [9, 1], users[0].Handle),
            Credential(id, "u2", [9, 2], users[1].Handle) with
            {
                Status = CredentialStatus.Suspended, SuspendedReason = SuspendedReason.Operator, SuspendedAt = T0.AddDays(1), CloneSuspectedAt = T0.AddDays(2),
            },
        };
        return new TenantImport(Tenant(id), id, users, credentials);
    }

    /// <summary>Imports with the import's own event (as ImportService writes it).</summary>
    private Task<ImportResult> ImportAsync(TenantImport import) => Store.ImportAsync(import,
        new AuditEventRecord(0, import.TenantId, T0, "tenant", "imported", null, null, null, null, null, null, null, null, null, null,
            "tenant.imported", "admin", null, "tenant", import.TenantId, "{\"users\":\"" + import.Users.Count + "\"}"));

    private async Task<IReadOnlyList<AuditEventRecord>> ImportEventsAsync(string tenant) =>
        await Store.QueryAuditEventsAsync(new AuditQuery(tenant, Limit: 10, Type: "tenant.imported"));

    [StoreFact]
    public async Task An_import_writes_the_tenant_users_credentials_and_defaults_as_given()
    {
        Assert.Equal(new ImportResult(ImportOutcome.Imported), await ImportAsync(NewShop()));
        Assert.NotNull(await Store.GetTenantAsync("shop"));
        Assert.Equal([9, 2], (await Store.GetUserAsync("shop", "u2"))!.DefaultCredentialId);
        var suspended = (await Store.GetCredentialAsync("shop", [9, 2]))!;
        Assert.Equal(CredentialStatus.Suspended, suspended.Status);
        Assert.Equal(SuspendedReason.Operator, suspended.SuspendedReason);
        Assert.Equal(T0.AddDays(1), suspended.SuspendedAt);
        Assert.Equal(T0.AddDays(2), suspended.CloneSuspectedAt);
        Assert.Equal(CredentialStatus.Active, (await Store.GetCredentialAsync("shop", [9, 1]))!.Status);
        var imported = Assert.Single(await ImportEventsAsync("shop"));
        Assert.Equal(("admin", "tenant", "shop", "{\"users\":\"2\"}"), (imported.ActorKind, imported.TargetKind, imported.TargetId, imported.Details));
    }

    [StoreFact]
    public async Task A_conflicting_import_names_the_entry_and_writes_nothing()
    {
        Assert.Equal(new ImportResult(ImportOutcome.TenantExists), await ImportAsync(NewShop() with { NewTenant = Tenant("t1") }));

        // The second credential's id is t1's already: found after the tenant and both users were inserted.
        Assert.Equal(AddCredentialResult.Added, await Store.AddCredentialAsync(Credential("t1", "x", [9, 2]), User("t1", "x", 7)));
        Assert.Equal(new ImportResult(ImportOutcome.CredentialExists, 1), await ImportAsync(NewShop()));
        Assert.Null(await Store.GetTenantAsync("shop"));
        Assert.Empty(await Store.ListUsersAsync("shop", null, 10));

        // Into an existing tenant: a user who exists there (by handle) stops it before any credential.
        var into = NewShop("t1") with { NewTenant = null, Credentials = [] };
        Assert.Equal(new ImportResult(ImportOutcome.UserExists, 0), await ImportAsync(into with { Users = [User("t1", "fresh", 7), .. into.Users] }));
        Assert.Null(await Store.GetUserAsync("t1", "u1"));
        Assert.Equal(new ImportResult(ImportOutcome.TenantMissing), await ImportAsync(into with { TenantId = "nope" }));
        // A refused import leaves no event either.
        Assert.Empty(await ImportEventsAsync("shop"));
        Assert.Empty(await ImportEventsAsync("t1"));
    }

    [StoreFact]
    public async Task A_tenants_native_apps_round_trip_and_null_stays_null()
    {
        Assert.Null((await Store.GetTenantAsync("t1"))!.NativeApps);
        var apps = new NativeAppSettings([new AndroidAppSetting("com.example.app", ["AB:CD"])], ["ABCDE12345.com.example.app"]);
        Assert.True(await Store.UpdateTenantAsync(Tenant("t1") with { NativeApps = apps }));
        var stored = (await Store.GetTenantAsync("t1"))!.NativeApps!;
        Assert.Equal("com.example.app", stored.AndroidApps.Single().PackageName);
        Assert.Equal(["AB:CD"], stored.AndroidApps.Single().Sha256CertFingerprints);
        Assert.Equal(["ABCDE12345.com.example.app"], stored.IosAppIds);
        Assert.True(await Store.UpdateTenantAsync(Tenant("t1")));
        Assert.Null((await Store.GetTenantAsync("t1"))!.NativeApps);
    }
}
