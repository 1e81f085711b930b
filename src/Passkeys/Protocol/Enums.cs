using System.Text.Json.Serialization;

namespace Passkeys.Protocol;

/// <summary>userVerification (WebAuthn L3 §5.8.6).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<UserVerificationRequirement>))]
public enum UserVerificationRequirement
{
    /// <summary>"preferred": verify the user when the authenticator can; don't fail without it.</summary>
    [JsonStringEnumMemberName("preferred")] Preferred,
    /// <summary>"required": the ceremony fails unless the UV flag is set.</summary>
    [JsonStringEnumMemberName("required")] Required,
    /// <summary>"discouraged": don't verify the user.</summary>
    [JsonStringEnumMemberName("discouraged")] Discouraged,
}

/// <summary>residentKey (WebAuthn L3 §5.4.6).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ResidentKeyRequirement>))]
public enum ResidentKeyRequirement
{
    /// <summary>"required": a discoverable credential (a passkey in the usual sense).</summary>
    [JsonStringEnumMemberName("required")] Required,
    /// <summary>"preferred".</summary>
    [JsonStringEnumMemberName("preferred")] Preferred,
    /// <summary>"discouraged": a server-side credential.</summary>
    [JsonStringEnumMemberName("discouraged")] Discouraged,
}

/// <summary>authenticatorAttachment (WebAuthn L3 §5.4.5).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<AuthenticatorAttachment>))]
public enum AuthenticatorAttachment
{
    /// <summary>"platform": built into the device.</summary>
    [JsonStringEnumMemberName("platform")] Platform,
    /// <summary>"cross-platform": a security key or a phone over hybrid.</summary>
    [JsonStringEnumMemberName("cross-platform")] CrossPlatform,
}

/// <summary>attestation conveyance (WebAuthn L3 §5.4.7).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<AttestationConveyancePreference>))]
public enum AttestationConveyancePreference
{
    /// <summary>"none": no attestation wanted (the default, and right for most sites).</summary>
    [JsonStringEnumMemberName("none")] None,
    /// <summary>"indirect": attestation, possibly anonymized by the client.</summary>
    [JsonStringEnumMemberName("indirect")] Indirect,
    /// <summary>"direct": the authenticator's own attestation.</summary>
    [JsonStringEnumMemberName("direct")] Direct,
    /// <summary>"enterprise": uniquely identifying attestation, for managed devices.</summary>
    [JsonStringEnumMemberName("enterprise")] Enterprise,
}
