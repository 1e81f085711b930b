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

    // Largest coordinate is P-521's 66 bytes: nine 64-bit limbs.
    private const int MaxLimbs = 9;

    // Montgomery arithmetic modulo p with R = 2^(64·limbs): little-endian 64-bit limbs of p, of R² mod p
    // (to enter the Montgomery domain) and of b·R mod p, and −p⁻¹ mod 2^64.
    private readonly ulong[] _p;
    private readonly ulong[] _r2;
    private readonly ulong[] _bMont;
    private readonly ulong _pInv;

    private readonly string[] _names;

    private EcCurve(CoseCurve cose, int fieldSize, ECCurve named, string oid, string[] names, string p, string b)
    {
        _names = names;
        Cose = cose;
        FieldSize = fieldSize;
        Named = named;
        Oid = oid;
        var bigP = new BigInteger(Convert.FromHexString(p), isUnsigned: true, isBigEndian: true);
        var bigB = new BigInteger(Convert.FromHexString(b), isUnsigned: true, isBigEndian: true);
        int limbs = (fieldSize + 7) / 8;
        var r = BigInteger.One << (64 * limbs);
        _p = ToLimbs(bigP, limbs);
        _r2 = ToLimbs(r * r % bigP, limbs);
        _bMont = ToLimbs(bigB * r % bigP, limbs);
        // Newton's iteration doubles the correct low bits of p⁻¹ mod 2^64 each step (p is odd).
        ulong inverse = 1;
        for (int i = 0; i < 6; i++)
        {
            inverse *= 2 - (_p[0] * inverse);
        }
        _pInv = 0 - inverse;
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
    /// <remarks>
    /// Fixed-size Montgomery arithmetic on stack limbs: allocates nothing. Not constant time, which
    /// it need not be: the coordinates are public.
    /// </remarks>
    public bool IsOnCurve(ReadOnlySpan<byte> x, ReadOnlySpan<byte> y)
    {
        if (x.Length != FieldSize || y.Length != FieldSize)
        {
            throw new ArgumentException($"coordinates must be {FieldSize} bytes each");
        }
        int n = _p.Length;
        Span<ulong> xl = stackalloc ulong[MaxLimbs];
        Span<ulong> yl = stackalloc ulong[MaxLimbs];
        xl = xl[..n];
        yl = yl[..n];
        FromBigEndian(x, xl);
        FromBigEndian(y, yl);
        ReadOnlySpan<ulong> p = _p;
        if (Compare(xl, p) >= 0 || Compare(yl, p) >= 0)
        {
            return false;
        }

        Span<ulong> xm = stackalloc ulong[MaxLimbs];
        Span<ulong> ym = stackalloc ulong[MaxLimbs];
        Span<ulong> left = stackalloc ulong[MaxLimbs];
        Span<ulong> right = stackalloc ulong[MaxLimbs];
        Span<ulong> t = stackalloc ulong[MaxLimbs];
        xm = xm[..n];
        ym = ym[..n];
        left = left[..n];
        right = right[..n];
        t = t[..n];

        MontMul(xl, _r2, p, _pInv, xm);         // xR
        MontMul(yl, _r2, p, _pInv, ym);         // yR
        MontMul(ym, ym, p, _pInv, left);        // y²R
        MontMul(xm, xm, p, _pInv, t);           // x²R
        MontMul(t, xm, p, _pInv, right);        // x³R
        SubMod(right, xm, p);
        SubMod(right, xm, p);
        SubMod(right, xm, p);                   // (x³ − 3x)R
        AddMod(right, _bMont, p);               // (x³ − 3x + b)R
        return left.SequenceEqual(right);
    }

    private static ulong[] ToLimbs(BigInteger value, int limbs)
    {
        var result = new ulong[limbs];
        for (int i = 0; i < limbs; i++)
        {
            result[i] = (ulong)(value & ulong.MaxValue);
            value >>= 64;
        }
        return result;
    }

    private static void FromBigEndian(ReadOnlySpan<byte> bytes, Span<ulong> limbs)
    {
        limbs.Clear();
        for (int k = 0; k < bytes.Length; k++)
        {
            limbs[k >> 3] |= (ulong)bytes[bytes.Length - 1 - k] << ((k & 7) * 8);
        }
    }

    private static int Compare(ReadOnlySpan<ulong> a, ReadOnlySpan<ulong> b)
    {
        for (int i = a.Length - 1; i >= 0; i--)
        {
            if (a[i] != b[i])
            {
                return a[i] < b[i] ? -1 : 1;
            }
        }
        return 0;
    }

    /// <summary>result = a·b·R⁻¹ mod p for a, b &lt; p (CIOS Montgomery multiplication); result may not alias a or b.</summary>
    private static void MontMul(ReadOnlySpan<ulong> a, ReadOnlySpan<ulong> b, ReadOnlySpan<ulong> p, ulong pInv, Span<ulong> result)
    {
        int n = p.Length;
        Span<ulong> t = stackalloc ulong[MaxLimbs + 2];
        t = t[..(n + 2)];
        t.Clear();
        for (int i = 0; i < n; i++)
        {
            // t += a[i]·b
            ulong carry = 0;
            ulong ai = a[i];
            for (int j = 0; j < n; j++)
            {
                UInt128 s = ((UInt128)ai * b[j]) + t[j] + carry;
                t[j] = (ulong)s;
                carry = (ulong)(s >> 64);
            }
            UInt128 top = (UInt128)t[n] + carry;
            t[n] = (ulong)top;
            t[n + 1] = (ulong)(top >> 64);

            // t = (t + m·p) / 2^64, with m chosen so that the low limb becomes zero
            ulong m = t[0] * pInv;
            UInt128 sum = ((UInt128)m * p[0]) + t[0];
            carry = (ulong)(sum >> 64);
            for (int j = 1; j < n; j++)
            {
                sum = ((UInt128)m * p[j]) + t[j] + carry;
                t[j - 1] = (ulong)sum;
                carry = (ulong)(sum >> 64);
            }
            sum = (UInt128)t[n] + carry;
            t[n - 1] = (ulong)sum;
            t[n] = t[n + 1] + (ulong)(sum >> 64);
        }
        // t < 2p: one conditional subtraction reduces it.
        if (t[n] != 0 || Compare(t[..n], p) >= 0)
        {
            Subtract(t[..n], p);
        }
        t[..n].CopyTo(result);
    }

    /// <summary>a -= b over the limbs of a; returns the borrow out.</summary>
    private static ulong Subtract(Span<ulong> a, ReadOnlySpan<ulong> b)
    {
        ulong borrow = 0;
        for (int i = 0; i < a.Length; i++)
        {
            ulong ai = a[i];
            ulong d = ai - b[i];
            ulong borrowOut = (ai < b[i] ? 1UL : 0UL) | (d < borrow ? 1UL : 0UL);
            a[i] = d - borrow;
            borrow = borrowOut;
        }
        return borrow;
    }

    /// <summary>a = (a − b) mod p for a, b &lt; p.</summary>
    private static void SubMod(Span<ulong> a, ReadOnlySpan<ulong> b, ReadOnlySpan<ulong> p)
    {
        if (Subtract(a, b) != 0)
        {
            // a wrapped below zero: adding p brings it back into [0, p).
            ulong carry = 0;
            for (int i = 0; i < a.Length; i++)
            {
                UInt128 s = (UInt128)a[i] + p[i] + carry;
                a[i] = (ulong)s;
                carry = (ulong)(s >> 64);
            }
        }
    }

    /// <summary>a = (a + b) mod p for a, b &lt; p.</summary>
    private static void AddMod(Span<ulong> a, ReadOnlySpan<ulong> b, ReadOnlySpan<ulong> p)
    {
        ulong carry = 0;
        for (int i = 0; i < a.Length; i++)
        {
            UInt128 s = (UInt128)a[i] + b[i] + carry;
            a[i] = (ulong)s;
            carry = (ulong)(s >> 64);
        }
        if (carry != 0 || Compare(a, p) >= 0)
        {
            Subtract(a, p);
        }
    }
}
