using System.Text.Json.Nodes;
using Passkeys.Server.Tests.Storage;

namespace Passkeys.Server.Tests.Integration;

/// <summary>
/// A change and its audit event are one commit: when the event cannot be written (the audit insert
/// refused by a trigger), the change is not made either, the caller gets 503 StoreUnavailable and
/// may retry. One derived class per store (<c>AuditTrailTestsOnStores.cs</c>).
/// </summary>
public abstract class AuditAtomicityTests(TestStores stores) : SingleServerStoreSuite(stores)
{
    private const string Tenant = "/v1/tenants/default";

    /// <summary>The server's clock.</summary>
    protected ManualTime Clock { get; } = new();

    /// <inheritdoc />
    protected override TimeProvider? Time => Clock;

    private async Task UnavailableAsync(HttpMethod method, string path, object? body = null, string? bearer = null, string? apiKey = null)
    {
        using var response = await Server.SendAsync(method, path, body, bearer, apiKey);
        await TestServer.ProblemAsync(response, 503, 1016);
    }

    private Task<JsonNode> Admin(HttpMethod method, string path, object? body = null) => Server.OkJsonAsync(method, path, body, bearer: TestServer.AdminKey);

    private static object Shop(string rpName) =>
        new { id = "shop", rpId = "shop.example", rpName, origins = new[] { "https://shop.example" }, userVerification = "preferred", attestation = "none" };

    [StoreFact]
    public async Task A_change_whose_audit_event_cannot_be_written_is_not_made()
    {
        var apiKey = await Server.CreateApiKeyAsync();
        var keyId = apiKey[4..20];
        var client = TestServer.NewClient();
        var signUp = await Server.SignUpAsync(client, "fay");
        var (token, userId, credentialId, sessionId) =
            ((string)signUp["token"]!, (string)signUp["user"]!["id"]!, (string)signUp["credential"]!["id"]!, (string)signUp["sessionId"]!);
        // Rotated twice: presenting the first token again is reuse (not a retry within RefreshReuseGrace).
        var refreshed = await Server.OkJsonAsync(HttpMethod.Post, $"{Tenant}/sessions/refresh", new { refreshToken = (string)signUp["refreshToken"]! });
        refreshed = await Server.OkJsonAsync(HttpMethod.Post, $"{Tenant}/sessions/refresh", new { refreshToken = (string)refreshed["refreshToken"]! });
        var code = (string)(await Server.OkJsonAsync(HttpMethod.Post, $"{Tenant}/me/recovery-codes", bearer: token))["codes"]![0]!;
        await Admin(HttpMethod.Post, "/v1/admin/tenants", Shop("Shop"));
        var kid = (string)(await Admin(HttpMethod.Get, "/v1/admin/tenants/default/signing-keys"))["keys"]![0]!["kid"]!;
        var eventsBefore = await SqlAsync("SELECT COUNT(*) FROM audit_events");

        await BreakAuditAsync();
        var me = $"{Tenant}/me/credentials/{credentialId}";
        await UnavailableAsync(HttpMethod.Patch, me, new { name = "Renamed" }, bearer: token);
        await UnavailableAsync(HttpMethod.Post, me + "/default", bearer: token);
        await UnavailableAsync(HttpMethod.Post, $"{Tenant}/users/{userId}/credentials/{credentialId}/suspend", apiKey: apiKey);
        await UnavailableAsync(HttpMethod.Delete, me, bearer: token);
        await UnavailableAsync(HttpMethod.Post, $"{Tenant}/me/recovery-codes", bearer: token);
        await UnavailableAsync(HttpMethod.Post, $"{Tenant}/recovery/redeem", new { username = "fay", code });
        await UnavailableAsync(HttpMethod.Delete, $"{Tenant}/me/sessions/{sessionId}", bearer: token);
        await UnavailableAsync(HttpMethod.Post, $"{Tenant}/sessions/refresh", new { refreshToken = (string)signUp["refreshToken"]! }); // reuse
        await UnavailableAsync(HttpMethod.Delete, $"/v1/admin/tenants/default/users/{userId}", bearer: TestServer.AdminKey);
        await UnavailableAsync(HttpMethod.Post, "/v1/admin/tenants/default/api-keys", new { name = "second" }, bearer: TestServer.AdminKey);
        await UnavailableAsync(HttpMethod.Delete, $"/v1/admin/tenants/default/api-keys/{keyId}", bearer: TestServer.AdminKey);
        await UnavailableAsync(HttpMethod.Post, "/v1/admin/tenants", new
        {
            id = "other", rpId = "other.example", rpName = "Other", origins = new[] { "https://other.example" }, userVerification = "preferred", attestation = "none",
        }, bearer: TestServer.AdminKey);
        await UnavailableAsync(HttpMethod.Put, "/v1/admin/tenants/shop", Shop("Renamed shop"), bearer: TestServer.AdminKey);
        await UnavailableAsync(HttpMethod.Delete, "/v1/admin/tenants/shop", bearer: TestServer.AdminKey);
        await UnavailableAsync(HttpMethod.Post, "/v1/admin/tenants/default/signing-keys/rotate", bearer: TestServer.AdminKey);
        await RepairAuditAsync();

        // Nothing changed, and no event was written.
        Assert.Equal(eventsBefore, await SqlAsync("SELECT COUNT(*) FROM audit_events"));
        var view = (await Server.OkJsonAsync(HttpMethod.Get, $"{Tenant}/me/credentials", bearer: (string)refreshed["token"]!))["credentials"]!.AsArray().Single()!;
        Assert.Equal((credentialId, "active", false), ((string)view["id"]!, (string)view["status"]!, (bool)view["isDefault"]!));
        Assert.Null((string?)view["name"]);
        Assert.Contains((await Server.OkJsonAsync(HttpMethod.Get, $"{Tenant}/me/sessions", bearer: token))["sessions"]!.AsArray(),
            s => (string)s!["id"]! == sessionId);
        Assert.Equal(1, await SqlAsync("SELECT COUNT(*) FROM api_keys WHERE revoked_at IS NULL"));
        Assert.Equal("Shop", (string)(await Admin(HttpMethod.Get, "/v1/admin/tenants/shop"))["rpName"]!);
        Assert.Equal(0, await SqlAsync("SELECT COUNT(*) FROM tenants WHERE id = 'other'"));
        Assert.Equal(kid, (string)Assert.Single((await Admin(HttpMethod.Get, "/v1/admin/tenants/default/signing-keys"))["keys"]!.AsArray())!["kid"]!);
        // The recovery code was not spent (nor replaced): it still redeems, once.
        await Server.OkJsonAsync(HttpMethod.Post, $"{Tenant}/recovery/redeem", new { username = "fay", code });
        Assert.Equal(1, await SqlAsync("SELECT COUNT(*) FROM audit_events WHERE type = 'recovery_codes.redeemed'"));
        // The app's key still works, and the change can be made now, with its event.
        await Server.OkJsonAsync(HttpMethod.Patch, $"{Tenant}/users/{userId}/credentials/{credentialId}", new { name = "Renamed" }, apiKey: apiKey);
        Assert.Equal(1, await SqlAsync("SELECT COUNT(*) FROM audit_events WHERE type = 'credential.renamed'"));
    }

    [StoreFact]
    public async Task An_expired_ceremony_is_purged_only_together_with_its_abandoned_event_and_funnel_row()
    {
        await Server.OkJsonAsync(HttpMethod.Post, $"{Tenant}/authentication/begin", new { });
        Clock.Advance(TimeSpan.FromHours(1));
        var purge = Server.Services<Passkeys.Server.Ceremonies.CeremonyPurgeService>();

        await BreakAuditAsync();
        await Assert.ThrowsAnyAsync<System.Data.Common.DbException>(() => purge.PurgeOnceAsync(default));
        Assert.Equal(1, await SqlAsync("SELECT COUNT(*) FROM ceremonies")); // kept for the next purge
        Assert.Equal(1, await SqlAsync("SELECT COUNT(*) FROM ceremony_outcomes WHERE server_outcome IS NULL")); // and its funnel row still open
        await RepairAuditAsync();

        Assert.Equal(1, await purge.PurgeOnceAsync(default));
        Assert.Equal(0, await SqlAsync("SELECT COUNT(*) FROM ceremonies"));
        Assert.Equal(1, await SqlAsync("SELECT COUNT(*) FROM audit_events WHERE type = 'authentication.abandoned'"));
        Assert.Equal(1, await SqlAsync("SELECT COUNT(*) FROM ceremony_outcomes WHERE server_outcome = 'abandoned'"));
    }
}
