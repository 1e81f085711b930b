using System.Formats.Asn1;
using System.Security.Cryptography;
using Passkeys.Encoding;

namespace Passkeys.Attestation;

/// <summary>§8.8 "apple": Apple Anonymous Attestation (iOS/macOS platform authenticators).</summary>
public sealed class AppleAttestationVerifier : IAttestationStatementVerifier
{
    /// <summary>The nonce extension of Apple's credential certificate.</summary>
    public const string NonceExtensionOid = "1.2.840.113635.100.8.2";

    /// <inheritdoc />
    public string Format => "apple";

    /// <inheritdoc />
    public AttestationStatementResult Verify(AttestationStatementInput input)
    {
        // ATT-APPLE-01-cbor: x5c, credCert first.
        var x5c = AttestationCertificates.ReadX5c(input.Statement["x5c"], Format);
        var credCert = x5c[0];
        // ATT-APPLE-05-pubkey (checked first: independent of the nonce, and it names the precise fault)
        if (!input.Credential.CredentialPublicKey.HasSamePublicKey(credCert))
        {
            throw new PasskeyException(PasskeyError.AttestationDataMismatch,
                "apple credCert public key differs from the credential public key (ATT-APPLE-05-pubkey)");
        }
        // ATT-APPLE-02-concat / ATT-APPLE-03-nonce: nonce = SHA-256(authenticatorData ‖ clientDataHash).
        byte[] nonce = SHA256.HashData(input.SignedData());
        // ATT-APPLE-04-ext: the nonce equals extension 1.2.840.113635.100.8.2 (SEQUENCE { [1] EXPLICIT OCTET STRING }).
        var extension = credCert.Extensions[NonceExtensionOid]
            ?? throw new PasskeyException(PasskeyError.AttestationCertificateInvalid,
                $"apple credCert has no nonce extension {NonceExtensionOid} (ATT-APPLE-04-ext)");
        byte[] certNonce = ReadNonce(extension.RawData);
        if (!CryptographicOperations.FixedTimeEquals(nonce, certNonce))
        {
            throw new PasskeyException(PasskeyError.AttestationDataMismatch,
                "apple credCert nonce differs from SHA-256(authenticatorData ‖ clientDataHash) (ATT-APPLE-04-ext)");
        }
        // ATT-APPLE-06-out: the chain to Apple's root is judged at REG-24.
        return new AttestationStatementResult(Format, AttestationType.AnonCA, x5c);
    }

    internal static byte[] ReadNonce(byte[] extensionValue)
    {
        try
        {
            var reader = new AsnReader(extensionValue, AsnEncodingRules.DER);
            var seq = reader.ReadSequence();
            reader.ThrowIfNotEmpty();
            var explicitOne = seq.ReadSequence(new Asn1Tag(TagClass.ContextSpecific, 1, isConstructed: true));
            seq.ThrowIfNotEmpty();
            byte[] nonce = explicitOne.ReadOctetString();
            explicitOne.ThrowIfNotEmpty();
            return nonce;
        }
        catch (AsnContentException e)
        {
            throw new PasskeyException(PasskeyError.AttestationCertificateInvalid,
                "apple nonce extension is not SEQUENCE { [1] EXPLICIT OCTET STRING } (ATT-APPLE-04-ext)", e);
        }
    }
}
