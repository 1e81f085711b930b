using System.Text.Json.Nodes;
using Passkeys.Server.Tests.Integration;

namespace Passkeys.Server.Tests.Attestation;

/// <summary>The served OpenAPI document describes a tenant's attestationPolicy: modes as an enum, each member's meaning and codes.</summary>
public sealed class AttestationPolicyOpenApiTests
{
    [Fact]
    public async Task The_attestation_policy_is_described_with_its_modes_in_input_and_view()
    {
        await using var server = await TestServer.StartAsync();
        var schemas = JsonNode.Parse(await server.Http.GetStringAsync("/openapi/v1.json"))!["components"]!["schemas"]!;
        foreach (var name in new[] { "AttestationPolicyInput", "AttestationPolicySettings" })
        {
            var properties = schemas[name]!["properties"]!;
            Assert.Equal(["any", "verified", "trusted"], properties["mode"]!["enum"]!.AsArray().Select(m => (string)m!));
            Assert.Contains("1116", (string)properties["mode"]!["description"]!, StringComparison.Ordinal);
            Assert.Contains("1112", (string)properties["trustedRoots"]!["description"]!, StringComparison.Ordinal);
            Assert.Contains("1117", (string)properties["aaguidDeny"]!["description"]!, StringComparison.Ordinal);
        }
        Assert.NotNull(schemas["TenantInput"]!["properties"]!["attestationPolicy"]);
        Assert.NotNull(schemas["CredentialView"]!["properties"]!["attestationType"]);
    }
}
