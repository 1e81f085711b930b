using System.Numerics;
using System.Security.Cryptography;

namespace Passkeys.Authenticator.Crypto;

/// <summary>
/// Just enough elliptic-curve arithmetic over the NIST prime curves to do what .NET cannot:
/// derive a public point from a private scalar chosen by a seeded generator, and sign with
/// RFC 6979 deterministic nonces so a seeded authenticator's output is byte-identical across runs.
/// </summary>
/// <remarks>
/// Not constant-time and not fast (BigInteger, Jacobian coordinates); this is a test instrument.
/// Curve parameters are read from the platform (ECDsa.ExportExplicitParameters)
/// rather than typed in, so a typo cannot produce a subtly different curve.
/// </remarks>
internal sealed class EcCurveMath
{
    private static readonly Lazy<EcCurveMath> s_p256 = new(() => new EcCurveMath(ECCurve.NamedCurves.nistP256));
    private static readonly Lazy<EcCurveMath> s_p384 = new(() => new EcCurveMath(ECCurve.NamedCurves.nistP384));
    private static readonly Lazy<EcCurveMath> s_p521 = new(() => new EcCurveMath(ECCurve.NamedCurves.nistP521));

    private readonly BigInteger _p;
    private readonly BigInteger _a;
    private readonly BigInteger _gx;
    private readonly BigInteger _gy;

    private EcCurveMath(ECCurve named)
    {
        Curve = named;
        using var ec = ECDsa.Create(named);
        var explicitParameters = ec.ExportExplicitParameters(false);
        var c = explicitParameters.Curve;
        _p = ToInt(c.Prime!);
        _a = ToInt(c.A!);
        _gx = ToInt(c.G.X!);
        _gy = ToInt(c.G.Y!);
        N = ToInt(c.Order!);
        OrderBits = (int)N.GetBitLength();
        FieldBytes = (int)((_p.GetBitLength() + 7) / 8);
        ScalarBytes = (OrderBits + 7) / 8;
    }

    public static EcCurveMath P256 => s_p256.Value;
    public static EcCurveMath P384 => s_p384.Value;
    public static EcCurveMath P521 => s_p521.Value;

    /// <summary>The named curve, for importing keys into .NET.</summary>
    public ECCurve Curve { get; }

    /// <summary>The group order n.</summary>
    public BigInteger N { get; }

    /// <summary>Bit length of n (qlen in RFC 6979).</summary>
    public int OrderBits { get; }

    /// <summary>Bytes in a coordinate.</summary>
    public int FieldBytes { get; }

    /// <summary>Bytes in a scalar (rlen in RFC 6979).</summary>
    public int ScalarBytes { get; }

    /// <summary>A private scalar in [1, n−1] drawn from <paramref name="random"/>.</summary>
    public BigInteger NewPrivateScalar(RandomSource random)
    {
        // Draw 64 bits more than needed so reducing mod n−1 has negligible bias.
        byte[] bytes = random.GetBytes(ScalarBytes + 8);
        return BigInteger.Remainder(ToInt(bytes), N - 1) + 1;
    }

    /// <summary>The key pair for private scalar <paramref name="d"/>, as .NET parameters.</summary>
    public ECParameters ToParameters(BigInteger d)
    {
        var (x, y) = Multiply(d, _gx, _gy);
        return new ECParameters
        {
            Curve = Curve,
            D = ToFixed(d, ScalarBytes),
            Q = new ECPoint { X = ToFixed(x, FieldBytes), Y = ToFixed(y, FieldBytes) },
        };
    }

    /// <summary>
    /// ECDSA signature (r, s) over <paramref name="data"/> with an RFC 6979 §3.2 nonce, as an
    /// ASN.1 DER SEQUENCE of two INTEGERs (the form WebAuthn and X.509 use).
    /// </summary>
    public byte[] SignDeterministic(BigInteger d, ReadOnlySpan<byte> data, HashAlgorithmName hash)
    {
        byte[] h1 = Hash(hash, data);
        BigInteger e = BitsToInt(h1);
        foreach (BigInteger k in Rfc6979Nonces(d, h1, hash))
        {
            var (x, _) = Multiply(k, _gx, _gy);
            BigInteger r = BigInteger.Remainder(x, N);
            if (r.IsZero)
            {
                continue;
            }
            BigInteger s = BigInteger.Remainder(BigInteger.ModPow(k, N - 2, N) * (e + r * d), N);
            if (s.IsZero)
            {
                continue;
            }
            return DerSignature(r, s);
        }
        throw new CryptographicException("unreachable: the nonce sequence is infinite");
    }

    /// <summary>The candidate nonces k of RFC 6979 §3.2 steps b–h, in order.</summary>
    internal IEnumerable<BigInteger> Rfc6979Nonces(BigInteger x, byte[] h1, HashAlgorithmName hash)
    {
        int hlen = h1.Length;
        byte[] v = new byte[hlen];
        Array.Fill(v, (byte)0x01);
        byte[] k = new byte[hlen];
        byte[] xOctets = ToFixed(x, ScalarBytes);
        byte[] hOctets = BitsToOctets(h1);

        k = Hmac(hash, k, v, [0x00], xOctets, hOctets);
        v = Hmac(hash, k, v);
        k = Hmac(hash, k, v, [0x01], xOctets, hOctets);
        v = Hmac(hash, k, v);
        while (true)
        {
            var t = new List<byte>();
            while (t.Count * 8 < OrderBits)
            {
                v = Hmac(hash, k, v);
                t.AddRange(v);
            }
            BigInteger candidate = BitsToInt([.. t]);
            if (candidate >= 1 && candidate < N)
            {
                yield return candidate;
            }
            k = Hmac(hash, k, v, [0x00]);
            v = Hmac(hash, k, v);
        }
    }

    private BigInteger BitsToInt(byte[] bits)
    {
        BigInteger v = ToInt(bits);
        int excess = bits.Length * 8 - OrderBits;
        return excess > 0 ? v >> excess : v;
    }

    private byte[] BitsToOctets(byte[] bits)
    {
        BigInteger z = BitsToInt(bits);
        if (z >= N)
        {
            z -= N;
        }
        return ToFixed(z, ScalarBytes);
    }

    private static byte[] Hmac(HashAlgorithmName hash, byte[] key, params byte[][] parts)
    {
        using var h = IncrementalHash.CreateHMAC(hash, key);
        foreach (var part in parts)
        {
            h.AppendData(part);
        }
        return h.GetHashAndReset();
    }

    private static byte[] Hash(HashAlgorithmName hash, ReadOnlySpan<byte> data)
    {
        using var h = IncrementalHash.CreateHash(hash);
        h.AppendData(data);
        return h.GetHashAndReset();
    }

    private static byte[] DerSignature(BigInteger r, BigInteger s)
    {
        var writer = new System.Formats.Asn1.AsnWriter(System.Formats.Asn1.AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            writer.WriteInteger(r);
            writer.WriteInteger(s);
        }
        return writer.Encode();
    }

    // Point arithmetic in Jacobian coordinates (X, Y, Z) ↦ (X/Z², Y/Z³); Z = 0 is infinity.
    private (BigInteger X, BigInteger Y) Multiply(BigInteger k, BigInteger px, BigInteger py)
    {
        (BigInteger X, BigInteger Y, BigInteger Z) acc = (0, 1, 0);
        (BigInteger X, BigInteger Y, BigInteger Z) point = (px, py, 1);
        for (long i = (long)k.GetBitLength() - 1; i >= 0; i--)
        {
            acc = Double(acc);
            if (!(k >> (int)i).IsEven)
            {
                acc = Add(acc, point);
            }
        }
        if (acc.Z.IsZero)
        {
            throw new CryptographicException("scalar multiple is the point at infinity");
        }
        BigInteger zInv = BigInteger.ModPow(acc.Z, _p - 2, _p);
        BigInteger zInv2 = Mod(zInv * zInv);
        return (Mod(acc.X * zInv2), Mod(acc.Y * zInv2 * zInv));
    }

    private (BigInteger X, BigInteger Y, BigInteger Z) Double((BigInteger X, BigInteger Y, BigInteger Z) q)
    {
        if (q.Z.IsZero || q.Y.IsZero)
        {
            return (0, 1, 0);
        }
        BigInteger yy = Mod(q.Y * q.Y);
        BigInteger s = Mod(4 * q.X * yy);
        BigInteger zz = Mod(q.Z * q.Z);
        BigInteger m = Mod(3 * q.X * q.X + _a * zz * zz);
        BigInteger x3 = Mod(m * m - 2 * s);
        BigInteger y3 = Mod(m * (s - x3) - 8 * yy * yy);
        BigInteger z3 = Mod(2 * q.Y * q.Z);
        return (x3, y3, z3);
    }

    private (BigInteger X, BigInteger Y, BigInteger Z) Add((BigInteger X, BigInteger Y, BigInteger Z) a, (BigInteger X, BigInteger Y, BigInteger Z) b)
    {
        if (a.Z.IsZero)
        {
            return b;
        }
        if (b.Z.IsZero)
        {
            return a;
        }
        BigInteger z1z1 = Mod(a.Z * a.Z);
        BigInteger z2z2 = Mod(b.Z * b.Z);
        BigInteger u1 = Mod(a.X * z2z2);
        BigInteger u2 = Mod(b.X * z1z1);
        BigInteger s1 = Mod(a.Y * b.Z * z2z2);
        BigInteger s2 = Mod(b.Y * a.Z * z1z1);
        if (u1 == u2)
        {
            return s1 == s2 ? Double(a) : (0, 1, 0);
        }
        BigInteger h = Mod(u2 - u1);
        BigInteger r = Mod(s2 - s1);
        BigInteger hh = Mod(h * h);
        BigInteger hhh = Mod(h * hh);
        BigInteger v = Mod(u1 * hh);
        BigInteger x3 = Mod(r * r - hhh - 2 * v);
        BigInteger y3 = Mod(r * (v - x3) - s1 * hhh);
        BigInteger z3 = Mod(a.Z * b.Z * h);
        return (x3, y3, z3);
    }

    private BigInteger Mod(BigInteger v)
    {
        BigInteger r = BigInteger.Remainder(v, _p);
        return r.Sign < 0 ? r + _p : r;
    }

    internal static BigInteger ToInt(ReadOnlySpan<byte> bigEndian) => new(bigEndian, isUnsigned: true, isBigEndian: true);

    internal static byte[] ToFixed(BigInteger value, int length)
    {
        var result = new byte[length];
        int size = value.GetByteCount(isUnsigned: true);
        value.TryWriteBytes(result.AsSpan(length - size), out _, isUnsigned: true, isBigEndian: true);
        return result;
    }
}
