using System.Text.Json;
using System.Text.Json.Serialization;

namespace Passkeys.Protocol;

/// <summary>AuthenticatorAttestationResponseJSON (WebAuthn L3 §5.2.1): binary members as base64url strings.</summary>
public sealed class AttestationResponseJson
{
    /// <summary>clientDataJSON, base64url.</summary>
    [JsonPropertyName("clientDataJSON")] public string? ClientDataJson { get; set; }
    /// <summary>attestationObject, base64url.</summary>
    [JsonPropertyName("attestationObject")] public string? AttestationObject { get; set; }
    /// <summary>authenticatorData (a client convenience copy; never trusted over attestationObject).</summary>
    [JsonPropertyName("authenticatorData"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? AuthenticatorData { get; set; }
    /// <summary>Transports the authenticator is reachable by.</summary>
    [JsonPropertyName("transports"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public IList<string>? Transports { get; set; }
    /// <summary>SubjectPublicKeyInfo of the credential key (a client convenience; never trusted).</summary>
    [JsonPropertyName("publicKey"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? PublicKey { get; set; }
    /// <summary>COSE algorithm of the credential key (a client convenience; never trusted).</summary>
    [JsonPropertyName("publicKeyAlgorithm"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public long? PublicKeyAlgorithm { get; set; }
}

/// <summary>RegistrationResponseJSON (WebAuthn L3 §5.1, PublicKeyCredential.toJSON() after create()).</summary>
public sealed class RegistrationResponseJson
{
    /// <summary>The credential id, base64url.</summary>
    [JsonPropertyName("id")] public string? Id { get; set; }
    /// <summary>The credential id, base64url (same as id).</summary>
    [JsonPropertyName("rawId")] public string? RawId { get; set; }
    /// <summary>Always "public-key".</summary>
    [JsonPropertyName("type")] public string? Type { get; set; }
    /// <summary>The authenticator's response.</summary>
    [JsonPropertyName("response")] public AttestationResponseJson? Response { get; set; }
    /// <summary>"platform" or "cross-platform"; kept as text because clients may send values we don't know.</summary>
    [JsonPropertyName("authenticatorAttachment"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? AuthenticatorAttachment { get; set; }
    /// <summary>Client extension outputs.</summary>
    [JsonPropertyName("clientExtensionResults")] public Dictionary<string, JsonElement>? ClientExtensionResults { get; set; }
}

/// <summary>AuthenticatorAssertionResponseJSON (WebAuthn L3 §5.2.2).</summary>
public sealed class AssertionResponseJson
{
    /// <summary>clientDataJSON, base64url.</summary>
    [JsonPropertyName("clientDataJSON")] public string? ClientDataJson { get; set; }
    /// <summary>authenticatorData, base64url.</summary>
    [JsonPropertyName("authenticatorData")] public string? AuthenticatorData { get; set; }
    /// <summary>The assertion signature, base64url.</summary>
    [JsonPropertyName("signature")] public string? Signature { get; set; }
    /// <summary>The user handle, base64url; present for discoverable credentials.</summary>
    [JsonPropertyName("userHandle"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? UserHandle { get; set; }
}

/// <summary>AuthenticationResponseJSON (WebAuthn L3 §5.1, PublicKeyCredential.toJSON() after get()).</summary>
public sealed class AuthenticationResponseJson
{
    /// <summary>The credential id, base64url.</summary>
    [JsonPropertyName("id")] public string? Id { get; set; }
    /// <summary>The credential id, base64url (same as id).</summary>
    [JsonPropertyName("rawId")] public string? RawId { get; set; }
    /// <summary>Always "public-key".</summary>
    [JsonPropertyName("type")] public string? Type { get; set; }
    /// <summary>The authenticator's response.</summary>
    [JsonPropertyName("response")] public AssertionResponseJson? Response { get; set; }
    /// <summary>"platform" or "cross-platform".</summary>
    [JsonPropertyName("authenticatorAttachment"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? AuthenticatorAttachment { get; set; }
    /// <summary>Client extension outputs.</summary>
    [JsonPropertyName("clientExtensionResults")] public Dictionary<string, JsonElement>? ClientExtensionResults { get; set; }
}
