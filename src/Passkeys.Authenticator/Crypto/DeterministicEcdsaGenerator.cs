using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Passkeys.Authenticator.Crypto;

/// <summary>
/// Signs certificates with an <see cref="EcCredentialKey"/> so that a seeded CA's certificates are
/// byte-identical across runs (the platform's ECDSA uses random nonces).
/// </summary>
internal sealed class DeterministicEcdsaGenerator(EcCredentialKey key) : X509SignatureGenerator
{
    private readonly X509SignatureGenerator _inner = CreateForECDsa(key.Ecdsa);

    public override byte[] GetSignatureAlgorithmIdentifier(HashAlgorithmName hashAlgorithm) =>
        _inner.GetSignatureAlgorithmIdentifier(hashAlgorithm);

    public override byte[] SignData(byte[] data, HashAlgorithmName hashAlgorithm) => key.SignWith(data, hashAlgorithm);

    protected override PublicKey BuildPublicKey() => _inner.PublicKey;
}
