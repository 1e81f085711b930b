using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Passkeys.Encoding;

namespace Passkeys.Attestation;

/// <summary>Certificate helpers shared by the attestation formats.</summary>
public static class AttestationCertificates
{
    /// <summary>id-fido-gen-ce-aaguid (WebAuthn L3 §8.2.1): the AAGUID extension.</summary>
    public const string AaguidExtensionOid = "1.3.6.1.4.1.45724.1.1.4";

    /// <summary>Decodes an x5c array (leaf first) into certificates.</summary>
    /// <exception cref="PasskeyException"><see cref="PasskeyError.MalformedAttestationStatement"/> or <see cref="PasskeyError.MalformedCertificate"/>.</exception>
    public static IReadOnlyList<X509Certificate2> ReadX5c(CborValue? value, string format)
    {
        var items = Cbor.AsArray(value, PasskeyError.MalformedAttestationStatement, $"{format} attStmt.x5c");
        if (items.Count == 0)
        {
            throw new PasskeyException(PasskeyError.MalformedAttestationStatement, $"{format} attStmt.x5c is empty");
        }
        var certificates = new X509Certificate2[items.Count];
        for (int i = 0; i < items.Count; i++)
        {
            var der = Cbor.AsBytes(items[i], PasskeyError.MalformedAttestationStatement, $"{format} attStmt.x5c[{i}]");
            certificates[i] = Load(der.Span, $"{format} attStmt.x5c[{i}]");
        }
        return certificates;
    }

    /// <summary>
    /// Decodes one DER certificate, including its version and the extensions the formats read as
    /// typed values (basic constraints, extended key usage, subject alternative name).
    /// </summary>
    /// <remarks>
    /// X509Certificate2 decodes extension values lazily, on first access to a typed property, so
    /// a certificate whose outer DER is fine can still throw CryptographicException deep inside a
    /// format's checks. Decoding them here keeps that failure a certificate-parsing error, reported
    /// once at this boundary (found by the parser fuzzer: a flipped byte in x5c basic constraints).
    /// </remarks>
    /// <exception cref="PasskeyException"><see cref="PasskeyError.MalformedCertificate"/>.</exception>
    public static X509Certificate2 Load(ReadOnlySpan<byte> der, string what)
    {
        X509Certificate2 certificate;
        try
        {
            certificate = X509CertificateLoader.LoadCertificate(der);
        }
        catch (CryptographicException e)
        {
            throw new PasskeyException(PasskeyError.MalformedCertificate, $"{what} is not a DER X.509 certificate: {e.Message}", e);
        }
        string oid = "";
        try
        {
            // Version is read lazily too, and throws for a version field outside v1–v3.
            _ = certificate.Version;
            foreach (var extension in certificate.Extensions)
            {
                oid = extension.Oid?.Value ?? "";
                switch (extension)
                {
                    case X509BasicConstraintsExtension basicConstraints:
                        _ = basicConstraints.CertificateAuthority;
                        break;
                    case X509EnhancedKeyUsageExtension enhancedKeyUsage:
                        _ = enhancedKeyUsage.EnhancedKeyUsages;
                        break;
                    case X509SubjectAlternativeNameExtension subjectAlternativeName:
                        // Read by X509Certificate2.MatchesHostname (android-safetynet).
                        foreach (string _ in subjectAlternativeName.EnumerateDnsNames())
                        {
                        }
                        break;
                }
            }
        }
        catch (CryptographicException e)
        {
            certificate.Dispose();
            string part = oid.Length == 0 ? "a version field that does not decode" : $"an extension {oid} whose value is not valid DER";
            throw new PasskeyException(PasskeyError.MalformedCertificate, $"{what} has {part}: {e.Message}", e);
        }
        return certificate;
    }

    /// <summary>
    /// Reads the AAGUID extension if present. Its value is an OCTET STRING (the extension's
    /// extnValue) wrapping an OCTET STRING of 16 bytes.
    /// </summary>
    /// <returns>The AAGUID, or null when the certificate has no such extension.</returns>
    /// <exception cref="PasskeyException"><see cref="PasskeyError.AttestationCertificateInvalid"/> when the extension is critical or malformed.</exception>
    public static Guid? ReadAaguidExtension(X509Certificate2 certificate)
    {
        var extension = certificate.Extensions[AaguidExtensionOid];
        if (extension is null)
        {
            return null;
        }
        if (extension.Critical)
        {
            throw new PasskeyException(PasskeyError.AttestationCertificateInvalid, "the AAGUID extension must not be critical (§8.2.1)");
        }
        try
        {
            var reader = new AsnReader(extension.RawData, AsnEncodingRules.DER);
            byte[] aaguid = reader.ReadOctetString();
            reader.ThrowIfNotEmpty();
            if (aaguid.Length != 16)
            {
                throw new PasskeyException(PasskeyError.AttestationCertificateInvalid, $"the AAGUID extension holds {aaguid.Length} bytes, not 16");
            }
            return new Guid(aaguid, bigEndian: true);
        }
        catch (AsnContentException e)
        {
            throw new PasskeyException(PasskeyError.AttestationCertificateInvalid, "the AAGUID extension is not a DER OCTET STRING", e);
        }
    }

    /// <summary>Whether the certificate's basic constraints mark it as a CA.</summary>
    public static bool IsCertificateAuthority(X509Certificate2 certificate) =>
        certificate.Extensions[Oids.BasicConstraints] is X509BasicConstraintsExtension { CertificateAuthority: true };

    /// <summary>Reads one relative distinguished name attribute (e.g. "2.5.4.11" for OU) from the subject.</summary>
    /// <exception cref="PasskeyException"><see cref="PasskeyError.AttestationCertificateInvalid"/> when the subject's attributes do not decode.</exception>
    public static string? SubjectAttribute(X509Certificate2 certificate, string oid)
    {
        try
        {
            foreach (var rdn in certificate.SubjectName.EnumerateRelativeDistinguishedNames())
            {
                // A multi-valued RDN has no single type; the attributes read here are single-valued.
                if (!rdn.HasMultipleElements && rdn.GetSingleElementType().Value == oid)
                {
                    return rdn.GetSingleElementValue();
                }
            }
            return null;
        }
        catch (CryptographicException e)
        {
            // Subject names are decoded lazily too (see Load): a value that is not a valid
            // directory string surfaces only here.
            throw new PasskeyException(PasskeyError.AttestationCertificateInvalid, $"the certificate subject does not decode: {e.Message}", e);
        }
    }

    /// <summary>Well-known object identifiers.</summary>
    public static class Oids
    {
        /// <summary>Basic constraints.</summary>
        public const string BasicConstraints = "2.5.29.19";
        /// <summary>Subject alternative name.</summary>
        public const string SubjectAlternativeName = "2.5.29.17";
        /// <summary>Extended key usage.</summary>
        public const string ExtendedKeyUsage = "2.5.29.37";
        /// <summary>Country (C).</summary>
        public const string Country = "2.5.4.6";
        /// <summary>Organization (O).</summary>
        public const string Organization = "2.5.4.10";
        /// <summary>Organizational unit (OU).</summary>
        public const string OrganizationalUnit = "2.5.4.11";
        /// <summary>Common name (CN).</summary>
        public const string CommonName = "2.5.4.3";
    }
}
