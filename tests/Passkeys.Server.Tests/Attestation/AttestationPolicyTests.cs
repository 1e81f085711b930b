using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using Passkeys.Authenticator;
using Passkeys.Authenticator.Client;
using Passkeys.Server.Metadata;
using Passkeys.Server.Tests.Integration;
using Passkeys.Server.Tests.Metadata;
using Passkeys.Server.Tests.Storage;

namespace Passkeys.Server.Tests.Attestation;

/// <summary>
/// A tenant's <c>attestationPolicy</c> over real HTTP: what the admin API accepts, and which
/// registrations each mode and AAGUID list refuses (403, 1114–1118) or records as trusted. The
/// software authenticator signs packed statements under its own test CA. One derived class per store.
/// </summary>
public abstract class AttestationPolicyTests : IDisposable
{
    private static readonly Guid Model = Guid.Parse("0d9b2e8c-7a31-4f55-9c1e-3b7a6d2f8e14");
    private static readonly Guid OtherModel = Guid.Parse("6a4c8e2b-1d3f-4b5a-8e7c-9f0a2b4c6d8e");

    protected abstract ServerStorage Storage { get; }

    public void Dispose()
    {
        Storage.Dispose();
        GC.SuppressFinalize(this);
    }

    private async Task<TestServer> StartAsync(params string[] extra) => await Storage.StartAsync(await Storage.NewAsync(), null, extra);

    private static SoftwareClient Client(AttestationKind attestation, Guid? aaguid = null, TestCertificateAuthority? ca = null) =>
        TestServer.NewClient(authenticator: new SoftwareAuthenticator(new SoftwareAuthenticatorOptions
        {
            Attestation = attestation,
            Aaguid = aaguid ?? Model,
            CertificateAuthority = ca,
        }));

    private static object Tenant(string id, object? policy, string attestation = "direct") => new
    {
        id,
        rpId = "localhost",
        rpName = "Bank",
        origins = new[] { TestServer.Origin },
        selfSignUp = true,
        attestation,
        attestationPolicy = policy,
    };

    private static Task<JsonNode> CreateTenantAsync(TestServer server, string id, object? policy, string attestation = "direct") =>
        server.OkJsonAsync(HttpMethod.Post, "/v1/admin/tenants", Tenant(id, policy, attestation), bearer: TestServer.AdminKey);

    private static async Task<JsonNode> TenantProblemAsync(TestServer server, object? policy, int code, string attestation = "direct")
    {
        using var response = await server.SendAsync(HttpMethod.Post, "/v1/admin/tenants", Tenant("t" + Guid.NewGuid().ToString("N")[..8], policy, attestation), bearer: TestServer.AdminKey);
        return await TestServer.ProblemAsync(response, 400, code);
    }

    /// <summary>Registers with <paramref name="client"/> and asserts the refusal; returns the problem.</summary>
    internal static async Task<JsonNode> RefusedAsync(TestServer server, SoftwareClient client, string tenant, int code)
    {
        var begin = await server.OkJsonAsync(HttpMethod.Post, $"/v1/tenants/{tenant}/registration/begin", new { user = new { name = "u" + Guid.NewGuid().ToString("N")[..8] } });
        var response = await client.CreateAsync(begin["options"]!.ToJsonString());
        using var refused = await server.SendAsync(HttpMethod.Post, $"/v1/tenants/{tenant}/registration/finish", TestServer.FinishBody(begin, response));
        return await TestServer.ProblemAsync(refused, 403, code);
    }

    private static async Task<JsonNode> RegisteredAsync(TestServer server, SoftwareClient client, string tenant) =>
        (await server.SignUpAsync(client, "u" + Guid.NewGuid().ToString("N")[..8], tenant))["credential"]!;

    [StoreFact]
    public async Task A_tenant_requiring_trusted_refuses_none_and_self_and_a_foreign_chain_and_accepts_a_chain_to_its_root()
    {
        await using var server = await StartAsync();
        using var ca = new TestCertificateAuthority();
        var created = await CreateTenantAsync(server, "bank", new { mode = "trusted", trustedRoots = new[] { ca.RootCertificatePem } });
        // Stored as base64 DER, whatever form it came in.
        Assert.Equal(Convert.ToBase64String(ca.Root.RawData), (string)created["attestationPolicy"]!["trustedRoots"]![0]!);
        Assert.Equal("trusted", (string)created["attestationPolicy"]!["mode"]!);

        var missing = await RefusedAsync(server, Client(AttestationKind.None), "bank", 1114);
        Assert.Equal("AttestationMissing", (string)missing["error"]!);
        Assert.Equal("AttestationUnverified", (string)(await RefusedAsync(server, Client(AttestationKind.PackedSelf), "bank", 1115))["error"]!);
        // A valid packed statement whose chain ends at another CA's root.
        Assert.Equal("AttestationUntrusted", (string)(await RefusedAsync(server, Client(AttestationKind.Packed), "bank", 1116))["error"]!);

        var credential = await RegisteredAsync(server, Client(AttestationKind.Packed, ca: ca), "bank");
        Assert.Equal("packed", (string)credential["attestationFormat"]!);
        Assert.True((bool)credential["attestationTrusted"]!);

        // What GET answers can be sent back with PUT unchanged (the CLI's update edits the server's JSON).
        var current = (await server.OkJsonAsync(HttpMethod.Get, "/v1/admin/tenants/bank", bearer: TestServer.AdminKey)).AsObject();
        current.Remove("createdAt");
        current["attestationPolicy"]!["aaguidDeny"] = new JsonArray(OtherModel.ToString());
        var replaced = await server.OkJsonAsync(HttpMethod.Put, "/v1/admin/tenants/bank", current.ToJsonString(), bearer: TestServer.AdminKey);
        Assert.Equal(created["attestationPolicy"]!["trustedRoots"]!.ToJsonString(), replaced["attestationPolicy"]!["trustedRoots"]!.ToJsonString());
        Assert.Equal(OtherModel.ToString(), (string)replaced["attestationPolicy"]!["aaguidDeny"]![0]!);

        // Each refusal is audited as a failed registration with its code.
        var audit = await server.OkJsonAsync(HttpMethod.Get, "/v1/admin/tenants/bank/audit?ceremony=registration&outcome=failed", bearer: TestServer.AdminKey);
        Assert.Equal([1114, 1115, 1116], audit["events"]!.AsArray().Select(e => (int)e!["errorCode"]!).Order());
    }

    [StoreFact]
    public async Task Trusted_also_accepts_a_chain_to_a_root_that_FIDO_metadata_lists_for_the_AAGUID()
    {
        using var blob = new SignedTestBlob();
        using var ca = new TestCertificateAuthority();
        blob.Write(SignedTestBlob.Entry(Model, "Passkeys Test Key", [ca.RootCertificatePem], ("FIDO_CERTIFIED_L1", "2024-01-01")));
        await using var server = await StartAsync(blob.Args);
        Assert.True(await server.Services<MetadataRefreshService>().RefreshAsync(CancellationToken.None));
        await CreateTenantAsync(server, "bank", new { mode = "trusted" });

        var credential = await RegisteredAsync(server, Client(AttestationKind.Packed, ca: ca), "bank");
        Assert.True((bool)credential["attestationTrusted"]!);
        Assert.Equal("Passkeys Test Key", (string)credential["authenticatorName"]!);
        // The same CA under an AAGUID metadata does not list: no root for it.
        await RefusedAsync(server, Client(AttestationKind.Packed, OtherModel, ca), "bank", 1116);
    }

    [StoreFact]
    public async Task Verified_refuses_none_and_self_and_accepts_any_certified_statement_while_any_accepts_all()
    {
        await using var server = await StartAsync();
        await CreateTenantAsync(server, "verified", new { mode = "verified" });
        await CreateTenantAsync(server, "any", new { mode = "any" });

        await RefusedAsync(server, Client(AttestationKind.None), "verified", 1114);
        await RefusedAsync(server, Client(AttestationKind.PackedSelf), "verified", 1115);
        foreach (var (kind, type) in new[] { (AttestationKind.Packed, "basic"), (AttestationKind.Tpm, "attca"), (AttestationKind.AndroidKey, "basic"), (AttestationKind.Apple, "anonca") })
        {
            var credential = await RegisteredAsync(server, Client(kind), "verified");
            Assert.Equal(type, (string)credential["attestationType"]!);
            Assert.False((bool)credential["attestationTrusted"]!); // verified, but no root was asked for
        }

        // Compound (§8.9): verified when a part is certified; two self statements prove no more than one.
        Assert.Equal("compound", (string)(await RegisteredAsync(server, Client(AttestationKind.Compound), "verified"))["attestationFormat"]!);
        var selfTwice = TestServer.NewClient(authenticator: new SoftwareAuthenticator(new SoftwareAuthenticatorOptions
        {
            Attestation = AttestationKind.Compound,
            CompoundAttestation = [AttestationKind.PackedSelf, AttestationKind.PackedSelf],
            Aaguid = Model,
        }));
        await RefusedAsync(server, selfTwice, "verified", 1115);

        foreach (var (kind, type) in new[] { (AttestationKind.None, "none"), (AttestationKind.PackedSelf, "self"), (AttestationKind.Packed, "basic") })
        {
            var credential = await RegisteredAsync(server, Client(kind), "any");
            Assert.Equal(type, (string)credential["attestationType"]!);
            Assert.False((bool)credential["attestationTrusted"]!);
        }
    }

    [StoreFact]
    public async Task Mode_any_records_a_chain_to_a_tenant_root_as_trusted()
    {
        await using var server = await StartAsync();
        using var ca = new TestCertificateAuthority();
        await CreateTenantAsync(server, "shop", new { mode = "any", trustedRoots = new[] { Convert.ToBase64String(ca.Root.RawData) } });
        Assert.True((bool)(await RegisteredAsync(server, Client(AttestationKind.Packed, ca: ca), "shop"))["attestationTrusted"]!);
        // Another CA's chain is not refused in mode any, only not trusted.
        Assert.False((bool)(await RegisteredAsync(server, Client(AttestationKind.Packed), "shop"))["attestationTrusted"]!);
    }

    [StoreFact]
    public async Task The_deny_list_wins_over_the_allow_list_and_an_allow_list_refuses_the_rest()
    {
        await using var server = await StartAsync();
        await CreateTenantAsync(server, "shop", new { aaguidAllow = new[] { Model.ToString(), OtherModel.ToString() }, aaguidDeny = new[] { OtherModel.ToString().ToUpperInvariant() } });

        await RegisteredAsync(server, Client(AttestationKind.None, Model), "shop");
        Assert.Equal("AaguidDenied", (string)(await RefusedAsync(server, Client(AttestationKind.None, OtherModel), "shop", 1117))["error"]!);
        Assert.Equal("AaguidNotAllowed", (string)(await RefusedAsync(server, Client(AttestationKind.None, Guid.NewGuid()), "shop", 1118))["error"]!);

        // Lists only: mode stays any; an update without the policy clears it.
        await server.OkJsonAsync(HttpMethod.Put, "/v1/admin/tenants/shop", Tenant("shop", null), bearer: TestServer.AdminKey);
        var view = await server.OkJsonAsync(HttpMethod.Get, "/v1/admin/tenants/shop", bearer: TestServer.AdminKey);
        Assert.Equal("any", (string)view["attestationPolicy"]!["mode"]!);
        Assert.Empty(view["attestationPolicy"]!["aaguidDeny"]!.AsArray());
        await RegisteredAsync(server, Client(AttestationKind.None, OtherModel), "shop");
    }

    [StoreFact]
    public async Task Unusable_policies_and_roots_are_refused_at_create_with_specific_codes()
    {
        await using var server = await StartAsync();
        await TenantProblemAsync(server, new { mode = "strict" }, 1110);
        await TenantProblemAsync(server, new { mode = "verified" }, 1110, attestation: "none"); // browsers would send no attestation
        await TenantProblemAsync(server, new { mode = "trusted" }, 1110); // no roots, no metadata: nothing could be trusted
        await TenantProblemAsync(server, new { aaguidDeny = new[] { "not-a-guid" } }, 1110);
        await TenantProblemAsync(server, new { aaguidAllow = new[] { Model.ToString(), Model.ToString() } }, 1110);
        await TenantProblemAsync(server, new { aaguidAllow = Enumerable.Range(0, 1001).Select(_ => Guid.NewGuid().ToString()).ToArray() }, 1110);

        await TenantProblemAsync(server, new { mode = "trusted", trustedRoots = new[] { "-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydA==\n-----END CERTIFICATE-----" } }, 1111);
        await TenantProblemAsync(server, new { mode = "trusted", trustedRoots = new[] { "%%%" } }, 1111);
        await TenantProblemAsync(server, new { mode = "trusted", trustedRoots = new[] { "" } }, 1111);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        await TenantProblemAsync(server, new { mode = "trusted", trustedRoots = new[] { PrivateKeyPem(key) } }, 1111);

        var now = DateTimeOffset.UtcNow;
        await TenantProblemAsync(server, new { mode = "trusted", trustedRoots = new[] { Certificate(key, ca: false, now.AddDays(-1), now.AddYears(1)) } }, 1112);
        await TenantProblemAsync(server, new { mode = "trusted", trustedRoots = new[] { Certificate(key, ca: true, now.AddYears(-2), now.AddDays(-1)) } }, 1113);
        await TenantProblemAsync(server, new { mode = "trusted", trustedRoots = new[] { Certificate(key, ca: true, now.AddDays(1), now.AddYears(1)) } }, 1113);

        // Wrong JSON types are malformed requests, never a 500.
        foreach (var policy in new object[] { "trusted", new { mode = 5 }, new { trustedRoots = "x" }, new { aaguidAllow = new[] { 1 } } })
        {
            using var response = await server.SendAsync(HttpMethod.Post, "/v1/admin/tenants", Tenant("typed", policy), bearer: TestServer.AdminKey);
            await TestServer.ProblemAsync(response, 400, 1000);
        }

        // Nothing was half-written.
        var tenants = await server.OkJsonAsync(HttpMethod.Get, "/v1/admin/tenants", bearer: TestServer.AdminKey);
        Assert.Equal(["default"], tenants["tenants"]!.AsArray().Select(t => (string)t!["id"]!));
    }

    [StoreFact]
    public async Task A_policy_update_is_enforced_by_the_next_registration()
    {
        await using var server = await StartAsync();
        await CreateTenantAsync(server, "shop", null);
        await RegisteredAsync(server, Client(AttestationKind.None), "shop");
        await server.OkJsonAsync(HttpMethod.Put, "/v1/admin/tenants/shop", Tenant("shop", new { mode = "verified" }), bearer: TestServer.AdminKey);
        await RefusedAsync(server, Client(AttestationKind.None), "shop", 1114);
    }

    private static string PrivateKeyPem(ECDsa key) => key.ExportPkcs8PrivateKeyPem();

    private static string Certificate(ECDsa key, bool ca, DateTimeOffset from, DateTimeOffset to)
    {
        var request = new CertificateRequest("CN=Some Root", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(ca, false, 0, true));
        using var certificate = request.CreateSelfSigned(from, to);
        return certificate.ExportCertificatePem();
    }
}

public sealed class SqliteAttestationPolicyTests : AttestationPolicyTests
{
    protected override ServerStorage Storage { get; } = new SqliteStorage();
}

[Collection(PostgresCollection.Name)]
public sealed class PostgresAttestationPolicyTests(PostgresCluster cluster) : AttestationPolicyTests
{
    protected override ServerStorage Storage { get; } = new PostgresStorage(cluster);
}
