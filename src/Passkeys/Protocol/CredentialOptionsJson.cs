using System.Text.Json;
using System.Text.Json.Serialization;

namespace Passkeys.Protocol;

/// <summary>PublicKeyCredentialRpEntity.</summary>
public sealed class RelyingPartyEntityJson
{
    /// <summary>The RP ID (a registrable domain).</summary>
    [JsonPropertyName("id")] public string? Id { get; set; }
    /// <summary>Human-palatable name.</summary>
    [JsonPropertyName("name")] public required string Name { get; set; }
}

/// <summary>PublicKeyCredentialUserEntityJSON (WebAuthn L3 §5.4.3).</summary>
public sealed class UserEntityJson
{
    /// <summary>The user handle (at most 64 bytes, no personal information).</summary>
    [JsonPropertyName("id"), JsonConverter(typeof(Base64UrlBytesConverter))] public required byte[] Id { get; set; }
    /// <summary>Account name, e.g. an email address or username.</summary>
    [JsonPropertyName("name")] public required string Name { get; set; }
    /// <summary>Display name.</summary>
    [JsonPropertyName("displayName")] public required string DisplayName { get; set; }
}

/// <summary>PublicKeyCredentialParameters.</summary>
public sealed class CredentialParametersJson
{
    /// <summary>Always "public-key".</summary>
    [JsonPropertyName("type")] public string Type { get; set; } = "public-key";
    /// <summary>COSE algorithm identifier.</summary>
    [JsonPropertyName("alg")] public int Alg { get; set; }
}

/// <summary>PublicKeyCredentialDescriptorJSON.</summary>
public sealed class CredentialDescriptorJson
{
    /// <summary>Always "public-key".</summary>
    [JsonPropertyName("type")] public string Type { get; set; } = "public-key";
    /// <summary>The credential id.</summary>
    [JsonPropertyName("id"), JsonConverter(typeof(Base64UrlBytesConverter))] public required byte[] Id { get; set; }
    /// <summary>Transport hints ("usb", "nfc", "ble", "internal", "hybrid", "smart-card").</summary>
    [JsonPropertyName("transports"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public IList<string>? Transports { get; set; }
}

/// <summary>AuthenticatorSelectionCriteria.</summary>
public sealed class AuthenticatorSelectionJson
{
    /// <summary>Platform or cross-platform.</summary>
    [JsonPropertyName("authenticatorAttachment"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public AuthenticatorAttachment? AuthenticatorAttachment { get; set; }
    /// <summary>Discoverable credential requirement.</summary>
    [JsonPropertyName("residentKey"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public ResidentKeyRequirement? ResidentKey { get; set; }
    /// <summary>Level 1 compatibility: true exactly when residentKey is "required".</summary>
    [JsonPropertyName("requireResidentKey")] public bool RequireResidentKey { get; set; }
    /// <summary>User verification requirement.</summary>
    [JsonPropertyName("userVerification")] public UserVerificationRequirement UserVerification { get; set; } = UserVerificationRequirement.Preferred;
}

/// <summary>PublicKeyCredentialCreationOptionsJSON (WebAuthn L3 §5.1.8): what the browser's parseCreationOptionsFromJSON takes.</summary>
public sealed class CredentialCreationOptionsJson
{
    /// <summary>The relying party.</summary>
    [JsonPropertyName("rp")] public required RelyingPartyEntityJson Rp { get; set; }
    /// <summary>The user account.</summary>
    [JsonPropertyName("user")] public required UserEntityJson User { get; set; }
    /// <summary>The challenge.</summary>
    [JsonPropertyName("challenge"), JsonConverter(typeof(Base64UrlBytesConverter))] public required byte[] Challenge { get; set; }
    /// <summary>Acceptable algorithms, most preferred first.</summary>
    [JsonPropertyName("pubKeyCredParams")] public required IList<CredentialParametersJson> PubKeyCredParams { get; set; }
    /// <summary>Timeout in milliseconds.</summary>
    [JsonPropertyName("timeout"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public uint? Timeout { get; set; }
    /// <summary>Credentials the user already has, so the authenticator won't create a second one.</summary>
    [JsonPropertyName("excludeCredentials")] public IList<CredentialDescriptorJson> ExcludeCredentials { get; set; } = [];
    /// <summary>Authenticator selection criteria.</summary>
    [JsonPropertyName("authenticatorSelection"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public AuthenticatorSelectionJson? AuthenticatorSelection { get; set; }
    /// <summary>Hints: "security-key", "client-device", "hybrid".</summary>
    [JsonPropertyName("hints")] public IList<string> Hints { get; set; } = [];
    /// <summary>Attestation conveyance preference.</summary>
    [JsonPropertyName("attestation")] public AttestationConveyancePreference Attestation { get; set; }
    /// <summary>Acceptable attestation formats, most preferred first.</summary>
    [JsonPropertyName("attestationFormats"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public IList<string>? AttestationFormats { get; set; }
    /// <summary>Extension inputs.</summary>
    [JsonPropertyName("extensions"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public Dictionary<string, JsonElement>? Extensions { get; set; }
}

/// <summary>PublicKeyCredentialRequestOptionsJSON (WebAuthn L3 §5.1.9): what parseRequestOptionsFromJSON takes.</summary>
public sealed class CredentialRequestOptionsJson
{
    /// <summary>The challenge.</summary>
    [JsonPropertyName("challenge"), JsonConverter(typeof(Base64UrlBytesConverter))] public required byte[] Challenge { get; set; }
    /// <summary>Timeout in milliseconds.</summary>
    [JsonPropertyName("timeout"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public uint? Timeout { get; set; }
    /// <summary>The RP ID.</summary>
    [JsonPropertyName("rpId"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? RpId { get; set; }
    /// <summary>Credentials that may be used; empty for discoverable (usernameless) sign-in.</summary>
    [JsonPropertyName("allowCredentials")] public IList<CredentialDescriptorJson> AllowCredentials { get; set; } = [];
    /// <summary>User verification requirement.</summary>
    [JsonPropertyName("userVerification")] public UserVerificationRequirement UserVerification { get; set; } = UserVerificationRequirement.Preferred;
    /// <summary>Hints: "security-key", "client-device", "hybrid".</summary>
    [JsonPropertyName("hints")] public IList<string> Hints { get; set; } = [];
    /// <summary>Extension inputs.</summary>
    [JsonPropertyName("extensions"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public Dictionary<string, JsonElement>? Extensions { get; set; }
}
