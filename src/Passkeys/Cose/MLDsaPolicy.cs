namespace Passkeys.Cose;

/// <summary>The sizes FIPS 204 fixes for each ML-DSA parameter set, checked before any backend runs.</summary>
/// <remarks>FIPS 204 Table 2 (public key and signature sizes); COSE ML-DSA draft (AKP key "pub" is the raw public key).</remarks>
internal static class MLDsaPolicy
{
    /// <summary>The public key size for an ML-DSA algorithm, or 0 for any other algorithm.</summary>
    internal static int PublicKeySize(CoseAlgorithm alg) => alg switch
    {
        CoseAlgorithm.MLDsa44 => 1312,
        CoseAlgorithm.MLDsa65 => 1952,
        CoseAlgorithm.MLDsa87 => 2592,
        _ => 0,
    };

    /// <summary>The signature size for an ML-DSA algorithm, or 0 for any other algorithm.</summary>
    internal static int SignatureSize(CoseAlgorithm alg) => alg switch
    {
        CoseAlgorithm.MLDsa44 => 2420,
        CoseAlgorithm.MLDsa65 => 3309,
        CoseAlgorithm.MLDsa87 => 4627,
        _ => 0,
    };

    /// <summary>Refuses a public key whose length does not fit <paramref name="alg"/>.</summary>
    /// <exception cref="PasskeyException"><see cref="PasskeyError.PublicKeyLengthInvalid"/>.</exception>
    internal static void RequirePublicKeyLength(CoseAlgorithm alg, int length)
    {
        int size = PublicKeySize(alg);
        if (length != size)
        {
            throw new PasskeyException(PasskeyError.PublicKeyLengthInvalid, $"an {CoseAlgorithms.Name(alg)} public key must be {size} bytes, not {length}");
        }
    }

    /// <summary>Why <paramref name="signature"/> cannot be an <paramref name="alg"/> signature, or null when its length is right.</summary>
    internal static PasskeyException? SignatureDefect(CoseAlgorithm alg, ReadOnlySpan<byte> signature)
    {
        int size = SignatureSize(alg);
        return signature.Length == size
            ? null
            : new PasskeyException(PasskeyError.SignatureLengthInvalid, $"an {CoseAlgorithms.Name(alg)} signature must be {size} bytes, not {signature.Length}");
    }
}
