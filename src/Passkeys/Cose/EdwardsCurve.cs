using System.Numerics;

namespace Passkeys.Cose;

/// <summary>
/// The two EdDSA curves as plain arithmetic, just enough to judge an encoded public key before any
/// backend sees it: decode a point (RFC 8032 §5.1.3, §5.2.3) and multiply it by the cofactor.
/// </summary>
/// <remarks>
/// Deliberately simple (affine coordinates over <see cref="BigInteger"/>): it runs once per key at
/// registration, on public data, so neither speed nor constant time matters, and being independent
/// of OpenSSL and BouncyCastle is the point: every backend gets the same verdict.
/// </remarks>
internal sealed class EdwardsCurve
{
    /// <summary>edwards25519: −x² + y² = 1 + d·x²·y² over p = 2^255 − 19, cofactor 8 (RFC 8032 §5.1).</summary>
    internal static readonly EdwardsCurve Ed25519 = new(
        p: (BigInteger.One << 255) - 19,
        a: -1,
        d: BigInteger.Parse("37095705934669439343138083508754565189542113879843219016388785533085940283555"),
        order: (BigInteger.One << 252) + BigInteger.Parse("27742317777372353535851937790883648493"),
        cofactorLog2: 3,
        encodedLength: 32);

    /// <summary>edwards448: x² + y² = 1 − 39081·x²·y² over p = 2^448 − 2^224 − 1, cofactor 4 (RFC 8032 §5.2).</summary>
    internal static readonly EdwardsCurve Ed448 = new(
        p: (BigInteger.One << 448) - (BigInteger.One << 224) - 1,
        a: 1,
        d: -39081,
        order: (BigInteger.One << 446) - BigInteger.Parse("13818066809895115352007386748515426880336692474882178609894547503885"),
        cofactorLog2: 2,
        encodedLength: 57);

    private readonly BigInteger _p;
    private readonly BigInteger _a;
    private readonly BigInteger _d;
    private readonly int _cofactorLog2;

    private EdwardsCurve(BigInteger p, BigInteger a, BigInteger d, BigInteger order, int cofactorLog2, int encodedLength)
    {
        _p = p;
        _a = Mod(a, p);
        _d = Mod(d, p);
        Order = order;
        _cofactorLog2 = cofactorLog2;
        EncodedLength = encodedLength;
    }

    /// <summary>L, the order of the prime-order subgroup: a signature's S must be below it.</summary>
    internal BigInteger Order { get; }

    /// <summary>Bytes in an encoded point or scalar: 32 (Ed25519) or 57 (Ed448).</summary>
    internal int EncodedLength { get; }

    /// <summary>The curve for <paramref name="curve"/>, or null for a curve that is not EdDSA.</summary>
    internal static EdwardsCurve? For(CoseCurve curve) => curve switch
    {
        CoseCurve.Ed25519 => Ed25519,
        CoseCurve.Ed448 => Ed448,
        _ => null,
    };

    /// <summary>Reads a little-endian unsigned integer (a scalar, or a coordinate once its sign bit is cleared).</summary>
    internal static BigInteger ReadLittleEndian(ReadOnlySpan<byte> bytes) => new(bytes, isUnsigned: true, isBigEndian: false);

    /// <summary>
    /// Decodes a point as RFC 8032 §5.1.3 / §5.2.3 do, but strictly: y must be below p, the unused
    /// bits of an Ed448 encoding zero, x must exist, and x = 0 must come with sign bit 0.
    /// </summary>
    /// <returns>The point, or null with the reason in <paramref name="defect"/>.</returns>
    internal (BigInteger X, BigInteger Y)? Decode(ReadOnlySpan<byte> encoded, out string defect)
    {
        Span<byte> copy = stackalloc byte[EncodedLength];
        encoded.CopyTo(copy);
        int sign = copy[^1] >> 7;
        copy[^1] &= 0x7F;
        if (EncodedLength == 57 && copy[^1] != 0)
        {
            // Ed448's last byte holds only the sign bit (RFC 8032 §5.2.2).
            defect = "the unused bits of the last byte are not zero";
            return null;
        }
        BigInteger y = ReadLittleEndian(copy);
        if (y >= _p)
        {
            defect = "its y coordinate is not below p";
            return null;
        }
        // x² = (1 − y²) / (a − d·y²)
        BigInteger y2 = y * y % _p;
        BigInteger u = Mod(1 - y2, _p);
        BigInteger v = Mod(_a - (_d * y2), _p);
        if (v.IsZero)
        {
            defect = "it is not a point of the curve";
            return null;
        }
        BigInteger x2 = u * Inverse(v) % _p;
        BigInteger? x = SquareRoot(x2);
        if (x is null)
        {
            defect = "it is not a point of the curve";
            return null;
        }
        BigInteger root = x.Value;
        if (root.IsZero && sign == 1)
        {
            defect = "x is zero but the sign bit is set";
            return null;
        }
        if ((int)(root & 1) != sign)
        {
            root = _p - root;
        }
        defect = "";
        return (root, y);
    }

    /// <summary>Whether [cofactor]·P is the identity, i.e. P is one of the small-order (torsion) points.</summary>
    internal bool HasSmallOrder((BigInteger X, BigInteger Y) point)
    {
        var q = point;
        for (int i = 0; i < _cofactorLog2; i++)
        {
            q = Add(q, q);
        }
        return q.X.IsZero && q.Y.IsOne;
    }

    // The Edwards addition law, complete on both curves (a is a square and d is not).
    private (BigInteger X, BigInteger Y) Add((BigInteger X, BigInteger Y) p1, (BigInteger X, BigInteger Y) p2)
    {
        BigInteger x1x2 = p1.X * p2.X % _p;
        BigInteger y1y2 = p1.Y * p2.Y % _p;
        BigInteger dxy = _d * x1x2 % _p * y1y2 % _p;
        BigInteger x = ((p1.X * p2.Y) + (p1.Y * p2.X)) % _p * Inverse(Mod(1 + dxy, _p)) % _p;
        BigInteger y = Mod(y1y2 - (_a * x1x2), _p) * Inverse(Mod(1 - dxy, _p)) % _p;
        return (x, y);
    }

    private BigInteger Inverse(BigInteger value) => BigInteger.ModPow(value, _p - 2, _p);

    // p ≡ 5 (mod 8) for 2^255 − 19 (RFC 8032 §5.1.3 step 3) and p ≡ 3 (mod 4) for Ed448 (§5.2.3 step 3).
    private BigInteger? SquareRoot(BigInteger value)
    {
        BigInteger candidate;
        if ((_p & 3) == 3)
        {
            candidate = BigInteger.ModPow(value, (_p + 1) >> 2, _p);
        }
        else
        {
            candidate = BigInteger.ModPow(value, (_p + 3) >> 3, _p);
            if (candidate * candidate % _p != value)
            {
                candidate = candidate * BigInteger.ModPow(2, (_p - 1) >> 2, _p) % _p;
            }
        }
        return candidate * candidate % _p == value ? candidate : null;
    }

    private static BigInteger Mod(BigInteger value, BigInteger p)
    {
        BigInteger r = value % p;
        return r.Sign < 0 ? r + p : r;
    }
}
