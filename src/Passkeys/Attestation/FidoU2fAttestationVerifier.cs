using Passkeys.Cose;
using Passkeys.Encoding;

namespace Passkeys.Attestation;

/// <summary>§8.6 "fido-u2f": the FIDO U2F registration signature, for U2F security keys used through CTAP1.</summary>
public sealed class FidoU2fAttestationVerifier : IAttestationStatementVerifier
{
    /// <inheritdoc />
    public string Format => "fido-u2f";

    /// <inheritdoc />
    public AttestationStatementResult Verify(AttestationStatementInput input)
    {
        // ATT-U2F-01-cbor: x5c and sig.
        var statement = input.Statement;
        var x5c = AttestationCertificates.ReadX5c(statement["x5c"], Format);
        var sig = Cbor.AsBytes(statement["sig"], PasskeyError.MalformedAttestationStatement, "fido-u2f attStmt.sig");

        // ATT-U2F-02-cert: exactly one certificate, with an EC P-256 key.
        if (x5c.Count != 1)
        {
            throw new PasskeyException(PasskeyError.MalformedAttestationStatement,
                $"fido-u2f attStmt.x5c must hold exactly one certificate; it holds {x5c.Count} (ATT-U2F-02-cert)");
        }
        var certificateKey = CosePublicKey.FromCertificate(x5c[0], CoseAlgorithm.ES256);

        // ATT-U2F-03-extract
        var credential = input.Credential;
        // ATT-U2F-04-rawkey: the credential key as a raw uncompressed P-256 point.
        if (credential.CredentialPublicKey.KeyType != CoseKeyType.EC2 || credential.CredentialPublicKey.Curve != CoseCurve.P256)
        {
            throw new PasskeyException(PasskeyError.AttestationDataMismatch,
                $"fido-u2f credentials are EC2 P-256 keys; this one is {credential.CredentialPublicKey.KeyType} {credential.CredentialPublicKey.Curve} (ATT-U2F-04-rawkey)");
        }
        byte[] publicKeyU2F = credential.CredentialPublicKey.GetUncompressedEcPoint();

        // ATT-U2F-05-data: 0x00 ‖ rpIdHash ‖ clientDataHash ‖ credentialId ‖ publicKeyU2F
        var rpIdHash = input.AuthenticatorData.RpIdHash;
        var cdh = input.ClientDataHash.Span;
        var id = credential.CredentialId.Span;
        byte[] verificationData = new byte[1 + rpIdHash.Length + cdh.Length + id.Length + publicKeyU2F.Length];
        var span = verificationData.AsSpan(1);
        rpIdHash.CopyTo(span);
        cdh.CopyTo(span = span[rpIdHash.Length..]);
        id.CopyTo(span = span[cdh.Length..]);
        publicKeyU2F.CopyTo(span[id.Length..]);

        // ATT-U2F-06-sig
        if (!certificateKey.Verify(verificationData, sig.Span))
        {
            throw new PasskeyException(PasskeyError.AttestationSignatureInvalid,
                $"fido-u2f signature does not verify with the attestation certificate '{x5c[0].Subject}' (ATT-U2F-06-sig)");
        }
        // ATT-U2F-07-type / 08-out: Basic or AttCA needs outside knowledge; U2F keys use batch (Basic) attestation.
        return new AttestationStatementResult(Format, AttestationType.Basic, x5c);
    }
}
