using System.Numerics;
using System.Security.Cryptography;
using Passkeys.Cose;
using Passkeys.Encoding;
using static Passkeys.Tests.Cose.CoseKeys;

namespace Passkeys.Tests.Cose;

/// <summary>Each parsing rule: a valid key with exactly one thing changed must be rejected with its code.</summary>
public class CosePublicKeyDecodeTests
{
    private static PasskeyError Rejection(byte[] encoded) =>
        Assert.Throws<PasskeyException>(() => CosePublicKey.Decode(encoded)).Error;

    // RFC 9052 Appendix C.7.1, the P-256 public key of "meriadoc.brandybuck@buckland.example".
    private const string Rfc9052X = "65eda5a12577c2bae829437fe338701a10aaa375e1bb5b5de108de439c08551d";
    private const string Rfc9052Y = "1e52ed75701163f7f9e40ddf9f341b3dc9ba860af7e0ca7ca7e9eecd0084d19c";

    [Fact]
    public void Accepts_rfc9052_example_p256_key_and_keeps_its_exact_bytes()
    {
        byte[] encoded = Map((1, Int(2)), (3, Int(-7)), (-1, Int(1)),
            (-2, Bytes(Convert.FromHexString(Rfc9052X))), (-3, Bytes(Convert.FromHexString(Rfc9052Y))));
        var key = CosePublicKey.Decode(encoded);
        Assert.Equal(CoseAlgorithm.ES256, key.Algorithm);
        Assert.Equal(CoseKeyType.EC2, key.KeyType);
        Assert.Equal(CoseCurve.P256, key.Curve);
        Assert.Equal(encoded, key.Encoded.ToArray());
        Assert.Equal("04" + Rfc9052X + Rfc9052Y, Convert.ToHexStringLower(key.GetUncompressedEcPoint()));
    }

    [Fact]
    public void Ignores_unknown_labels_and_keeps_them_in_encoded()
    {
        var key = Es256();
        byte[] withExtra = With(With(key, 99, new CborTextString("extra")), new CborTextString("vendor"), Int(1));
        var decoded = CosePublicKey.Decode(withExtra);
        Assert.True(decoded.HasSamePublicKey(key));
        Assert.Equal(withExtra, decoded.Encoded.ToArray());
    }

    [Fact]
    public void FromCbor_keeps_the_map_encoding()
    {
        var key = Es256();
        var map = (CborMap)CborDecoder.Decode(key.Encoded, CborConformance.Ctap2Canonical, "test");
        Assert.Equal(key.Encoded.ToArray(), CosePublicKey.FromCbor(map).Encoded.ToArray());
    }

    [Fact]
    public void Rejects_non_canonical_cbor()
    {
        // The same entries with alg (3) before kty (1): well-formed, but not CTAP2 canonical.
        var writer = new CborWriter();
        writer.WriteStartMap(2);
        writer.WriteInt64(3);
        writer.WriteInt64(-7);
        writer.WriteInt64(1);
        writer.WriteInt64(2);
        Assert.Equal(PasskeyError.MalformedCbor, Rejection(writer.ToArray()));
    }

    [Fact]
    public void Rejects_trailing_bytes()
    {
        Assert.Equal(PasskeyError.MalformedCbor, Rejection([.. Es256().Encoded.Span, 0x00]));
    }

    [Fact]
    public void Rejects_cose_key_that_is_not_a_map()
    {
        Assert.Equal(PasskeyError.MalformedCoseKey, Rejection(CborWriter.Encode(new CborArray([Int(1)]))));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void Rejects_missing_kty_or_alg(long label)
    {
        Assert.Equal(PasskeyError.MalformedCoseKey, Rejection(With(Es256(), label, null)));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void Rejects_kty_or_alg_that_is_not_an_integer(long label)
    {
        Assert.Equal(PasskeyError.MalformedCoseKey, Rejection(With(Es256(), label, new CborTextString("EC2"))));
    }

    [Theory]
    [InlineData(-999)]
    [InlineData(0)]
    [InlineData(-1L << 40)]
    public void Rejects_unknown_alg(long alg)
    {
        Assert.Equal(PasskeyError.UnsupportedAlgorithm, Rejection(With(Es256(), 3, Int(alg))));
    }

    [Theory]
    [InlineData(CoseAlgorithm.RS256)]
    [InlineData(CoseAlgorithm.EdDSA)]
    [InlineData(CoseAlgorithm.MLDsa44)]
    public void Rejects_ec2_key_with_alg_of_another_key_type(CoseAlgorithm alg)
    {
        Assert.Equal(PasskeyError.InvalidPublicKey, Rejection(With(Es256(), 3, Int((long)alg))));
    }

    [Theory]
    [InlineData(3)] // RSA
    [InlineData(4)] // Symmetric
    [InlineData(99)]
    public void Rejects_kty_that_does_not_fit_alg(long kty)
    {
        Assert.Equal(PasskeyError.InvalidPublicKey, Rejection(With(Es256(), 1, Int(kty))));
    }

    // ---- EC2 ----

    [Theory]
    [InlineData(-1)]
    [InlineData(-2)]
    [InlineData(-3)]
    public void Rejects_ec2_key_missing_crv_x_or_y(long label)
    {
        Assert.Equal(PasskeyError.MalformedCoseKey, Rejection(With(Es256(), label, null)));
    }

    [Theory]
    [InlineData(-2)]
    [InlineData(-3)]
    public void Rejects_ec2_coordinate_that_is_not_a_byte_string(long label)
    {
        Assert.Equal(PasskeyError.MalformedCoseKey, Rejection(With(Es256(), label, new CborTextString("00"))));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Rejects_compressed_point(bool signBit)
    {
        Assert.Equal(PasskeyError.MalformedCoseKey, Rejection(With(Es256(), -3, signBit ? CborSimple.True : CborSimple.False)));
    }

    [Theory]
    [InlineData(-2, 31)]
    [InlineData(-2, 33)]
    [InlineData(-3, 31)]
    [InlineData(-3, 33)]
    public void Rejects_coordinate_of_wrong_size(long label, int size)
    {
        var key = Es256();
        byte[] coordinate = (label == -2 ? key.GetEcParameters().Q.X : key.GetEcParameters().Q.Y)!;
        byte[] resized = new byte[size];
        // Keep the value (leading zero added, or the top byte dropped): only the size is wrong.
        if (size > coordinate.Length)
        {
            coordinate.CopyTo(resized, 1);
        }
        else
        {
            coordinate.AsSpan(1).CopyTo(resized);
        }
        Assert.Equal(PasskeyError.InvalidPublicKey, Rejection(With(key, label, Bytes(resized))));
    }

    [Theory]
    [InlineData(CoseCurve.P256)]
    [InlineData(CoseCurve.P384)]
    [InlineData(CoseCurve.P521)]
    public void Rejects_point_not_on_curve(CoseCurve curve)
    {
        var alg = curve switch { CoseCurve.P256 => CoseAlgorithm.ES256, CoseCurve.P384 => CoseAlgorithm.ES384, _ => CoseAlgorithm.ES512 };
        using var ecdsa = NewEcKey(curve);
        var key = CosePublicKey.FromECDsa(ecdsa, alg);
        byte[] y = key.GetEcParameters().Q.Y!;
        y[^1] ^= 0x01;
        Assert.Equal(PasskeyError.InvalidPublicKey, Rejection(With(key, -3, Bytes(y))));
    }

    [Fact]
    public void Rejects_coordinate_not_reduced_modulo_p()
    {
        // A P-256 point with a small x, then x + p in its place: the curve equation still holds
        // modulo p, so only the range check can refuse it.
        var p = BigInteger.Parse("0ffffffff00000001000000000000000000000000ffffffffffffffffffffffff", System.Globalization.NumberStyles.HexNumber, null);
        var b = BigInteger.Parse("05ac635d8aa3a93e7b3ebbd55769886bc651d06b0cc53b0f63bce3c3e27d2604b", System.Globalization.NumberStyles.HexNumber, null);
        for (int x = 1; ; x++)
        {
            var rhs = ((BigInteger.Pow(x, 3) - (3 * x) + b) % p + p) % p;
            var y = BigInteger.ModPow(rhs, (p + 1) / 4, p); // p ≡ 3 (mod 4)
            if (y * y % p != rhs)
            {
                continue;
            }
            byte[] Encode(BigInteger v) => v.ToByteArray(isUnsigned: true, isBigEndian: true).PadLeft(32);
            byte[] valid = Map((1, Int(2)), (3, Int(-7)), (-1, Int(1)), (-2, Bytes(Encode(x))), (-3, Bytes(Encode(y))));
            CosePublicKey.Decode(valid); // the reduced form is a valid key
            byte[] unreduced = Map((1, Int(2)), (3, Int(-7)), (-1, Int(1)), (-2, Bytes(Encode(x + p))), (-3, Bytes(Encode(y))));
            Assert.Equal(PasskeyError.InvalidPublicKey, Rejection(unreduced));
            return;
        }
    }

    [Fact]
    public void Platform_import_also_rejects_point_not_on_curve()
    {
        // Documents this machine's behaviour: our parse-time check is not the only line of
        // defence, and an off-curve point can never reach a verification.
        using var ecdsa = NewEcKey(CoseCurve.P256);
        var parameters = ecdsa.ExportParameters(false);
        parameters.Q.Y![^1] ^= 0x01;
        using var other = ECDsa.Create();
        Assert.ThrowsAny<CryptographicException>(() => other.ImportParameters(parameters));
    }

    [Theory]
    [InlineData(CoseAlgorithm.ES256, CoseCurve.P384)]
    [InlineData(CoseAlgorithm.ESP256, CoseCurve.P384)]
    [InlineData(CoseAlgorithm.ES384, CoseCurve.P256)]
    [InlineData(CoseAlgorithm.ESP384, CoseCurve.P521)]
    [InlineData(CoseAlgorithm.ES512, CoseCurve.P256)]
    [InlineData(CoseAlgorithm.ESP512, CoseCurve.P384)]
    public void Rejects_curve_that_does_not_fit_alg(CoseAlgorithm alg, CoseCurve curve)
    {
        // A valid key on `curve`, relabelled with an algorithm that needs another curve.
        var keyAlg = curve switch { CoseCurve.P256 => CoseAlgorithm.ES256, CoseCurve.P384 => CoseAlgorithm.ES384, _ => CoseAlgorithm.ES512 };
        using var ecdsa = NewEcKey(curve);
        var key = CosePublicKey.FromECDsa(ecdsa, keyAlg);
        Assert.Equal(PasskeyError.InvalidPublicKey, Rejection(With(key, 3, Int((long)alg))));
    }

    [Theory]
    [InlineData(CoseAlgorithm.ES256, CoseCurve.P384)]
    [InlineData(CoseAlgorithm.ES256, CoseCurve.P521)]
    [InlineData(CoseAlgorithm.ESP256, CoseCurve.P384)]
    [InlineData(CoseAlgorithm.ES384, CoseCurve.P256)]
    [InlineData(CoseAlgorithm.ESP384, CoseCurve.P521)]
    [InlineData(CoseAlgorithm.ES512, CoseCurve.P384)]
    [InlineData(CoseAlgorithm.ESP512, CoseCurve.P256)]
    public void Rejects_crv_label_that_does_not_fit_alg(CoseAlgorithm alg, CoseCurve crv)
    {
        // A valid key for alg with only crv changed: sizes and point still fit alg's curve, so
        // only the crv/alg rule can refuse it.
        var curve = alg switch
        {
            CoseAlgorithm.ES256 or CoseAlgorithm.ESP256 => CoseCurve.P256,
            CoseAlgorithm.ES384 or CoseAlgorithm.ESP384 => CoseCurve.P384,
            _ => CoseCurve.P521,
        };
        using var ecdsa = NewEcKey(curve);
        var key = CosePublicKey.FromECDsa(ecdsa, alg);
        Assert.Equal(PasskeyError.InvalidPublicKey, Rejection(With(key, -1, Int((long)crv))));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(4)]
    [InlineData(6)] // Ed25519 is an OKP curve
    public void Rejects_ec2_key_with_unknown_or_okp_curve(long crv)
    {
        Assert.Equal(PasskeyError.InvalidPublicKey, Rejection(With(Es256(), -1, Int(crv))));
    }

    [Fact]
    public void FromECDsa_rejects_curve_that_does_not_fit_alg()
    {
        using var ecdsa = NewEcKey(CoseCurve.P384);
        var e = Assert.Throws<PasskeyException>(() => CosePublicKey.FromECDsa(ecdsa, CoseAlgorithm.ES256));
        Assert.Equal(PasskeyError.InvalidPublicKey, e.Error);
    }

    [Fact]
    public void FromECDsa_rejects_non_ecdsa_alg()
    {
        using var ecdsa = NewEcKey(CoseCurve.P256);
        var e = Assert.Throws<PasskeyException>(() => CosePublicKey.FromECDsa(ecdsa, CoseAlgorithm.RS256));
        Assert.Equal(PasskeyError.InvalidPublicKey, e.Error);
    }
}

internal static class ByteArrayPadding
{
    public static byte[] PadLeft(this byte[] value, int length)
    {
        byte[] padded = new byte[length];
        value.CopyTo(padded, length - value.Length);
        return padded;
    }
}
