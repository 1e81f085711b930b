using Passkeys.Cose;

namespace Passkeys.Tests.Cose;

/// <summary>RFC 8032 §7.1 (Ed25519 TEST 1 and 2) and §7.4 (Ed448 "Blank") through the backend in use.</summary>
public class EdDsaTests
{
    public static TheoryData<CoseCurve, string, string, string, string> Rfc8032Vectors => new()
    {
        // curve, secret key, public key, message, signature
        {
            CoseCurve.Ed25519,
            "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60",
            "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a",
            "",
            "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b"
        },
        {
            CoseCurve.Ed25519,
            "4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb",
            "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c",
            "72",
            "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00"
        },
        {
            CoseCurve.Ed448,
            "6c82a562cb808d10d632be89c8513ebf6c929f34ddfa8c9f63c9960ef6e348a3528c8a3fcc2f044e39a3fc5b94492f8f032e7549a20098f95b",
            "5fd7449b59b461fd2ce787ec616ad46a1da1342485a70e1f8a0ea75d80e96778edf124769b46c7061bd6783df1e50f6cd1fa1abeafe8256180",
            "",
            "533a37f6bbe457251f023c0d88f976ae2dfb504a843e34d2074fd823d41a591f2b233f034f628281f2fd7a22ddd47d7828c59bd0a21bfd3980ff0d2028d4b18a9df63e006c5d1c2d345b925d8dc00b4104852db99ac5c7cdda8530a113a0f4dbb61149f05a7363268c71d95808ff2e652600"
        },
    };

    [Fact]
    public void Is_available_on_this_machine()
    {
        // OpenSSL where libcrypto.so.3 loads, BouncyCastle everywhere else: never unavailable.
        Assert.True(EdDsa.IsAvailable);
        Assert.Contains(EdDsa.BackendName, new[] { "OpenSSL", "BouncyCastle" });
    }

    [Theory]
    [MemberData(nameof(Rfc8032Vectors))]
    public void Verifies_rfc8032_signature(CoseCurve curve, string secret, string publicKey, string message, string signature)
    {
        _ = secret;
        Assert.True(EdDsa.Verify(curve, Convert.FromHexString(publicKey), Convert.FromHexString(message), Convert.FromHexString(signature)));
    }

    [Theory]
    [MemberData(nameof(Rfc8032Vectors))]
    public void Rejects_signature_with_one_bit_flipped(CoseCurve curve, string secret, string publicKey, string message, string signature)
    {
        _ = secret;
        byte[] sig = Convert.FromHexString(signature);
        sig[5] ^= 0x01;
        Assert.False(EdDsa.Verify(curve, Convert.FromHexString(publicKey), Convert.FromHexString(message), sig));
    }

    [Theory]
    [MemberData(nameof(Rfc8032Vectors))]
    public void Rejects_message_with_one_bit_flipped(CoseCurve curve, string secret, string publicKey, string message, string signature)
    {
        _ = secret;
        byte[] data = [.. Convert.FromHexString(message), 0x00];
        data[0] ^= 0x80;
        Assert.False(EdDsa.Verify(curve, Convert.FromHexString(publicKey), data, Convert.FromHexString(signature)));
    }

    [Theory]
    [MemberData(nameof(Rfc8032Vectors))]
    public void Sign_reproduces_rfc8032_signature(CoseCurve curve, string secret, string publicKey, string message, string signature)
    {
        _ = publicKey;
        byte[] produced = EdDsa.Sign(curve, Convert.FromHexString(secret), Convert.FromHexString(message));
        Assert.Equal(signature, Convert.ToHexStringLower(produced));
    }

    [Theory]
    [MemberData(nameof(Rfc8032Vectors))]
    public void Derives_rfc8032_public_key(CoseCurve curve, string secret, string publicKey, string message, string signature)
    {
        _ = (message, signature);
        Assert.Equal(publicKey, Convert.ToHexStringLower(EdDsa.GetPublicKey(curve, Convert.FromHexString(secret))));
    }

    [Theory]
    [InlineData(CoseCurve.Ed25519, 32)]
    [InlineData(CoseCurve.Ed448, 57)]
    public void Generated_key_signs_and_verifies(CoseCurve curve, int keyLength)
    {
        var (privateKey, publicKey) = EdDsa.GenerateKey(curve);
        Assert.Equal(keyLength, privateKey.Length);
        Assert.Equal(keyLength, publicKey.Length);
        byte[] data = "passkeys"u8.ToArray();
        byte[] signature = EdDsa.Sign(curve, privateKey, data);
        Assert.True(EdDsa.Verify(curve, publicKey, data, signature));
    }

    [Fact]
    public void Wrong_signature_length_is_false_not_an_exception()
    {
        var (_, publicKey) = EdDsa.GenerateKey(CoseCurve.Ed25519);
        Assert.False(EdDsa.Verify(CoseCurve.Ed25519, publicKey, [1, 2, 3], new byte[63]));
        Assert.False(EdDsa.Verify(CoseCurve.Ed25519, publicKey, [1, 2, 3], new byte[65]));
    }

    [Fact]
    public void Rejects_public_key_of_wrong_length()
    {
        var e = Assert.Throws<PasskeyException>(() => EdDsa.Verify(CoseCurve.Ed25519, new byte[31], [], new byte[64]));
        Assert.Equal(PasskeyError.PublicKeyLengthInvalid, e.Error);
    }

    [Fact]
    public void Rejects_non_edwards_curve()
    {
        var e = Assert.Throws<PasskeyException>(() => EdDsa.Verify(CoseCurve.P256, new byte[32], [], new byte[64]));
        Assert.Equal(PasskeyError.InvalidPublicKey, e.Error);
    }
}
