namespace Passkeys.Cose.Backends;

/// <summary>
/// One implementation of Ed25519/Ed448 (pure EdDSA, empty context, RFC 8032). Backends do the
/// arithmetic only: sizes, key validity and signature canonicity are judged before they are called
/// (<see cref="EdDsaPolicy"/>), so every backend meets the same inputs and gives the same verdicts.
/// </summary>
internal interface IEdDsaBackend
{
    /// <summary>A short name for logs and test output ("OpenSSL", "BouncyCastle").</summary>
    string Name { get; }

    /// <summary>Whether the backend can run here.</summary>
    bool IsAvailable { get; }

    /// <summary>Verifies a signature of the right length under a validated key; false for any invalid signature.</summary>
    bool Verify(CoseCurve curve, ReadOnlySpan<byte> publicKey, ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature);

    /// <summary>Signs with a raw RFC 8032 secret of the right length.</summary>
    byte[] Sign(CoseCurve curve, ReadOnlySpan<byte> privateKey, ReadOnlySpan<byte> data);

    /// <summary>Derives the raw public key from a raw secret of the right length.</summary>
    byte[] GetPublicKey(CoseCurve curve, ReadOnlySpan<byte> privateKey);
}
