namespace Passkeys.Cose.Backends;

/// <summary>
/// The EdDSA and ML-DSA implementations this process uses, chosen once, on first use: the platform's
/// where it has one (OpenSSL 3's libcrypto for EdDSA; .NET's MLDsa, i.e. OpenSSL 3.5+, for ML-DSA),
/// BouncyCastle otherwise. Both give the same verdicts because every size, key and canonicity
/// check runs before them (<see cref="EdDsaPolicy"/>, <see cref="MLDsaPolicy"/>); tests prove it by
/// running each backend instance directly.
/// </summary>
internal static class CryptoBackends
{
    private static readonly Lazy<IEdDsaBackend> s_edDsa = new(() =>
        OpenSslEdDsaBackend.Instance.IsAvailable ? OpenSslEdDsaBackend.Instance : BouncyCastleEdDsaBackend.Instance);

    private static readonly Lazy<IMLDsaBackend> s_mlDsa = new(() =>
        PlatformMLDsaBackend.Instance.IsAvailable ? PlatformMLDsaBackend.Instance : BouncyCastleMLDsaBackend.Instance);

    /// <summary>The EdDSA backend in use.</summary>
    internal static IEdDsaBackend EdDsa => s_edDsa.Value;

    /// <summary>The ML-DSA backend in use.</summary>
    internal static IMLDsaBackend MLDsa => s_mlDsa.Value;
}
