using Passkeys.Authenticator.Crypto;
using Passkeys.Authenticator.Tpm;
using Passkeys.Encoding;

namespace Passkeys.Authenticator;

/// <summary>Builds attestation statements and the attestation object (WebAuthn Level 3 §6.5, §8).</summary>
internal static class AttestationBuilder
{
    public static string FormatName(AttestationKind kind) => kind switch
    {
        AttestationKind.None => "none",
        AttestationKind.PackedSelf or AttestationKind.Packed => "packed",
        AttestationKind.FidoU2f => "fido-u2f",
        AttestationKind.Tpm => "tpm",
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    /// <summary>
    /// The attStmt map, CTAP2-canonically encoded. signedClientDataHash is the hash to sign (altered
    /// by the signature fault); rpIdHash and credentialId are those written into authData; options
    /// supply the TPM's AIK algorithm, clock and certInfo faults.
    /// </summary>
    public static byte[] Statement(
        AttestationKind kind, byte[] authData, byte[] signedClientDataHash, CredentialKey credentialKey,
        byte[] rpIdHash, byte[] credentialId, Func<TestCertificateAuthority> ca, Guid aaguid, SoftwareAuthenticatorOptions options)
    {
        byte[] signedData = [.. authData, .. signedClientDataHash];
        switch (kind)
        {
            case AttestationKind.None:
                return CborWriter.Encode(Map());
            case AttestationKind.PackedSelf:
                return CborWriter.Encode(Map(
                    ("alg", new CborInteger(credentialKey.Algorithm)),
                    ("sig", new CborByteString(credentialKey.Sign(signedData)))));
            case AttestationKind.Packed:
            {
                var authority = ca();
                var (certificate, key) = authority.IssuePackedAttestation(aaguid);
                using (certificate)
                using (key)
                {
                    return CborWriter.Encode(Map(
                        ("alg", new CborInteger(SupportedAlgorithms.ES256)),
                        ("sig", new CborByteString(key.Sign(signedData))),
                        ("x5c", new CborArray([new CborByteString(certificate.RawData), new CborByteString(authority.Intermediate.RawData)]))));
                }
            }
            case AttestationKind.FidoU2f:
            {
                // FIDO U2F raw message §4.3: 0x00 ‖ application ‖ challenge ‖ keyHandle ‖ user public key (0x04 ‖ x ‖ y).
                var ec = (EcCredentialKey)credentialKey;
                byte[] u2fSigned = [0x00, .. rpIdHash, .. signedClientDataHash, .. credentialId, 0x04, .. ec.Parameters.Q.X!, .. ec.Parameters.Q.Y!];
                var (certificate, key) = ca().IssueU2fAttestation();
                using (certificate)
                using (key)
                {
                    return CborWriter.Encode(Map(
                        ("sig", new CborByteString(key.Sign(u2fSigned))),
                        ("x5c", new CborArray([new CborByteString(certificate.RawData)]))));
                }
            }
            case AttestationKind.Tpm:
            {
                var authority = ca();
                // The AIK belongs to the CA's lifetime (one per TPM), so it is not disposed here.
                var aik = authority.TpmAik(options.TpmAikAlgorithm, aaguid);
                return CborWriter.Encode(TpmAttestation.Statement(
                    credentialKey, signedData, aik, authority.Intermediate, options.Time.GetUtcNow(), options.Faults));
            }
            default:
                throw new ArgumentOutOfRangeException(nameof(kind));
        }
    }

    /// <summary>{"fmt", "attStmt", "authData"} in canonical order (keys sort by length first).</summary>
    public static byte[] AttestationObject(string fmt, byte[] attStmt, byte[] authData, bool malformed)
    {
        var writer = new CborWriter();
        writer.WriteStartMap(malformed ? 4 : 3);
        writer.WriteTextString("fmt");
        writer.WriteTextString(fmt);
        writer.WriteTextString("attStmt");
        writer.WriteEncoded(attStmt);
        writer.WriteTextString("authData");
        writer.WriteByteString(authData);
        return writer.ToArray();
    }

    public static CborMap Map(params (string Key, CborValue Value)[] entries) =>
        new([.. entries.Select(e => new KeyValuePair<CborValue, CborValue>(new CborTextString(e.Key), e.Value))]);
}
