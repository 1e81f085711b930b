using System.Security.Cryptography.X509Certificates;
using Passkeys.Attestation;
using Passkeys.Attestation.Tpm;
using Passkeys.Authenticator;
using Passkeys.Ceremonies;
using Passkeys.Encoding;
using Passkeys.Protocol;
using Passkeys.Tests.Ceremonies;

namespace Passkeys.Tests.Attestation;

/// <summary>
/// One failing test per ATT-TPM-* check, each changing one thing in a valid TPM statement. The
/// verifier checks the AIK's signature over certInfo (07) before certInfo's contents (08–11), so
/// a change to certInfo's contents needs a new signature: those tests use the software
/// authenticator's TPM, whose fault switches alter certInfo and sign the result with the AIK.
/// Every other step is tested by changing one thing in a real recorded statement.
/// </summary>
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
    public void ATT_TPM_07_sig_fails_when_certInfo_is_altered_without_a_new_signature()
    {
        // The real statement's magic changed: the AIK never signed these bytes, so 07 fails before 08 is reached.
        var (v, s) = Load();
        Assert.Equal(PasskeyError.AttestationSignatureInvalid, Run(v, s.WithBytes("certInfo", b => b.Flip(0))));
    }

    [Fact]
    public async Task ATT_TPM_08_magic_fails_when_magic_wrong()
    {
        Assert.Equal(PasskeyError.AttestationDataMismatch, await SoftwareTpmRegistrationError(AuthenticatorFaults.TpmWrongMagic));
    }

    [Fact]
    public async Task ATT_TPM_09_type_fails_when_type_wrong()
    {
        Assert.Equal(PasskeyError.AttestationDataMismatch, await SoftwareTpmRegistrationError(AuthenticatorFaults.TpmWrongAttestType));
    }

    [SharedDataFact]
    public void ATT_TPM_10_extradata_fails_when_client_data_hash_differs()
    {
        var (v, s) = Load();
        Assert.Equal(PasskeyError.AttestationDataMismatch, Run(v, s, cdh: v.ClientDataHash.Flip(0)));
    }

    [Fact]
    public async Task ATT_TPM_11_name_fails_when_attested_name_differs()
    {
        Assert.Equal(PasskeyError.AttestationDataMismatch, await SoftwareTpmRegistrationError(AuthenticatorFaults.TpmWrongAttestedName));
    }

    [Fact]
    public async Task Software_tpm_statement_passes_as_AttCA_when_no_fault_is_set()
    {
        // The control for the fault tests above: the same registration without the fault verifies.
        Assert.Equal(PasskeyError.None, await SoftwareTpmRegistrationError(AuthenticatorFaults.None));
    }

    /// <summary>
    /// Registers with the software authenticator's TPM (RS256 AIK, like Windows Hello) under
    /// <paramref name="fault"/>, trusting its test root, and returns the ceremony's error
    /// (<see cref="PasskeyError.None"/> when it succeeds as a trusted AttCA registration).
    /// </summary>
    private static async Task<PasskeyError> SoftwareTpmRegistrationError(AuthenticatorFaults fault)
    {
        using var scenario = new Scenario(new SoftwareAuthenticatorOptions { Seed = 7, Attestation = AttestationKind.Tpm, Faults = fault });
        scenario.Options.TrustAnchors = [X509Certificate2.CreateFromPem(scenario.Authenticator.RootCertificatePem)];
        var (response, state) = await scenario.CreateAsync(new RegistrationRequest
        {
            User = new UserIdentity(Scenario.UserId, "alice", "Alice"),
            Attestation = AttestationConveyancePreference.Direct,
        });
        try
        {
            var registered = scenario.RelyingParty.FinishRegistration(response, state);
            Assert.Equal(AttestationType.AttCA, registered.Attestation.Type);
            Assert.True(registered.Trust.IsTrusted, registered.Trust.Detail);
            return PasskeyError.None;
        }
        catch (PasskeyException e)
        {
            return e.Error;
        }
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
