namespace Passkeys.Authenticator;

/// <summary>What each <see cref="AttestationKind"/> is called on the wire and which credential keys it can attest.</summary>
public static class AttestationKinds
{
    /// <summary>Every attestation kind the authenticator produces.</summary>
    public static IReadOnlyList<AttestationKind> All { get; } = Enum.GetValues<AttestationKind>();

    /// <summary>The sub-statements of a compound attestation when the options name none: packed and tpm.</summary>
    public static IReadOnlyList<AttestationKind> DefaultCompound { get; } = [AttestationKind.Packed, AttestationKind.Tpm];

    /// <summary>The attestation statement format identifier (WebAuthn L3 §8).</summary>
    public static string FormatName(AttestationKind kind) => kind switch
    {
        AttestationKind.None => "none",
        AttestationKind.PackedSelf or AttestationKind.Packed => "packed",
        AttestationKind.FidoU2f => "fido-u2f",
        AttestationKind.Tpm => "tpm",
        AttestationKind.AndroidKey => "android-key",
        AttestationKind.AndroidSafetyNet => "android-safetynet",
        AttestationKind.Apple => "apple",
        AttestationKind.Compound => "compound",
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    /// <summary>
    /// Whether a device producing <paramref name="kind"/> can hold a key for <paramref name="algorithm"/>
    /// (a supported COSE algorithm): fido-u2f has P-256 only; a TPM RSA and NIST-curve ECC; Android
    /// Keystore and Apple's Secure Enclave (as the verifier accepts it) EC and RSA keys; compound what
    /// all of <paramref name="compound"/> (default <see cref="DefaultCompound"/>) can. The rest attest any key.
    /// </summary>
    public static bool CanAttest(AttestationKind kind, int algorithm, IReadOnlyList<AttestationKind>? compound = null) => kind switch
    {
        AttestationKind.FidoU2f => algorithm == SupportedAlgorithms.ES256,
        AttestationKind.Tpm => Tpm.TpmAttestation.CanCertify(algorithm),
        AttestationKind.AndroidKey or AttestationKind.AndroidSafetyNet or AttestationKind.Apple => IsEcOrRsa(algorithm),
        AttestationKind.Compound => (compound ?? DefaultCompound).All(k => k != AttestationKind.Compound && CanAttest(k, algorithm)),
        _ => true,
    };

    /// <summary>Why a device of <paramref name="kind"/> refuses some algorithms, for error messages; null when it refuses none.</summary>
    internal static string? Limit(AttestationKind kind, IReadOnlyList<AttestationKind>? compound = null) => kind switch
    {
        AttestationKind.Tpm => "a TPM 2.0 has no EdDSA (Ed25519) keys, and tpm attestation needs an RSA or P-256/384/521 key",
        AttestationKind.FidoU2f => "a fido-u2f authenticator has P-256 (ES256) keys only",
        AttestationKind.AndroidKey or AttestationKind.AndroidSafetyNet => "Android Keystore attests EC (P-256/384/521) and RSA keys only",
        AttestationKind.Apple => "apple attestation here covers EC (P-256/384/521) and RSA keys only",
        AttestationKind.Compound => string.Join("; ", (compound ?? DefaultCompound).Select(k => Limit(k)).Where(l => l is not null).Distinct()) is { Length: > 0 } all
            ? "compound attestation needs a key every sub-format can attest: " + all
            : null,
        _ => null,
    };

    private static bool IsEcOrRsa(int algorithm) => algorithm is SupportedAlgorithms.ES256 or SupportedAlgorithms.ES384
        or SupportedAlgorithms.ES512 or SupportedAlgorithms.RS256 or SupportedAlgorithms.PS256;
}
