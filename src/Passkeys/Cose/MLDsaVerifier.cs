using System.Security.Cryptography;

namespace Passkeys.Cose;

/// <summary>
/// ML-DSA (FIPS 204) verification through <see cref="MLDsa"/>, kept in one place because the API is
/// [Experimental] in .NET 10 (SYSLIB5006): if its shape changes, only this file changes.
/// </summary>
/// <remarks>
/// COSE ML-DSA draft (draft-ietf-cose-dilithium): AKP keys, label -1 "pub" holds the FIPS 204
/// public key; signatures are pure ML-DSA with an empty context. .NET implements it through
/// OpenSSL 3.5 or later, so on older systems <see cref="MLDsa.IsSupported"/> is false.
/// </remarks>
#pragma warning disable SYSLIB5006 // Experimental in .NET 10; see the summary.
internal static class MLDsaVerifier
{
    /// <summary>The FIPS 204 public key size for an ML-DSA algorithm (Table 2), or 0 for any other algorithm.</summary>
    internal static int PublicKeySize(CoseAlgorithm alg) => alg switch
    {
        CoseAlgorithm.MLDsa44 => 1312,
        CoseAlgorithm.MLDsa65 => 1952,
        CoseAlgorithm.MLDsa87 => 2592,
        _ => 0,
    };

    internal static IDisposable Import(CoseAlgorithm alg, ReadOnlySpan<byte> publicKey)
    {
        RequireSupported(alg);
        try
        {
            return MLDsa.ImportMLDsaPublicKey(ToDotNet(alg), publicKey);
        }
        catch (CryptographicException e)
        {
            throw new PasskeyException(PasskeyError.InvalidPublicKey, $"the platform rejected the {CoseAlgorithms.Name(alg)} key: {e.Message}", e);
        }
    }

    internal static bool Verify(Lazy<IDisposable> key, CoseAlgorithm alg, ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature)
    {
        // Checked before touching the lazy key so the caller gets UnsupportedAlgorithm every time,
        // not a cached import failure.
        RequireSupported(alg);
        var mlDsa = (MLDsa)key.Value;
        try
        {
            return signature.Length == mlDsa.Algorithm.SignatureSizeInBytes && mlDsa.VerifyData(data, signature);
        }
        catch (CryptographicException)
        {
            return false;
        }
    }

    private static void RequireSupported(CoseAlgorithm alg)
    {
        if (!MLDsa.IsSupported)
        {
            throw new PasskeyException(PasskeyError.UnsupportedAlgorithm, $"{CoseAlgorithms.Name(alg)} verification needs OpenSSL 3.5 or later, which this platform does not have");
        }
    }

    private static MLDsaAlgorithm ToDotNet(CoseAlgorithm alg) => alg switch
    {
        CoseAlgorithm.MLDsa44 => MLDsaAlgorithm.MLDsa44,
        CoseAlgorithm.MLDsa65 => MLDsaAlgorithm.MLDsa65,
        _ => MLDsaAlgorithm.MLDsa87,
    };
}
#pragma warning restore SYSLIB5006
