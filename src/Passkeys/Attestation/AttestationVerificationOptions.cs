namespace Passkeys.Attestation;

/// <summary>Policy switches that individual attestation formats consult.</summary>
public sealed class AttestationVerificationOptions
{
    /// <summary>Allow RSASSA-PKCS1-v1_5 with SHA-1 (COSE −65535) in attestation signatures. Off by default.</summary>
    public bool AllowRs1 { get; set; }

    /// <summary>android-safetynet: require ctsProfileMatch = true. On by default.</summary>
    public bool SafetyNetRequireCtsProfileMatch { get; set; } = true;

    /// <summary>android-safetynet: how far timestampMs may lie from now. 60 seconds by default.</summary>
    public TimeSpan SafetyNetMaxAge { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>android-safetynet: skip the timestampMs freshness check (for replaying recorded test data only).</summary>
    public bool DangerouslySkipSafetyNetTimestampCheck { get; set; }

    /// <summary>android-key: read origin and purpose from the TEE-enforced list only (not the union with software-enforced).</summary>
    public bool AndroidKeyRequireTeeEnforced { get; set; }
}
