using System.Text.Json;
using System.Text.Json.Serialization;

namespace Passkeys.Server.Tenants;

/// <summary>
/// A tenant's <c>attestationPolicy</c>: what a registration's attestation must prove, and which
/// authenticator models (AAGUIDs) may register. Stored as one JSON text column
/// (<c>tenants.attestation_policy</c>); null there is <see cref="Default"/>. Validated by
/// <see cref="AttestationPolicyRules"/>; enforced by <c>Ceremonies/TenantAttestationPolicy</c>.
/// See docs/api.md, "Attestation policy".
/// </summary>
/// <param name="Mode"><see cref="AttestationModes"/>: any | verified | trusted.</param>
/// <param name="TrustedRoots">The tenant's own attestation roots, base64 DER (checked CA certificates, valid when set).</param>
/// <param name="AaguidAllow">When not empty, only these AAGUIDs may register (lowercase, hyphenated).</param>
/// <param name="AaguidDeny">AAGUIDs that may not register; the deny list wins over the allow list.</param>
public sealed record AttestationPolicySettings(
    string Mode,
    IReadOnlyList<string> TrustedRoots,
    IReadOnlyList<string> AaguidAllow,
    IReadOnlyList<string> AaguidDeny)
{
    /// <summary>Today's behaviour: any attestation (also none), every authenticator.</summary>
    public static AttestationPolicySettings Default { get; } = new(AttestationModes.Any, [], [], []);

    /// <summary>The stored form (the column's JSON text).</summary>
    public string ToJson() => JsonSerializer.Serialize(this, AttestationPolicyJson.Default.AttestationPolicySettings);

    /// <summary>Reads the stored form; null for a NULL column (the default policy).</summary>
    public static AttestationPolicySettings? FromJson(string? json) =>
        json is null ? null : JsonSerializer.Deserialize(json, AttestationPolicyJson.Default.AttestationPolicySettings);
}

/// <summary>The values of <see cref="AttestationPolicySettings.Mode"/>.</summary>
public static class AttestationModes
{
    /// <summary>Accept any attestation, also none and self (today's behaviour). A statement that is sent is still verified (REG-22).</summary>
    public const string Any = "any";
    /// <summary>The statement must be signed by an attestation key with a certificate (basic, AttCA, AnonCA) and verify; none and self are refused.</summary>
    public const string Verified = "verified";
    /// <summary>As verified, and the certificate chain must end at a root from FIDO metadata or the tenant's trustedRoots.</summary>
    public const string Trusted = "trusted";

    /// <summary>Every value a tenant may set.</summary>
    public static IReadOnlyList<string> All { get; } = [Any, Verified, Trusted];
}

/// <summary>Source-generated JSON for the stored attestation policy.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(AttestationPolicySettings))]
internal sealed partial class AttestationPolicyJson : JsonSerializerContext;
