using System.Security.Cryptography.X509Certificates;
using Passkeys.Cose;
using Passkeys.Encoding;

namespace Passkeys.Attestation;

/// <summary>§8.2 "packed": a statement signed by an attestation certificate (x5c) or by the credential key itself (self attestation).</summary>
public sealed class PackedAttestationVerifier : IAttestationStatementVerifier
{
    /// <inheritdoc />
    public string Format => "packed";

    /// <inheritdoc />
    public AttestationStatementResult Verify(AttestationStatementInput input)
    {
        // ATT-PACKED-01-cbor: alg (int), sig (bytes), optional x5c (array of bytes).
        var statement = input.Statement;
        var alg = (CoseAlgorithm)Cbor.AsInt64(statement["alg"], PasskeyError.MalformedAttestationStatement, "packed attStmt.alg");
        var sig = Cbor.AsBytes(statement["sig"], PasskeyError.MalformedAttestationStatement, "packed attStmt.sig");
        var x5c = statement["x5c"] is { } x5cValue ? AttestationCertificates.ReadX5c(x5cValue, Format) : null;
        AttestationAlgorithms.EnsureAllowed(alg, input.Options, Format);
        byte[] signed = input.SignedData();

        if (x5c is not null)
        {
            var attestnCert = x5c[0];
            // ATT-PACKED-02a-sig: sig is a valid signature over authData ‖ clientDataHash by attestnCert's key with alg.
            var attestnKey = CosePublicKey.FromCertificate(attestnCert, alg);
            if (attestnKey.SignatureDefect(sig.Span) is { } attestnDefect)
            {
                throw attestnDefect;
            }
            if (!attestnKey.Verify(signed, sig.Span))
            {
                throw new PasskeyException(PasskeyError.AttestationSignatureInvalid,
                    $"packed attestation signature ({CoseAlgorithms.Name(alg)}) does not verify with the attestation certificate '{attestnCert.Subject}' (ATT-PACKED-02a-sig)");
            }
            // ATT-PACKED-02b-certreq: §8.2.1 certificate requirements.
            VerifyCertificateRequirements(attestnCert);
            // ATT-PACKED-02c-aaguid: the AAGUID extension, when present, matches authenticatorData.
            var certAaguid = AttestationCertificates.ReadAaguidExtension(attestnCert);
            if (certAaguid is { } aaguid && aaguid != input.Credential.Aaguid)
            {
                throw new PasskeyException(PasskeyError.AttestationAaguidMismatch,
                    $"the attestation certificate's AAGUID {aaguid} differs from authenticatorData's {input.Credential.Aaguid} (ATT-PACKED-02c-aaguid)");
            }
            // ATT-PACKED-02d-type / 02e-out: telling Basic from AttCA needs outside knowledge (metadata);
            // FIDO packed x5c is Basic in practice, so that is what we report.
            return new AttestationStatementResult(Format, AttestationType.Basic, x5c);
        }

        // ATT-PACKED-03a-alg: self attestation uses the credential key, so alg must be its algorithm.
        var credentialKey = input.Credential.CredentialPublicKey;
        if (alg != credentialKey.Algorithm)
        {
            throw new PasskeyException(PasskeyError.AttestationDataMismatch,
                $"self attestation alg {CoseAlgorithms.Name(alg)} differs from the credential key's {CoseAlgorithms.Name(credentialKey.Algorithm)} (ATT-PACKED-03a-alg)");
        }
        // ATT-PACKED-03b-sig
        if (credentialKey.SignatureDefect(sig.Span) is { } defect)
        {
            throw defect;
        }
        if (!credentialKey.Verify(signed, sig.Span))
        {
            throw new PasskeyException(PasskeyError.AttestationSignatureInvalid,
                "packed self-attestation signature does not verify with the credential public key (ATT-PACKED-03b-sig)");
        }
        // ATT-PACKED-03c-out
        return new AttestationStatementResult(Format, AttestationType.Self, []);
    }

    /// <summary>§8.2.1: version 3; subject C, O, OU = "Authenticator Attestation", CN; not a CA.</summary>
    private static void VerifyCertificateRequirements(X509Certificate2 certificate)
    {
        if (certificate.Version != 3)
        {
            throw CertificateInvalid($"is version {certificate.Version}, not 3");
        }
        string? country = AttestationCertificates.SubjectAttribute(certificate, AttestationCertificates.Oids.Country);
        if (country is not { Length: 2 })
        {
            throw CertificateInvalid($"subject C must be a two-letter country code; found '{country}'");
        }
        if (string.IsNullOrEmpty(AttestationCertificates.SubjectAttribute(certificate, AttestationCertificates.Oids.Organization)))
        {
            throw CertificateInvalid("subject has no O (the authenticator vendor)");
        }
        string? unit = AttestationCertificates.SubjectAttribute(certificate, AttestationCertificates.Oids.OrganizationalUnit);
        if (!string.Equals(unit, "Authenticator Attestation", StringComparison.Ordinal))
        {
            throw CertificateInvalid($"subject OU must be 'Authenticator Attestation'; found '{unit}'");
        }
        if (string.IsNullOrEmpty(AttestationCertificates.SubjectAttribute(certificate, AttestationCertificates.Oids.CommonName)))
        {
            throw CertificateInvalid("subject has no CN");
        }
        if (AttestationCertificates.IsCertificateAuthority(certificate))
        {
            throw CertificateInvalid("has basic constraints CA=true");
        }
    }

    private static PasskeyException CertificateInvalid(string detail) =>
        new(PasskeyError.AttestationCertificateInvalid, $"packed attestation certificate {detail} (ATT-PACKED-02b-certreq, §8.2.1)");
}
