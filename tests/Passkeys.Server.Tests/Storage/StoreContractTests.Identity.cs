using Passkeys.Server.Storage;

namespace Passkeys.Server.Tests.Storage;

// Identity hardening: name keys, tenant secrets, attempt counters, credential shapes.
public abstract partial class StoreContractTests
{
    [StoreFact]
    public async Task Users_are_found_by_name_key_and_a_look_alike_name_is_taken()
    {
        Assert.True(await Store.CreateUserAsync(User("t1", "u1") with { Name = "alice" }));
        Assert.Equal("u1", (await Store.GetUserByNameAsync("t1", "ALICE"))?.Id);
        Assert.Equal("u1", (await Store.GetUserByNameAsync("t1", "ａｌｉｃｅ\u200b"))?.Id);
        Assert.Null(await Store.GetUserByNameAsync("t2", "alice"));
        // Another user with the same key: refused by the unique index, in both ways of creating users.
        Assert.False(await Store.CreateUserAsync(User("t1", "u2", 2) with { Name = "Alice" }));
        Assert.Equal(AddCredentialResult.UserExists,
            await Store.AddCredentialAsync(Credential("t1", "u3", [9, 9]), User("t1", "u3", 3) with { Name = "ALICE" }));
        Assert.True(await Store.CreateUserAsync(User("t2", "u2", 2) with { Name = "Alice" })); // other tenant: free
    }

    [StoreFact]
    public async Task A_tenant_secret_is_created_once_and_the_same_for_every_caller()
    {
        var secrets = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => Store.GetTenantSecretAsync("t1"))));
        Assert.Equal(32, secrets[0].Length);
        Assert.All(secrets, s => Assert.Equal(secrets[0], s));
        Assert.NotEqual(secrets[0], await Store.GetTenantSecretAsync("t2"));
        Assert.True(await Store.DeleteTenantAsync("t1"));
        await Store.CreateTenantAsync(Tenant("t1"));
        Assert.NotEqual(secrets[0], await Store.GetTenantSecretAsync("t1")); // deleted with its tenant
    }

    [StoreFact]
    public async Task Attempts_are_counted_atomically_per_subject_and_window_and_purged_after_it()
    {
        var counts = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => Task.Run(() =>
            Store.CountAttemptAsync("t1", "s", T0, T0.AddMinutes(15)))));
        Assert.Equal(Enumerable.Range(1, 20).Select(i => (long)i), counts.Order());
        Assert.Equal(1, await Store.CountAttemptAsync("t1", "other", T0, T0.AddMinutes(15)));
        Assert.Equal(1, await Store.CountAttemptAsync("t2", "s", T0, T0.AddMinutes(15)));
        Assert.Equal(1, await Store.CountAttemptAsync("t1", "s", T0.AddMinutes(15), T0.AddMinutes(30))); // next window
        Assert.Equal(0, await Store.PurgeExpiredAttemptsAsync(T0.AddMinutes(10), 100));
        Assert.Equal(3, await Store.PurgeExpiredAttemptsAsync(T0.AddMinutes(20), 100));
        Assert.Equal(1, await Store.CountAttemptAsync("t1", "s", T0, T0.AddMinutes(15))); // purged: the count starts again
    }

    [StoreFact]
    public async Task Credential_shapes_are_the_tenants_newest_first()
    {
        Assert.Empty(await Store.ListRecentCredentialShapesAsync("t1", 10));
        await Store.CreateUserAsync(User("t1", "u1"));
        await Store.AddCredentialAsync(Credential("t1", "u1", new byte[20]) with { Transports = ["usb"] }, null);
        await Store.AddCredentialAsync(Credential("t1", "u1", Enumerable.Repeat((byte)1, 32).ToArray()) with { CreatedAt = T0.AddMinutes(1) }, null);
        var shapes = await Store.ListRecentCredentialShapesAsync("t1", 10);
        Assert.Equal([32, 20], shapes.Select(s => s.IdLength));
        Assert.Equal(["internal", "hybrid"], shapes[0].Transports);
        Assert.Single(await Store.ListRecentCredentialShapesAsync("t1", 1));
        Assert.Empty(await Store.ListRecentCredentialShapesAsync("t2", 10));
    }
}
