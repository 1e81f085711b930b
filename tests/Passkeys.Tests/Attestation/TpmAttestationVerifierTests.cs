using Passkeys.Attestation;
using Passkeys.Attestation.Tpm;
using Passkeys.Encoding;

namespace Passkeys.Tests.Attestation;

/// <summary>One failing test per ATT-TPM-* check, each changing one thing in a valid real TPM statement.</summary>
public class TpmAttestationVerifierTests
{
    // A real RS256 TPM registration (SimpleWebAuthn), verified at its validationTime.
    private const string Valid = "simplewebauthn/reg-tpm-tpm-rsa-response-sha256.json";
    private const string WithAaguidExtension = "simplewebauthn/reg-tpm-succeed-if-id-fido-gen-ce-aaguid-extension-is-present-and-matches-aagu.json";

    private static PasskeyError Run(AttestationVector vector, CborMap statement, Protocol.AuthenticatorData? authData = null, byte[]? cdh = null)
    {
        var e = Assert.Throws<PasskeyException>(() => new TpmAttestationVerifier().Verify(vector.Input(statement, authData, cdh)));
        return e.Error;
    }

    private static (AttestationVector Vector, CborMap Statement) Load(string name = Valid)
    {
        var vector = AttestationVector.Load(name);
        return (vector, (CborMap)vector.Statement);
    }

    [SharedDataFact]
    public void Valid_statement_passes_as_AttCA()
    {
        var (vector, statement) = Load();
        var result = new TpmAttestationVerifier().Verify(vector.Input(statement));
        Assert.Equal(AttestationType.AttCA, result.Type);
        Assert.NotEmpty(result.TrustPath);
    }

    [SharedDataFact]
    public void ATT_TPM_01_cbor_fails_when_ver_is_not_2_0()
    {
        var (v, s) = Load();
        Assert.Equal(PasskeyError.MalformedAttestationStatement, Run(v, s.With("ver", new CborTextString("1.0"))));
    }

    [SharedDataFact]
    public void ATT_TPM_01_cbor_fails_when_certInfo_missing()
    {
        var (v, s) = Load();
        Assert.Equal(PasskeyError.MalformedAttestationStatement, Run(v, s.With("certInfo", null)));
    }

    [SharedDataFact]
    public void ATT_TPM_01_cbor_fails_when_certInfo_has_trailing_bytes()
    {
        var (v, s) = Load();
        Assert.Equal(PasskeyError.MalformedAttestationStatement, Run(v, s.WithBytes("certInfo", b => b.Append(0))));
    }

    [SharedDataFact]
    public void ATT_TPM_01_cbor_fails_when_pubArea_has_trailing_bytes()
    {
        var (v, s) = Load();
        Assert.Equal(PasskeyError.MalformedAttestationStatement, Run(v, s.WithBytes("pubArea", b => b.Append(0))));
    }

    [SharedDataFact]
    public void ATT_TPM_01_cbor_fails_when_certInfo_is_truncated()
    {
        var (v, s) = Load();
        Assert.Equal(PasskeyError.MalformedAttestationStatement, Run(v, s.WithBytes("certInfo", b => b[..^3])));
    }

    [SharedDataFact]
    public void ATT_TPM_02_pubarea_fails_when_modulus_differs()
    {
        var (v, s) = Load();
        Assert.Equal(PasskeyError.AttestationDataMismatch, Run(v, s.WithBytes("pubArea", b => b.Flip(-1))));
    }

    [SharedDataFact]
    public void ATT_TPM_02_pubarea_fails_when_exponent_differs()
    {
        var (v, s) = Load();
        var pubArea = TpmtPublic.Parse(s.Bytes("pubArea"));
        // The exponent is the UINT32 just before unique (UINT16 size + modulus).
        int exponentOffset = s.Bytes("pubArea").Length - pubArea.RsaModulus.Length - 2 - 4;
        Assert.Equal(PasskeyError.AttestationDataMismatch, Run(v, s.WithBytes("pubArea", b => b.Flip(exponentOffset + 3))));
    }

    [SharedDataFact]
    public void ATT_TPM_04_x5c_fails_when_x5c_missing()
    {
        var (v, s) = Load();
        Assert.Equal(PasskeyError.MalformedAttestationStatement, Run(v, s.With("x5c", null)));
    }

    [SharedDataFact]
    public void ATT_TPM_05_certreq_fails_when_aik_is_the_intermediate()
    {
        var (v, s) = Load();
        var x5c = Cbor.AsArray(s["x5c"], PasskeyError.MalformedAttestationStatement, "x5c");
        Assert.Equal(PasskeyError.AttestationCertificateInvalid, Run(v, s.With("x5c", new CborArray([x5c[1], x5c[0]]))));
    }

    [SharedDataFact]
    public void ATT_TPM_06_aaguid_fails_when_certificate_aaguid_differs()
    {
        var (v, s) = Load(WithAaguidExtension);
        var other = v.AuthenticatorData.WithAaguid(Guid.Parse("00000000-0000-0000-0000-000000000001"));
        Assert.Equal(PasskeyError.AttestationAaguidMismatch, Run(v, s, other));
    }

    [SharedDataFact]
    public void ATT_TPM_07_sig_fails_when_signature_altered()
    {
        var (v, s) = Load();
        Assert.Equal(PasskeyError.AttestationSignatureInvalid, Run(v, s.WithBytes("sig", b => b.Flip(10))));
    }

    [SharedDataFact]
    public void ATT_TPM_07_sig_refuses_an_unsupported_alg()
    {
        var (v, s) = Load();
        Assert.ThrowsAny<PasskeyException>(() => new TpmAttestationVerifier().Verify(v.Input(s.With("alg", new CborInteger(-7)))));
    }

    [SharedDataFact]
    public void ATT_TPM_08_magic_fails_when_magic_wrong()
    {
        var (v, s) = Load();
        Assert.Equal(PasskeyError.AttestationDataMismatch, Run(v, s.WithBytes("certInfo", b => b.Flip(0))));
    }

    [SharedDataFact]
    public void ATT_TPM_09_type_fails_when_type_wrong()
    {
        var (v, s) = Load();
        Assert.Equal(PasskeyError.AttestationDataMismatch, Run(v, s.WithBytes("certInfo", b => b.Flip(5))));
    }

    [SharedDataFact]
    public void ATT_TPM_10_extradata_fails_when_client_data_hash_differs()
    {
        var (v, s) = Load();
        Assert.Equal(PasskeyError.AttestationDataMismatch, Run(v, s, cdh: v.ClientDataHash.Flip(0)));
    }

    [SharedDataFact]
    public void ATT_TPM_11_name_fails_when_attested_name_differs()
    {
        var (v, s) = Load();
        var certInfo = s.Bytes("certInfo");
        var parsed = TpmsAttest.Parse(certInfo);
        int nameEnd = certInfo.Length - 2 - parsed.AttestedQualifiedName.Length;
        Assert.Equal(PasskeyError.AttestationDataMismatch, Run(v, s.WithBytes("certInfo", b => b.Flip(nameEnd - 1))));
    }

    [Theory]
    [InlineData(0u, "010001")]
    [InlineData(65537u, "010001")]
    [InlineData(3u, "03")]
    [InlineData(0x01000001u, "01000001")]
    public void ATT_TPM_02_pubarea_reads_the_exponent_big_endian_with_zero_as_65537(uint exponent, string expectedHex)
    {
        // type RSA, nameAlg SHA-256, attributes, empty authPolicy, symmetric NULL, scheme NULL, keyBits 2048, exponent, unique(1 byte)
        byte[] pubArea = Convert.FromHexString($"0001000B00000000000000100010 0800 {exponent:X8} 0001FF".Replace(" ", "", StringComparison.Ordinal));
        var parsed = TpmtPublic.Parse(pubArea);
        Assert.Equal(expectedHex, Convert.ToHexString(parsed.RsaExponentBytes()));
    }

    [Fact]
    public void ATT_TPM_01_cbor_rejects_an_unknown_pubArea_type()
    {
        byte[] pubArea = Convert.FromHexString("0008000B000000000000");
        Assert.Equal(PasskeyError.MalformedAttestationStatement, Assert.Throws<PasskeyException>(() => TpmtPublic.Parse(pubArea)).Error);
    }
}
