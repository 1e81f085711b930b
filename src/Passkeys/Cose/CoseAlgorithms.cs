using System.Globalization;
using System.Security.Cryptography;

namespace Passkeys.Cose;

/// <summary>Facts about <see cref="CoseAlgorithm"/> values: names, platform support, hash functions.</summary>
/// <remarks>WebAuthn L3 §5.8.5 (COSEAlgorithmIdentifier); RFC 9053 §2, RFC 8230 §2, RFC 8812 §2, RFC 9864.</remarks>
public static class CoseAlgorithms
{
    /// <summary>The algorithm's registered name ("ES256", "RS1", "ML-DSA-44"), or "COSE(-12345)" for an unknown value.</summary>
    public static string Name(CoseAlgorithm alg) => alg switch
    {
        CoseAlgorithm.ES256 => "ES256",
        CoseAlgorithm.EdDSA => "EdDSA",
        CoseAlgorithm.ESP256 => "ESP256",
        CoseAlgorithm.Ed25519 => "Ed25519",
        CoseAlgorithm.ES384 => "ES384",
        CoseAlgorithm.ES512 => "ES512",
        CoseAlgorithm.PS256 => "PS256",
        CoseAlgorithm.PS384 => "PS384",
        CoseAlgorithm.PS512 => "PS512",
        CoseAlgorithm.MLDsa44 => "ML-DSA-44",
        CoseAlgorithm.MLDsa65 => "ML-DSA-65",
        CoseAlgorithm.MLDsa87 => "ML-DSA-87",
        CoseAlgorithm.ESP384 => "ESP384",
        CoseAlgorithm.ESP512 => "ESP512",
        CoseAlgorithm.Ed448 => "Ed448",
        CoseAlgorithm.RS256 => "RS256",
        CoseAlgorithm.RS384 => "RS384",
        CoseAlgorithm.RS512 => "RS512",
        CoseAlgorithm.RS1 => "RS1",
        _ => string.Create(CultureInfo.InvariantCulture, $"COSE({(int)alg})"),
    };

    /// <summary>Whether <paramref name="alg"/> is one this library knows.</summary>
    public static bool IsKnown(CoseAlgorithm alg) => KeyTypeOf(alg) is not null;

    /// <summary>
    /// Whether this platform can verify <paramref name="alg"/>: every known algorithm, on every
    /// platform. EdDSA and ML-DSA run on OpenSSL where it has them and on BouncyCastle otherwise.
    /// </summary>
    public static bool IsSupported(CoseAlgorithm alg) => KeyTypeOf(alg) switch
    {
        CoseKeyType.EC2 or CoseKeyType.RSA => true,
        CoseKeyType.OKP => EdDsa.IsAvailable,
        CoseKeyType.AKP => Backends.CryptoBackends.MLDsa.IsAvailable,
        _ => false,
    };

    /// <summary>The implementation verifying ML-DSA here: "platform" (OpenSSL 3.5 or later) or "BouncyCastle".</summary>
    public static string MLDsaBackendName => Backends.CryptoBackends.MLDsa.Name;

    /// <summary>
    /// The hash the signature scheme applies to the message: SHA-256 for ES256/ESP256/RS256/PS256,
    /// SHA-384 and SHA-512 likewise, SHA-1 for RS1; null for EdDSA and ML-DSA, which hash internally.
    /// </summary>
    public static HashAlgorithmName? HashAlgorithm(CoseAlgorithm alg) => alg switch
    {
        CoseAlgorithm.ES256 or CoseAlgorithm.ESP256 or CoseAlgorithm.RS256 or CoseAlgorithm.PS256 => HashAlgorithmName.SHA256,
        CoseAlgorithm.ES384 or CoseAlgorithm.ESP384 or CoseAlgorithm.RS384 or CoseAlgorithm.PS384 => HashAlgorithmName.SHA384,
        CoseAlgorithm.ES512 or CoseAlgorithm.ESP512 or CoseAlgorithm.RS512 or CoseAlgorithm.PS512 => HashAlgorithmName.SHA512,
        CoseAlgorithm.RS1 => HashAlgorithmName.SHA1,
        _ => null,
    };

    /// <summary>The key type <paramref name="alg"/> needs, or null for an unknown algorithm.</summary>
    public static CoseKeyType? KeyTypeOf(CoseAlgorithm alg) => alg switch
    {
        CoseAlgorithm.ES256 or CoseAlgorithm.ESP256 or CoseAlgorithm.ES384 or CoseAlgorithm.ESP384
            or CoseAlgorithm.ES512 or CoseAlgorithm.ESP512 => CoseKeyType.EC2,
        CoseAlgorithm.RS256 or CoseAlgorithm.RS384 or CoseAlgorithm.RS512 or CoseAlgorithm.RS1
            or CoseAlgorithm.PS256 or CoseAlgorithm.PS384 or CoseAlgorithm.PS512 => CoseKeyType.RSA,
        CoseAlgorithm.EdDSA or CoseAlgorithm.Ed25519 or CoseAlgorithm.Ed448 => CoseKeyType.OKP,
        CoseAlgorithm.MLDsa44 or CoseAlgorithm.MLDsa65 or CoseAlgorithm.MLDsa87 => CoseKeyType.AKP,
        _ => null,
    };
}
