using Org.BouncyCastle.Math.EC.Rfc8032;

namespace Passkeys.Cose.Backends;

/// <summary>
/// EdDSA in managed code (BouncyCastle's RFC 8032 implementation): runs everywhere, used where
/// OpenSSL 3's libcrypto is absent (Windows, macOS, minimal containers).
/// </summary>
internal sealed class BouncyCastleEdDsaBackend : IEdDsaBackend
{
    /// <summary>The one instance.</summary>
    internal static readonly BouncyCastleEdDsaBackend Instance = new();

    private BouncyCastleEdDsaBackend()
    {
    }

    /// <inheritdoc />
    public string Name => "BouncyCastle";

    /// <inheritdoc />
    public bool IsAvailable => true;

    /// <inheritdoc />
    public bool Verify(CoseCurve curve, ReadOnlySpan<byte> publicKey, ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature)
    {
        byte[] key = publicKey.ToArray();
        byte[] sig = signature.ToArray();
        byte[] message = data.ToArray();
        // Pure Ed448 has a context string (RFC 8032 §5.2); WebAuthn uses the empty one.
        return curve == CoseCurve.Ed25519
            ? Ed25519.Verify(sig, 0, key, 0, message, 0, message.Length)
            : Ed448.Verify(sig, 0, key, 0, [], message, 0, message.Length);
    }

    /// <inheritdoc />
    public byte[] Sign(CoseCurve curve, ReadOnlySpan<byte> privateKey, ReadOnlySpan<byte> data)
    {
        var (_, signatureLength) = EdDsaPolicy.Sizes(curve);
        byte[] secret = privateKey.ToArray();
        byte[] message = data.ToArray();
        byte[] signature = new byte[signatureLength];
        if (curve == CoseCurve.Ed25519)
        {
            Ed25519.Sign(secret, 0, message, 0, message.Length, signature, 0);
        }
        else
        {
            Ed448.Sign(secret, 0, [], message, 0, message.Length, signature, 0);
        }
        return signature;
    }

    /// <inheritdoc />
    public byte[] GetPublicKey(CoseCurve curve, ReadOnlySpan<byte> privateKey)
    {
        var (keyLength, _) = EdDsaPolicy.Sizes(curve);
        byte[] secret = privateKey.ToArray();
        byte[] publicKey = new byte[keyLength];
        if (curve == CoseCurve.Ed25519)
        {
            Ed25519.GeneratePublicKey(secret, 0, publicKey, 0);
        }
        else
        {
            Ed448.GeneratePublicKey(secret, 0, publicKey, 0);
        }
        return publicKey;
    }
}
