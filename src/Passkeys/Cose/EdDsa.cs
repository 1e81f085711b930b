using System.Security.Cryptography;
using Passkeys.Cose.Backends;

namespace Passkeys.Cose;

/// <summary>
/// Ed25519 and Ed448 (pure EdDSA, empty context) on raw RFC 8032 keys and signatures, through
/// OpenSSL 3's libcrypto where it loads and BouncyCastle everywhere else.
/// </summary>
/// <remarks>
/// RFC 8032 §5.1 (Ed25519: 32-byte keys, 64-byte signatures) and §5.2 (Ed448: 57-byte keys,
/// 114-byte signatures); COSE: RFC 9053 §2.2 and RFC 9864. Whatever the backend, keys that are not
/// canonical point encodings or have small order are refused, and so are signatures whose S is
/// not below L (<see cref="EdDsaPolicy"/>).
/// </remarks>
public static class EdDsa
{
    /// <summary>Whether EdDSA works here: always, since BouncyCastle stands in where OpenSSL is absent.</summary>
    public static bool IsAvailable => CryptoBackends.EdDsa.IsAvailable;

    /// <summary>The implementation in use: "OpenSSL" or "BouncyCastle".</summary>
    public static string BackendName => CryptoBackends.EdDsa.Name;

    /// <summary>Verifies an EdDSA signature; false for a wrong signature, including one of the wrong length or with S ≥ L.</summary>
    /// <param name="curve"><see cref="CoseCurve.Ed25519"/> or <see cref="CoseCurve.Ed448"/>.</param>
    /// <param name="publicKey">The raw public key (32 or 57 bytes).</param>
    /// <param name="data">The signed message.</param>
    /// <param name="signature">The raw signature (64 or 114 bytes).</param>
    /// <exception cref="PasskeyException">
    /// <see cref="PasskeyError.InvalidPublicKey"/> for a curve other than Ed25519/Ed448;
    /// <see cref="PasskeyError.PublicKeyLengthInvalid"/>, <see cref="PasskeyError.PublicKeyNotCanonical"/> or
    /// <see cref="PasskeyError.PublicKeySmallOrder"/> for a key no signature may be accepted under.
    /// </exception>
    public static bool Verify(CoseCurve curve, ReadOnlySpan<byte> publicKey, ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature) =>
        Verify(CryptoBackends.EdDsa, curve, publicKey, data, signature);

    /// <summary>Signs <paramref name="data"/> with a raw private key (the RFC 8032 secret, 32 or 57 bytes).</summary>
    /// <exception cref="PasskeyException"><see cref="PasskeyError.InvalidPublicKey"/> for a wrong curve or key length.</exception>
    public static byte[] Sign(CoseCurve curve, ReadOnlySpan<byte> privateKey, ReadOnlySpan<byte> data)
    {
        RequirePrivateKeyLength(curve, privateKey);
        return CryptoBackends.EdDsa.Sign(curve, privateKey, data);
    }

    /// <summary>Creates a key pair: a random secret from the system CSPRNG and its public key.</summary>
    public static (byte[] PrivateKey, byte[] PublicKey) GenerateKey(CoseCurve curve)
    {
        var (keyLength, _) = EdDsaPolicy.Sizes(curve);
        // RFC 8032 §5.1.5 / §5.2.5: the private key is just b random bytes.
        byte[] privateKey = RandomNumberGenerator.GetBytes(keyLength);
        return (privateKey, GetPublicKey(curve, privateKey));
    }

    /// <summary>Derives the raw public key from a raw private key.</summary>
    /// <exception cref="PasskeyException"><see cref="PasskeyError.InvalidPublicKey"/> for a wrong curve or key length.</exception>
    public static byte[] GetPublicKey(CoseCurve curve, ReadOnlySpan<byte> privateKey)
    {
        RequirePrivateKeyLength(curve, privateKey);
        return CryptoBackends.EdDsa.GetPublicKey(curve, privateKey);
    }

    /// <summary>
    /// Verification through a given backend, every policy check first: the one path all EdDSA
    /// verification takes, so that tests can run each backend behind the same checks.
    /// </summary>
    internal static bool Verify(IEdDsaBackend backend, CoseCurve curve, ReadOnlySpan<byte> publicKey, ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature)
    {
        EdDsaPolicy.RequireValidPublicKey(curve, publicKey);
        return VerifyValidatedKey(backend, curve, publicKey, data, signature);
    }

    /// <summary>As <see cref="Verify(IEdDsaBackend, CoseCurve, ReadOnlySpan{byte}, ReadOnlySpan{byte}, ReadOnlySpan{byte})"/> for a key already validated (a decoded <see cref="CosePublicKey"/>).</summary>
    internal static bool VerifyValidatedKey(IEdDsaBackend backend, CoseCurve curve, ReadOnlySpan<byte> publicKey, ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature) =>
        EdDsaPolicy.SignatureDefect(curve, signature) is null && backend.Verify(curve, publicKey, data, signature);

    private static void RequirePrivateKeyLength(CoseCurve curve, ReadOnlySpan<byte> privateKey)
    {
        var (keyLength, _) = EdDsaPolicy.Sizes(curve);
        if (privateKey.Length != keyLength)
        {
            throw new PasskeyException(PasskeyError.InvalidPublicKey, $"the EdDSA private key must be {keyLength} bytes, not {privateKey.Length}");
        }
    }
}
