using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Passkeys.Attestation.Tpm;
using Passkeys.Cose;
using Passkeys.Encoding;

namespace Passkeys.Attestation;

/// <summary>
/// §8.3 "tpm": a TPM 2.0 certifies the credential key (TPM2_Certify) with an attestation identity
/// key (AIK) whose certificate is x5c[0]. Windows Hello is the common producer.
/// </summary>
public sealed class TpmAttestationVerifier : IAttestationStatementVerifier
{
    /// <summary>tcg-kp-AIKCertificate: the EKU an AIK certificate carries.</summary>
    public const string AikCertificateEku = "2.23.133.8.3";
    /// <summary>tcg-at-tpmManufacturer.</summary>
    public const string TpmManufacturerOid = "2.23.133.2.1";
    /// <summary>tcg-at-tpmModel.</summary>
    public const string TpmModelOid = "2.23.133.2.2";
    /// <summary>tcg-at-tpmVersion.</summary>
    public const string TpmVersionOid = "2.23.133.2.3";

    /// <inheritdoc />
    public string Format => "tpm";

    /// <inheritdoc />
    /// <remarks>
    /// The steps run in the order of §8.3's verification procedure (ATT-TPM-01 … 12), so the code
    /// reads against the spec line by line: the signature over certInfo (07) is checked before
    /// certInfo's contents (08–11) are trusted.
    /// </remarks>
    public AttestationStatementResult Verify(AttestationStatementInput input)
    {
        // ATT-TPM-01-cbor: ver "2.0", alg, x5c, sig, certInfo, pubArea; certInfo and pubArea must be
        // well-formed TPMS_ATTEST and TPMT_PUBLIC structures (their values are checked below).
        var statement = input.Statement;
        string ver = Cbor.AsText(statement["ver"], PasskeyError.MalformedAttestationStatement, "tpm attStmt.ver");
        if (!string.Equals(ver, "2.0", StringComparison.Ordinal))
        {
            throw new PasskeyException(PasskeyError.MalformedAttestationStatement, $"tpm attStmt.ver is '{ver}', not '2.0' (ATT-TPM-01-cbor)");
        }
        var alg = (CoseAlgorithm)Cbor.AsInt64(statement["alg"], PasskeyError.MalformedAttestationStatement, "tpm attStmt.alg");
        var sig = Cbor.AsBytes(statement["sig"], PasskeyError.MalformedAttestationStatement, "tpm attStmt.sig");
        var certInfoBytes = Cbor.AsBytes(statement["certInfo"], PasskeyError.MalformedAttestationStatement, "tpm attStmt.certInfo");
        var pubAreaBytes = Cbor.AsBytes(statement["pubArea"], PasskeyError.MalformedAttestationStatement, "tpm attStmt.pubArea");
        var pubArea = TpmtPublic.Parse(pubAreaBytes.Span);
        var certInfo = TpmsAttest.Parse(certInfoBytes.Span);

        // ATT-TPM-02-pubarea: the key in pubArea's parameters and unique is the credential public key.
        VerifyPubAreaKey(pubArea, input.Credential.CredentialPublicKey);

        // ATT-TPM-03-tbs: attToBeSigned = authenticatorData ‖ clientDataHash.
        byte[] attToBeSigned = input.SignedData();

        // ATT-TPM-04-x5c: x5c is present (ECDAA, the alternative, was removed from WebAuthn).
        if (statement["x5c"] is null)
        {
            throw new PasskeyException(PasskeyError.MalformedAttestationStatement, "tpm attStmt.x5c is missing (ATT-TPM-04-x5c)");
        }
        var x5c = AttestationCertificates.ReadX5c(statement["x5c"], Format);
        var aikCert = x5c[0];

        // ATT-TPM-05-certreq: §8.3.1 AIK certificate requirements.
        VerifyAikCertificate(aikCert);

        // ATT-TPM-06-aaguid: the AAGUID extension, when present, matches authenticatorData.
        if (AttestationCertificates.ReadAaguidExtension(aikCert) is { } certAaguid && certAaguid != input.Credential.Aaguid)
        {
            throw new PasskeyException(PasskeyError.AttestationAaguidMismatch,
                $"the AIK certificate's AAGUID {certAaguid} differs from authenticatorData's {input.Credential.Aaguid} (ATT-TPM-06-aaguid)");
        }

        // ATT-TPM-07-sig: sig is a signature over certInfo by the AIK with alg.
        // NOTE: no RS1 gate on the AIK's certInfo signature. Windows Hello TPM AIKs sign certInfo with
        // RSASSA-PKCS1-v1_5/SHA-1 (every real Windows Hello vector does), and a TPM only signs
        // certInfo it generated itself (magic TPM_GENERATED_VALUE), so there is no attacker-chosen
        // prefix to collide. A credential key with alg RS1 is still refused by the ceremony's
        // pubKeyCredParams check unless the RP allows RS1.
        if (!CosePublicKey.FromCertificate(aikCert, alg).Verify(certInfoBytes.Span, sig.Span))
        {
            throw new PasskeyException(PasskeyError.AttestationSignatureInvalid,
                $"tpm signature ({CoseAlgorithms.Name(alg)}) over certInfo does not verify with the AIK certificate (ATT-TPM-07-sig)");
        }

        // ATT-TPM-08-magic: certInfo.magic is TPM_GENERATED_VALUE.
        if (certInfo.Magic != TpmConstants.GeneratedValue)
        {
            throw new PasskeyException(PasskeyError.AttestationDataMismatch,
                $"tpm certInfo.magic is 0x{certInfo.Magic:x8}, not TPM_GENERATED_VALUE 0xff544347 (ATT-TPM-08-magic)");
        }

        // ATT-TPM-09-type: certInfo.type is TPM_ST_ATTEST_CERTIFY.
        if (certInfo.Type != TpmConstants.StAttestCertify)
        {
            throw new PasskeyException(PasskeyError.AttestationDataMismatch,
                $"tpm certInfo.type is 0x{certInfo.Type:x4}, not TPM_ST_ATTEST_CERTIFY (0x8017) (ATT-TPM-09-type)");
        }

        // ATT-TPM-10-extradata: extraData = hash of attToBeSigned with alg's hash.
        var hash = CoseAlgorithms.HashAlgorithm(alg) ?? throw new PasskeyException(PasskeyError.MalformedAttestationStatement,
            $"tpm attStmt.alg {CoseAlgorithms.Name(alg)} has no hash algorithm to compute extraData with (ATT-TPM-10-extradata)");
        byte[] expectedExtraData = Hash(hash, attToBeSigned);
        if (!CryptographicOperations.FixedTimeEquals(expectedExtraData, certInfo.ExtraData))
        {
            throw new PasskeyException(PasskeyError.AttestationDataMismatch,
                $"tpm certInfo.extraData ({certInfo.ExtraData.Length} bytes) is not the {hash.Name} of authenticatorData ‖ clientDataHash (ATT-TPM-10-extradata)");
        }

        // ATT-TPM-11-name: attested is a TPMS_CERTIFY_INFO whose name is pubArea's Name
        // (nameAlg ‖ H_nameAlg(pubArea)); qualifiedSigner, clockInfo and firmwareVersion are ignored.
        byte[] expectedName = TpmtPublic.ComputeName(pubArea.NameAlg, pubAreaBytes.Span);
        if (!certInfo.AttestedName.AsSpan().SequenceEqual(expectedName))
        {
            throw new PasskeyException(PasskeyError.AttestationDataMismatch,
                "tpm certInfo.attested.name is not the Name of pubArea (nameAlg ‖ hash of pubArea) (ATT-TPM-11-name)");
        }

        // ATT-TPM-12-out: attestation type AttCA, trust path x5c.
        return new AttestationStatementResult(Format, AttestationType.AttCA, x5c);
    }

    private static byte[] Hash(HashAlgorithmName hash, byte[] data) => hash.Name switch
    {
        "SHA1" => SHA1.HashData(data),
        "SHA256" => SHA256.HashData(data),
        "SHA384" => SHA384.HashData(data),
        "SHA512" => SHA512.HashData(data),
        _ => throw new PasskeyException(PasskeyError.MalformedAttestationStatement, $"unsupported hash {hash.Name} for tpm extraData"),
    };

    private static void VerifyPubAreaKey(TpmtPublic pubArea, CosePublicKey credentialKey)
    {
        switch (pubArea.Type)
        {
            case TpmConstants.AlgRsa when credentialKey.KeyType == CoseKeyType.RSA:
            {
                var rsa = credentialKey.GetRsaParameters();
                // NOTE: the exponent is a big-endian UINT32 with 0 meaning 65537; fido2-net-lib once read it
                // little-endian (PR #671), which only worked because 65537 was usually marshalled as 0.
                if (!TrimLeadingZeros(rsa.Modulus).SequenceEqual(TrimLeadingZeros(pubArea.RsaModulus))
                    || !TrimLeadingZeros(rsa.Exponent).SequenceEqual(pubArea.RsaExponentBytes()))
                {
                    throw PubAreaMismatch("the RSA modulus or exponent in pubArea differs from the credential public key");
                }
                return;
            }
            case TpmConstants.AlgEcc when credentialKey.KeyType == CoseKeyType.EC2:
            {
                CoseCurve? curve = pubArea.EccCurveId switch
                {
                    TpmConstants.EccNistP256 => CoseCurve.P256,
                    TpmConstants.EccNistP384 => CoseCurve.P384,
                    TpmConstants.EccNistP521 => CoseCurve.P521,
                    _ => null,
                };
                if (curve is null || curve != credentialKey.Curve)
                {
                    throw PubAreaMismatch($"pubArea curve 0x{pubArea.EccCurveId:x4} differs from the credential key's curve {credentialKey.Curve}");
                }
                var ec = credentialKey.GetEcParameters();
                // Coordinates are compared as integers: some TPM stacks marshal a leading zero byte.
                if (!TrimLeadingZeros(pubArea.EccX).SequenceEqual(TrimLeadingZeros(ec.Q.X))
                    || !TrimLeadingZeros(pubArea.EccY).SequenceEqual(TrimLeadingZeros(ec.Q.Y)))
                {
                    throw PubAreaMismatch("the EC point in pubArea differs from the credential public key");
                }
                return;
            }
            default:
                throw PubAreaMismatch($"pubArea type 0x{pubArea.Type:x4} does not match the credential key type {credentialKey.KeyType}");
        }
    }

    private static ReadOnlySpan<byte> TrimLeadingZeros(byte[]? value)
    {
        ReadOnlySpan<byte> span = value;
        int i = 0;
        while (i < span.Length - 1 && span[i] == 0)
        {
            i++;
        }
        return span[i..];
    }

    private static PasskeyException PubAreaMismatch(string detail) =>
        new(PasskeyError.AttestationDataMismatch, $"{detail} (ATT-TPM-02-pubarea)");

    /// <summary>§8.3.1: v3, empty subject, TCG SAN, AIK EKU, not a CA.</summary>
    private static void VerifyAikCertificate(X509Certificate2 aik)
    {
        if (aik.Version != 3)
        {
            throw AikInvalid($"is version {aik.Version}, not 3");
        }
        if (aik.SubjectName.RawData.Length != 2)
        {
            // An empty Name encodes as 30 00.
            throw AikInvalid($"subject must be empty; found '{aik.Subject}'");
        }
        var san = aik.Extensions[AttestationCertificates.Oids.SubjectAlternativeName]
            ?? throw AikInvalid("has no subject alternative name extension");
        // The TCG EK profile makes the SAN critical because the subject is empty (RFC 5280 §4.2.1.6).
        if (!san.Critical)
        {
            throw AikInvalid("subject alternative name extension is not critical");
        }
        ReadTpmDeviceAttributes(san.RawData);
        var eku = aik.Extensions[AttestationCertificates.Oids.ExtendedKeyUsage] as X509EnhancedKeyUsageExtension
            ?? throw AikInvalid("has no extended key usage extension");
        bool hasAik = false;
        foreach (var usage in eku.EnhancedKeyUsages)
        {
            hasAik |= usage.Value == AikCertificateEku;
        }
        if (!hasAik)
        {
            throw AikInvalid($"extended key usage does not include tcg-kp-AIKCertificate ({AikCertificateEku})");
        }
        if (AttestationCertificates.IsCertificateAuthority(aik))
        {
            throw AikInvalid("has basic constraints CA=true");
        }
    }

    /// <summary>
    /// Reads TPM manufacturer, model and version from the SAN's directoryName. The TCG profile puts
    /// all three in one multi-valued RDN; some TPMs (the vectors' "non-spec-compliant" SAN) put each
    /// in its own RDN, so every RDN of every directoryName is searched.
    /// </summary>
    internal static (string Manufacturer, string Model, string Version) ReadTpmDeviceAttributes(byte[] sanValue)
    {
        string? manufacturer = null, model = null, version = null;
        try
        {
            var reader = new AsnReader(sanValue, AsnEncodingRules.DER);
            var names = reader.ReadSequence();
            reader.ThrowIfNotEmpty();
            var directoryNameTag = new Asn1Tag(TagClass.ContextSpecific, 4, isConstructed: true);
            while (names.HasData)
            {
                if (!names.PeekTag().HasSameClassAndValue(directoryNameTag))
                {
                    names.ReadEncodedValue();
                    continue;
                }
                var directoryName = names.ReadSequence(directoryNameTag);
                var name = directoryName.ReadSequence();
                directoryName.ThrowIfNotEmpty();
                while (name.HasData)
                {
                    var rdn = name.ReadSetOf(skipSortOrderValidation: true);
                    while (rdn.HasData)
                    {
                        var attribute = rdn.ReadSequence();
                        string oid = attribute.ReadObjectIdentifier();
                        string value = ReadDirectoryString(attribute);
                        attribute.ThrowIfNotEmpty();
                        switch (oid)
                        {
                            case TpmManufacturerOid: manufacturer = value; break;
                            case TpmModelOid: model = value; break;
                            case TpmVersionOid: version = value; break;
                        }
                    }
                }
            }
        }
        catch (AsnContentException e)
        {
            throw new PasskeyException(PasskeyError.AttestationCertificateInvalid,
                "tpm AIK certificate subject alternative name is not valid DER (ATT-TPM-05-certreq)", e);
        }
        if (string.IsNullOrEmpty(manufacturer) || string.IsNullOrEmpty(model) || string.IsNullOrEmpty(version))
        {
            throw AikInvalid("subject alternative name lacks a directoryName with TPM manufacturer, model and version (2.23.133.2.1/2/3)");
        }
        return (manufacturer, model, version);
    }

    private static string ReadDirectoryString(AsnReader reader)
    {
        var tag = reader.PeekTag();
        if (tag.TagClass == TagClass.Universal)
        {
            switch ((UniversalTagNumber)tag.TagValue)
            {
                case UniversalTagNumber.UTF8String:
                case UniversalTagNumber.PrintableString:
                case UniversalTagNumber.IA5String:
                case UniversalTagNumber.BMPString:
                case UniversalTagNumber.T61String:
                    return reader.ReadCharacterString((UniversalTagNumber)tag.TagValue);
            }
        }
        reader.ReadEncodedValue();
        return "";
    }

    private static PasskeyException AikInvalid(string detail) =>
        new(PasskeyError.AttestationCertificateInvalid, $"tpm AIK certificate {detail} (ATT-TPM-05-certreq, §8.3.1)");
}
