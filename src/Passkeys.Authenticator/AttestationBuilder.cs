using Passkeys.Authenticator.Crypto;
using Passkeys.Authenticator.Formats;
using Passkeys.Authenticator.Tpm;
using Passkeys.Encoding;

namespace Passkeys.Authenticator;

/// <summary>
/// What every attestation statement is made from.
/// </summary>
/// <param name="AuthData">authenticatorData as sent.</param>
/// <param name="ClientDataHash">The clientDataHash the client passed (what the statement should cover).</param>
/// <param name="SignedClientDataHash">The hash actually signed (altered by the signature fault).</param>
/// <param name="CredentialKey">The new credential's key.</param>
/// <param name="RpIdHash">The rpIdHash written into authData.</param>
/// <param name="CredentialId">The credential id written into authData.</param>
/// <param name="Ca">The test CA, made on first need.</param>
/// <param name="Aaguid">The AAGUID written into authData.</param>
/// <param name="Options">The authenticator's options (faults, clock, TPM AIK algorithm, compound kinds).</param>
internal sealed record AttestationInput(
    byte[] AuthData, byte[] ClientDataHash, byte[] SignedClientDataHash, CredentialKey CredentialKey, byte[] RpIdHash,
    byte[] CredentialId, Func<TestCertificateAuthority> Ca, Guid Aaguid, SoftwareAuthenticatorOptions Options)
{
    /// <summary>authenticatorData ‖ the signed hash: attToBeSigned for the formats that sign it.</summary>
    public byte[] SignedData => [.. AuthData, .. SignedClientDataHash];

    public AuthenticatorFaults Faults => Options.Faults;
}

/// <summary>Builds attestation statements and the attestation object (WebAuthn Level 3 §6.5, §8).</summary>
internal static class AttestationBuilder
{
    public static string FormatName(AttestationKind kind) => AttestationKinds.FormatName(kind);

    /// <summary>The attStmt, CTAP2-canonically encoded.</summary>
    public static byte[] Statement(AttestationKind kind, AttestationInput input) => CborWriter.Encode(StatementValue(kind, input));

    /// <summary>The attStmt as a CBOR value: a map, or for compound an array of {fmt, attStmt}.</summary>
    private static CborValue StatementValue(AttestationKind kind, AttestationInput input)
    {
        byte[] signedData = input.SignedData;
        switch (kind)
        {
            case AttestationKind.None:
                return Map();
            case AttestationKind.PackedSelf:
                return Map(
                    ("alg", new CborInteger(input.CredentialKey.Algorithm)),
                    ("sig", new CborByteString(input.CredentialKey.Sign(signedData))));
            case AttestationKind.Packed:
            {
                var authority = input.Ca();
                var (certificate, key) = authority.IssuePackedAttestation(input.Aaguid, input.Options.AttestationAlgorithm);
                using (certificate)
                using (key)
                {
                    // alg is the attestation key's: ES256, or ML-DSA whose sig covers the same bytes (pure, empty context).
                    return Map(
                        ("alg", new CborInteger(key.Algorithm)),
                        ("sig", new CborByteString(key.Sign(signedData))),
                        ("x5c", new CborArray([new CborByteString(certificate.RawData), new CborByteString(authority.Intermediate.RawData)])));
                }
            }
            case AttestationKind.FidoU2f:
            {
                // FIDO U2F raw message §4.3: 0x00 ‖ application ‖ challenge ‖ keyHandle ‖ user public key (0x04 ‖ x ‖ y).
                var ec = (EcCredentialKey)input.CredentialKey;
                byte[] u2fSigned = [0x00, .. input.RpIdHash, .. input.SignedClientDataHash, .. input.CredentialId, 0x04, .. ec.Parameters.Q.X!, .. ec.Parameters.Q.Y!];
                var (certificate, key) = input.Ca().IssueU2fAttestation();
                using (certificate)
                using (key)
                {
                    return Map(
                        ("sig", new CborByteString(key.Sign(u2fSigned))),
                        ("x5c", new CborArray([new CborByteString(certificate.RawData)])));
                }
            }
            case AttestationKind.Tpm:
            {
                var authority = input.Ca();
                // The AIK belongs to the CA's lifetime (one per TPM), so it is not disposed here.
                var aik = authority.TpmAik(input.Options.TpmAikAlgorithm, input.Aaguid);
                return TpmAttestation.Statement(input.CredentialKey, signedData, aik, authority.Intermediate, input.Options.Time.GetUtcNow(), input.Faults);
            }
            case AttestationKind.AndroidKey:
                return AndroidKeyAttestation.Statement(input);
            case AttestationKind.AndroidSafetyNet:
                return AndroidSafetyNetAttestation.Statement(input);
            case AttestationKind.Apple:
                return AppleAttestation.Statement(input);
            case AttestationKind.Compound:
                return Compound(input);
            default:
                throw new ArgumentOutOfRangeException(nameof(kind));
        }
    }

    /// <summary>§8.9: [{fmt, attStmt}, …] over the same authenticatorData and clientDataHash.</summary>
    private static CborArray Compound(AttestationInput input)
    {
        // The authenticator's constructor made sure of at least two kinds, none of them compound.
        var kinds = input.Options.CompoundAttestation;
        var items = new List<CborValue>(kinds.Count);
        foreach (var kind in kinds)
        {
            // Keys sort by length first: "fmt" before "attStmt".
            items.Add(Map(("fmt", new CborTextString(FormatName(kind))), ("attStmt", StatementValue(kind, input))));
            if (input.Faults.HasFlag(AuthenticatorFaults.CompoundMissingSubStatement))
            {
                break;
            }
        }
        return new CborArray(items);
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

    /// <summary>A copy of <paramref name="bytes"/> with the last byte inverted: the "other bytes" of the nonce and challenge faults.</summary>
    public static byte[] Altered(byte[] bytes)
    {
        byte[] copy = (byte[])bytes.Clone();
        copy[^1] ^= 0xFF;
        return copy;
    }
}
