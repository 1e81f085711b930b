using System.Security.Cryptography;
using Passkeys.Cose;

namespace Passkeys.Tests.Cose;

/// <summary>Every algorithm: build from a .NET key, decode the encoding back, verify a real signature.</summary>
public class CosePublicKeyRoundTripTests
{
    private static readonly byte[] Data = "authenticatorData || clientDataHash"u8.ToArray();

    [Theory]
    [InlineData(CoseAlgorithm.ES256, CoseCurve.P256)]
    [InlineData(CoseAlgorithm.ESP256, CoseCurve.P256)]
    [InlineData(CoseAlgorithm.ES384, CoseCurve.P384)]
    [InlineData(CoseAlgorithm.ESP384, CoseCurve.P384)]
    [InlineData(CoseAlgorithm.ES512, CoseCurve.P521)]
    [InlineData(CoseAlgorithm.ESP512, CoseCurve.P521)]
    public void Ecdsa_round_trips_and_verifies(CoseAlgorithm alg, CoseCurve curve)
    {
        using var ecdsa = CoseKeys.NewEcKey(curve);
        var key = Decoded(CosePublicKey.FromECDsa(ecdsa, alg), alg, CoseKeyType.EC2);
        Assert.Equal(curve, key.Curve);

        byte[] signature = ecdsa.SignData(Data, CoseAlgorithms.HashAlgorithm(alg)!.Value, DSASignatureFormat.Rfc3279DerSequence);
        AssertVerifies(key, signature);
    }

    [Theory]
    [InlineData(CoseAlgorithm.RS256)]
    [InlineData(CoseAlgorithm.RS384)]
    [InlineData(CoseAlgorithm.RS512)]
    [InlineData(CoseAlgorithm.RS1)]
    [InlineData(CoseAlgorithm.PS256)]
    [InlineData(CoseAlgorithm.PS384)]
    [InlineData(CoseAlgorithm.PS512)]
    public void Rsa_round_trips_and_verifies(CoseAlgorithm alg)
    {
        using var rsa = RSA.Create(2048);
        var key = Decoded(CosePublicKey.FromRsa(rsa, alg), alg, CoseKeyType.RSA);
        Assert.Null(key.Curve);

        bool pss = alg is CoseAlgorithm.PS256 or CoseAlgorithm.PS384 or CoseAlgorithm.PS512;
        var hash = CoseAlgorithms.HashAlgorithm(alg)!.Value;
        byte[] signature = rsa.SignData(Data, hash, pss ? RSASignaturePadding.Pss : RSASignaturePadding.Pkcs1);
        AssertVerifies(key, signature);

        // The padding is part of the algorithm: the other padding's signature does not verify.
        byte[] otherPadding = rsa.SignData(Data, hash, pss ? RSASignaturePadding.Pkcs1 : RSASignaturePadding.Pss);
        Assert.False(key.Verify(Data, otherPadding));
    }

    [Theory]
    [InlineData(CoseAlgorithm.EdDSA, CoseCurve.Ed25519)]
    [InlineData(CoseAlgorithm.EdDSA, CoseCurve.Ed448)]
    [InlineData(CoseAlgorithm.Ed25519, CoseCurve.Ed25519)]
    [InlineData(CoseAlgorithm.Ed448, CoseCurve.Ed448)]
    public void EdDsa_round_trips_and_verifies(CoseAlgorithm alg, CoseCurve curve)
    {
        var (privateKey, publicKey) = EdDsa.GenerateKey(curve);
        var key = Decoded(CosePublicKey.FromEdDsa(alg, curve, publicKey), alg, CoseKeyType.OKP);
        Assert.Equal(curve, key.Curve);
        Assert.Equal(publicKey, key.GetRawOkpKey().ToArray());

        AssertVerifies(key, EdDsa.Sign(curve, privateKey, Data));
    }

    [Theory]
    [InlineData(CoseAlgorithm.MLDsa44, 1312)]
    [InlineData(CoseAlgorithm.MLDsa65, 1952)]
    [InlineData(CoseAlgorithm.MLDsa87, 2592)]
    public void MLDsa_round_trips_and_verifies(CoseAlgorithm alg, int publicKeySize)
    {
        var (privateKey, publicKey) = MLDsaKeys.Generate(alg);
        Assert.Equal(publicKeySize, publicKey.Length);
        var key = Decoded(CosePublicKey.FromMLDsa(alg, publicKey), alg, CoseKeyType.AKP);
        AssertVerifies(key, MLDsaKeys.Sign(alg, privateKey, Data));
    }

    [Fact]
    public void Encoding_is_ctap2_canonical_with_labels_in_order()
    {
        using var ecdsa = CoseKeys.NewEcKey(CoseCurve.P256);
        var encoded = CosePublicKey.FromECDsa(ecdsa, CoseAlgorithm.ES256).Encoded.ToArray();
        // a5 (map of 5), 01 02 (kty: EC2), 03 26 (alg: -7), 20 01 (crv: P-256), 21 58 20 (x: 32 bytes)
        Assert.Equal("a50102032620012158 20".Replace(" ", "", StringComparison.Ordinal), Convert.ToHexStringLower(encoded.AsSpan(0, 10)));
        Assert.Equal("225820", Convert.ToHexStringLower(encoded.AsSpan(10 + 32, 3)));
    }

    [Fact]
    public void Key_is_imported_once_and_verifies_concurrently()
    {
        using var ecdsa = CoseKeys.NewEcKey(CoseCurve.P256);
        var key = CosePublicKey.FromECDsa(ecdsa, CoseAlgorithm.ES256);
        byte[] signature = ecdsa.SignData(Data, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
        Parallel.For(0, 200, _ => Assert.True(key.Verify(Data, signature)));
    }

    [Fact]
    public void Es256_verify_allocates_nothing_of_its_own()
    {
        using var ecdsa = CoseKeys.NewEcKey(CoseCurve.P256);
        var key = CosePublicKey.FromECDsa(ecdsa, CoseAlgorithm.ES256);
        using var reference = ECDsa.Create(key.GetEcParameters());
        byte[] signature = ecdsa.SignData(Data, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
        Assert.True(key.Verify(Data, signature)); // imports the key
        Assert.True(reference.VerifyData(Data, signature, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence));

        long platform = Allocated(() => reference.VerifyData(Data, signature, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence));
        long ours = Allocated(() => key.Verify(Data, signature));
        Assert.True(ours <= platform, $"Verify allocated {ours} bytes per call; ECDsa.VerifyData alone allocates {platform}");
    }

    private static long Allocated(Func<bool> verify)
    {
        for (int i = 0; i < 10; i++)
        {
            verify();
        }
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100; i++)
        {
            verify();
        }
        return (GC.GetAllocatedBytesForCurrentThread() - before) / 100;
    }

    private static CosePublicKey Decoded(CosePublicKey built, CoseAlgorithm alg, CoseKeyType keyType)
    {
        var decoded = CosePublicKey.Decode(built.Encoded.ToArray());
        Assert.Equal(built.Encoded.ToArray(), decoded.Encoded.ToArray());
        Assert.Equal(alg, decoded.Algorithm);
        Assert.Equal(keyType, decoded.KeyType);
        Assert.True(decoded.HasSamePublicKey(built));
        return decoded;
    }

    private static void AssertVerifies(CosePublicKey key, byte[] signature)
    {
        Assert.True(key.Verify(Data, signature));

        byte[] tamperedData = (byte[])Data.Clone();
        tamperedData[0] ^= 0x01;
        Assert.False(key.Verify(tamperedData, signature));

        byte[] tamperedSignature = (byte[])signature.Clone();
        tamperedSignature[^1] ^= 0x01;
        Assert.False(key.Verify(Data, tamperedSignature));
    }
}
