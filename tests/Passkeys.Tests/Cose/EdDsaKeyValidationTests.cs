using Passkeys.Cose;
using Passkeys.Cose.Backends;
using Passkeys.Encoding;

namespace Passkeys.Tests.Cose;

/// <summary>
/// Issue 10 "Keys": small-order and non-canonical EdDSA keys are refused when a credential is
/// registered, and signatures with S ≥ L at verification, whichever backend verifies.
/// </summary>
public class EdDsaKeyValidationTests
{
    // The 8 points of small order on edwards25519, canonically encoded: the identity (0, 1),
    // (0, −1) of order 2, (±√−1, 0) of order 4 and four points of order 8.
    public static TheoryData<string> Ed25519SmallOrderPoints => new()
    {
        "0100000000000000000000000000000000000000000000000000000000000000",
        "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
        "0000000000000000000000000000000000000000000000000000000000000000",
        "0000000000000000000000000000000000000000000000000000000000000080",
        "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05",
        "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc85",
        "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a",
        "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac03fa",
    };

    // The 4 points of small order on edwards448: (0, 1), (0, −1), (±1, 0).
    public static TheoryData<string> Ed448SmallOrderPoints => new()
    {
        "01" + new string('0', 112),
        "fefffffffffffffffffffffffffffffffffffffffffffffffffffffffeffffffffffffffffffffffffffffffffffffffffffffffffffffff00",
        new string('0', 114),
        new string('0', 112) + "80",
    };

    // y ≥ p, x = 0 with the sign bit set, stray bits, and y values with no x on the curve.
    public static TheoryData<CoseCurve, string> NonCanonicalKeys => new()
    {
        { CoseCurve.Ed25519, "edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f" }, // y = p
        { CoseCurve.Ed25519, "eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f" }, // y = p + 1, the identity again
        { CoseCurve.Ed25519, "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f" }, // y = 2^255 − 1
        { CoseCurve.Ed25519, "0100000000000000000000000000000000000000000000000000000000000080" }, // identity with x sign 1
        { CoseCurve.Ed25519, "0200000000000000000000000000000000000000000000000000000000000000" }, // y = 2: not on the curve
        { CoseCurve.Ed448, "fffffffffffffffffffffffffffffffffffffffffffffffffffffffffeffffffffffffffffffffffffffffffffffffffffffffffffffffff00" }, // y = p
        { CoseCurve.Ed448, "01" + new string('0', 110) + "80" }, // identity with x sign 1
        { CoseCurve.Ed448, "5fd7449b59b461fd2ce787ec616ad46a1da1342485a70e1f8a0ea75d80e96778edf124769b46c7061bd6783df1e50f6cd1fa1abeafe8256101" }, // a stray bit in the last byte
        { CoseCurve.Ed448, "02" + new string('0', 112) }, // y = 2: not on the curve
    };

    public static TheoryData<string> Backends => new() { "OpenSSL", "BouncyCastle" };

    [Theory]
    [MemberData(nameof(Ed25519SmallOrderPoints))]
    public void Ed25519_small_order_key_is_refused_at_registration(string point) =>
        Assert.Equal(PasskeyError.PublicKeySmallOrder, Rejection(CoseCurve.Ed25519, point));

    [Theory]
    [MemberData(nameof(Ed448SmallOrderPoints))]
    public void Ed448_small_order_key_is_refused_at_registration(string point) =>
        Assert.Equal(PasskeyError.PublicKeySmallOrder, Rejection(CoseCurve.Ed448, point));

    [Theory]
    [MemberData(nameof(NonCanonicalKeys))]
    public void Non_canonical_key_is_refused_at_registration(CoseCurve curve, string encoded) =>
        Assert.Equal(PasskeyError.PublicKeyNotCanonical, Rejection(curve, encoded));

    [Theory]
    [MemberData(nameof(Backends))]
    public void All_zero_signature_under_the_identity_key_is_refused(string backend)
    {
        byte[] identity = Convert.FromHexString("0100000000000000000000000000000000000000000000000000000000000000");
        var e = Assert.Throws<PasskeyException>(() => EdDsa.Verify(BackendNamed(backend), CoseCurve.Ed25519, identity, [1, 2, 3], new byte[64]));
        Assert.Equal(PasskeyError.PublicKeySmallOrder, e.Error);
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public void Signature_with_s_plus_l_is_refused(string backend)
    {
        var (curve, publicKey, signature) = Rfc8032Test1();
        Assert.True(EdDsa.Verify(BackendNamed(backend), curve, publicKey, [], signature));
        byte[] malleated = WithSPlusL(curve, signature);
        Assert.False(EdDsa.Verify(BackendNamed(backend), curve, publicKey, [], malleated));
        var key = CosePublicKey.FromEdDsa(CoseAlgorithm.EdDSA, curve, publicKey);
        Assert.Equal(PasskeyError.SignatureNotCanonical, key.SignatureDefect(malleated)!.Error);
        Assert.Null(key.SignatureDefect(signature));
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public void Ed448_signature_with_s_plus_l_is_refused(string backend)
    {
        byte[] publicKey = Convert.FromHexString(
            "5fd7449b59b461fd2ce787ec616ad46a1da1342485a70e1f8a0ea75d80e96778edf124769b46c7061bd6783df1e50f6cd1fa1abeafe8256180");
        byte[] signature = Convert.FromHexString(
            "533a37f6bbe457251f023c0d88f976ae2dfb504a843e34d2074fd823d41a591f2b233f034f628281f2fd7a22ddd47d7828c59bd0a21bfd3980ff0d2028d4b18a9df63e006c5d1c2d345b925d8dc00b4104852db99ac5c7cdda8530a113a0f4dbb61149f05a7363268c71d95808ff2e652600");
        Assert.True(EdDsa.Verify(BackendNamed(backend), CoseCurve.Ed448, publicKey, [], signature));
        byte[] malleated = WithSPlusL(CoseCurve.Ed448, signature);
        Assert.False(EdDsa.Verify(BackendNamed(backend), CoseCurve.Ed448, publicKey, [], malleated));
    }

    [Fact]
    public void Signature_of_the_wrong_length_has_its_own_code()
    {
        var (curve, publicKey, signature) = Rfc8032Test1();
        var key = CosePublicKey.FromEdDsa(CoseAlgorithm.EdDSA, curve, publicKey);
        Assert.Equal(PasskeyError.SignatureLengthInvalid, key.SignatureDefect(signature[..63])!.Error);
        Assert.False(key.Verify([], signature[..63]));
    }

    internal static IEdDsaBackend BackendNamed(string name)
    {
        IEdDsaBackend backend = name == "OpenSSL" ? OpenSslEdDsaBackend.Instance : BouncyCastleEdDsaBackend.Instance;
        Assert.True(backend.IsAvailable, $"{name} EdDSA is not available on this machine");
        return backend;
    }

    internal static byte[] WithSPlusL(CoseCurve curve, byte[] signature)
    {
        var edwards = EdwardsCurve.For(curve)!;
        int half = edwards.EncodedLength;
        var s = EdwardsCurve.ReadLittleEndian(signature.AsSpan(half)) + edwards.Order;
        byte[] result = (byte[])signature.Clone();
        Array.Clear(result, half, half);
        Assert.True(s.TryWriteBytes(result.AsSpan(half), out _, isUnsigned: true, isBigEndian: false));
        return result;
    }

    private static (CoseCurve Curve, byte[] PublicKey, byte[] Signature) Rfc8032Test1() => (
        CoseCurve.Ed25519,
        Convert.FromHexString("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a"),
        Convert.FromHexString("e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b"));

    private static PasskeyError Rejection(CoseCurve curve, string hex)
    {
        var key = new CborMap([
            new(new CborInteger(1), new CborInteger(1)),
            new(new CborInteger(3), new CborInteger((long)CoseAlgorithm.EdDSA)),
            new(new CborInteger(-1), new CborInteger((long)curve)),
            new(new CborInteger(-2), new CborByteString(Convert.FromHexString(hex))),
        ]);
        var e = Assert.Throws<PasskeyException>(() => CosePublicKey.Decode(CborWriter.Encode(key)));
        return e.Error;
    }
}
