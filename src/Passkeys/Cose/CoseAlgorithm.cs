namespace Passkeys.Cose;

/// <summary>COSE algorithm identifiers a WebAuthn credential can use, with their registered values.</summary>
/// <remarks>
/// IANA "COSE Algorithms" registry; RFC 9053 §2 (ECDSA, EdDSA), RFC 8230 §2 (RSASSA-PSS),
/// RFC 8812 §2 (RSASSA-PKCS1-v1_5, including RS1 for legacy TPM attestation), RFC 9864 (the fully
/// specified ESP256/384/512, Ed25519, Ed448) and the COSE ML-DSA draft (ML-DSA-44/65/87).
/// WebAuthn L3 §5.8.5 names the ones relying parties are expected to handle.
/// </remarks>
public enum CoseAlgorithm
{
    /// <summary>ECDSA with SHA-256 (curve P-256 in WebAuthn).</summary>
    ES256 = -7,
    /// <summary>EdDSA with the curve given by the key (Ed25519 or Ed448).</summary>
    EdDSA = -8,
    /// <summary>ECDSA using P-256 and SHA-256, fully specified.</summary>
    ESP256 = -9,
    /// <summary>EdDSA using Ed25519, fully specified.</summary>
    Ed25519 = -19,
    /// <summary>ECDSA with SHA-384 (curve P-384 in WebAuthn).</summary>
    ES384 = -35,
    /// <summary>ECDSA with SHA-512 (curve P-521 in WebAuthn).</summary>
    ES512 = -36,
    /// <summary>RSASSA-PSS with SHA-256.</summary>
    PS256 = -37,
    /// <summary>RSASSA-PSS with SHA-384.</summary>
    PS384 = -38,
    /// <summary>RSASSA-PSS with SHA-512.</summary>
    PS512 = -39,
    /// <summary>ML-DSA-44 (FIPS 204).</summary>
    MLDsa44 = -48,
    /// <summary>ML-DSA-65 (FIPS 204).</summary>
    MLDsa65 = -49,
    /// <summary>ML-DSA-87 (FIPS 204).</summary>
    MLDsa87 = -50,
    /// <summary>ECDSA using P-384 and SHA-384, fully specified.</summary>
    ESP384 = -51,
    /// <summary>ECDSA using P-521 and SHA-512, fully specified.</summary>
    ESP512 = -52,
    /// <summary>EdDSA using Ed448, fully specified.</summary>
    Ed448 = -53,
    /// <summary>RSASSA-PKCS1-v1_5 with SHA-256.</summary>
    RS256 = -257,
    /// <summary>RSASSA-PKCS1-v1_5 with SHA-384.</summary>
    RS384 = -258,
    /// <summary>RSASSA-PKCS1-v1_5 with SHA-512.</summary>
    RS512 = -259,
    /// <summary>RSASSA-PKCS1-v1_5 with SHA-1; only for verifying legacy (TPM) attestation.</summary>
    RS1 = -65535,
}

/// <summary>COSE key types (the kty parameter, label 1).</summary>
/// <remarks>IANA "COSE Key Types"; RFC 9053 §7 (OKP, EC2), RFC 8230 §4 (RSA), COSE ML-DSA draft (AKP).</remarks>
public enum CoseKeyType
{
    /// <summary>Octet key pair: EdDSA keys.</summary>
    OKP = 1,
    /// <summary>Elliptic curve with x and y coordinates.</summary>
    EC2 = 2,
    /// <summary>RSA: modulus and public exponent.</summary>
    RSA = 3,
    /// <summary>Algorithm key pair: ML-DSA keys.</summary>
    AKP = 7,
}

/// <summary>COSE elliptic curves (the crv parameter, label -1 of EC2 and OKP keys).</summary>
/// <remarks>IANA "COSE Elliptic Curves"; RFC 9053 §7.1.</remarks>
public enum CoseCurve
{
    /// <summary>NIST P-256 (secp256r1), EC2.</summary>
    P256 = 1,
    /// <summary>NIST P-384 (secp384r1), EC2.</summary>
    P384 = 2,
    /// <summary>NIST P-521 (secp521r1), EC2.</summary>
    P521 = 3,
    /// <summary>Ed25519, OKP.</summary>
    Ed25519 = 6,
    /// <summary>Ed448, OKP.</summary>
    Ed448 = 7,
}
