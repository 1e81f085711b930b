using System.Security.Cryptography;
using Passkeys.Cose.Backends;

namespace Passkeys.Cose;

/// <summary>
/// A credential public key in COSE_Key form, checked when it is read and able to verify the
/// signatures WebAuthn authenticators produce. Immutable and safe to share between threads.
/// </summary>
/// <remarks>
/// WebAuthn L3 §5.8.5 (algorithms and key encodings), §6.5.1.1 (credentialPublicKey in attested
/// credential data), §6.5.6 (signature formats: ECDSA as ASN.1 DER, RSA and EdDSA raw).
/// RFC 9052 §7 (COSE_Key), RFC 9053 §7 (EC2 and OKP), RFC 8230 §4 (RSA), COSE ML-DSA draft (AKP).
/// The platform key (<see cref="ECDsa"/>, <see cref="RSA"/>, ML-DSA) is imported once, on first
/// use, and reused for every verification; OpenSSL's verification with a shared key is safe to
/// run concurrently. The platform key lives as long as this object (its handles are released by
/// their finalizers), which suits keys cached per credential.
/// </remarks>
public sealed partial class CosePublicKey
{
    // Key material as slices of the decoded input: EC2 x and y, RSA n and e, OKP x or AKP pub in _first.
    private readonly ReadOnlyMemory<byte> _first;
    private readonly ReadOnlyMemory<byte> _second;
    private readonly HashAlgorithmName _hash;
    private readonly Lazy<ECDsa>? _ecdsa;
    private readonly Lazy<RSA>? _rsa;
    private readonly Lazy<IMLDsaPublicKey>? _mlDsa;

    private CosePublicKey(CoseAlgorithm algorithm, CoseKeyType keyType, CoseCurve? curve, ReadOnlyMemory<byte> encoded, ReadOnlyMemory<byte> first, ReadOnlyMemory<byte> second)
    {
        Algorithm = algorithm;
        KeyType = keyType;
        Curve = curve;
        Encoded = encoded;
        _first = first;
        _second = second;
        _hash = CoseAlgorithms.HashAlgorithm(algorithm) ?? default;
        switch (keyType)
        {
            case CoseKeyType.EC2:
                _ecdsa = new Lazy<ECDsa>(ImportECDsa, LazyThreadSafetyMode.ExecutionAndPublication);
                break;
            case CoseKeyType.RSA:
                _rsa = new Lazy<RSA>(ImportRsa, LazyThreadSafetyMode.ExecutionAndPublication);
                break;
            case CoseKeyType.AKP:
                _mlDsa = new Lazy<IMLDsaPublicKey>(() => MLDsaVerifier.Import(CryptoBackends.MLDsa, algorithm, _first.Span), LazyThreadSafetyMode.ExecutionAndPublication);
                break;
        }
    }

    /// <summary>The signature algorithm the key is used with (COSE label 3).</summary>
    public CoseAlgorithm Algorithm { get; }

    /// <summary>The key type (COSE label 1).</summary>
    public CoseKeyType KeyType { get; }

    /// <summary>The curve of an EC2 or OKP key; null for RSA and AKP.</summary>
    public CoseCurve? Curve { get; }

    /// <summary>
    /// The COSE_Key bytes: exactly as decoded (so a credential is stored byte for byte as the
    /// authenticator sent it), or the CTAP2 canonical encoding for a key built from a platform key.
    /// </summary>
    public ReadOnlyMemory<byte> Encoded { get; }

    /// <summary>
    /// Verifies a WebAuthn signature over <paramref name="data"/>: ECDSA as an ASN.1 DER
    /// Ecdsa-Sig-Value, RSASSA-PKCS1-v1_5 or RSASSA-PSS (salt length = hash length) raw, EdDSA raw
    /// (64 or 114 bytes), ML-DSA raw with an empty context.
    /// </summary>
    /// <returns>True for a valid signature; false for any invalid one, including malformed DER or a wrong length.</returns>
    /// <remarks>
    /// WebAuthn L3 §6.5.6 "Signature Formats for Packed Attestation, FIDO U2F Attestation, and
    /// Assertion Signatures". Ceremonies call <see cref="SignatureDefect"/> first, to refuse a
    /// malformed signature with a specific code.
    /// </remarks>
    public bool Verify(ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature)
    {
        switch (KeyType)
        {
            case CoseKeyType.EC2:
                // The hot path (ES256 assertions): one import, then no allocation of ours.
                ECDsa ecdsa = _ecdsa!.Value;
                try
                {
                    return ecdsa.VerifyData(data, signature, _hash, DSASignatureFormat.Rfc3279DerSequence);
                }
                catch (CryptographicException)
                {
                    // A signature the platform cannot even parse is simply not a valid signature.
                    return false;
                }
            case CoseKeyType.RSA:
                RSA rsa = _rsa!.Value;
                try
                {
                    return rsa.VerifyData(data, signature, _hash, IsPss(Algorithm) ? RSASignaturePadding.Pss : RSASignaturePadding.Pkcs1);
                }
                catch (CryptographicException)
                {
                    return false;
                }
            case CoseKeyType.OKP:
                // The key was judged (canonical, not small-order) when it was decoded.
                return EdDsa.VerifyValidatedKey(CryptoBackends.EdDsa, Curve!.Value, _first.Span, data, signature);
            default:
                return MLDsaVerifier.Verify(_mlDsa!.Value, Algorithm, data, signature);
        }
    }

    /// <summary>
    /// Why <paramref name="signature"/> cannot be a signature of this key's algorithm, judged on its
    /// encoding alone: EdDSA and ML-DSA signatures have one length per algorithm, and an EdDSA S
    /// must be below L. Null when the shape is right (or the algorithm has no fixed shape: ECDSA, RSA).
    /// </summary>
    /// <returns>
    /// A <see cref="PasskeyException"/> with <see cref="PasskeyError.SignatureLengthInvalid"/> or
    /// <see cref="PasskeyError.SignatureNotCanonical"/> for the caller to throw, or null.
    /// </returns>
    public PasskeyException? SignatureDefect(ReadOnlySpan<byte> signature) => KeyType switch
    {
        CoseKeyType.OKP => EdDsaPolicy.SignatureDefect(Curve!.Value, signature),
        CoseKeyType.AKP => MLDsaPolicy.SignatureDefect(Algorithm, signature),
        _ => null,
    };

    /// <summary>The uncompressed point 0x04 ‖ x ‖ y of an EC2 key, as FIDO U2F attestation signs it.</summary>
    /// <exception cref="PasskeyException"><see cref="PasskeyError.InvalidPublicKey"/> unless the key is EC2.</exception>
    /// <remarks>WebAuthn L3 §8.6 "FIDO U2F Attestation Statement Format", verification step 4.</remarks>
    public byte[] GetUncompressedEcPoint()
    {
        RequireKeyType(CoseKeyType.EC2);
        byte[] point = new byte[1 + _first.Length + _second.Length];
        point[0] = 0x04;
        _first.Span.CopyTo(point.AsSpan(1));
        _second.Span.CopyTo(point.AsSpan(1 + _first.Length));
        return point;
    }

    /// <summary>The EC2 key as .NET parameters (named curve, x, y; copies).</summary>
    /// <exception cref="PasskeyException"><see cref="PasskeyError.InvalidPublicKey"/> unless the key is EC2.</exception>
    public ECParameters GetEcParameters()
    {
        RequireKeyType(CoseKeyType.EC2);
        return new ECParameters
        {
            Curve = EcCurve.FromCose(Curve!.Value)!.Named,
            Q = new ECPoint { X = _first.ToArray(), Y = _second.ToArray() },
        };
    }

    /// <summary>The RSA key as .NET parameters: modulus and exponent only, without leading zero bytes (copies).</summary>
    /// <exception cref="PasskeyException"><see cref="PasskeyError.InvalidPublicKey"/> unless the key is RSA.</exception>
    public RSAParameters GetRsaParameters()
    {
        RequireKeyType(CoseKeyType.RSA);
        return new RSAParameters
        {
            Modulus = TrimLeadingZeros(_first.Span).ToArray(),
            Exponent = TrimLeadingZeros(_second.Span).ToArray(),
        };
    }

    /// <summary>The raw public key of an OKP (EdDSA) key: 32 bytes for Ed25519, 57 for Ed448.</summary>
    /// <exception cref="PasskeyException"><see cref="PasskeyError.InvalidPublicKey"/> unless the key is OKP.</exception>
    public ReadOnlyMemory<byte> GetRawOkpKey()
    {
        RequireKeyType(CoseKeyType.OKP);
        return _first;
    }

    /// <summary>The raw public key of an AKP (ML-DSA) key, as FIPS 204 encodes it.</summary>
    /// <exception cref="PasskeyException"><see cref="PasskeyError.InvalidPublicKey"/> unless the key is AKP.</exception>
    public ReadOnlyMemory<byte> GetRawAkpKey()
    {
        RequireKeyType(CoseKeyType.AKP);
        return _first;
    }

    private static bool IsPss(CoseAlgorithm alg) => alg is CoseAlgorithm.PS256 or CoseAlgorithm.PS384 or CoseAlgorithm.PS512;

    private static ReadOnlySpan<byte> TrimLeadingZeros(ReadOnlySpan<byte> value)
    {
        int start = value.IndexOfAnyExcept((byte)0);
        return start < 0 ? [] : value[start..];
    }

    private void RequireKeyType(CoseKeyType expected)
    {
        if (KeyType != expected)
        {
            throw new PasskeyException(PasskeyError.InvalidPublicKey, $"the operation needs a {expected} key, but this key is {KeyType} ({CoseAlgorithms.Name(Algorithm)})");
        }
    }

    private ECDsa ImportECDsa()
    {
        var ecdsa = ECDsa.Create();
        try
        {
            ecdsa.ImportParameters(GetEcParameters());
            return ecdsa;
        }
        catch (CryptographicException e)
        {
            ecdsa.Dispose();
            throw new PasskeyException(PasskeyError.InvalidPublicKey, $"the platform rejected the {Curve} key: {e.Message}", e);
        }
    }

    private RSA ImportRsa()
    {
        var rsa = RSA.Create();
        try
        {
            rsa.ImportParameters(GetRsaParameters());
            return rsa;
        }
        catch (CryptographicException e)
        {
            rsa.Dispose();
            throw new PasskeyException(PasskeyError.InvalidPublicKey, $"the platform rejected the RSA key: {e.Message}", e);
        }
    }
}
