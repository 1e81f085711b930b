using System.Formats.Asn1;
using Passkeys.Attestation;
using Passkeys.Encoding;

namespace Passkeys.Tests.Attestation;

/// <summary>One failing test per ATT-ANDKEY/SAFETYNET/APPLE/COMPOUND check, each changing one thing in a valid real statement.</summary>
public class OtherFormatVerifierTests
{
    private const string AndroidKey = "simplewebauthn/reg-android-key-android-keystore-response-from-a-pixel-8a-in-january-2025.json";
    private const string SafetyNet = "simplewebauthn/reg-android-safetynet-gsr2-2019.json";
    private const string Apple = "simplewebauthn/reg-apple-apple-attestation.json";

    private static PasskeyError Fails(IAttestationStatementVerifier verifier, AttestationStatementInput input) =>
        Assert.Throws<PasskeyException>(() => verifier.Verify(input)).Error;

    private static (AttestationVector V, CborMap S) Load(string name)
    {
        var vector = AttestationVector.Load(name);
        return (vector, (CborMap)vector.Statement);
    }

    // android-key

    [SharedDataFact]
    public void ATT_ANDKEY_01_cbor_fails_when_sig_missing()
    {
        var (v, s) = Load(AndroidKey);
        Assert.Equal(PasskeyError.MalformedAttestationStatement, Fails(new AndroidKeyAttestationVerifier(), v.Input(s.With("sig", null))));
    }

    [SharedDataFact]
    public void ATT_ANDKEY_02_sig_fails_when_signature_altered()
    {
        var (v, s) = Load(AndroidKey);
        Assert.Equal(PasskeyError.AttestationSignatureInvalid, Fails(new AndroidKeyAttestationVerifier(), v.Input(s.WithBytes("sig", b => b.Flip(8)))));
    }

    [SharedDataFact]
    public void ATT_ANDKEY_03_pubkey_fails_when_credential_key_differs()
    {
        var (v, s) = Load(AndroidKey);
        Assert.Equal(PasskeyError.AttestationDataMismatch, Fails(new AndroidKeyAttestationVerifier(), v.Input(s, v.AuthenticatorData.WithOtherEcKey())));
    }

    [SharedDataFact]
    public void ATT_ANDKEY_04_challenge_fails_when_client_data_hash_differs()
    {
        var (v, s) = Load(AndroidKey);
        Assert.Equal(PasskeyError.AttestationDataMismatch, Fails(new AndroidKeyAttestationVerifier(), v.Input(s, clientDataHash: v.ClientDataHash.Flip(0))));
    }

    [SharedDataFact]
    public void ATT_ANDKEY_05_real_pixel_passes_with_tee_enforced_only()
    {
        var (v, s) = Load(AndroidKey);
        v.Options.AndroidKeyRequireTeeEnforced = true;
        Assert.Equal(AttestationType.Basic, new AndroidKeyAttestationVerifier().Verify(v.Input(s)).Type);
    }

    private static byte[] KeyDescription(Action<AsnWriter> software, Action<AsnWriter> tee)
    {
        var w = new AsnWriter(AsnEncodingRules.DER);
        using (w.PushSequence())
        {
            w.WriteInteger(3);
            w.WriteEnumeratedValue(AsnEncodingRules.DER); // any ENUMERATED
            w.WriteInteger(4);
            w.WriteEnumeratedValue(AsnEncodingRules.DER);
            w.WriteOctetString(new byte[32]);
            w.WriteOctetString([]);
            using (w.PushSequence()) { software(w); }
            using (w.PushSequence()) { tee(w); }
        }
        return w.Encode();
    }

    private static void Purpose(AsnWriter w, int purpose)
    {
        using (w.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 1, true)))
        using (w.PushSetOf())
        {
            w.WriteInteger(purpose);
        }
    }

    private static void Origin(AsnWriter w, int origin)
    {
        using (w.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 702, true)))
        {
            w.WriteInteger(origin);
        }
    }

    private static void AllApplications(AsnWriter w)
    {
        using (w.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 600, true)))
        {
            w.WriteNull();
        }
    }

    private static PasskeyError Authorizations(byte[] description, bool teeOnly) =>
        Assert.Throws<PasskeyException>(() => AndroidKeyAttestationVerifier.VerifyAuthorizations(AndroidKeyDescription.Parse(description), teeOnly)).Error;

    [Fact]
    public void ATT_ANDKEY_05_passes_with_sign_purpose_and_generated_origin_in_tee()
    {
        var d = KeyDescription(_ => { }, w => { Purpose(w, 2); Origin(w, 0); });
        AndroidKeyAttestationVerifier.VerifyAuthorizations(AndroidKeyDescription.Parse(d), teeOnly: true);
    }

    [Fact]
    public void ATT_ANDKEY_05a_allapps_fails_when_allApplications_present()
    {
        var d = KeyDescription(AllApplications, w => { Purpose(w, 2); Origin(w, 0); });
        Assert.Equal(PasskeyError.AttestationDataMismatch, Authorizations(d, teeOnly: false));
    }

    [Fact]
    public void ATT_ANDKEY_05b_origin_fails_when_origin_is_imported()
    {
        var d = KeyDescription(_ => { }, w => { Purpose(w, 2); Origin(w, 2); });
        Assert.Equal(PasskeyError.AttestationDataMismatch, Authorizations(d, teeOnly: false));
    }

    [Fact]
    public void ATT_ANDKEY_05b_origin_fails_when_absent_from_both_lists()
    {
        var d = KeyDescription(_ => { }, w => Purpose(w, 2));
        Assert.Equal(PasskeyError.AttestationDataMismatch, Authorizations(d, teeOnly: false));
    }

    [Fact]
    public void ATT_ANDKEY_05b_origin_in_software_list_counts_only_for_the_union()
    {
        var d = KeyDescription(w => Origin(w, 0), w => Purpose(w, 2));
        AndroidKeyAttestationVerifier.VerifyAuthorizations(AndroidKeyDescription.Parse(d), teeOnly: false);
        Assert.Equal(PasskeyError.AttestationDataMismatch, Authorizations(d, teeOnly: true));
    }

    [Fact]
    public void ATT_ANDKEY_05c_purpose_fails_when_sign_missing()
    {
        var d = KeyDescription(_ => { }, w => { Purpose(w, 3); Origin(w, 0); });
        Assert.Equal(PasskeyError.AttestationDataMismatch, Authorizations(d, teeOnly: false));
    }

    [Fact]
    public void ATT_ANDKEY_05_fails_closed_on_an_unparseable_key_description()
    {
        var d = KeyDescription(_ => { }, w => { Purpose(w, 2); Origin(w, 0); });
        Assert.Equal(PasskeyError.AttestationCertificateInvalid,
            Assert.Throws<PasskeyException>(() => AndroidKeyDescription.Parse(d[..^2])).Error);
    }

    // android-safetynet

    [SharedDataFact]
    public void ATT_SAFETYNET_01_cbor_fails_when_ver_empty()
    {
        var (v, s) = Load(SafetyNet);
        Assert.Equal(PasskeyError.MalformedAttestationStatement, Fails(new AndroidSafetyNetAttestationVerifier(), v.Input(s.With("ver", new CborTextString("")))));
    }

    [SharedDataFact]
    public void ATT_SAFETYNET_02_jws_fails_when_response_is_not_a_jws()
    {
        var (v, s) = Load(SafetyNet);
        Assert.Equal(PasskeyError.MalformedAttestationStatement,
            Fails(new AndroidSafetyNetAttestationVerifier(), v.Input(s.With("response", new CborByteString(System.Text.Encoding.ASCII.GetBytes("a.b"))))));
    }

    [SharedDataFact]
    public void ATT_SAFETYNET_02_jws_fails_when_timestamp_is_stale()
    {
        var (v, s) = Load(SafetyNet);
        var later = new FixedTimeProvider(v.Time.GetUtcNow().AddMinutes(2));
        var input = new AttestationStatementInput(v.Format, s, v.AuthenticatorData, v.ClientDataHash, v.Options, later);
        Assert.Equal(PasskeyError.AttestationDataMismatch, Fails(new AndroidSafetyNetAttestationVerifier(), input));
    }

    [SharedDataFact]
    public void ATT_SAFETYNET_03_nonce_fails_when_client_data_hash_differs()
    {
        var (v, s) = Load(SafetyNet);
        Assert.Equal(PasskeyError.AttestationDataMismatch, Fails(new AndroidSafetyNetAttestationVerifier(), v.Input(s, clientDataHash: v.ClientDataHash.Flip(0))));
    }

    [SharedDataFact]
    public void ATT_SAFETYNET_04_source_fails_when_jws_signature_altered()
    {
        var (v, s) = Load(SafetyNet);
        string jws = System.Text.Encoding.ASCII.GetString(s.Bytes("response"));
        int dot = jws.LastIndexOf('.');
        char c = jws[dot + 5];
        string altered = string.Concat(jws.AsSpan(0, dot + 5), c == 'A' ? "B" : "A", jws.AsSpan(dot + 6));
        Assert.Equal(PasskeyError.AttestationSignatureInvalid,
            Fails(new AndroidSafetyNetAttestationVerifier(), v.Input(s.With("response", new CborByteString(System.Text.Encoding.ASCII.GetBytes(altered))))));
    }

    [SharedDataFact]
    public void ATT_SAFETYNET_05_out_trust_path_is_the_jws_x5c()
    {
        var (v, s) = Load(SafetyNet);
        var result = new AndroidSafetyNetAttestationVerifier().Verify(v.Input(s));
        Assert.Equal(AttestationType.Basic, result.Type);
        Assert.True(result.TrustPath[0].MatchesHostname("attest.android.com"));
    }

    // apple

    [SharedDataFact]
    public void ATT_APPLE_01_cbor_fails_when_x5c_missing()
    {
        var (v, s) = Load(Apple);
        Assert.Equal(PasskeyError.MalformedAttestationStatement, Fails(new AppleAttestationVerifier(), v.Input(s.With("x5c", null))));
    }

    [SharedDataFact]
    public void ATT_APPLE_04_ext_fails_when_nonce_differs()
    {
        var (v, s) = Load(Apple);
        Assert.Equal(PasskeyError.AttestationDataMismatch, Fails(new AppleAttestationVerifier(), v.Input(s, clientDataHash: v.ClientDataHash.Flip(0))));
    }

    [SharedDataFact]
    public void ATT_APPLE_05_pubkey_fails_when_credCert_is_not_the_leaf()
    {
        var (v, s) = Load(Apple);
        var x5c = Cbor.AsArray(s["x5c"], PasskeyError.MalformedAttestationStatement, "x5c");
        Assert.Equal(PasskeyError.AttestationDataMismatch, Fails(new AppleAttestationVerifier(), v.Input(s.With("x5c", new CborArray([x5c[1]])))));
    }

    [SharedDataFact]
    public void ATT_APPLE_05_pubkey_fails_when_credential_key_differs()
    {
        var (v, s) = Load(Apple);
        Assert.Equal(PasskeyError.AttestationDataMismatch, Fails(new AppleAttestationVerifier(), v.Input(s, v.AuthenticatorData.WithOtherEcKey())));
    }

    [SharedDataFact]
    public void ATT_APPLE_06_out_is_anonymization_ca()
    {
        var (v, s) = Load(Apple);
        Assert.Equal(AttestationType.AnonCA, new AppleAttestationVerifier().Verify(v.Input(s)).Type);
    }

    // compound

    private static CborMap Entry(string fmt, CborValue statement) =>
        new([new(new CborTextString("fmt"), new CborTextString(fmt)), new(new CborTextString("attStmt"), statement)]);

    private static CompoundAttestationVerifier Compound => (CompoundAttestationVerifier)AttestationStatementVerifiers.Default.Get("compound");

    [SharedDataFact]
    public void ATT_COMPOUND_01_each_passes_when_every_statement_verifies()
    {
        var (v, s) = Load(Apple);
        var result = Compound.VerifyCompound(new CborArray([Entry("apple", s), Entry("apple", s)]), v.AuthenticatorData, v.ClientDataHash, v.Options, v.Time);
        Assert.Equal("compound", result.Format);
        Assert.Equal(2, result.Components.Count);
    }

    [SharedDataFact]
    public void ATT_COMPOUND_01_each_fails_when_one_statement_fails()
    {
        var (v, s) = Load(Apple);
        var x5c = Cbor.AsArray(s["x5c"], PasskeyError.MalformedAttestationStatement, "x5c");
        var bad = s.With("x5c", new CborArray([x5c[1]]));
        Assert.Equal(PasskeyError.AttestationDataMismatch, Assert.Throws<PasskeyException>(() =>
            Compound.VerifyCompound(new CborArray([Entry("apple", s), Entry("apple", bad)]), v.AuthenticatorData, v.ClientDataHash, v.Options, v.Time)).Error);
    }

    [SharedDataFact]
    public void ATT_COMPOUND_00_syntax_fails_with_fewer_than_two_statements()
    {
        var (v, s) = Load(Apple);
        Assert.Equal(PasskeyError.MalformedAttestationStatement, Assert.Throws<PasskeyException>(() =>
            Compound.VerifyCompound(new CborArray([Entry("apple", s)]), v.AuthenticatorData, v.ClientDataHash, v.Options, v.Time)).Error);
    }

    [SharedDataFact]
    public void ATT_COMPOUND_00_syntax_fails_when_nested()
    {
        var (v, s) = Load(Apple);
        var inner = new CborArray([Entry("apple", s), Entry("apple", s)]);
        Assert.Equal(PasskeyError.MalformedAttestationStatement, Assert.Throws<PasskeyException>(() =>
            Compound.VerifyCompound(new CborArray([Entry("apple", s), Entry("compound", inner)]), v.AuthenticatorData, v.ClientDataHash, v.Options, v.Time)).Error);
    }

    [SharedDataFact]
    public void ATT_COMPOUND_00_syntax_fails_when_sub_format_unknown()
    {
        var (v, s) = Load(Apple);
        Assert.Equal(PasskeyError.UnsupportedAttestationFormat, Assert.Throws<PasskeyException>(() =>
            Compound.VerifyCompound(new CborArray([Entry("apple", s), Entry("nope", s)]), v.AuthenticatorData, v.ClientDataHash, v.Options, v.Time)).Error);
    }
}
