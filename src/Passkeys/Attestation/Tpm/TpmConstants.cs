namespace Passkeys.Attestation.Tpm;

/// <summary>TPM 2.0 constants used by WebAuthn "tpm" attestation (TPM 2.0 Library Part 2).</summary>
public static class TpmConstants
{
    /// <summary>TPM_GENERATED_VALUE: certInfo.magic of a structure the TPM itself produced.</summary>
    public const uint GeneratedValue = 0xff544347;
    /// <summary>TPM_ST_ATTEST_CERTIFY: certInfo.type of a TPM2_Certify result.</summary>
    public const ushort StAttestCertify = 0x8017;

    /// <summary>TPM_ALG_RSA.</summary>
    public const ushort AlgRsa = 0x0001;
    /// <summary>TPM_ALG_SHA1.</summary>
    public const ushort AlgSha1 = 0x0004;
    /// <summary>TPM_ALG_SHA256.</summary>
    public const ushort AlgSha256 = 0x000B;
    /// <summary>TPM_ALG_SHA384.</summary>
    public const ushort AlgSha384 = 0x000C;
    /// <summary>TPM_ALG_SHA512.</summary>
    public const ushort AlgSha512 = 0x000D;
    /// <summary>TPM_ALG_NULL.</summary>
    public const ushort AlgNull = 0x0010;
    /// <summary>TPM_ALG_ECC.</summary>
    public const ushort AlgEcc = 0x0023;

    /// <summary>TPM_ECC_NIST_P256.</summary>
    public const ushort EccNistP256 = 0x0003;
    /// <summary>TPM_ECC_NIST_P384.</summary>
    public const ushort EccNistP384 = 0x0004;
    /// <summary>TPM_ECC_NIST_P521.</summary>
    public const ushort EccNistP521 = 0x0005;
}
