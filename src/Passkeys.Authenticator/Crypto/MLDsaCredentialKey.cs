using System.Formats.Asn1;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto.Signers;
using Passkeys.Cose;

namespace Passkeys.Authenticator.Crypto;

/// <summary>
/// An ML-DSA-44/65/87 key (FIPS 204), made and used through BouncyCastle so that the software
/// authenticator makes post-quantum passkeys on every platform, whatever its OpenSSL.
/// </summary>
/// <remarks>
/// The private key is the 32-byte FIPS 204 seed ξ (ML-DSA.KeyGen_internal), which is also what
/// <see cref="ExportPrivateKey"/> stores. Signatures are pure ML-DSA with an empty context, as the
/// COSE ML-DSA draft fixes them; deterministic when the authenticator is seeded, hedged otherwise.
/// </remarks>
internal sealed class MLDsaCredentialKey : CredentialKey
{
    private const int SeedLength = 32;

    private readonly byte[] _seed;
    private readonly MLDsaParameters _parameters;
    private readonly MLDsaPrivateKeyParameters _privateKey;
    private readonly bool _deterministic;

    private MLDsaCredentialKey(int algorithm, byte[] seed, bool deterministic)
    {
        if (seed.Length != SeedLength)
        {
            throw new ArgumentException($"an ML-DSA seed is {SeedLength} bytes, not {seed.Length}", nameof(seed));
        }
        Algorithm = algorithm;
        _seed = seed;
        _deterministic = deterministic;
        _parameters = algorithm switch
        {
            SupportedAlgorithms.MLDsa44 => MLDsaParameters.ml_dsa_44,
            SupportedAlgorithms.MLDsa65 => MLDsaParameters.ml_dsa_65,
            SupportedAlgorithms.MLDsa87 => MLDsaParameters.ml_dsa_87,
            _ => throw new NotSupportedException($"COSE algorithm {algorithm} is not ML-DSA"),
        };
        _privateKey = MLDsaPrivateKeyParameters.FromSeed(_parameters, seed);
        byte[] publicKey = _privateKey.GetPublicKeyEncoded();
        CosePublicKey = Passkeys.Cose.CosePublicKey.FromMLDsa((CoseAlgorithm)algorithm, publicKey).Encoded.ToArray();
        SubjectPublicKeyInfo = Spki(algorithm, publicKey);
    }

    public override int Algorithm { get; }

    public override byte[] CosePublicKey { get; }

    public override byte[] SubjectPublicKeyInfo { get; }

    /// <summary>A key whose seed comes from <paramref name="random"/>.</summary>
    public static new MLDsaCredentialKey Generate(int algorithm, RandomSource random, bool deterministicSignatures) =>
        new(algorithm, random.GetBytes(SeedLength), deterministicSignatures);

    public static new MLDsaCredentialKey Import(int algorithm, byte[] seed, bool deterministicSignatures) =>
        new(algorithm, (byte[])seed.Clone(), deterministicSignatures);

    public override byte[] Sign(ReadOnlySpan<byte> data)
    {
        var signer = new MLDsaSigner(_parameters, _deterministic);
        signer.Init(true, _privateKey);
        byte[] message = data.ToArray();
        signer.BlockUpdate(message, 0, message.Length);
        return signer.GenerateSignature();
    }

    public override byte[] ExportPrivateKey() => (byte[])_seed.Clone();

    // RFC 9881 §4 (ML-DSA in X.509): AlgorithmIdentifier with the NIST OID and no parameters,
    // then the raw public key as the BIT STRING.
    private static byte[] Spki(int algorithm, byte[] publicKey)
    {
        string oid = algorithm switch
        {
            SupportedAlgorithms.MLDsa44 => "2.16.840.1.101.3.4.3.17",
            SupportedAlgorithms.MLDsa65 => "2.16.840.1.101.3.4.3.18",
            _ => "2.16.840.1.101.3.4.3.19",
        };
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            using (writer.PushSequence())
            {
                writer.WriteObjectIdentifier(oid);
            }
            writer.WriteBitString(publicKey);
        }
        return writer.Encode();
    }
}
