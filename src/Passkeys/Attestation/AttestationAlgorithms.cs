using Passkeys.Cose;

namespace Passkeys.Attestation;

/// <summary>Algorithm policy shared by the attestation formats.</summary>
public static class AttestationAlgorithms
{
    /// <summary>Refuses RS1 unless explicitly allowed: SHA-1 signatures are forgeable in practice.</summary>
    public static void EnsureAllowed(CoseAlgorithm alg, AttestationVerificationOptions options, string format)
    {
        if (alg == CoseAlgorithm.RS1 && !options.AllowRs1)
        {
            throw new PasskeyException(PasskeyError.UnsupportedAlgorithm,
                $"{format} attestation uses RS1 (RSASSA-PKCS1-v1_5 with SHA-1), which is not allowed unless AllowRs1 is set");
        }
    }
}
