using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Passkeys.Authenticator.Crypto;
using Passkeys.Encoding;

namespace Passkeys.Authenticator.Tpm;

/// <summary>
/// Plays a TPM 2.0 that certifies a freshly created credential key with its attestation identity
/// key (TPM2_Certify), producing the "tpm" attestation statement of WebAuthn Level 3 §8.3:
/// <c>{ver: "2.0", alg, x5c: [aikCert, intermediate], sig, certInfo, pubArea}</c>.
/// </summary>
/// <remarks>
/// pubArea is the credential key's TPMT_PUBLIC and certInfo the TPMS_ATTEST that TPM2_Certify
/// returns (TPM 2.0 Library Part 2 §12.2.4 and §10.12.12); sig is the AIK's signature over
/// certInfo, sent as the bare signature the way Windows Hello sends it (RSASSA bytes; ECDSA as a
/// DER SEQUENCE like every other WebAuthn ECDSA signature).
/// https://www.w3.org/TR/webauthn-3/#sctn-tpm-attestation
/// </remarks>
internal static class TpmAttestation
{
    /// <summary>TPMS_CLOCK_INFO.clock counts milliseconds since the TPM was last cleared; say at the start of 2024.</summary>
    private static readonly DateTimeOffset ClearedAt = new(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>firmwareVersion: an opaque vendor value (here "1.38", build 0).</summary>
    private const ulong FirmwareVersion = 0x0001_0026_0000_0000;

    /// <summary>Builds the attStmt map.</summary>
    /// <param name="credentialKey">The certified key (RSA or ECDSA on P-256/384/521).</param>
    /// <param name="attToBeSigned">authenticatorData ‖ clientDataHash (the hash the signature fault alters).</param>
    /// <param name="aik">The AIK certificate and its key (RS256 or ES256).</param>
    /// <param name="intermediate">The AIK certificate's issuer, sent as x5c[1].</param>
    /// <param name="now">The TPM's idea of the time, for clockInfo.</param>
    /// <param name="faults">The TPM certInfo faults in effect (each re-signed by the AIK).</param>
    public static CborMap Statement(
        CredentialKey credentialKey, byte[] attToBeSigned, (X509Certificate2 Certificate, CredentialKey Key) aik,
        X509Certificate2 intermediate, DateTimeOffset now, AuthenticatorFaults faults)
    {
        byte[] pubArea = PubArea(credentialKey);
        byte[] extraData = ExtraData(aik.Key.Algorithm, attToBeSigned);
        byte[] certInfo = CertInfo(pubArea, extraData, aik.Key, now, faults);
        return AttestationBuilder.Map(
            ("ver", new CborTextString("2.0")),
            ("alg", new CborInteger(aik.Key.Algorithm)),
            ("x5c", new CborArray([new CborByteString(aik.Certificate.RawData), new CborByteString(intermediate.RawData)])),
            ("sig", new CborByteString(aik.Key.Sign(certInfo))),
            ("certInfo", new CborByteString(certInfo)),
            ("pubArea", new CborByteString(pubArea)));
    }

    /// <summary>Whether a TPM can hold a key for <paramref name="algorithm"/> (TPM_ALG_RSA or TPM_ALG_ECC on a NIST curve).</summary>
    public static bool CanCertify(int algorithm) => algorithm is SupportedAlgorithms.RS256 or SupportedAlgorithms.PS256
        or SupportedAlgorithms.ES256 or SupportedAlgorithms.ES384 or SupportedAlgorithms.ES512;

    /// <summary>TPMT_PUBLIC of the credential key, nameAlg SHA-256, no auth policy, scheme TPM_ALG_NULL.</summary>
    public static byte[] PubArea(CredentialKey credentialKey)
    {
        var writer = new TpmWriter();
        switch (credentialKey)
        {
            case RsaCredentialKey rsa:
            {
                var p = rsa.PublicParameters;
                writer.UInt16(TpmValues.AlgRsa).UInt16(TpmValues.AlgSha256).UInt32(TpmValues.CredentialKeyAttributes)
                    .Sized([])                       // authPolicy: none
                    .UInt16(TpmValues.AlgNull)       // parameters.symmetric: not a storage key
                    .UInt16(TpmValues.AlgNull)       // parameters.scheme: any scheme the key's use allows
                    .UInt16((ushort)(p.Modulus!.Length * 8))
                    .UInt32(Exponent(p.Exponent!))
                    .Sized(p.Modulus);               // unique.rsa
                break;
            }
            case EcCredentialKey ec:
            {
                int size = ec.CoseCurve switch { 1 => 32, 2 => 48, _ => 66 };
                ushort curve = ec.CoseCurve switch { 1 => TpmValues.EccNistP256, 2 => TpmValues.EccNistP384, _ => TpmValues.EccNistP521 };
                writer.UInt16(TpmValues.AlgEcc).UInt16(TpmValues.AlgSha256).UInt32(TpmValues.CredentialKeyAttributes)
                    .Sized([])
                    .UInt16(TpmValues.AlgNull)       // parameters.symmetric
                    .UInt16(TpmValues.AlgNull)       // parameters.scheme
                    .UInt16(curve)                   // parameters.curveID
                    .UInt16(TpmValues.AlgNull)       // parameters.kdf
                    .Sized(Pad(ec.Parameters.Q.X!, size))   // unique.ecc.x
                    .Sized(Pad(ec.Parameters.Q.Y!, size));  // unique.ecc.y
                break;
            }
            default:
                throw new NotSupportedException(
                    $"tpm attestation cannot certify a COSE algorithm {credentialKey.Algorithm} key: a TPM 2.0 holds RSA (TPM_ALG_RSA) and NIST-curve ECC (TPM_ALG_ECC) keys, not Ed25519");
        }
        return writer.ToArray();
    }

    /// <summary>The TPM Name of an object: nameAlg ‖ SHA-256(pubArea).</summary>
    public static byte[] Name(byte[] pubArea) => [(byte)(TpmValues.AlgSha256 >> 8), (byte)TpmValues.AlgSha256, .. SHA256.HashData(pubArea)];

    private static byte[] ExtraData(int aikAlgorithm, byte[] attToBeSigned) => aikAlgorithm switch
    {
        // The hash of the AIK's signing algorithm (ATT-TPM-10): both offered AIK algorithms use SHA-256.
        SupportedAlgorithms.RS256 or SupportedAlgorithms.ES256 => SHA256.HashData(attToBeSigned),
        _ => throw new NotSupportedException($"a TPM AIK signs with RS256 or ES256, not COSE algorithm {aikAlgorithm}"),
    };

    /// <summary>TPMS_ATTEST with a TPMS_CERTIFY_INFO, as TPM2_Certify returns it.</summary>
    private static byte[] CertInfo(byte[] pubArea, byte[] extraData, CredentialKey aikKey, DateTimeOffset now, AuthenticatorFaults faults)
    {
        byte[] name = Name(pubArea);
        // qualifiedName = nameAlg ‖ H(parent's qualified name ‖ Name): the key is created under the
        // owner hierarchy, whose qualified name is its handle.
        byte[] ownerHandle = new TpmWriter().UInt32(TpmValues.RhOwner).ToArray();
        byte[] qualifiedName = [(byte)(TpmValues.AlgSha256 >> 8), (byte)TpmValues.AlgSha256, .. SHA256.HashData([.. ownerHandle, .. name])];
        if (faults.HasFlag(AuthenticatorFaults.TpmWrongAttestedName))
        {
            // Only the name is wrong; qualifiedName (which WebAuthn ignores) stays that of the real key.
            name[^1] ^= 0xFF;
        }
        // qualifiedSigner: the AIK's qualified name; WebAuthn ignores it, so a stand-in of the right shape.
        byte[] qualifiedSigner = [(byte)(TpmValues.AlgSha256 >> 8), (byte)TpmValues.AlgSha256, .. SHA256.HashData(aikKey.SubjectPublicKeyInfo)];
        ulong clock = (ulong)Math.Max(0, (long)(now - ClearedAt).TotalMilliseconds);

        return new TpmWriter()
            .UInt32(faults.HasFlag(AuthenticatorFaults.TpmWrongMagic) ? TpmValues.GeneratedValue ^ 1 : TpmValues.GeneratedValue)
            .UInt16(faults.HasFlag(AuthenticatorFaults.TpmWrongAttestType) ? TpmValues.StAttestQuote : TpmValues.StAttestCertify)
            .Sized(qualifiedSigner)
            .Sized(extraData)
            .UInt64(clock).UInt32(1).UInt32(0).Byte(1)  // clockInfo: clock, resetCount, restartCount, safe=YES
            .UInt64(FirmwareVersion)
            .Sized(name)                                // attested.name
            .Sized(qualifiedName)                       // attested.qualifiedName
            .ToArray();
    }

    /// <summary>TPMS_RSA_PARMS.exponent: 0 stands for the default 2^16+1, as TPMs marshal it.</summary>
    private static uint Exponent(byte[] exponent)
    {
        uint e = 0;
        foreach (byte b in exponent)
        {
            e = (e << 8) | b;
        }
        return e == 65537 ? 0 : e;
    }

    private static byte[] Pad(byte[] coordinate, int size) =>
        coordinate.Length >= size ? coordinate : [.. new byte[size - coordinate.Length], .. coordinate];
}
