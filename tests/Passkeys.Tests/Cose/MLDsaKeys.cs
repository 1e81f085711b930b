using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto.Signers;
using Org.BouncyCastle.Security;
using Passkeys.Cose;

namespace Passkeys.Tests.Cose;

/// <summary>ML-DSA keys and signatures for tests, made with BouncyCastle (pure ML-DSA, empty context).</summary>
internal static class MLDsaKeys
{
    /// <summary>A key pair from a 32-byte seed (FIPS 204 ML-DSA.KeyGen_internal), random unless given.</summary>
    public static (byte[] Seed, byte[] PublicKey) Generate(CoseAlgorithm alg, byte[]? seed = null)
    {
        seed ??= SecureRandom.GetNextBytes(new SecureRandom(), 32);
        var privateKey = MLDsaPrivateKeyParameters.FromSeed(ParametersOf(alg), seed);
        return (seed, privateKey.GetPublicKeyEncoded());
    }

    /// <summary>Signs <paramref name="data"/> with the key made from <paramref name="seed"/>.</summary>
    public static byte[] Sign(CoseAlgorithm alg, byte[] seed, byte[] data)
    {
        var signer = new MLDsaSigner(ParametersOf(alg), deterministic: true);
        signer.Init(true, MLDsaPrivateKeyParameters.FromSeed(ParametersOf(alg), seed));
        signer.BlockUpdate(data, 0, data.Length);
        return signer.GenerateSignature();
    }

    private static MLDsaParameters ParametersOf(CoseAlgorithm alg) => alg switch
    {
        CoseAlgorithm.MLDsa44 => MLDsaParameters.ml_dsa_44,
        CoseAlgorithm.MLDsa65 => MLDsaParameters.ml_dsa_65,
        _ => MLDsaParameters.ml_dsa_87,
    };
}
