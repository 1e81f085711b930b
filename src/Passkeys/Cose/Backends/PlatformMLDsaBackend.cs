using System.Security.Cryptography;

namespace Passkeys.Cose.Backends;

/// <summary>
/// ML-DSA through .NET's <see cref="MLDsa"/>, which OpenSSL 3.5 or later (or Windows CNG) implements.
/// The API is [Experimental] in .NET 10 (SYSLIB5006): if its shape changes, only this file changes.
/// </summary>
#pragma warning disable SYSLIB5006 // Experimental in .NET 10; see the summary.
internal sealed class PlatformMLDsaBackend : IMLDsaBackend
{
    /// <summary>The one instance.</summary>
    internal static readonly PlatformMLDsaBackend Instance = new();

    private PlatformMLDsaBackend()
    {
    }

    /// <inheritdoc />
    public string Name => "platform";

    /// <inheritdoc />
    public bool IsAvailable => MLDsa.IsSupported;

    /// <inheritdoc />
    public IMLDsaPublicKey Import(CoseAlgorithm alg, ReadOnlySpan<byte> publicKey)
    {
        try
        {
            return new Key(MLDsa.ImportMLDsaPublicKey(ToDotNet(alg), publicKey));
        }
        catch (CryptographicException e)
        {
            throw new PasskeyException(PasskeyError.InvalidPublicKey, $"the platform rejected the {CoseAlgorithms.Name(alg)} key: {e.Message}", e);
        }
    }

    private static MLDsaAlgorithm ToDotNet(CoseAlgorithm alg) => alg switch
    {
        CoseAlgorithm.MLDsa44 => MLDsaAlgorithm.MLDsa44,
        CoseAlgorithm.MLDsa65 => MLDsaAlgorithm.MLDsa65,
        _ => MLDsaAlgorithm.MLDsa87,
    };

    private sealed class Key(MLDsa key) : IMLDsaPublicKey
    {
        public bool Verify(ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature)
        {
            try
            {
                // VerifyData with no context argument is pure ML-DSA with the empty context.
                return key.VerifyData(data, signature);
            }
            catch (CryptographicException)
            {
                return false;
            }
        }
    }
}
#pragma warning restore SYSLIB5006
