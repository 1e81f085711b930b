using System.Security.Cryptography;

namespace Passkeys.Cose.Backends;

/// <summary>
/// EdDSA through OpenSSL 3's libcrypto, which .NET already loads on Linux: no extra dependency, and
/// the fastest choice where it exists.
/// </summary>
/// <remarks>OpenSSL: EVP_PKEY_new_raw_public_key(3), EVP_DigestVerifyInit(3), EVP_DigestSignInit(3).</remarks>
internal sealed class OpenSslEdDsaBackend : IEdDsaBackend
{
    /// <summary>The one instance; whether it is usable is probed once.</summary>
    internal static readonly OpenSslEdDsaBackend Instance = new();

    // RFC 8032 §7.1 TEST 1: verifying it once proves the library loads, exports what we call and
    // computes Ed25519 correctly, before anything depends on it.
    private static readonly byte[] ProbePublicKey = Convert.FromHexString("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a");
    private static readonly byte[] ProbeSignature = Convert.FromHexString(
        "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b");

    private readonly Lazy<bool> _available = new(Probe);

    private OpenSslEdDsaBackend()
    {
    }

    /// <inheritdoc />
    public string Name => "OpenSSL";

    /// <inheritdoc />
    public bool IsAvailable => _available.Value;

    /// <inheritdoc />
    public bool Verify(CoseCurve curve, ReadOnlySpan<byte> publicKey, ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature) =>
        VerifyCore(TypeOf(curve), publicKey, data, signature);

    /// <inheritdoc />
    public byte[] Sign(CoseCurve curve, ReadOnlySpan<byte> privateKey, ReadOnlySpan<byte> data)
    {
        var (_, signatureLength) = EdDsaPolicy.Sizes(curve);
        using var key = LibCrypto.EVP_PKEY_new_raw_private_key(TypeOf(curve), IntPtr.Zero, privateKey, (nuint)privateKey.Length);
        using var context = LibCrypto.EVP_MD_CTX_new();
        Check(!key.IsInvalid && !context.IsInvalid, "allocating the key or context");
        Check(LibCrypto.EVP_DigestSignInit(context, IntPtr.Zero, IntPtr.Zero, IntPtr.Zero, key) == 1, "EVP_DigestSignInit");
        byte[] signature = new byte[signatureLength];
        nuint written = (nuint)signature.Length;
        Check(LibCrypto.EVP_DigestSign(context, signature, ref written, data, (nuint)data.Length) == 1 && written == (nuint)signatureLength, "EVP_DigestSign");
        return signature;
    }

    /// <inheritdoc />
    public byte[] GetPublicKey(CoseCurve curve, ReadOnlySpan<byte> privateKey)
    {
        var (keyLength, _) = EdDsaPolicy.Sizes(curve);
        using var key = LibCrypto.EVP_PKEY_new_raw_private_key(TypeOf(curve), IntPtr.Zero, privateKey, (nuint)privateKey.Length);
        Check(!key.IsInvalid, "EVP_PKEY_new_raw_private_key");
        byte[] publicKey = new byte[keyLength];
        nuint length = (nuint)publicKey.Length;
        Check(LibCrypto.EVP_PKEY_get_raw_public_key(key, publicKey, ref length) == 1 && length == (nuint)keyLength, "EVP_PKEY_get_raw_public_key");
        return publicKey;
    }

    private static int TypeOf(CoseCurve curve) => curve == CoseCurve.Ed25519 ? LibCrypto.EvpPKeyEd25519 : LibCrypto.EvpPKeyEd448;

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

    private static void Check(bool succeeded, string step)
    {
        if (!succeeded)
        {
            LibCrypto.ERR_clear_error();
            throw new CryptographicException($"OpenSSL {step} failed");
        }
    }
}
