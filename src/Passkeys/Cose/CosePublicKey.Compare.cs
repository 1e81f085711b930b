using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Passkeys.Cose;

/// <summary>Comparing key material, as attestation formats require.</summary>
public sealed partial class CosePublicKey
{
    /// <summary>
    /// Whether the certificate holds the same public key: EC curve, x and y; RSA n and e; the raw
    /// EdDSA or ML-DSA key. The algorithm is not compared. A certificate whose key cannot be read
    /// does not hold the same key.
    /// </summary>
    /// <remarks>
    /// WebAuthn L3 §8.4 (android-key: credCert's key matches credentialPublicKey), §8.8 (apple),
    /// §8.2 (packed self attestation uses the credential key).
    /// </remarks>
    public bool HasSamePublicKey(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        try
        {
            switch (KeyType)
            {
                case CoseKeyType.EC2:
                    using (var ec = certificate.GetECDsaPublicKey())
                    {
                        if (ec is null)
                        {
                            return false;
                        }
                        ECParameters p = ec.ExportParameters(false);
                        return EcCurve.FromDotNet(p.Curve)?.Cose == Curve
                            && _first.Span.SequenceEqual(p.Q.X) && _second.Span.SequenceEqual(p.Q.Y);
                    }
                case CoseKeyType.RSA:
                    using (var rsa = certificate.GetRSAPublicKey())
                    {
                        if (rsa is null)
                        {
                            return false;
                        }
                        RSAParameters p = rsa.ExportParameters(false);
                        return SameInteger(_first.Span, p.Modulus) && SameInteger(_second.Span, p.Exponent);
                    }
                default:
                    string? oid = certificate.PublicKey.Oid.Value;
                    string? expected = KeyType == CoseKeyType.OKP
                        ? (Curve == CoseCurve.Ed25519 ? OidEd25519 : OidEd448)
                        : MLDsaOid(Algorithm);
                    return oid == expected && _first.Span.SequenceEqual(certificate.PublicKey.EncodedKeyValue.RawData);
            }
        }
        catch (CryptographicException)
        {
            return false;
        }
    }

    /// <summary>Whether <paramref name="other"/> holds the same key material (the algorithm is not compared).</summary>
    public bool HasSamePublicKey(CosePublicKey other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (KeyType != other.KeyType || Curve != other.Curve)
        {
            return false;
        }
        return KeyType == CoseKeyType.RSA
            ? SameInteger(_first.Span, other._first.Span) && SameInteger(_second.Span, other._second.Span)
            : _first.Span.SequenceEqual(other._first.Span) && _second.Span.SequenceEqual(other._second.Span);
    }

    // RSA integers may arrive with or without leading zero bytes; their values are what matter.
    private static bool SameInteger(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b) =>
        TrimLeadingZeros(a).SequenceEqual(TrimLeadingZeros(b));
}
