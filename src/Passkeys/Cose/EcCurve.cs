using System.Numerics;
using System.Security.Cryptography;

namespace Passkeys.Cose;

/// <summary>
/// The NIST prime curves WebAuthn uses: their COSE and .NET identities, field sizes, and a
/// point-on-curve check done at parse time.
/// </summary>
/// <remarks>
/// The check is ours rather than left to <see cref="ECAlgorithm.ImportParameters(ECParameters)"/> because keys are
/// imported lazily (on first verification) and a parser must reject a bad key when it reads it;
/// it also does not depend on what a platform's import happens to validate. Curve constants:
/// SEC 2 v2 §2.4.2, §2.5.1, §2.6.1 (a = −3 for all three).
/// </remarks>
internal sealed class EcCurve
{
    private static readonly EcCurve P256Curve = new(
        CoseCurve.P256, 32, ECCurve.NamedCurves.nistP256, "1.2.840.10045.3.1.7", ["nistP256", "ECDSA_P256", "ECDH_P256", "secp256r1", "prime256v1"],
        "ffffffff00000001000000000000000000000000ffffffffffffffffffffffff",
        "5ac635d8aa3a93e7b3ebbd55769886bc651d06b0cc53b0f63bce3c3e27d2604b");

    private static readonly EcCurve P384Curve = new(
        CoseCurve.P384, 48, ECCurve.NamedCurves.nistP384, "1.3.132.0.34", ["nistP384", "ECDSA_P384", "ECDH_P384", "secp384r1"],
        "fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffeffffffff0000000000000000ffffffff",
        "b3312fa7e23ee7e4988e056be3f82d19181d9c6efe8141120314088f5013875ac656398d8a2ed19d2a85c8edd3ec2aef");

    private static readonly EcCurve P521Curve = new(
        CoseCurve.P521, 66, ECCurve.NamedCurves.nistP521, "1.3.132.0.35", ["nistP521", "ECDSA_P521", "ECDH_P521", "secp521r1"],
        "01ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
        "0051953eb9618e1c9a1f929a21a0b68540eea2da725b99b315f3b8b489918ef109e156193951ec7e937b1652c0bd3bb1bf073573df883d2c34f1ef451fd46b503f00");

    private readonly BigInteger _p;
    private readonly BigInteger _b;

    private readonly string[] _names;

    private EcCurve(CoseCurve cose, int fieldSize, ECCurve named, string oid, string[] names, string p, string b)
    {
        _names = names;
        Cose = cose;
        FieldSize = fieldSize;
        Named = named;
        Oid = oid;
        _p = new BigInteger(Convert.FromHexString(p), isUnsigned: true, isBigEndian: true);
        _b = new BigInteger(Convert.FromHexString(b), isUnsigned: true, isBigEndian: true);
    }

    /// <summary>The COSE crv value.</summary>
    public CoseCurve Cose { get; }

    /// <summary>Bytes in a coordinate (and in each COSE x and y).</summary>
    public int FieldSize { get; }

    /// <summary>The .NET named curve.</summary>
    public ECCurve Named { get; }

    /// <summary>The curve's object identifier (RFC 5480 §2.1.1.1).</summary>
    public string Oid { get; }

    /// <summary>The curve for a COSE crv value, or null when it is not one of the NIST prime curves.</summary>
    public static EcCurve? FromCose(CoseCurve curve) => curve switch
    {
        CoseCurve.P256 => P256Curve,
        CoseCurve.P384 => P384Curve,
        CoseCurve.P521 => P521Curve,
        _ => null,
    };

    /// <summary>The curve .NET reports for a key, or null for any other curve.</summary>
    public static EcCurve? FromDotNet(ECCurve curve)
    {
        string? oid = curve.Oid?.Value;
        string? name = curve.Oid?.FriendlyName;
        foreach (var candidate in (ReadOnlySpan<EcCurve>)[P256Curve, P384Curve, P521Curve])
        {
            // Platforms differ: Linux reports the OID, Windows sometimes only a friendly name ("ECDSA_P256").
            if (oid == candidate.Oid || (oid is null && name is not null && Array.IndexOf(candidate._names, name) >= 0))
            {
                return candidate;
            }
        }
        return null;
    }

    /// <summary>
    /// Whether (x, y), big-endian coordinates of <see cref="FieldSize"/> bytes, satisfy
    /// y² = x³ − 3x + b (mod p) with both coordinates reduced (less than p).
    /// </summary>
    public bool IsOnCurve(ReadOnlySpan<byte> x, ReadOnlySpan<byte> y)
    {
        var bx = new BigInteger(x, isUnsigned: true, isBigEndian: true);
        var by = new BigInteger(y, isUnsigned: true, isBigEndian: true);
        if (bx >= _p || by >= _p)
        {
            return false;
        }
        BigInteger left = by * by % _p;
        BigInteger right = ((bx * bx % _p * bx) - (3 * bx) + _b) % _p;
        if (right.Sign < 0)
        {
            right += _p;
        }
        return left == right;
    }
}
