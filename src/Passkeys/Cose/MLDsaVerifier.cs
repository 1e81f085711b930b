using Passkeys.Cose.Backends;

namespace Passkeys.Cose;

/// <summary>
/// ML-DSA-44/65/87 verification on raw FIPS 204 keys and signatures: sizes checked here, then the
/// platform's implementation where it has one (OpenSSL 3.5+) or BouncyCastle.
/// </summary>
/// <remarks>COSE ML-DSA draft: AKP keys, "pub" (-1) holds the FIPS 204 public key; pure ML-DSA, empty context.</remarks>
internal static class MLDsaVerifier
{
    /// <summary>Imports a key of the right length into <paramref name="backend"/>.</summary>
    /// <exception cref="PasskeyException"><see cref="PasskeyError.PublicKeyLengthInvalid"/> or <see cref="PasskeyError.InvalidPublicKey"/>.</exception>
    internal static IMLDsaPublicKey Import(IMLDsaBackend backend, CoseAlgorithm alg, ReadOnlySpan<byte> publicKey)
    {
        MLDsaPolicy.RequirePublicKeyLength(alg, publicKey.Length);
        return backend.Import(alg, publicKey);
    }

    /// <summary>Verifies with an imported key; false for any invalid signature, including one of the wrong length.</summary>
    internal static bool Verify(IMLDsaPublicKey key, CoseAlgorithm alg, ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature) =>
        MLDsaPolicy.SignatureDefect(alg, signature) is null && key.Verify(data, signature);

    /// <summary>Imports and verifies in one step, through a given backend (tests compare backends with it).</summary>
    internal static bool Verify(IMLDsaBackend backend, CoseAlgorithm alg, ReadOnlySpan<byte> publicKey, ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature) =>
        Verify(Import(backend, alg, publicKey), alg, data, signature);
}
