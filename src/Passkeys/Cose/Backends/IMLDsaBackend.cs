namespace Passkeys.Cose.Backends;

/// <summary>
/// One implementation of ML-DSA (FIPS 204) verification, pure ML-DSA with an empty context. Key and
/// signature lengths are checked before a backend is called (<see cref="MLDsaPolicy"/>).
/// </summary>
internal interface IMLDsaBackend
{
    /// <summary>A short name for logs and test output ("platform", "BouncyCastle").</summary>
    string Name { get; }

    /// <summary>Whether the backend can run here.</summary>
    bool IsAvailable { get; }

    /// <summary>Imports a public key of the right length once, for any number of verifications.</summary>
    /// <exception cref="PasskeyException"><see cref="PasskeyError.InvalidPublicKey"/> when the backend refuses the key.</exception>
    IMLDsaPublicKey Import(CoseAlgorithm alg, ReadOnlySpan<byte> publicKey);
}

/// <summary>An imported ML-DSA public key; safe to use from several threads at once.</summary>
internal interface IMLDsaPublicKey
{
    /// <summary>Verifies a signature of the right length; false for any invalid signature.</summary>
    bool Verify(ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature);
}
