using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto.Signers;

namespace Passkeys.Cose.Backends;

/// <summary>
/// ML-DSA in managed code (BouncyCastle), used where the platform has none (OpenSSL before 3.5).
/// Pure ML-DSA with an empty context, as the COSE ML-DSA draft fixes it; never HashML-DSA.
/// </summary>
internal sealed class BouncyCastleMLDsaBackend : IMLDsaBackend
{
    /// <summary>The one instance.</summary>
    internal static readonly BouncyCastleMLDsaBackend Instance = new();

    private BouncyCastleMLDsaBackend()
    {
    }

    /// <inheritdoc />
    public string Name => "BouncyCastle";

    /// <inheritdoc />
    public bool IsAvailable => true;

    /// <inheritdoc />
    public IMLDsaPublicKey Import(CoseAlgorithm alg, ReadOnlySpan<byte> publicKey)
    {
        var parameters = ParametersOf(alg);
        try
        {
            return new Key(parameters, MLDsaPublicKeyParameters.FromEncoding(parameters, publicKey.ToArray()));
        }
        catch (ArgumentException e)
        {
            throw new PasskeyException(PasskeyError.InvalidPublicKey, $"BouncyCastle rejected the {CoseAlgorithms.Name(alg)} key: {e.Message}", e);
        }
    }

    /// <summary>BouncyCastle's parameter set for a COSE ML-DSA algorithm (the pure variants only).</summary>
    internal static MLDsaParameters ParametersOf(CoseAlgorithm alg) => alg switch
    {
        CoseAlgorithm.MLDsa44 => MLDsaParameters.ml_dsa_44,
        CoseAlgorithm.MLDsa65 => MLDsaParameters.ml_dsa_65,
        _ => MLDsaParameters.ml_dsa_87,
    };

    private sealed class Key(MLDsaParameters parameters, MLDsaPublicKeyParameters publicKey) : IMLDsaPublicKey
    {
        public bool Verify(ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature)
        {
            // A signer holds per-message state, so each verification gets its own; Init without
            // ParametersWithContext means the empty context.
            var signer = new MLDsaSigner(parameters, deterministic: true);
            signer.Init(false, publicKey);
            byte[] message = data.ToArray();
            signer.BlockUpdate(message, 0, message.Length);
            try
            {
                return signer.VerifySignature(signature.ToArray());
            }
            catch (ArgumentException)
            {
                return false;
            }
        }
    }
}
