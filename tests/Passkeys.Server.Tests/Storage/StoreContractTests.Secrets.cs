using Passkeys.Server.Storage;

namespace Passkeys.Server.Tests.Storage;

// The store methods behind encryption of signing keys at rest and audit retention.
public abstract partial class StoreContractTests
{
    [StoreFact]
    public async Task A_signing_keys_material_is_replaced_only_while_it_still_holds_the_expected_value()
    {
        await Store.AddSigningKeyAsync(new("t1", "k1", "ES256", [1, 1], T0, null));

        Assert.False(await Store.ReplaceSigningKeyMaterialAsync("t1", "k1", [9, 9], [2, 2])); // another node got there first
        Assert.False(await Store.ReplaceSigningKeyMaterialAsync("t2", "k1", [1, 1], [2, 2])); // other tenant
        Assert.True(await Store.ReplaceSigningKeyMaterialAsync("t1", "k1", [1, 1], [2, 2]));
        Assert.False(await Store.ReplaceSigningKeyMaterialAsync("t1", "k1", [1, 1], [3, 3])); // already replaced

        var key = Assert.Single(await Store.ListSigningKeysAsync("t1"));
        Assert.Equal([2, 2], key.PrivateKey);
        Assert.Equal((T0, (DateTimeOffset?)null), (key.CreatedAt, key.RetiredAt));
    }

    [StoreFact]
    public async Task One_signing_key_is_deleted_by_tenant_and_kid()
    {
        await Store.AddSigningKeyAsync(new("t1", "k1", "ES256", [1], T0, null));
        await Store.AddSigningKeyAsync(new("t2", "k1", "ES256", [1], T0, null));

        Assert.False(await Store.DeleteSigningKeyAsync("t1", "nope"));
        Assert.True(await Store.DeleteSigningKeyAsync("t1", "k1"));
        Assert.False(await Store.DeleteSigningKeyAsync("t1", "k1"));
        Assert.Empty(await Store.ListSigningKeysAsync("t1"));
        Assert.Single(await Store.ListSigningKeysAsync("t2"));
    }

    [StoreFact]
    public async Task Audit_events_are_purged_oldest_first_at_most_max_per_call_across_tenants()
    {
        for (var i = 0; i < 7; i++)
        {
            await Store.AppendAuditEventAsync(new AuditEventRecord(0, i % 2 == 0 ? "t1" : "t2", T0.AddDays(i), "authentication", "started",
                null, null, null, null, null, null, null, null, null, null));
        }
        var cutoff = T0.AddDays(5); // days 0–4 are older

        Assert.Equal(3, await Store.PurgeAuditEventsAsync(cutoff, 3));
        Assert.Equal(2, await Store.PurgeAuditEventsAsync(cutoff, 3));
        Assert.Equal(0, await Store.PurgeAuditEventsAsync(cutoff, 3));

        var left = (await Store.QueryAuditEventsAsync(new AuditQuery("t1"))).Concat(await Store.QueryAuditEventsAsync(new AuditQuery("t2")));
        Assert.Equal([T0.AddDays(5), T0.AddDays(6)], left.Select(e => e.At).Order());
    }
}
