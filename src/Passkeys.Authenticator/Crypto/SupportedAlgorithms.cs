namespace Passkeys.Authenticator;

/// <summary>The COSE algorithms the software authenticator can create credentials for.</summary>
public static class SupportedAlgorithms
{
    /// <summary>ECDSA P-256 with SHA-256.</summary>
    public const int ES256 = -7;
    /// <summary>EdDSA (Ed25519).</summary>
    public const int EdDSA = -8;
    /// <summary>ECDSA P-384 with SHA-384.</summary>
    public const int ES384 = -35;
    /// <summary>ECDSA P-521 with SHA-512.</summary>
    public const int ES512 = -36;
    /// <summary>RSASSA-PSS with SHA-256.</summary>
    public const int PS256 = -37;
    /// <summary>RSASSA-PKCS1-v1_5 with SHA-256.</summary>
    public const int RS256 = -257;
    /// <summary>ML-DSA-44 (FIPS 204), post-quantum.</summary>
    public const int MLDsa44 = -48;
    /// <summary>ML-DSA-65 (FIPS 204), post-quantum.</summary>
    public const int MLDsa65 = -49;
    /// <summary>ML-DSA-87 (FIPS 204), post-quantum.</summary>
    public const int MLDsa87 = -50;

    /// <summary>Every supported algorithm.</summary>
    public static IReadOnlyList<int> All { get; } = [ES256, EdDSA, ES384, ES512, PS256, RS256, MLDsa44, MLDsa65, MLDsa87];

    /// <summary>Whether <paramref name="algorithm"/> is supported.</summary>
    public static bool IsSupported(int algorithm) => All.Contains(algorithm);
}
