using System.Security.Cryptography;

namespace Passkeys.Cose;

/// <summary>
/// Ed25519 and Ed448 (pure EdDSA, empty context) through OpenSSL's libcrypto, which .NET already
/// loads on Linux. Keys and signatures are the raw RFC 8032 encodings.
/// </summary>
/// <remarks>
/// RFC 8032 §5.1 (Ed25519: 32-byte keys, 64-byte signatures) and §5.2 (Ed448: 57-byte keys,
/// 114-byte signatures); COSE: RFC 9053 §2.2 and RFC 9864. Where libcrypto.so.3 cannot be loaded
/// (Windows, macOS, minimal containers) <see cref="IsAvailable"/> is false and every operation
/// throws <see cref="PasskeyException"/> with <see cref="PasskeyError.EdDsaUnavailable"/>.
/// </remarks>
public static class EdDsa
{
    // RFC 8032 §7.1 TEST 1: verifying it once proves the library loads, exports what we call and
    // computes Ed25519 correctly, before anything depends on it.
    private static readonly byte[] ProbePublicKey = Convert.FromHexString("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a");
    private static readonly byte[] ProbeSignature = Convert.FromHexString(
        "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b");

    private static readonly Lazy<bool> Available = new(Probe);

    /// <summary>Whether libcrypto is loadable here and verifies Ed25519 correctly.</summary>
    public static bool IsAvailable => Available.Value;

    /// <summary>Verifies an EdDSA signature; false for a wrong signature, including one of the wrong length.</summary>
    /// <param name="curve"><see cref="CoseCurve.Ed25519"/> or <see cref="CoseCurve.Ed448"/>.</param>
    /// <param name="publicKey">The raw public key (32 or 57 bytes).</param>
    /// <param name="data">The signed message.</param>
    /// <param name="signature">The raw signature (64 or 114 bytes).</param>
    /// <exception cref="PasskeyException">
    /// <see cref="PasskeyError.EdDsaUnavailable"/> without libcrypto; <see cref="PasskeyError.InvalidPublicKey"/>
    /// for a curve other than Ed25519/Ed448 or a key of the wrong length.
    /// </exception>
    public static bool Verify(CoseCurve curve, ReadOnlySpan<byte> publicKey, ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature)
    {
        var (type, keyLength, signatureLength) = Parameters(curve);
        RequireLength(publicKey, keyLength, "public key");
        RequireAvailable();
        return signature.Length == signatureLength && VerifyCore(type, publicKey, data, signature);
    }

    /// <summary>Signs <paramref name="data"/> with a raw private key (the RFC 8032 secret, 32 or 57 bytes).</summary>
    /// <exception cref="PasskeyException"><see cref="PasskeyError.EdDsaUnavailable"/> without libcrypto.</exception>
    public static byte[] Sign(CoseCurve curve, ReadOnlySpan<byte> privateKey, ReadOnlySpan<byte> data)
    {
        var (type, keyLength, signatureLength) = Parameters(curve);
        RequireLength(privateKey, keyLength, "private key");
        RequireAvailable();
        using var key = LibCrypto.EVP_PKEY_new_raw_private_key(type, IntPtr.Zero, privateKey, (nuint)privateKey.Length);
        using var context = LibCrypto.EVP_MD_CTX_new();
        Check(!key.IsInvalid && !context.IsInvalid, "allocating the key or context");
        Check(LibCrypto.EVP_DigestSignInit(context, IntPtr.Zero, IntPtr.Zero, IntPtr.Zero, key) == 1, "EVP_DigestSignInit");
        byte[] signature = new byte[signatureLength];
        nuint written = (nuint)signature.Length;
        Check(LibCrypto.EVP_DigestSign(context, signature, ref written, data, (nuint)data.Length) == 1 && written == (nuint)signatureLength, "EVP_DigestSign");
        return signature;
    }

    /// <summary>Creates a key pair: a random secret from the system CSPRNG and its public key.</summary>
    /// <exception cref="PasskeyException"><see cref="PasskeyError.EdDsaUnavailable"/> without libcrypto.</exception>
    public static (byte[] PrivateKey, byte[] PublicKey) GenerateKey(CoseCurve curve)
    {
        var (_, keyLength, _) = Parameters(curve);
        RequireAvailable();
        // RFC 8032 §5.1.5 / §5.2.5: the private key is just b random bytes.
        byte[] privateKey = RandomNumberGenerator.GetBytes(keyLength);
        return (privateKey, GetPublicKey(curve, privateKey));
    }

    /// <summary>Derives the raw public key from a raw private key.</summary>
    /// <exception cref="PasskeyException"><see cref="PasskeyError.EdDsaUnavailable"/> without libcrypto.</exception>
    public static byte[] GetPublicKey(CoseCurve curve, ReadOnlySpan<byte> privateKey)
    {
        var (type, keyLength, _) = Parameters(curve);
        RequireLength(privateKey, keyLength, "private key");
        RequireAvailable();
        using var key = LibCrypto.EVP_PKEY_new_raw_private_key(type, IntPtr.Zero, privateKey, (nuint)privateKey.Length);
        Check(!key.IsInvalid, "EVP_PKEY_new_raw_private_key");
        byte[] publicKey = new byte[keyLength];
        nuint length = (nuint)publicKey.Length;
        Check(LibCrypto.EVP_PKEY_get_raw_public_key(key, publicKey, ref length) == 1 && length == (nuint)keyLength, "EVP_PKEY_get_raw_public_key");
        return publicKey;
    }

    private static bool VerifyCore(int type, ReadOnlySpan<byte> publicKey, ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature)
    {
        using var key = LibCrypto.EVP_PKEY_new_raw_public_key(type, IntPtr.Zero, publicKey, (nuint)publicKey.Length);
        using var context = LibCrypto.EVP_MD_CTX_new();
        // 1 is a good signature; 0 a bad one; anything else an error, e.g. a key that does not
        // decode to a point. All but 1 fail closed.
        bool valid = !key.IsInvalid && !context.IsInvalid
            && LibCrypto.EVP_DigestVerifyInit(context, IntPtr.Zero, IntPtr.Zero, IntPtr.Zero, key) == 1
            && LibCrypto.EVP_DigestVerify(context, signature, (nuint)signature.Length, data, (nuint)data.Length) == 1;
        if (!valid)
        {
            LibCrypto.ERR_clear_error();
        }
        return valid;
    }

    private static bool Probe()
    {
        try
        {
            return VerifyCore(LibCrypto.EvpPKeyEd25519, ProbePublicKey, [], ProbeSignature);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException or BadImageFormatException)
        {
            return false;
        }
    }

    private static (int Type, int KeyLength, int SignatureLength) Parameters(CoseCurve curve) => curve switch
    {
        CoseCurve.Ed25519 => (LibCrypto.EvpPKeyEd25519, 32, 64),
        CoseCurve.Ed448 => (LibCrypto.EvpPKeyEd448, 57, 114),
        _ => throw new PasskeyException(PasskeyError.InvalidPublicKey, $"EdDSA needs curve Ed25519 or Ed448, not {curve}"),
    };

    private static void RequireLength(ReadOnlySpan<byte> key, int expected, string what)
    {
        if (key.Length != expected)
        {
            throw new PasskeyException(PasskeyError.InvalidPublicKey, $"the EdDSA {what} must be {expected} bytes, not {key.Length}");
        }
    }

    private static void RequireAvailable()
    {
        if (!IsAvailable)
        {
            throw new PasskeyException(PasskeyError.EdDsaUnavailable, "EdDSA needs OpenSSL 3 (libcrypto.so.3), which could not be loaded or failed its self-test");
        }
    }

    private static void Check(bool succeeded, string step)
    {
        if (!succeeded)
        {
            LibCrypto.ERR_clear_error();
            throw new CryptographicException($"OpenSSL {step} failed");
        }
    }
}
