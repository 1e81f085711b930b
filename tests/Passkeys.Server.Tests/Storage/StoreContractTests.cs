using Passkeys.Server.Storage;

namespace Passkeys.Server.Tests.Storage;

/// <summary>
/// The behaviour every <see cref="IPasskeyStore"/> must have. A store implementation gets a
/// derived class that supplies <see cref="CreateStoreAsync"/>; every test runs on a fresh, migrated,
/// empty store.
/// </summary>
public abstract partial class StoreContractTests : IAsyncLifetime
{
    protected static readonly DateTimeOffset T0 = DateTimeOffset.FromUnixTimeMilliseconds(1_750_000_000_000);

    private IPasskeyStore? _store;

    /// <summary>The store under test (migrated).</summary>
    protected IPasskeyStore Store => _store ?? throw new InvalidOperationException("not initialized");

    /// <summary>Creates a new, empty store (not yet migrated).</summary>
    protected abstract Task<IPasskeyStore> CreateStoreAsync();

    /// <summary>Releases what <see cref="CreateStoreAsync"/> created.</summary>
    protected virtual Task DisposeStoreAsync() => Task.CompletedTask;

    public async Task InitializeAsync()
    {
        _store = await CreateStoreAsync();
        await _store.MigrateAsync();
        await _store.CreateTenantAsync(Tenant("t1"));
        await _store.CreateTenantAsync(Tenant("t2"));
    }

    public Task DisposeAsync() => DisposeStoreAsync();

    protected static TenantRecord Tenant(string id) =>
        new(id, id + ".example", "RP " + id, ["https://" + id + ".example"], [], "preferred", "none", true, T0);

    protected static UserRecord User(string tenant, string id, byte handleByte = 1) =>
        new(tenant, id, Enumerable.Repeat(handleByte, 32).ToArray(), id + "@example.com", "User " + id, T0);

    protected static CredentialRecordRow Credential(string tenant, string userId, byte[] id, byte[]? handle = null) =>
        new(tenant, id, userId, handle ?? new byte[32], [0xA5, 0x01, 0x02], -7, 0, true, true, false, ["internal", "hybrid"],
            Guid.Parse("fbfc3007-154e-4ecc-8c0b-6e020557d7bd"), "none", false, null, T0, null);

    protected static CeremonyRecord Ceremony(string tenant, string id, DateTimeOffset expires, string? user = null) =>
        new(tenant, id, CeremonyKind.Authentication, [1, 2, 3], user, "{\"x\":1}", T0, expires);

    [StoreFact]
    public async Task Migrate_is_idempotent_and_reports_the_latest_version()
    {
        var before = await Store.GetSchemaVersionAsync();
        await Store.MigrateAsync();
        Assert.True(before >= 1);
        Assert.Equal(before, await Store.GetSchemaVersionAsync());
        Assert.True(await Store.PingAsync());
    }

    [StoreFact]
    public async Task Tenants_round_trip_update_and_delete()
    {
        Assert.False(await Store.CreateTenantAsync(Tenant("t1")));
        var t = await Store.GetTenantAsync("t1");
        Assert.NotNull(t);
        Assert.Equal("t1.example", t.RpId);
        Assert.Equal(["https://t1.example"], t.Origins);
        Assert.Equal(T0, t.CreatedAt);

        Assert.True(await Store.UpdateTenantAsync(t with { RpName = "New", RelatedOrigins = ["https://a.example"], SelfSignUp = false }));
        var u = await Store.GetTenantAsync("t1");
        Assert.Equal("New", u!.RpName);
        Assert.Equal(["https://a.example"], u.RelatedOrigins);
        Assert.False(u.SelfSignUp);
        Assert.False(await Store.UpdateTenantAsync(Tenant("nope")));

        Assert.Equal(["t1", "t2"], (await Store.ListTenantsAsync()).Select(x => x.Id));
        Assert.True(await Store.DeleteTenantAsync("t2"));
        Assert.False(await Store.DeleteTenantAsync("t2"));
        Assert.Null(await Store.GetTenantAsync("t2"));
    }

    [StoreFact]
    public async Task Registering_a_new_user_with_a_credential_stores_both()
    {
        var user = User("t1", "u1");
        var cred = Credential("t1", "u1", [1, 2, 3, 4], user.Handle);
        Assert.Equal(AddCredentialResult.Added, await Store.AddCredentialAsync(cred, user));

        var byId = await Store.GetUserAsync("t1", "u1");
        var byName = await Store.GetUserByNameAsync("t1", "u1@example.com");
        var byHandle = await Store.GetUserByHandleAsync("t1", user.Handle);
        Assert.Equal("User u1", byId!.DisplayName);
        Assert.Equal("u1", byName!.Id);
        Assert.Equal("u1", byHandle!.Id);

        var stored = await Store.GetCredentialAsync("t1", [1, 2, 3, 4]);
        Assert.NotNull(stored);
        Assert.Equal("u1", stored.UserId);
        Assert.Equal(user.Handle, stored.UserHandle);
        Assert.Equal(new byte[] { 0xA5, 0x01, 0x02 }, stored.PublicKey);
        Assert.Equal(-7, stored.Algorithm);
        Assert.True(stored.UvInitialized);
        Assert.True(stored.BackupEligible);
        Assert.False(stored.BackupState);
        Assert.Equal(["internal", "hybrid"], stored.Transports);
        Assert.Equal(Guid.Parse("fbfc3007-154e-4ecc-8c0b-6e020557d7bd"), stored.Aaguid);
        Assert.Equal(T0, stored.CreatedAt);
        Assert.Null(stored.LastUsedAt);
    }

    [StoreFact]
    public async Task A_credential_id_registered_anywhere_is_refused_and_nothing_is_written()
    {
        Assert.Equal(AddCredentialResult.Added, await Store.AddCredentialAsync(Credential("t1", "u1", [9, 9]), User("t1", "u1")));

        // Same id, a new user in the same tenant: refused, and the new user is not created either.
        Assert.Equal(AddCredentialResult.CredentialExists, await Store.AddCredentialAsync(Credential("t1", "u2", [9, 9]), User("t1", "u2", 2)));
        Assert.Null(await Store.GetUserAsync("t1", "u2"));

        // Same id in another tenant: refused too.
        Assert.Equal(AddCredentialResult.CredentialExists, await Store.AddCredentialAsync(Credential("t2", "u1", [9, 9]), User("t2", "u1")));
        Assert.Null(await Store.GetUserAsync("t2", "u1"));
    }

    [StoreFact]
    public async Task A_new_user_whose_id_or_name_exists_is_refused_without_writing_the_credential()
    {
        await Store.AddCredentialAsync(Credential("t1", "u1", [1]), User("t1", "u1"));
        Assert.Equal(AddCredentialResult.UserExists, await Store.AddCredentialAsync(Credential("t1", "u1", [2]), User("t1", "u1", 7)));
        Assert.Equal(AddCredentialResult.UserExists,
            await Store.AddCredentialAsync(Credential("t1", "other", [3]), User("t1", "other", 8) with { Name = "u1@example.com" }));
        Assert.Null(await Store.GetCredentialAsync("t1", [2]));
        Assert.Null(await Store.GetCredentialAsync("t1", [3]));
    }

    [StoreFact]
    public async Task Adding_a_credential_to_an_existing_user()
    {
        Assert.Equal(AddCredentialResult.UserMissing, await Store.AddCredentialAsync(Credential("t1", "ghost", [1]), null));
        Assert.True(await Store.CreateUserAsync(User("t1", "u1")));
        Assert.False(await Store.CreateUserAsync(User("t1", "u1")));
        Assert.Equal(AddCredentialResult.Added, await Store.AddCredentialAsync(Credential("t1", "u1", [1]), null));
        Assert.Equal(AddCredentialResult.Added, await Store.AddCredentialAsync(Credential("t1", "u1", [2]) with { CreatedAt = T0.AddSeconds(1) }, null));
        var list = await Store.ListCredentialsAsync("t1", "u1");
        Assert.Equal([[1], [2]], list.Select(c => c.Id));
    }

    [StoreFact]
    public async Task A_user_of_a_tenant_that_does_not_exist_is_refused_and_nothing_is_written()
    {
        Assert.False(await Store.CreateUserAsync(User("nowhere", "u1")));
        Assert.Equal(AddCredentialResult.UserMissing, await Store.AddCredentialAsync(Credential("nowhere", "u1", [4]), User("nowhere", "u1")));
        Assert.Null(await Store.GetUserAsync("nowhere", "u1"));
        Assert.Null(await Store.GetCredentialAsync("nowhere", [4]));
    }

    [StoreFact]
    public async Task Credentials_are_invisible_to_other_tenants_and_users()
    {
        await Store.AddCredentialAsync(Credential("t1", "u1", [5]), User("t1", "u1"));
        await Store.AddCredentialAsync(Credential("t2", "u1", [6]), User("t2", "u1"));
        Assert.Null(await Store.GetCredentialAsync("t2", [5]));
        Assert.Empty(await Store.ListCredentialsAsync("t1", "u2"));
        Assert.False(await Store.RenameCredentialAsync("t2", "u1", [5], "x"));
        Assert.False(await Store.DeleteCredentialAsync("t1", "someone", [5], default));
        Assert.False(await Store.SetDefaultCredentialAsync("t2", "u1", [5]));
        Assert.NotNull(await Store.GetCredentialAsync("t1", [5]));
    }

    [StoreFact]
    public async Task Use_rename_default_and_delete()
    {
        await Store.AddCredentialAsync(Credential("t1", "u1", [1]), User("t1", "u1"));
        await Store.AddCredentialAsync(Credential("t1", "u1", [2]), null);

        Assert.True(await Store.RecordCredentialUseAsync("t1", [1], 42, true, true, T0.AddHours(1)));
        var used = await Store.GetCredentialAsync("t1", [1]);
        Assert.Equal(42, used!.SignCount);
        Assert.True(used.BackupState);
        Assert.Equal(T0.AddHours(1), used.LastUsedAt);

        Assert.True(await Store.RenameCredentialAsync("t1", "u1", [1], "Phone"));
        Assert.Equal("Phone", (await Store.GetCredentialAsync("t1", [1]))!.Name);
        Assert.True(await Store.RenameCredentialAsync("t1", "u1", [1], null));
        Assert.Null((await Store.GetCredentialAsync("t1", [1]))!.Name);

        Assert.True(await Store.SetDefaultCredentialAsync("t1", "u1", [2]));
        Assert.Equal(new byte[] { 2 }, (await Store.GetUserAsync("t1", "u1"))!.DefaultCredentialId);

        Assert.True(await Store.DeleteCredentialAsync("t1", "u1", [2]));
        Assert.False(await Store.DeleteCredentialAsync("t1", "u1", [2]));
        Assert.Null(await Store.GetCredentialAsync("t1", [2]));
    }

    [StoreFact]
    public async Task Deleting_a_user_removes_their_credentials_and_codes()
    {
        await Store.AddCredentialAsync(Credential("t1", "u1", [1]), User("t1", "u1"));
        await Store.ReplaceRecoveryCodesAsync("t1", "u1", [new("t1", "u1", "c1", [1], [2], T0, null)]);
        Assert.True(await Store.DeleteUserAsync("t1", "u1"));
        Assert.Null(await Store.GetUserAsync("t1", "u1"));
        Assert.Null(await Store.GetCredentialAsync("t1", [1]));
        Assert.Empty(await Store.ListUnusedRecoveryCodesAsync("t1", "u1"));
        Assert.False(await Store.DeleteUserAsync("t1", "u1"));
    }

    [StoreFact]
    public async Task Users_are_listed_in_pages()
    {
        for (var i = 0; i < 5; i++)
        {
            Assert.True(await Store.CreateUserAsync(User("t1", "u" + i, (byte)i)));
        }
        var first = await Store.ListUsersAsync("t1", null, 2);
        Assert.Equal(["u0", "u1"], first.Select(u => u.Id));
        var next = await Store.ListUsersAsync("t1", "u1", 10);
        Assert.Equal(["u2", "u3", "u4"], next.Select(u => u.Id));
        Assert.Empty(await Store.ListUsersAsync("t2", null, 10));
    }

    [StoreFact]
    public async Task Pages_hold_exactly_the_limit_and_a_limit_below_one_is_refused()
    {
        // The API asks for one row more than a page to know whether another exists: the store
        // must return exactly what was asked, never clamp it (SQLite reads LIMIT -1 as "all").
        for (var i = 0; i < 3; i++)
        {
            Assert.True(await Store.CreateUserAsync(User("t1", "u" + i, (byte)i)));
            await Store.AppendAuditEventAsync(new AuditEventRecord(0, "t1", T0.AddMinutes(i), "authentication", "started", "c" + i, null, null, null, null, null, null, null, null, null));
        }
        Assert.Equal(3, (await Store.ListUsersAsync("t1", null, 3)).Count);
        Assert.Equal(3, (await Store.QueryAuditEventsAsync(new AuditQuery("t1", Limit: 3))).Count);
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Store.ListUsersAsync("t1", null, 0));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Store.ListUsersAsync("t1", null, -1));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Store.QueryAuditEventsAsync(new AuditQuery("t1", Limit: 0)));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Store.QueryAuditEventsAsync(new AuditQuery("t1", Limit: -1)));
    }

    [StoreFact]
    public async Task A_ceremony_is_consumed_exactly_once()
    {
        await Store.SaveCeremonyAsync(Ceremony("t1", "c1", T0.AddMinutes(5), "u1"));
        Assert.Null(await Store.ConsumeCeremonyAsync("t2", "c1", CeremonyKind.Authentication)); // another tenant cannot consume it
        // Asked for as another kind, it is neither returned nor burnt.
        Assert.Null(await Store.ConsumeCeremonyAsync("t1", "c1", CeremonyKind.Registration));
        Assert.Null(await Store.ConsumeCeremonyAsync("t1", "c1", CeremonyKind.RecoveryGrant));
        var c = await Store.ConsumeCeremonyAsync("t1", "c1", CeremonyKind.Authentication);
        Assert.NotNull(c);
        Assert.Equal(CeremonyKind.Authentication, c.Kind);
        Assert.Equal(new byte[] { 1, 2, 3 }, c.State);
        Assert.Equal("u1", c.UserId);
        Assert.Equal("{\"x\":1}", c.Data);
        Assert.Equal(T0.AddMinutes(5), c.ExpiresAt);
        Assert.Null(await Store.ConsumeCeremonyAsync("t1", "c1", CeremonyKind.Authentication));
    }

    [StoreFact]
    public async Task Concurrent_consumers_get_a_ceremony_at_most_once()
    {
        for (var i = 0; i < 10; i++)
        {
            await Store.SaveCeremonyAsync(Ceremony("t1", "race" + i, T0.AddMinutes(5)));
        }
        var attempts = Enumerable.Range(0, 40).Select(i => Task.Run(() => Store.ConsumeCeremonyAsync("t1", "race" + (i % 10), CeremonyKind.Authentication)));
        var results = await Task.WhenAll(attempts);
        Assert.Equal(10, results.Count(r => r is not null));
        Assert.Equal(10, results.Where(r => r is not null).Select(r => r!.Id).Distinct().Count());
    }

    [StoreFact]
    public async Task Expired_ceremonies_are_purged_and_returned()
    {
        await Store.SaveCeremonyAsync(Ceremony("t1", "old", T0.AddMinutes(1)));
        await Store.SaveCeremonyAsync(Ceremony("t2", "old2", T0.AddMinutes(2)));
        await Store.SaveCeremonyAsync(Ceremony("t1", "fresh", T0.AddMinutes(10)));
        var purged = await Store.PurgeExpiredCeremoniesAsync(T0.AddMinutes(5), 100);
        Assert.Equal(["old", "old2"], purged.Select(c => c.Id).Order());
        Assert.Empty(await Store.PurgeExpiredCeremoniesAsync(T0.AddMinutes(5), 100));
        Assert.NotNull(await Store.ConsumeCeremonyAsync("t1", "fresh", CeremonyKind.Authentication));
    }

    [StoreFact]
    public async Task Recovery_codes_are_replaced_and_spent_once()
    {
        await Store.CreateUserAsync(User("t1", "u1"));
        await Store.ReplaceRecoveryCodesAsync("t1", "u1", [new("t1", "u1", "a", [1], [1], T0, null), new("t1", "u1", "b", [2], [2], T0, null)]);
        await Store.ReplaceRecoveryCodesAsync("t1", "u1", [new("t1", "u1", "c", [3], [3, 3], T0, null), new("t1", "u1", "d", [4], [4], T0, null)]);
        var codes = await Store.ListUnusedRecoveryCodesAsync("t1", "u1");
        Assert.Equal(["c", "d"], codes.Select(c => c.Id));
        Assert.Equal(new byte[] { 3, 3 }, codes[0].Hash);

        var spends = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => Store.SpendRecoveryCodeAsync("t1", "u1", "c", T0))));
        Assert.Single(spends, s => s);
        Assert.Equal(["d"], (await Store.ListUnusedRecoveryCodesAsync("t1", "u1")).Select(c => c.Id));
        Assert.False(await Store.SpendRecoveryCodeAsync("t1", "u1", "a", T0));
    }

    [StoreFact]
    public async Task Api_keys_are_created_listed_and_revoked()
    {
        await Store.CreateApiKeyAsync(new("t1", "k1", "backend", [1, 2], T0, null));
        var k = await Store.GetApiKeyAsync("k1");
        Assert.Equal("t1", k!.TenantId);
        Assert.Equal(new byte[] { 1, 2 }, k.Hash);
        Assert.Null(k.RevokedAt);
        Assert.False(await Store.RevokeApiKeyAsync("t2", "k1", T0));
        Assert.True(await Store.RevokeApiKeyAsync("t1", "k1", T0.AddDays(1)));
        Assert.False(await Store.RevokeApiKeyAsync("t1", "k1", T0.AddDays(2)));
        Assert.Equal(T0.AddDays(1), (await Store.GetApiKeyAsync("k1"))!.RevokedAt);
        Assert.Single(await Store.ListApiKeysAsync("t1"));
        Assert.Empty(await Store.ListApiKeysAsync("t2"));
        Assert.Null(await Store.GetApiKeyAsync("nope"));
    }

    [StoreFact]
    public async Task Adding_a_signing_key_retires_the_active_one()
    {
        await Store.AddSigningKeyAsync(new("t1", "k1", "ES256", [1], T0, null));
        await Store.AddSigningKeyAsync(new("t1", "k2", "ES256", [2], T0.AddDays(1), null));
        var keys = await Store.ListSigningKeysAsync("t1");
        Assert.Equal(["k2", "k1"], keys.Select(k => k.KeyId));
        Assert.Null(keys[0].RetiredAt);
        Assert.Equal(T0.AddDays(1), keys[1].RetiredAt);
        Assert.Empty(await Store.ListSigningKeysAsync("t2"));

        Assert.Equal(0, await Store.DeleteRetiredSigningKeysAsync("t1", T0.AddDays(1)));
        Assert.Equal(1, await Store.DeleteRetiredSigningKeysAsync("t1", T0.AddDays(2)));
        Assert.Equal(["k2"], (await Store.ListSigningKeysAsync("t1")).Select(k => k.KeyId));
    }

    [StoreFact]
    public async Task Audit_events_are_queried_newest_first_and_counted()
    {
        AuditEventRecord E(string ceremony, string outcome, int minute, string? user = "u1", string browser = "Chrome") =>
            new(0, "t1", T0.AddMinutes(minute), ceremony, outcome, "c" + minute, user, null, outcome == "failed" ? 218 : null,
                outcome == "failed" ? "SignatureInvalid" : null, "127.0.0.1", "UA", browser, "Linux", 1.5);
        await Store.AppendAuditEventAsync(E("authentication", "started", 0));
        await Store.AppendAuditEventAsync(E("authentication", "failed", 1));
        await Store.AppendAuditEventAsync(E("authentication", "started", 2, "u2", "Firefox"));
        await Store.AppendAuditEventAsync(E("registration", "succeeded", 3));
        await Store.AppendAuditEventAsync(E("authentication", "started", 4) with { TenantId = "t2" });

        var all = await Store.QueryAuditEventsAsync(new AuditQuery("t1"));
        Assert.Equal(4, all.Count);
        Assert.True(all[0].Id > all[1].Id);
        Assert.Equal("registration", all[0].Ceremony);

        var failed = await Store.QueryAuditEventsAsync(new AuditQuery("t1", Outcome: "failed"));
        Assert.Equal(218, Assert.Single(failed).ErrorCode);
        Assert.Equal("SignatureInvalid", failed[0].Error);
        Assert.Equal(1.5, failed[0].DurationMs);
        Assert.Single(await Store.QueryAuditEventsAsync(new AuditQuery("t1", UserId: "u2")));
        Assert.Equal(2, (await Store.QueryAuditEventsAsync(new AuditQuery("t1", From: T0.AddMinutes(1), To: T0.AddMinutes(3)))).Count);
        Assert.Equal(2, (await Store.QueryAuditEventsAsync(new AuditQuery("t1", Limit: 2))).Count);
        Assert.Equal(3, (await Store.QueryAuditEventsAsync(new AuditQuery("t1", BeforeId: all[0].Id))).Count);

        var counts = await Store.CountAuditEventsAsync("t1", null, null);
        Assert.Equal(2, counts.Where(c => c.Ceremony == "authentication" && c.Outcome == "started").Sum(c => c.Count));
        Assert.Equal(1, counts.Single(c => c.Outcome == "started" && c.Browser == "Firefox").Count);
    }
}
