using System.Security.Cryptography;

namespace Passkeys.Authenticator.Crypto;

/// <summary>
/// A credential's (or attestation certificate's) private key: signs, and describes its public
/// half as a COSE key and as a DER SubjectPublicKeyInfo.
/// </summary>
internal abstract class CredentialKey : IDisposable
{
    /// <summary>The COSE algorithm identifier (−7 ES256, −257 RS256, …).</summary>
    public abstract int Algorithm { get; }

    /// <summary>The public key as a CTAP2-canonical COSE_Key.</summary>
    public abstract byte[] CosePublicKey { get; }

    /// <summary>The public key as DER SubjectPublicKeyInfo (what a browser's getPublicKey() returns).</summary>
    public abstract byte[] SubjectPublicKeyInfo { get; }

    /// <summary>Signs <paramref name="data"/> the way WebAuthn expects for <see cref="Algorithm"/>.</summary>
    public abstract byte[] Sign(ReadOnlySpan<byte> data);

    /// <summary>The private key in the form <see cref="Import"/> reads (EC: the scalar d; RSA: PKCS#8; Ed25519: the 32-byte secret; ML-DSA: the 32-byte seed).</summary>
    public abstract byte[] ExportPrivateKey();

    /// <summary>Generates a key for <paramref name="algorithm"/>.</summary>
    /// <param name="algorithm">A COSE algorithm from <see cref="SupportedAlgorithms.All"/>.</param>
    /// <param name="random">Randomness for EC, EdDSA and ML-DSA keys; RSA keys always come from the platform.</param>
    /// <param name="deterministicSignatures">Sign ECDSA with RFC 6979 nonces and ML-DSA deterministically (seeded authenticators).</param>
    public static CredentialKey Generate(int algorithm, RandomSource random, bool deterministicSignatures) => algorithm switch
    {
        SupportedAlgorithms.ES256 or SupportedAlgorithms.ES384 or SupportedAlgorithms.ES512 =>
            EcCredentialKey.Generate(algorithm, random, deterministicSignatures),
        SupportedAlgorithms.RS256 or SupportedAlgorithms.PS256 => RsaCredentialKey.Generate(algorithm),
        SupportedAlgorithms.EdDSA => Ed25519CredentialKey.Generate(random),
        SupportedAlgorithms.MLDsa44 or SupportedAlgorithms.MLDsa65 or SupportedAlgorithms.MLDsa87 =>
            MLDsaCredentialKey.Generate(algorithm, random, deterministicSignatures),
        _ => throw new NotSupportedException($"COSE algorithm {algorithm} is not supported"),
    };

    /// <summary>Recreates a key from <see cref="ExportPrivateKey"/>'s output.</summary>
    public static CredentialKey Import(int algorithm, byte[] privateKey, bool deterministicSignatures) => algorithm switch
    {
        SupportedAlgorithms.ES256 or SupportedAlgorithms.ES384 or SupportedAlgorithms.ES512 =>
            EcCredentialKey.Import(algorithm, privateKey, deterministicSignatures),
        SupportedAlgorithms.RS256 or SupportedAlgorithms.PS256 => RsaCredentialKey.Import(algorithm, privateKey),
        SupportedAlgorithms.EdDSA => Ed25519CredentialKey.Import(privateKey),
        SupportedAlgorithms.MLDsa44 or SupportedAlgorithms.MLDsa65 or SupportedAlgorithms.MLDsa87 =>
            MLDsaCredentialKey.Import(algorithm, privateKey, deterministicSignatures),
        _ => throw new NotSupportedException($"COSE algorithm {algorithm} is not supported"),
    };

    /// <inheritdoc />
    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Releases the platform key.</summary>
    protected virtual void Dispose(bool disposing)
    {
    }
}
