using System.Numerics;

namespace Passkeys.Cose;

/// <summary>
/// The two EdDSA curves as plain arithmetic, just enough to judge an encoded public key before any
/// backend sees it: decode a point strictly (RFC 8032 §5.1.3, §5.2.3) and recognise the small-order points.
/// </summary>
/// <remarks>
/// Deliberately simple (<see cref="BigInteger"/>, one exponentiation per key): it runs when a key
/// is decoded, on public data, so constant time does not matter, and being independent of OpenSSL
/// and BouncyCastle is the point: every backend gets the same verdict.
/// </remarks>
internal sealed class EdwardsCurve
{
    /// <summary>edwards25519: −x² + y² = 1 + d·x²·y² over p = 2^255 − 19, cofactor 8 (RFC 8032 §5.1).</summary>
    internal static readonly EdwardsCurve Ed25519 = new(
        p: (BigInteger.One << 255) - 19,
        a: -1,
        d: BigInteger.Parse("37095705934669439343138083508754565189542113879843219016388785533085940283555"),
        order: (BigInteger.One << 252) + BigInteger.Parse("27742317777372353535851937790883648493"),
        encodedLength: 32,
        smallOrderPoints:
        [
            "0100000000000000000000000000000000000000000000000000000000000000", // (0, 1), the identity
            "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f", // (0, −1), order 2
            "0000000000000000000000000000000000000000000000000000000000000000", // (√−1, 0), order 4
            "0000000000000000000000000000000000000000000000000000000000000080", // (−√−1, 0), order 4
            "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05", // the four of order 8
            "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc85",
            "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a",
            "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac03fa",
        ]);

    /// <summary>edwards448: x² + y² = 1 − 39081·x²·y² over p = 2^448 − 2^224 − 1, cofactor 4 (RFC 8032 §5.2).</summary>
    internal static readonly EdwardsCurve Ed448 = new(
        p: (BigInteger.One << 448) - (BigInteger.One << 224) - 1,
        a: 1,
        d: -39081,
        order: (BigInteger.One << 446) - BigInteger.Parse("13818066809895115352007386748515426880336692474882178609894547503885"),
        encodedLength: 57,
        smallOrderPoints:
        [
            "01" + new string('0', 112), // (0, 1), the identity
            "fefffffffffffffffffffffffffffffffffffffffffffffffffffffffeffffffffffffffffffffffffffffffffffffffffffffffffffffff00", // (0, −1), order 2
            new string('0', 114), // (−1, 0), order 4
            new string('0', 112) + "80", // (1, 0), order 4
        ]);

    private readonly BigInteger _p;
    private readonly BigInteger _a;
    private readonly BigInteger _d;
    private readonly byte[][] _smallOrderPoints;

    private EdwardsCurve(BigInteger p, BigInteger a, BigInteger d, BigInteger order, int encodedLength, string[] smallOrderPoints)
    {
        _p = p;
        _a = Mod(a, p);
        _d = Mod(d, p);
        Order = order;
        _smallOrderPoints = [.. smallOrderPoints.Select(Convert.FromHexString)];
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
    /// <returns>Whether it decodes; if not, the reason is in <paramref name="defect"/>.</returns>
    internal bool Decode(ReadOnlySpan<byte> encoded, out string defect)
    {
        Span<byte> copy = stackalloc byte[EncodedLength];
        encoded.CopyTo(copy);
        int sign = copy[^1] >> 7;
        copy[^1] &= 0x7F;
        if (EncodedLength == 57 && copy[^1] != 0)
        {
            // Ed448's last byte holds only the sign bit (RFC 8032 §5.2.2).
            defect = "the unused bits of the last byte are not zero";
            return false;
        }
        BigInteger y = ReadLittleEndian(copy);
        if (y >= _p)
        {
            defect = "its y coordinate is not below p";
            return false;
        }
        // x² = u / v with u = y² − 1, v = d·y² − a (the curve equation solved for x²).
        BigInteger y2 = y * y % _p;
        BigInteger? x = SquareRootOfRatio(Mod(y2 - 1, _p), Mod((_d * y2) - _a, _p));
        if (x is null)
        {
            defect = "it is not a point of the curve";
            return false;
        }
        BigInteger root = x.Value;
        if (root.IsZero && sign == 1)
        {
            defect = "x is zero but the sign bit is set";
            return false;
        }
        defect = "";
        return true;
    }

    /// <summary>
    /// Whether a canonical encoding is one of the curve's small-order points: the identity and
    /// the other torsion points (8 on edwards25519, 4 on edwards448). These are the only points
    /// whose multiple by the cofactor is the identity, and after <see cref="Decode"/> each has
    /// exactly one encoding, so comparing encodings decides it (as libsodium's blocklist does).
    /// </summary>
    internal bool IsSmallOrder(ReadOnlySpan<byte> canonicalEncoding)
    {
        foreach (byte[] point in _smallOrderPoints)
        {
            if (canonicalEncoding.SequenceEqual(point))
            {
                return true;
            }
        }
        return false;
    }

    // x = √(u/v) with one exponentiation, as RFC 8032 §5.1.3 step 3 (p ≡ 5 mod 8) and §5.2.3
    // step 3 (p ≡ 3 mod 4) compute it; null when u/v is not a square.
    private BigInteger? SquareRootOfRatio(BigInteger u, BigInteger v)
    {
        BigInteger x;
        if ((_p & 3) == 3)
        {
            BigInteger u3v = BigInteger.ModPow(u, 3, _p) * v % _p;
            BigInteger u5v3 = BigInteger.ModPow(u, 5, _p) * BigInteger.ModPow(v, 3, _p) % _p;
            x = u3v * BigInteger.ModPow(u5v3, (_p - 3) >> 2, _p) % _p;
            return v * x % _p * x % _p == u ? x : null;
        }
        BigInteger v3 = BigInteger.ModPow(v, 3, _p);
        BigInteger uv7 = u * v3 % _p * v3 % _p * v % _p;
        x = u * v3 % _p * BigInteger.ModPow(uv7, (_p - 5) >> 3, _p) % _p;
        BigInteger vx2 = v * x % _p * x % _p;
        if (vx2 == u)
        {
            return x;
        }
        if (vx2 == Mod(-u, _p))
        {
            return x * BigInteger.ModPow(2, (_p - 1) >> 2, _p) % _p;
        }
        return null;
    }

    private static BigInteger Mod(BigInteger value, BigInteger p)
    {
        BigInteger r = value % p;
        return r.Sign < 0 ? r + p : r;
    }
}
