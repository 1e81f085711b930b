using Passkeys.Cose;

namespace Passkeys.Server.Tests.Storage;

// A tenant's algorithms: NULL (the library default) and an ordered list both survive the store.
public abstract partial class StoreContractTests
{
    [StoreFact]
    public async Task A_tenants_algorithms_round_trip_in_order_and_null_stays_null()
    {
        Assert.Null((await Store.GetTenantAsync("t1"))!.Algorithms);

        var chosen = Tenant("t1") with { Algorithms = [CoseAlgorithm.MLDsa44, CoseAlgorithm.EdDSA, CoseAlgorithm.ES256] };
        Assert.True(await Store.UpdateTenantAsync(chosen));
        Assert.Equal([CoseAlgorithm.MLDsa44, CoseAlgorithm.EdDSA, CoseAlgorithm.ES256], (await Store.GetTenantAsync("t1"))!.Algorithms);
        Assert.Null((await Store.GetTenantAsync("t2"))!.Algorithms);

        Assert.True(await Store.CreateTenantAsync(Tenant("t3") with { Algorithms = [CoseAlgorithm.RS256] }));
        Assert.Equal([CoseAlgorithm.RS256], (await Store.ListTenantsAsync()).Single(t => t.Id == "t3").Algorithms);

        Assert.True(await Store.UpdateTenantAsync(chosen with { Algorithms = null }));
        Assert.Null((await Store.GetTenantAsync("t1"))!.Algorithms);
    }
}
