using System.Numerics;
using System.Security.Cryptography;

namespace Passkeys.Authenticator.Crypto;

/// <summary>An ECDSA key on P-256, P-384 or P-521.</summary>
internal sealed class EcCredentialKey : CredentialKey
{
    private readonly EcCurveMath _math;
    private readonly BigInteger _d;
    private readonly bool _deterministic;
    private readonly Lock _lock = new();

    private EcCredentialKey(int algorithm, BigInteger d, bool deterministic)
    {
        Algorithm = algorithm;
        (_math, Hash, CoseCurve) = Describe(algorithm);
        _d = d;
        _deterministic = deterministic;
        Parameters = _math.ToParameters(d);
        Ecdsa = ECDsa.Create(Parameters);
        CosePublicKey = TemporaryCoseEncoding.Ec2(algorithm, CoseCurve, Parameters.Q.X!, Parameters.Q.Y!);
        SubjectPublicKeyInfo = Ecdsa.ExportSubjectPublicKeyInfo();
    }

    public override int Algorithm { get; }

    public override byte[] CosePublicKey { get; }

    public override byte[] SubjectPublicKeyInfo { get; }

    /// <summary>The platform key (public and private).</summary>
    public ECDsa Ecdsa { get; }

    /// <summary>The key's parameters, including the public point.</summary>
    public ECParameters Parameters { get; }

    /// <summary>The signature hash for the algorithm.</summary>
    public HashAlgorithmName Hash { get; }

    /// <summary>The COSE curve identifier (1 P-256, 2 P-384, 3 P-521).</summary>
    public int CoseCurve { get; }

    public static new EcCredentialKey Generate(int algorithm, RandomSource random, bool deterministic)
    {
        var (math, _, _) = Describe(algorithm);
        return new EcCredentialKey(algorithm, math.NewPrivateScalar(random), deterministic);
    }

    public static new EcCredentialKey Import(int algorithm, byte[] d, bool deterministic) =>
        new(algorithm, EcCurveMath.ToInt(d), deterministic);

    public override byte[] Sign(ReadOnlySpan<byte> data) => SignWith(data, Hash);

    /// <summary>Signs with an explicit hash (certificates choose their own).</summary>
    public byte[] SignWith(ReadOnlySpan<byte> data, HashAlgorithmName hash)
    {
        if (_deterministic)
        {
            return _math.SignDeterministic(_d, data, hash);
        }
        // Platform key objects are not documented as thread-safe; signing is cheap next to a lock.
        lock (_lock)
        {
            return Ecdsa.SignData(data, hash, DSASignatureFormat.Rfc3279DerSequence);
        }
    }

    public override byte[] ExportPrivateKey() => (byte[])Parameters.D!.Clone();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            Ecdsa.Dispose();
        }
    }

    private static (EcCurveMath Math, HashAlgorithmName Hash, int CoseCurve) Describe(int algorithm) => algorithm switch
    {
        SupportedAlgorithms.ES256 => (EcCurveMath.P256, HashAlgorithmName.SHA256, 1),
        SupportedAlgorithms.ES384 => (EcCurveMath.P384, HashAlgorithmName.SHA384, 2),
        SupportedAlgorithms.ES512 => (EcCurveMath.P521, HashAlgorithmName.SHA512, 3),
        _ => throw new ArgumentOutOfRangeException(nameof(algorithm), algorithm, "not an ECDSA algorithm"),
    };
}
