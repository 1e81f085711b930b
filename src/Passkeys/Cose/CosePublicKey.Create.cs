using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Passkeys.Encoding;

namespace Passkeys.Cose;

/// <summary>Building COSE keys from platform keys and certificates.</summary>
/// <remarks>
/// Every factory writes the COSE_Key as CTAP2 canonical CBOR and reads it back through
/// <see cref="Decode"/>, so a key built here passes exactly the checks a received key does, and
/// <c>Decode(key.Encoded)</c> round-trips.
/// </remarks>
public sealed partial class CosePublicKey
{
    // Object identifiers of key types .NET has no certificate accessor for: RFC 8410 §3 (EdDSA)
    // and RFC 9881 (ML-DSA).
    private const string OidEd25519 = "1.3.101.112";
    private const string OidEd448 = "1.3.101.113";
    private const string OidMLDsa44 = "2.16.840.1.101.3.4.3.17";
    private const string OidMLDsa65 = "2.16.840.1.101.3.4.3.18";
    private const string OidMLDsa87 = "2.16.840.1.101.3.4.3.19";

    /// <summary>The COSE form of an ECDSA public key used with <paramref name="alg"/> (ES256/384/512, ESP256/384/512).</summary>
    /// <exception cref="PasskeyException"><see cref="PasskeyError.InvalidPublicKey"/> when the key's curve does not fit <paramref name="alg"/>.</exception>
    /// <remarks>RFC 9053 §7.1.1; WebAuthn L3 §5.8.5.</remarks>
    public static CosePublicKey FromECDsa(ECDsa key, CoseAlgorithm alg)
    {
        ArgumentNullException.ThrowIfNull(key);
        RequireKeyTypeFor(alg, CoseKeyType.EC2);
        ECParameters p = ExportPublic(key.ExportParameters, "EC");
        var curve = EcCurve.FromDotNet(p.Curve)
            ?? throw Invalid($"the key's curve ({p.Curve.Oid?.Value ?? p.Curve.Oid?.FriendlyName ?? "explicit"}) is not P-256, P-384 or P-521");
        return Build(CoseKeyType.EC2, alg, (LabelCrv, Int((long)curve.Cose)), (LabelX, Bytes(p.Q.X)), (LabelY, Bytes(p.Q.Y)));
    }

    /// <summary>The COSE form of an RSA public key used with <paramref name="alg"/> (RS256/384/512, PS256/384/512, RS1).</summary>
    /// <exception cref="PasskeyException"><see cref="PasskeyError.InvalidPublicKey"/> for a key under 2048 bits or an algorithm that is not RSA.</exception>
    /// <remarks>RFC 8230 §4.</remarks>
    public static CosePublicKey FromRsa(RSA key, CoseAlgorithm alg)
    {
        ArgumentNullException.ThrowIfNull(key);
        RequireKeyTypeFor(alg, CoseKeyType.RSA);
        RSAParameters p = ExportPublic(key.ExportParameters, "RSA");
        return Build(CoseKeyType.RSA, alg, (LabelN, Bytes(p.Modulus)), (LabelE, Bytes(p.Exponent)));
    }

    /// <summary>The COSE form of a raw EdDSA public key (32 bytes for Ed25519, 57 for Ed448).</summary>
    /// <exception cref="PasskeyException"><see cref="PasskeyError.InvalidPublicKey"/> when the curve, size or algorithm do not fit together.</exception>
    /// <remarks>RFC 9053 §7.2 (OKP); RFC 9864 (Ed25519, Ed448 algorithms).</remarks>
    public static CosePublicKey FromEdDsa(CoseAlgorithm alg, CoseCurve curve, ReadOnlySpan<byte> publicKey)
    {
        RequireKeyTypeFor(alg, CoseKeyType.OKP);
        return Build(CoseKeyType.OKP, alg, (LabelCrv, Int((long)curve)), (LabelX, Bytes(publicKey.ToArray())));
    }

    /// <summary>The COSE form of a raw ML-DSA public key (FIPS 204 encoding).</summary>
    /// <exception cref="PasskeyException"><see cref="PasskeyError.InvalidPublicKey"/> when the size does not fit <paramref name="alg"/>.</exception>
    /// <remarks>COSE ML-DSA draft: kty AKP (7), pub (-1).</remarks>
    public static CosePublicKey FromMLDsa(CoseAlgorithm alg, ReadOnlySpan<byte> publicKey)
    {
        RequireKeyTypeFor(alg, CoseKeyType.AKP);
        return Build(CoseKeyType.AKP, alg, (LabelPub, Bytes(publicKey.ToArray())));
    }

    /// <summary>
    /// The public key of an attestation certificate, as used under <paramref name="alg"/> (the alg
    /// of a packed or TPM attestation statement, for instance).
    /// </summary>
    /// <exception cref="PasskeyException">
    /// <see cref="PasskeyError.InvalidPublicKey"/> when the certificate's key type or curve does not fit
    /// <paramref name="alg"/>; <see cref="PasskeyError.UnsupportedAlgorithm"/> for an unknown alg.
    /// </exception>
    /// <remarks>WebAuthn L3 §8.2 (packed, x5c), §8.3 (tpm), §8.4 (android-key), §8.8 (apple).</remarks>
    public static CosePublicKey FromCertificate(X509Certificate2 certificate, CoseAlgorithm alg)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        var keyType = RequireKnown(alg);
        string oid = certificate.PublicKey.Oid.Value ?? "";
        try
        {
            switch (keyType)
            {
                case CoseKeyType.EC2:
                    using (var ec = certificate.GetECDsaPublicKey())
                    {
                        return FromECDsa(ec ?? throw CertificateKeyMismatch(oid, alg), alg);
                    }
                case CoseKeyType.RSA:
                    using (var rsa = certificate.GetRSAPublicKey())
                    {
                        return FromRsa(rsa ?? throw CertificateKeyMismatch(oid, alg), alg);
                    }
                case CoseKeyType.OKP:
                    var curve = oid switch
                    {
                        OidEd25519 => CoseCurve.Ed25519,
                        OidEd448 => CoseCurve.Ed448,
                        _ => throw CertificateKeyMismatch(oid, alg),
                    };
                    return FromEdDsa(alg, curve, certificate.PublicKey.EncodedKeyValue.RawData);
                default:
                    if (oid != MLDsaOid(alg))
                    {
                        throw CertificateKeyMismatch(oid, alg);
                    }
                    return FromMLDsa(alg, certificate.PublicKey.EncodedKeyValue.RawData);
            }
        }
        catch (CryptographicException e)
        {
            throw new PasskeyException(PasskeyError.InvalidPublicKey, $"the certificate's public key ({oid}) cannot be read: {e.Message}", e);
        }
    }

    private static CosePublicKey Build(CoseKeyType keyType, CoseAlgorithm alg, params ReadOnlySpan<(long Label, CborValue Value)> parameters)
    {
        var entries = new List<KeyValuePair<CborValue, CborValue>>(2 + parameters.Length)
        {
            new(Int(LabelKty), Int((long)keyType)),
            new(Int(LabelAlg), Int((long)alg)),
        };
        foreach (var (label, value) in parameters)
        {
            entries.Add(new(Int(label), value));
        }
        return Decode(CborWriter.Encode(new CborMap(entries)));
    }

    private static CborInteger Int(long value) => new(value);

    private static CborByteString Bytes(byte[]? value) => new(value ?? []);

    private static T ExportPublic<T>(Func<bool, T> export, string what)
    {
        try
        {
            return export(false);
        }
        catch (CryptographicException e)
        {
            throw new PasskeyException(PasskeyError.InvalidPublicKey, $"the {what} key's public parameters cannot be exported: {e.Message}", e);
        }
    }

    private static CoseKeyType RequireKnown(CoseAlgorithm alg) =>
        CoseAlgorithms.KeyTypeOf(alg)
        ?? throw new PasskeyException(PasskeyError.UnsupportedAlgorithm, $"{CoseAlgorithms.Name(alg)} is not a supported COSE algorithm");

    private static void RequireKeyTypeFor(CoseAlgorithm alg, CoseKeyType keyType)
    {
        if (RequireKnown(alg) != keyType)
        {
            throw Invalid($"a {keyType} key cannot be used with {CoseAlgorithms.Name(alg)}");
        }
    }

    private static string? MLDsaOid(CoseAlgorithm alg) => alg switch
    {
        CoseAlgorithm.MLDsa44 => OidMLDsa44,
        CoseAlgorithm.MLDsa65 => OidMLDsa65,
        CoseAlgorithm.MLDsa87 => OidMLDsa87,
        _ => null,
    };

    private static PasskeyException CertificateKeyMismatch(string oid, CoseAlgorithm alg) =>
        Invalid($"the certificate's key (algorithm {oid}) cannot be used with {CoseAlgorithms.Name(alg)}");
}
