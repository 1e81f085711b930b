using System.Text.Json.Nodes;
using Passkeys.Authenticator;
using Passkeys.Authenticator.Client;
using Passkeys.Server.Metadata;
using Passkeys.Server.Storage;
using Passkeys.Server.Tests.Integration;
using Passkeys.Server.Tests.Metadata;
using Passkeys.Server.Tests.Storage;

namespace Passkeys.Server.Tests.Attestation;

/// <summary>
/// A new FIDO metadata BLOB that reports an authenticator model compromised, over real HTTP: the
/// model's passkeys in every tenant are suspended (authenticator-revoked, audited once each, also
/// after another refresh and with two nodes sweeping at once), refused at sign-in with
/// CredentialSuspended (1100), cannot be reinstated, and the model cannot register (1119).
/// One derived class per store.
/// </summary>
public abstract class RevokedAuthenticatorTests : IDisposable
{
    protected static readonly Guid Model = Guid.Parse("3e7a1c55-9b2d-4f08-a6c4-5d1e8b0f2a97");
    private static readonly Guid Sound = Guid.Parse("b1f4d2e6-0c3a-4e9b-8d75-2a6c9e1f3b40");

    protected abstract ServerStorage Storage { get; }

    private readonly SignedTestBlob _blob = new();

    public void Dispose()
    {
        _blob.Dispose();
        Storage.Dispose();
        GC.SuppressFinalize(this);
    }

    protected static SoftwareClient Client(Guid aaguid) =>
        TestServer.NewClient(authenticator: new SoftwareAuthenticator(new SoftwareAuthenticatorOptions { Aaguid = aaguid }));

    protected void WriteBlob(string modelStatus) => _blob.Write(
        SignedTestBlob.Entry(Model, "Leaky Key", [], (modelStatus, "2025-06-01"), ("FIDO_CERTIFIED_L1", "2024-01-01")),
        SignedTestBlob.Entry(Sound, "Sound Key", [], ("FIDO_CERTIFIED_L2", "2024-01-01")));

    protected async Task<TestServer> StartAsync(StorageLocation location)
    {
        var server = await Storage.StartAsync(location, null, _blob.Args);
        Assert.True(await server.Services<MetadataRefreshService>().RefreshAsync(CancellationToken.None));
        return server;
    }

    private static async Task<string> SignUpAsync(TestServer server, SoftwareClient client, string tenant = "default") =>
        (string)(await server.SignUpAsync(client, "u" + Guid.NewGuid().ToString("N")[..10], tenant))["user"]!["id"]!;

    private static async Task<JsonNode> CredentialAsync(TestServer server, string tenant, string userId) =>
        (await server.OkJsonAsync(HttpMethod.Get, $"/v1/admin/tenants/{tenant}/users/{userId}", bearer: TestServer.AdminKey))["credentials"]![0]!;

    private static async Task<IReadOnlyList<AuditEventRecord>> SuspensionsAsync(TestServer server, string tenant) =>
        await server.Services<IPasskeyStore>().QueryAuditEventsAsync(new AuditQuery(tenant, "credential", "suspended", Limit: 1000));

    private static async Task RefusedAtSignInAsync(TestServer server, SoftwareClient client, string tenant = "default")
    {
        var begin = await server.OkJsonAsync(HttpMethod.Post, $"/v1/tenants/{tenant}/authentication/begin", new { });
        using var refused = await server.SendAsync(HttpMethod.Post, $"/v1/tenants/{tenant}/authentication/finish",
            TestServer.FinishBody(begin, await client.GetAsync(begin["options"]!.ToJsonString())));
        var problem = await TestServer.ProblemAsync(refused, 403, 1100);
        Assert.Contains("no longer trusted", (string)problem["detail"]!, StringComparison.Ordinal);
    }

    [StoreFact]
    public async Task A_revoked_model_in_a_new_BLOB_suspends_its_passkeys_in_every_tenant_and_can_no_longer_register()
    {
        WriteBlob("FIDO_CERTIFIED_L1");
        await using var server = await StartAsync(await Storage.NewAsync());
        await server.OkJsonAsync(HttpMethod.Post, "/v1/admin/tenants",
            new { id = "bank", rpId = "localhost", rpName = "Bank", origins = new[] { TestServer.Origin }, selfSignUp = true }, bearer: TestServer.AdminKey);
        var (leaky, leakyInBank, sound) = (Client(Model), Client(Model), Client(Sound));
        var leakyUser = await SignUpAsync(server, leaky);
        var bankUser = await SignUpAsync(server, leakyInBank, "bank");
        var soundUser = await SignUpAsync(server, sound);
        var refreshToken = (string)(await server.SignInAsync(leaky))["refreshToken"]!;

        WriteBlob("USER_KEY_REMOTE_COMPROMISE");
        Assert.True(await server.Services<MetadataRefreshService>().RefreshAsync(CancellationToken.None));

        foreach (var (tenant, user) in new[] { ("default", leakyUser), ("bank", bankUser) })
        {
            var view = await CredentialAsync(server, tenant, user);
            Assert.Equal(("suspended", "authenticator-revoked"), ((string)view["status"]!, (string)view["suspendedReason"]!));
            var suspension = Assert.Single(await SuspensionsAsync(server, tenant));
            Assert.Equal((user, (string)view["id"]!), (suspension.UserId, suspension.CredentialId));
            // The server suspended it (actor system), saying why; the target is the passkey.
            Assert.Equal(("credential.suspended", "system", "credential", (string)view["id"]!), (suspension.Type, suspension.ActorKind, suspension.TargetKind, suspension.TargetId));
            Assert.Equal("authenticator-revoked", (string)System.Text.Json.Nodes.JsonNode.Parse(suspension.Details!)!["reason"]!);
        }
        Assert.Equal("active", (string)(await CredentialAsync(server, "default", soundUser))["status"]!);
        await RefusedAtSignInAsync(server, leaky);
        await RefusedAtSignInAsync(server, leakyInBank, "bank");
        await server.SignInAsync(sound);
        // Its sessions ended with it.
        using (var refresh = await server.SendAsync(HttpMethod.Post, "/v1/tenants/default/sessions/refresh", new { refreshToken }))
        {
            await TestServer.ProblemAsync(refresh, 401, 1020);
        }

        // The model cannot register again, in any mode; the refusal is audited.
        var problem = await AttestationPolicyTests.RefusedAsync(server, Client(Model), "default", 1119);
        Assert.Equal("AuthenticatorRevoked", (string)problem["error"]!);
        // Reinstating would last only until the next refresh: refused while the model stays revoked.
        var credentialId = (string)(await CredentialAsync(server, "default", leakyUser))["id"]!;
        using (var reinstate = await server.SendAsync(HttpMethod.Post, $"/v1/admin/tenants/default/users/{leakyUser}/credentials/{credentialId}/reinstate",
            bearer: TestServer.AdminKey))
        {
            await TestServer.ProblemAsync(reinstate, 403, 1119);
        }

        // Another refresh of the same BLOB changes nothing and audits nothing more.
        Assert.True(await server.Services<MetadataRefreshService>().RefreshAsync(CancellationToken.None));
        Assert.Single(await SuspensionsAsync(server, "default"));
        Assert.Single(await SuspensionsAsync(server, "bank"));
    }

    [StoreFact]
    public async Task More_passkeys_than_one_batch_are_all_suspended_each_audited_once()
    {
        WriteBlob("FIDO_CERTIFIED_L1");
        await using var server = await StartAsync(await Storage.NewAsync());
        var count = RevokedAuthenticatorSweep.BatchSize + 5;
        for (var i = 0; i < count; i++)
        {
            await SignUpAsync(server, Client(Model));
        }
        WriteBlob("REVOKED");
        Assert.True(await server.Services<MetadataRefreshService>().RefreshAsync(CancellationToken.None));
        var events = await SuspensionsAsync(server, "default");
        Assert.Equal(count, events.Count);
        Assert.Equal(count, events.Select(e => e.CredentialId).Distinct().Count());
        Assert.Empty(await server.Services<IPasskeyStore>().ListActiveCredentialsOfModelAsync(Model, 10));
    }

    [StoreFact]
    public async Task A_later_certification_report_lifts_an_earlier_compromise()
    {
        // The latest report is the model's status (Metadata/CompromiseStatuses.cs): fixed and certified again.
        _blob.Write(SignedTestBlob.Entry(Model, "Fixed Key", [], ("FIDO_CERTIFIED_L2", "2025-09-01"), ("USER_VERIFICATION_BYPASS", "2025-06-01")));
        await using var server = await StartAsync(await Storage.NewAsync());
        var user = await SignUpAsync(server, Client(Model));
        Assert.Equal("active", (string)(await CredentialAsync(server, "default", user))["status"]!);
    }
}

public sealed class SqliteRevokedAuthenticatorTests : RevokedAuthenticatorTests
{
    protected override ServerStorage Storage { get; } = new SqliteStorage();
}

[Collection(PostgresCollection.Name)]
public sealed class PostgresRevokedAuthenticatorTests(PostgresCluster cluster) : RevokedAuthenticatorTests
{
    protected override ServerStorage Storage { get; } = new PostgresStorage(cluster);

    [PostgresFact]
    public async Task Two_nodes_sweeping_one_database_at_once_suspend_and_audit_each_passkey_once()
    {
        WriteBlob("FIDO_CERTIFIED_L1");
        var location = await Storage.NewAsync();
        await using var a = await StartAsync(location);
        await using var b = await StartAsync(location);
        var count = RevokedAuthenticatorSweep.BatchSize + 20;
        for (var i = 0; i < count; i++)
        {
            await (i % 2 == 0 ? a : b).SignUpAsync(Client(Model), "n" + i.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
        WriteBlob("ATTESTATION_KEY_COMPROMISE");
        var refreshed = await Task.WhenAll(
            a.Services<MetadataRefreshService>().RefreshAsync(CancellationToken.None),
            b.Services<MetadataRefreshService>().RefreshAsync(CancellationToken.None));
        Assert.All(refreshed, Assert.True);
        var events = await a.Services<IPasskeyStore>().QueryAuditEventsAsync(new AuditQuery("default", "credential", "suspended", Limit: 1000));
        Assert.Equal(count, events.Count);
        Assert.Equal(count, events.Select(e => e.CredentialId).Distinct().Count());
    }
}
