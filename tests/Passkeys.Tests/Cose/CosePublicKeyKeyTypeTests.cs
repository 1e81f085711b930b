using System.Security.Cryptography;
using Passkeys.Cose;
using Passkeys.Encoding;
using static Passkeys.Tests.Cose.CoseKeys;

namespace Passkeys.Tests.Cose;

/// <summary>RSA, OKP and AKP parsing rules, and the key-type-specific accessors.</summary>
public class CosePublicKeyKeyTypeTests
{
    private static readonly Lazy<RSAParameters> Rsa2048 = new(() =>
    {
        using var rsa = RSA.Create(2048);
        return rsa.ExportParameters(false);
    });

    private static PasskeyError Rejection(byte[] encoded) =>
        Assert.Throws<PasskeyException>(() => CosePublicKey.Decode(encoded)).Error;

    private static byte[] RsaKey(byte[] n, byte[] e, CoseAlgorithm alg = CoseAlgorithm.RS256) =>
        Map((1, Int(3)), (3, Int((long)alg)), (-1, Bytes(n)), (-2, Bytes(e)));

    // ---- RSA ----

    [Theory]
    [InlineData(-1)]
    [InlineData(-2)]
    public void Rejects_rsa_key_missing_n_or_e(long label)
    {
        var valid = RsaKey(Rsa2048.Value.Modulus!, Rsa2048.Value.Exponent!);
        Assert.Equal(PasskeyError.MalformedCoseKey, Rejection(With(valid, Int(label), null)));
    }

    [Fact]
    public void Rejects_rsa_modulus_below_2048_bits()
    {
        byte[] n = (byte[])Rsa2048.Value.Modulus!.Clone();
        n[0] &= 0x7F; // 2047 bits
        Assert.Equal(PasskeyError.InvalidPublicKey, Rejection(RsaKey(n, Rsa2048.Value.Exponent!)));
    }

    [Fact]
    public void Rejects_rsa_1024_bit_key()
    {
        using var rsa = RSA.Create(1024);
        var p = rsa.ExportParameters(false);
        Assert.Equal(PasskeyError.InvalidPublicKey, Rejection(RsaKey(p.Modulus!, p.Exponent!)));
        var e = Assert.Throws<PasskeyException>(() => CosePublicKey.FromRsa(rsa, CoseAlgorithm.RS256));
        Assert.Equal(PasskeyError.InvalidPublicKey, e.Error);
    }

    [Fact]
    public void Rejects_rsa_modulus_above_16384_bits()
    {
        byte[] n = new byte[2049];
        n[0] = 0x01;
        n[^1] = 0x01;
        Assert.Equal(PasskeyError.InvalidPublicKey, Rejection(RsaKey(n, [0x01, 0x00, 0x01])));
    }

    [Fact]
    public void Accepts_exactly_2048_bits_with_leading_zero_bytes()
    {
        // Some TPMs and libraries send n and e with a leading zero byte; the value is what counts.
        byte[] n = [0x00, .. Rsa2048.Value.Modulus!];
        byte[] e = [0x00, .. Rsa2048.Value.Exponent!];
        var key = CosePublicKey.Decode(RsaKey(n, e));
        Assert.Equal(Rsa2048.Value.Modulus, key.GetRsaParameters().Modulus);
        Assert.Equal(Rsa2048.Value.Exponent, key.GetRsaParameters().Exponent);
    }

    [Theory]
    [InlineData("")]
    [InlineData("00")]
    [InlineData("01")]
    [InlineData("0001")]
    [InlineData("010000")]
    [InlineData("02")]
    public void Rejects_rsa_exponent_that_is_even_or_not_above_1(string exponent)
    {
        Assert.Equal(PasskeyError.InvalidPublicKey, Rejection(RsaKey(Rsa2048.Value.Modulus!, Convert.FromHexString(exponent))));
    }

    [Theory]
    [InlineData(CoseAlgorithm.ES256)]
    [InlineData(CoseAlgorithm.Ed25519)]
    public void Rejects_rsa_key_with_alg_of_another_key_type(CoseAlgorithm alg)
    {
        Assert.Equal(PasskeyError.InvalidPublicKey, Rejection(RsaKey(Rsa2048.Value.Modulus!, Rsa2048.Value.Exponent!, alg)));
    }

    // ---- OKP ----

    // RFC 8032 §7.1 TEST 1 and §7.4 "Blank" public keys: real points of large order (an all-zero
    // key is a small-order point and is refused, see EdDsaKeyValidationTests).
    private static readonly byte[] Ed25519Key = Convert.FromHexString("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a");
    private static readonly byte[] Ed448Key = Convert.FromHexString(
        "5fd7449b59b461fd2ce787ec616ad46a1da1342485a70e1f8a0ea75d80e96778edf124769b46c7061bd6783df1e50f6cd1fa1abeafe8256180");

    private static byte[] OkpKey(CoseAlgorithm alg, long crv, int size) =>
        Map((1, Int(1)), (3, Int((long)alg)), (-1, Int(crv)), (-2, Bytes(size switch
        {
            32 => Ed25519Key,
            57 => Ed448Key,
            _ => new byte[size],
        })));

    [Theory]
    [InlineData(CoseAlgorithm.EdDSA, 6, 32)]
    [InlineData(CoseAlgorithm.EdDSA, 7, 57)]
    [InlineData(CoseAlgorithm.Ed25519, 6, 32)]
    [InlineData(CoseAlgorithm.Ed448, 7, 57)]
    public void Accepts_okp_curve_that_fits_alg(CoseAlgorithm alg, long crv, int size)
    {
        var key = CosePublicKey.Decode(OkpKey(alg, crv, size));
        Assert.Equal((CoseCurve)crv, key.Curve);
        Assert.Equal(size, key.GetRawOkpKey().Length);
    }

    [Theory]
    [InlineData(CoseAlgorithm.Ed25519, 7, 57)]
    [InlineData(CoseAlgorithm.Ed448, 6, 32)]
    [InlineData(CoseAlgorithm.EdDSA, 4, 32)] // X25519 is for key agreement, not signatures
    [InlineData(CoseAlgorithm.EdDSA, 1, 32)] // P-256 is an EC2 curve
    public void Rejects_okp_curve_that_does_not_fit_alg(CoseAlgorithm alg, long crv, int size)
    {
        Assert.Equal(PasskeyError.InvalidPublicKey, Rejection(OkpKey(alg, crv, size)));
    }

    [Theory]
    [InlineData(6, 31)]
    [InlineData(6, 33)]
    [InlineData(6, 57)]
    [InlineData(7, 56)]
    [InlineData(7, 32)]
    public void Rejects_okp_key_of_wrong_size(long crv, int size)
    {
        Assert.Equal(PasskeyError.PublicKeyLengthInvalid, Rejection(OkpKey(CoseAlgorithm.EdDSA, crv, size)));
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(-2)]
    public void Rejects_okp_key_missing_crv_or_x(long label)
    {
        Assert.Equal(PasskeyError.MalformedCoseKey, Rejection(With(OkpKey(CoseAlgorithm.EdDSA, 6, 32), Int(label), null)));
    }

    [Fact]
    public void Rejects_okp_key_with_ecdsa_alg()
    {
        Assert.Equal(PasskeyError.InvalidPublicKey, Rejection(OkpKey(CoseAlgorithm.ES256, 6, 32)));
    }

    // ---- AKP (ML-DSA) ----

    [Theory]
    [InlineData(CoseAlgorithm.MLDsa44, 1311)]
    [InlineData(CoseAlgorithm.MLDsa65, 1312)]
    [InlineData(CoseAlgorithm.MLDsa87, 2593)]
    public void Rejects_akp_key_of_wrong_size(CoseAlgorithm alg, int size)
    {
        Assert.Equal(PasskeyError.PublicKeyLengthInvalid, Rejection(Map((1, Int(7)), (3, Int((long)alg)), (-1, Bytes(new byte[size])))));
    }

    [Fact]
    public void Rejects_akp_key_missing_pub()
    {
        Assert.Equal(PasskeyError.MalformedCoseKey, Rejection(Map((1, Int(7)), (3, Int((long)CoseAlgorithm.MLDsa44)))));
    }

    // ---- accessors ----

    [Fact]
    public void Uncompressed_point_is_04_x_y()
    {
        using var ecdsa = NewEcKey(CoseCurve.P256);
        var p = ecdsa.ExportParameters(false);
        var key = CosePublicKey.FromECDsa(ecdsa, CoseAlgorithm.ES256);
        Assert.Equal([0x04, .. p.Q.X!, .. p.Q.Y!], key.GetUncompressedEcPoint());
        Assert.Equal(p.Q.X, key.GetEcParameters().Q.X);
        Assert.Equal(ECCurve.NamedCurves.nistP256.Oid.Value, key.GetEcParameters().Curve.Oid.Value);
    }

    [Fact]
    public void Key_type_accessors_refuse_other_key_types()
    {
        var ec = Es256();
        var rsa = CosePublicKey.Decode(RsaKey(Rsa2048.Value.Modulus!, Rsa2048.Value.Exponent!));
        Assert.Equal(PasskeyError.InvalidPublicKey, Assert.Throws<PasskeyException>(() => rsa.GetUncompressedEcPoint()).Error);
        Assert.Equal(PasskeyError.InvalidPublicKey, Assert.Throws<PasskeyException>(() => rsa.GetEcParameters()).Error);
        Assert.Equal(PasskeyError.InvalidPublicKey, Assert.Throws<PasskeyException>(() => ec.GetRsaParameters()).Error);
        Assert.Equal(PasskeyError.InvalidPublicKey, Assert.Throws<PasskeyException>(() => ec.GetRawOkpKey()).Error);
        Assert.Equal(PasskeyError.InvalidPublicKey, Assert.Throws<PasskeyException>(() => ec.GetRawAkpKey()).Error);
    }

    [Fact]
    public void Accessors_return_copies()
    {
        var key = Es256();
        byte[] before = key.GetUncompressedEcPoint();
        key.GetEcParameters().Q.X![0] ^= 0xFF;
        Assert.Equal(before, key.GetUncompressedEcPoint());
    }

    // ---- verification edge cases ----

    [Theory]
    [InlineData("")]
    [InlineData("30")]
    [InlineData("3006020101020101ff")]
    [InlineData("00112233")]
    public void Malformed_der_signature_is_false(string signature)
    {
        Assert.False(Es256().Verify([1, 2, 3], Convert.FromHexString(signature)));
    }

    [Fact]
    public void Raw_ieee_p1363_signature_is_false_for_ecdsa()
    {
        // WebAuthn ECDSA signatures are DER; a raw r||s signature must not be accepted by accident.
        using var ecdsa = NewEcKey(CoseCurve.P256);
        var key = CosePublicKey.FromECDsa(ecdsa, CoseAlgorithm.ES256);
        byte[] raw = ecdsa.SignData([1, 2, 3], HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        Assert.False(key.Verify([1, 2, 3], raw));
    }

    [Fact]
    public void Rsa_signature_of_wrong_length_is_false()
    {
        using var rsa = RSA.Create(2048);
        var key = CosePublicKey.FromRsa(rsa, CoseAlgorithm.RS256);
        Assert.False(key.Verify([1, 2, 3], new byte[255]));
        Assert.False(key.Verify([1, 2, 3], []));
    }

    [Fact]
    public void Signature_under_another_hash_is_false()
    {
        using var ecdsa = NewEcKey(CoseCurve.P256);
        var key = CosePublicKey.FromECDsa(ecdsa, CoseAlgorithm.ES256);
        byte[] sha384 = ecdsa.SignData([1, 2, 3], HashAlgorithmName.SHA384, DSASignatureFormat.Rfc3279DerSequence);
        Assert.False(key.Verify([1, 2, 3], sha384));
    }

    [Fact]
    public void Keys_with_different_material_are_not_the_same()
    {
        Assert.False(Es256().HasSamePublicKey(Es256()));
        var rsa = CosePublicKey.Decode(RsaKey(Rsa2048.Value.Modulus!, Rsa2048.Value.Exponent!));
        Assert.False(rsa.HasSamePublicKey(Es256()));
        // The same key under another algorithm is the same key material.
        var ps256 = CosePublicKey.Decode(RsaKey(Rsa2048.Value.Modulus!, Rsa2048.Value.Exponent!, CoseAlgorithm.PS256));
        Assert.True(rsa.HasSamePublicKey(ps256));
    }

    [Fact]
    public void Ed25519_and_ed448_keys_are_not_the_same()
    {
        var ed25519 = CosePublicKey.Decode(OkpKey(CoseAlgorithm.EdDSA, 6, 32));
        var ed448 = CosePublicKey.Decode(OkpKey(CoseAlgorithm.EdDSA, 7, 57));
        Assert.False(ed25519.HasSamePublicKey(ed448));
        Assert.True(ed25519.HasSamePublicKey(CosePublicKey.Decode(OkpKey(CoseAlgorithm.Ed25519, 6, 32))));
    }

    private static byte[] With(byte[] encoded, CborValue label, CborValue? value) => CoseKeys.With(encoded, label, value);
}
