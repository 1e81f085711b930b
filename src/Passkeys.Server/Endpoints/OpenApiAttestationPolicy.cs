using System.Text.Json.Nodes;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Passkeys.Server.Endpoints;

/// <summary>
/// Describes a tenant's <c>attestationPolicy</c> in the OpenAPI document: the modes as an enum and
/// what each member accepts (docs/api.md, "Attestation policy"), which the generator cannot tell from
/// the string-typed record.
/// </summary>
internal static class OpenApiAttestationPolicy
{
    private static readonly Dictionary<string, string> Descriptions = new(StringComparer.Ordinal)
    {
        ["mode"] = "any (default): every verified statement, also none and self attestation; verified: signed by an attestation key a certificate vouches for " +
            "(none → 1114, self → 1115); trusted: as verified, and the chain ends at a FIDO metadata root for the AAGUID or one of trustedRoots (else 1116).",
        ["trustedRoots"] = "CA certificates, valid now, that attestation chains may end at besides FIDO metadata's: PEM or base64 DER in a body (1111 unreadable, 1112 not a CA, 1113 not valid now); answered as base64 DER.",
        ["aaguidAllow"] = "When not empty, only these AAGUIDs may register (else 1118). Hyphenated, at most 1000.",
        ["aaguidDeny"] = "AAGUIDs that may not register (1117); wins over aaguidAllow. Hyphenated, at most 1000.",
    };

    /// <summary>Adds the transformer.</summary>
    public static OpenApiOptions AddAttestationPolicySchema(this OpenApiOptions options) =>
        options.AddSchemaTransformer((schema, context, _) =>
        {
            var type = context.JsonTypeInfo.Type;
            if ((type == typeof(AttestationPolicyInput) || type == typeof(Tenants.AttestationPolicySettings)) && schema.Properties is { } properties)
            {
                foreach (var (name, description) in Descriptions)
                {
                    if (properties.TryGetValue(name, out var property) && property is OpenApiSchema member)
                    {
                        member.Description = description;
                        if (name == "mode")
                        {
                            member.Enum = [.. Tenants.AttestationModes.All.Select(m => (JsonNode)JsonValue.Create(m)!)];
                        }
                    }
                }
            }
            return Task.CompletedTask;
        });
}
