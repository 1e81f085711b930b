using Passkeys.Authenticator;
using Passkeys.Server.Configuration;
using Passkeys.Server.Tests.Integration;

namespace Passkeys.Server.Tests.Attestation;

/// <summary>
/// Passkeys:DefaultTenant:AttestationPolicy: the default tenant's policy from configuration follows
/// the admin API's rules, or the server does not start; and it is applied at every start.
/// </summary>
public sealed class DefaultTenantAttestationPolicyTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("passkeys-dap-").FullName;

    public void Dispose() => Directory.Delete(_folder, true);

    [Fact]
    public void An_unusable_policy_or_root_file_stops_the_start_with_what_to_fix()
    {
        static string? Problem(DefaultAttestationPolicyOptions policy, string attestation = "direct")
        {
            var options = new PasskeysServerOptions();
            options.DefaultTenant.Attestation = attestation;
            options.DefaultTenant.AttestationPolicy = policy;
            var result = new PasskeysServerOptionsValidator().Validate(null, options);
            return result.Succeeded ? null : result.FailureMessage;
        }
        Assert.Null(Problem(new DefaultAttestationPolicyOptions { Mode = "verified" }));
        Assert.Contains("AttestationPolicyInvalid", Problem(new DefaultAttestationPolicyOptions { Mode = "strict" }), StringComparison.Ordinal);
        Assert.Contains("AttestationPolicyInvalid", Problem(new DefaultAttestationPolicyOptions { Mode = "verified" }, attestation: "none"), StringComparison.Ordinal);
        Assert.Contains("cannot be read", Problem(new DefaultAttestationPolicyOptions { Mode = "trusted", TrustedRootPaths = [Path.Combine(_folder, "missing.pem")] }), StringComparison.Ordinal);
        var notCertificate = Path.Combine(_folder, "junk.der");
        File.WriteAllBytes(notCertificate, [1, 2, 3]);
        Assert.Contains("AttestationRootUnreadable", Problem(new DefaultAttestationPolicyOptions { Mode = "trusted", TrustedRootPaths = [notCertificate] }), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_default_tenant_requires_trusted_attestation_to_a_root_file_from_configuration()
    {
        using var ca = new TestCertificateAuthority();
        var root = Path.Combine(_folder, "root.der");
        File.WriteAllBytes(root, ca.Root.RawData);
        await using var server = await TestServer.StartAsync(null, "--Passkeys:DefaultTenant:Attestation=direct",
            "--Passkeys:DefaultTenant:AttestationPolicy:Mode=trusted", "--Passkeys:DefaultTenant:AttestationPolicy:TrustedRootPaths:0=" + root);
        var view = await server.OkJsonAsync(HttpMethod.Get, "/v1/admin/tenants/default", bearer: TestServer.AdminKey);
        Assert.Equal("trusted", (string)view["attestationPolicy"]!["mode"]!);

        await AttestationPolicyTests.RefusedAsync(server, TestServer.NewClient(), "default", 1114);
        var trusted = TestServer.NewClient(authenticator: new SoftwareAuthenticator(new SoftwareAuthenticatorOptions { Attestation = AttestationKind.Packed, CertificateAuthority = ca }));
        Assert.True((bool)(await server.SignUpAsync(trusted, "alice"))["credential"]!["attestationTrusted"]!);
    }
}
