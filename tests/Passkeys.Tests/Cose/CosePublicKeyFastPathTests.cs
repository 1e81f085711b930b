using System.Numerics;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using Passkeys.Cose;
using Passkeys.Encoding;
using static Passkeys.Tests.Cose.CoseKeys;

namespace Passkeys.Tests.Cose;

/// <summary>
/// The direct reader for canonical EC2 keys and the allocation-free on-curve check decide exactly as
/// the general CBOR path and the BigInteger check do.
/// </summary>
public class CosePublicKeyFastPathTests
{
    // SEC 2 v2 §2.4.2, §2.5.1, §2.6.1: p and b (a = −3).
    private static readonly (CoseCurve Curve, int Size, BigInteger P, BigInteger B)[] Curves =
    [
        (CoseCurve.P256, 32,
            Hex("ffffffff00000001000000000000000000000000ffffffffffffffffffffffff"),
            Hex("5ac635d8aa3a93e7b3ebbd55769886bc651d06b0cc53b0f63bce3c3e27d2604b")),
        (CoseCurve.P384, 48,
            Hex("fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffeffffffff0000000000000000ffffffff"),
            Hex("b3312fa7e23ee7e4988e056be3f82d19181d9c6efe8141120314088f5013875ac656398d8a2ed19d2a85c8edd3ec2aef")),
        (CoseCurve.P521, 66,
            Hex("01ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff"),
            Hex("0051953eb9618e1c9a1f929a21a0b68540eea2da725b99b315f3b8b489918ef109e156193951ec7e937b1652c0bd3bb1bf073573df883d2c34f1ef451fd46b503f00")),
    ];

    public static TheoryData<CoseAlgorithm, CoseCurve, int> EcAlgorithms => new()
    {
        { CoseAlgorithm.ES256, CoseCurve.P256, 77 },
        { CoseAlgorithm.ESP256, CoseCurve.P256, 77 },
        { CoseAlgorithm.ES384, CoseCurve.P384, 110 },
        { CoseAlgorithm.ESP384, CoseCurve.P384, 110 },
        { CoseAlgorithm.ES512, CoseCurve.P521, 146 },
        { CoseAlgorithm.ESP512, CoseCurve.P521, 146 },
    };

    private static BigInteger Hex(string hex) => new(Convert.FromHexString(hex), isUnsigned: true, isBigEndian: true);

    private static byte[] ToBytes(BigInteger value, int size)
    {
        var bytes = new byte[size];
        Assert.True(value.TryWriteBytes(bytes.AsSpan(size - value.GetByteCount(isUnsigned: true)), out _, isUnsigned: true, isBigEndian: true));
        return bytes;
    }

    /// <summary>The BigInteger check the library used before: the reference.</summary>
    private static bool ReferenceIsOnCurve(BigInteger p, BigInteger b, byte[] x, byte[] y)
    {
        var bx = new BigInteger(x, isUnsigned: true, isBigEndian: true);
        var by = new BigInteger(y, isUnsigned: true, isBigEndian: true);
        if (bx >= p || by >= p)
        {
            return false;
        }
        var right = ((bx * bx % p * bx) - (3 * bx) + b) % p;
        if (right.Sign < 0)
        {
            right += p;
        }
        return by * by % p == right;
    }

    [Fact]
    public void On_curve_check_agrees_with_BigInteger_on_valid_invalid_and_out_of_range_points()
    {
        var random = new Random(20261122);
        foreach (var (cose, size, p, b) in Curves)
        {
            var curve = EcCurve.FromCose(cose)!;
            int checkedValid = 0;
            void Check(byte[] x, byte[] y, bool? expected = null)
            {
                bool reference = ReferenceIsOnCurve(p, b, x, y);
                if (expected is { } e)
                {
                    Assert.Equal(e, reference);
                }
                Assert.True(reference == curve.IsOnCurve(x, y), $"{cose}: x={Convert.ToHexString(x)} y={Convert.ToHexString(y)} reference={reference}");
                checkedValid += reference ? 1 : 0;
            }

            int keys = cose == CoseCurve.P521 ? 40 : 150;
            for (int i = 0; i < keys; i++)
            {
                using var key = NewEcKey(cose);
                var q = key.ExportParameters(false).Q;
                byte[] x = q.X!, y = q.Y!;
                var bx = new BigInteger(x, isUnsigned: true, isBigEndian: true);
                var by = new BigInteger(y, isUnsigned: true, isBigEndian: true);
                Check(x, y, expected: true);
                Check(x, ToBytes(p - by, size), expected: true);        // the negated point
                // One flipped bit in either coordinate (lands off the curve, or at or above p).
                var x2 = (byte[])x.Clone();
                x2[random.Next(size)] ^= (byte)(1 << random.Next(8));
                Check(x2, y);
                var y2 = (byte[])y.Clone();
                y2[random.Next(size)] ^= (byte)(1 << random.Next(8));
                Check(x, y2, expected: false);
                // Congruent but unreduced coordinates must be rejected (they fit in P-521's 66 bytes).
                if (bx + p < BigInteger.One << (8 * size))
                {
                    Check(ToBytes(bx + p, size), y, expected: false);
                }
                if (by + p < BigInteger.One << (8 * size))
                {
                    Check(x, ToBytes(by + p, size), expected: false);
                }
            }
            for (int i = 0; i < 200; i++)
            {
                var x = new byte[size];
                var y = new byte[size];
                random.NextBytes(x);
                random.NextBytes(y);
                Check(x, y);
            }
            var zero = new byte[size];
            var pBytes = ToBytes(p, size);
            var pMinus1 = ToBytes(p - 1, size);
            var ones = Enumerable.Repeat((byte)0xff, size).ToArray();
            foreach (var x in new[] { zero, pMinus1, pBytes, ones })
            {
                foreach (var y in new[] { zero, pMinus1, pBytes, ones })
                {
                    Check(x, y);
                }
            }
            Assert.True(checkedValid >= 2 * keys);
        }
    }

    [Theory]
    [MemberData(nameof(EcAlgorithms))]
    public void Fast_and_general_paths_agree_on_generated_keys(CoseAlgorithm alg, CoseCurve curve, int length)
    {
        byte[] data = "fast path"u8.ToArray();
        for (int i = 0; i < 5; i++)
        {
            using var ecdsa = NewEcKey(curve);
            byte[] encoded = CosePublicKey.FromECDsa(ecdsa, alg).Encoded.ToArray();
            Assert.Equal(length, encoded.Length);

            var fast = CosePublicKey.Decode(encoded);
            var general = CosePublicKey.FromCbor((CborMap)CborDecoder.Decode(encoded, CborConformance.Ctap2Canonical, "test"));
            Assert.Equal(general.Algorithm, fast.Algorithm);
            Assert.Equal(general.KeyType, fast.KeyType);
            Assert.Equal(general.Curve, fast.Curve);
            Assert.Equal(alg, fast.Algorithm);
            Assert.Equal(curve, fast.Curve);
            Assert.Equal(encoded, fast.Encoded.ToArray());
            Assert.True(MemoryMarshal.TryGetArray(fast.Encoded, out var segment) && segment.Array == encoded && segment.Offset == 0);
            Assert.Equal(general.GetUncompressedEcPoint(), fast.GetUncompressedEcPoint());
            Assert.True(fast.HasSamePublicKey(general));

            var hash = CoseAlgorithms.HashAlgorithm(alg)!.Value;
            byte[] signature = ecdsa.SignData(data, hash, DSASignatureFormat.Rfc3279DerSequence);
            Assert.True(fast.Verify(data, signature));
            Assert.True(general.Verify(data, signature));
            signature[^1] ^= 1;
            Assert.Equal(general.Verify(data, signature), fast.Verify(data, signature));
        }
    }

    [Theory]
    [MemberData(nameof(EcAlgorithms))]
    public void Off_curve_points_through_the_fast_path_are_invalid_public_keys(CoseAlgorithm alg, CoseCurve curve, int length)
    {
        using var ecdsa = NewEcKey(curve);
        byte[] encoded = CosePublicKey.FromECDsa(ecdsa, alg).Encoded.ToArray();
        int size = (length - (alg is CoseAlgorithm.ES256 or CoseAlgorithm.ESP256 ? 13 : 14)) / 2;
        // Last byte of x, then last byte of y (the template keeps its shape).
        foreach (int at in new[] { length - size - 4, length - 1 })
        {
            var changed = (byte[])encoded.Clone();
            changed[at] ^= 0x01;
            AssertSameRejection(changed, PasskeyError.InvalidPublicKey);
        }
    }

    [Theory]
    [MemberData(nameof(EcAlgorithms))]
    public void Coordinates_at_or_above_p_through_the_fast_path_are_invalid_public_keys(CoseAlgorithm alg, CoseCurve curve, int length)
    {
        var (_, size, p, _) = Curves.Single(c => c.Curve == curve);
        using var ecdsa = NewEcKey(curve);
        byte[] encoded = CosePublicKey.FromECDsa(ecdsa, alg).Encoded.ToArray();
        int yAt = length - size;
        int xAt = yAt - 3 - size;
        var x = new BigInteger(encoded.AsSpan(xAt, size), isUnsigned: true, isBigEndian: true);
        var y = new BigInteger(encoded.AsSpan(yAt, size), isUnsigned: true, isBigEndian: true);
        var replacements = new List<(int At, byte[] Value)>
        {
            (xAt, ToBytes(p, size)), (yAt, ToBytes(p, size)),
            (xAt, Enumerable.Repeat((byte)0xff, size).ToArray()), (yAt, Enumerable.Repeat((byte)0xff, size).ToArray()),
        };
        if (x + p < BigInteger.One << (8 * size))
        {
            replacements.Add((xAt, ToBytes(x + p, size)));
        }
        if (y + p < BigInteger.One << (8 * size))
        {
            replacements.Add((yAt, ToBytes(y + p, size)));
        }
        foreach (var (at, value) in replacements)
        {
            var changed = (byte[])encoded.Clone();
            value.CopyTo(changed, at);
            AssertSameRejection(changed, PasskeyError.InvalidPublicKey);
        }
    }

    [Fact]
    public void Near_misses_of_the_template_take_the_general_path_with_its_errors()
    {
        byte[] encoded = Es256().Encoded.ToArray();
        // crv 2 with alg ES256; a trailing byte; a truncated y; y under label -4 instead of -3.
        var wrongCurve = (byte[])encoded.Clone();
        wrongCurve[6] = 0x02;
        AssertSameRejection(wrongCurve, PasskeyError.InvalidPublicKey);
        Assert.Equal(PasskeyError.MalformedCbor, Assert.Throws<PasskeyException>(() => CosePublicKey.Decode(encoded.Append((byte)0x00).ToArray())).Error);
        Assert.Equal(PasskeyError.MalformedCbor, Assert.Throws<PasskeyException>(() => CosePublicKey.Decode(encoded[..^1])).Error);
        var noY = (byte[])encoded.Clone();
        Assert.Equal(0x22, noY[42]);
        noY[42] = 0x23;
        AssertSameRejection(noY, PasskeyError.MalformedCoseKey);
    }

    /// <summary>Decode rejects with <paramref name="error"/>, and with the general path's code and message.</summary>
    private static void AssertSameRejection(byte[] encoded, PasskeyError error)
    {
        var fast = Assert.Throws<PasskeyException>(() => CosePublicKey.Decode(encoded));
        var general = Assert.Throws<PasskeyException>(() =>
            CosePublicKey.FromCbor((CborMap)CborDecoder.Decode(encoded, CborConformance.Ctap2Canonical, "test")));
        Assert.Equal(error, fast.Error);
        Assert.Equal(general.Error, fast.Error);
        Assert.Equal(general.Message, fast.Message);
    }
}
