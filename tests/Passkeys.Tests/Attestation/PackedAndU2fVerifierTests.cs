using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Passkeys.Attestation;
using Passkeys.Cose;
using Passkeys.Encoding;
using Passkeys.Protocol;

namespace Passkeys.Tests.Attestation;

/// <summary>
/// §8.2 packed and §8.6 fido-u2f: one failing test per ATT-PACKED / ATT-U2F check. Statements are
/// built here over authenticator data made for the test, so each test changes exactly one thing.
/// </summary>
public class PackedAndU2fVerifierTests
{
    private static readonly Guid Aaguid = new("11223344-5566-7788-99aa-bbccddeeff00");
    private static readonly byte[] ClientDataHash = SHA256.HashData("client data"u8);

    private sealed class Fixture
    {
        public ECDsa CredentialKey { get; } = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        public ECDsa AttestationKey { get; } = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        public byte[] CredentialId { get; } = RandomNumberGenerator.GetBytes(16);

        public AuthenticatorData AuthData(CosePublicKey? key = null)
        {
            byte[] cose = (key ?? CosePublicKey.FromECDsa(CredentialKey, CoseAlgorithm.ES256)).Encoded.ToArray();
            byte[] raw = [.. SHA256.HashData("example.com"u8), 0x45, 0, 0, 0, 1, .. Aaguid.ToByteArray(bigEndian: true),
                0, (byte)CredentialId.Length, .. CredentialId, .. cose];
            return AuthenticatorData.Parse(raw);
        }

        public X509Certificate2 Certificate(string subject = "C=US, O=Example, OU=Authenticator Attestation, CN=Example Key", bool ca = false,
            Guid? aaguid = null, bool criticalAaguid = false, ECDsa? key = null)
        {
            var request = new CertificateRequest(subject, key ?? AttestationKey, HashAlgorithmName.SHA256);
            request.CertificateExtensions.Add(new X509BasicConstraintsExtension(ca, false, 0, true));
            if (aaguid is { } value)
            {
                var writer = new AsnWriter(AsnEncodingRules.DER);
                writer.WriteOctetString(value.ToByteArray(bigEndian: true));
                request.CertificateExtensions.Add(new X509Extension(AttestationCertificates.AaguidExtensionOid, writer.Encode(), criticalAaguid));
            }
            var now = DateTimeOffset.UtcNow;
            return request.CreateSelfSigned(now.AddDays(-1), now.AddYears(1));
        }

        public static AttestationStatementResult Verify(IAttestationStatementVerifier verifier, CborMap statement, AuthenticatorData authData) =>
            verifier.Verify(new AttestationStatementInput(verifier.Format, statement, authData, ClientDataHash, new AttestationVerificationOptions(), TimeProvider.System));

        public static byte[] Signed(AuthenticatorData authData) => [.. authData.Raw.Span, .. ClientDataHash];
    }

    private static CborMap Map(params (string Key, CborValue Value)[] entries) =>
        new([.. entries.Select(e => new KeyValuePair<CborValue, CborValue>(new CborTextString(e.Key), e.Value))]);

    private static CborArray X5c(params X509Certificate2[] certificates) => new([.. certificates.Select(c => (CborValue)new CborByteString(c.RawData))]);

    private static byte[] SignDer(ECDsa key, byte[] data) => key.SignData(data, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);

    private static PasskeyError ErrorOf(Action action) => Assert.Throws<PasskeyException>(action).Error;

    // --- packed, x5c -------------------------------------------------------------------------

    private static CborMap PackedX5c(Fixture f, AuthenticatorData authData, X509Certificate2 certificate, byte[]? signature = null) =>
        Map(("alg", new CborInteger(-7)), ("sig", new CborByteString(signature ?? SignDer(f.AttestationKey, Fixture.Signed(authData)))), ("x5c", X5c(certificate)));

    [Fact]
    public void Packed_x5c_statement_verifies_as_basic_with_its_trust_path()
    {
        var f = new Fixture();
        var authData = f.AuthData();
        var certificate = f.Certificate(aaguid: Aaguid);
        var result = Fixture.Verify(new PackedAttestationVerifier(), PackedX5c(f, authData, certificate), authData);
        Assert.Equal(AttestationType.Basic, result.Type);
        Assert.Equal(certificate.RawData, Assert.Single(result.TrustPath).RawData);
    }

    [Fact]
    public void ATT_PACKED_01_cbor_fails_when_alg_or_sig_is_missing_or_mistyped()
    {
        var f = new Fixture();
        var authData = f.AuthData();
        var verifier = new PackedAttestationVerifier();
        Assert.Equal(PasskeyError.MalformedAttestationStatement, ErrorOf(() => Fixture.Verify(verifier, Map(("sig", new CborByteString(new byte[8]))), authData)));
        Assert.Equal(PasskeyError.MalformedAttestationStatement, ErrorOf(() => Fixture.Verify(verifier, Map(("alg", new CborInteger(-7)), ("sig", new CborTextString("x"))), authData)));
        Assert.Equal(PasskeyError.MalformedAttestationStatement, ErrorOf(() => Fixture.Verify(verifier, Map(("alg", new CborInteger(-7)), ("sig", new CborByteString(new byte[8])), ("x5c", new CborArray([]))), authData)));
    }

    [Fact]
    public void ATT_PACKED_02a_sig_fails_when_the_signature_covers_other_bytes()
    {
        var f = new Fixture();
        var authData = f.AuthData();
        byte[] wrong = SignDer(f.AttestationKey, [.. Fixture.Signed(authData), 0]);
        Assert.Equal(PasskeyError.AttestationSignatureInvalid, ErrorOf(() => Fixture.Verify(new PackedAttestationVerifier(), PackedX5c(f, authData, f.Certificate(), wrong), authData)));
    }

    [Theory]
    [InlineData("C=US, O=Example, OU=Engineering, CN=Example Key", "OU is not Authenticator Attestation")]
    [InlineData("O=Example, OU=Authenticator Attestation, CN=Example Key", "no country")]
    [InlineData("C=US, OU=Authenticator Attestation, CN=Example Key", "no organization")]
    [InlineData("C=US, O=Example, OU=Authenticator Attestation", "no common name")]
    public void ATT_PACKED_02b_certreq_fails_when_the_subject_is_incomplete(string subject, string why)
    {
        var f = new Fixture();
        var authData = f.AuthData();
        var e = Assert.Throws<PasskeyException>(() => Fixture.Verify(new PackedAttestationVerifier(), PackedX5c(f, authData, f.Certificate(subject)), authData));
        Assert.True(e.Error == PasskeyError.AttestationCertificateInvalid, why);
    }

    [Fact]
    public void ATT_PACKED_02b_certreq_fails_when_the_certificate_is_a_ca()
    {
        var f = new Fixture();
        var authData = f.AuthData();
        Assert.Equal(PasskeyError.AttestationCertificateInvalid, ErrorOf(() => Fixture.Verify(new PackedAttestationVerifier(), PackedX5c(f, authData, f.Certificate(ca: true)), authData)));
    }

    [Fact]
    public void ATT_PACKED_02c_aaguid_fails_when_the_certificate_names_another_aaguid_or_marks_it_critical()
    {
        var f = new Fixture();
        var authData = f.AuthData();
        var verifier = new PackedAttestationVerifier();
        Assert.Equal(PasskeyError.AttestationAaguidMismatch, ErrorOf(() => Fixture.Verify(verifier, PackedX5c(f, authData, f.Certificate(aaguid: Guid.NewGuid())), authData)));
        Assert.Equal(PasskeyError.AttestationCertificateInvalid, ErrorOf(() => Fixture.Verify(verifier, PackedX5c(f, authData, f.Certificate(aaguid: Aaguid, criticalAaguid: true)), authData)));
    }

    // --- packed, self ------------------------------------------------------------------------

    [Fact]
    public void ATT_PACKED_03a_alg_fails_when_self_attestation_names_another_algorithm()
    {
        var f = new Fixture();
        var authData = f.AuthData();
        var statement = Map(("alg", new CborInteger(-35)), ("sig", new CborByteString(SignDer(f.CredentialKey, Fixture.Signed(authData)))));
        Assert.Equal(PasskeyError.AttestationDataMismatch, ErrorOf(() => Fixture.Verify(new PackedAttestationVerifier(), statement, authData)));
    }

    [Fact]
    public void ATT_PACKED_03b_sig_fails_when_self_signature_is_not_by_the_credential_key()
    {
        var f = new Fixture();
        var authData = f.AuthData();
        var verifier = new PackedAttestationVerifier();
        var good = Map(("alg", new CborInteger(-7)), ("sig", new CborByteString(SignDer(f.CredentialKey, Fixture.Signed(authData)))));
        Assert.Equal(AttestationType.Self, Fixture.Verify(verifier, good, authData).Type);
        var bad = Map(("alg", new CborInteger(-7)), ("sig", new CborByteString(SignDer(f.AttestationKey, Fixture.Signed(authData)))));
        Assert.Equal(PasskeyError.AttestationSignatureInvalid, ErrorOf(() => Fixture.Verify(verifier, bad, authData)));
    }

    [Fact]
    public void Packed_refuses_rs1_unless_allowed()
    {
        var f = new Fixture();
        var authData = f.AuthData();
        var statement = Map(("alg", new CborInteger(-65535)), ("sig", new CborByteString(new byte[256])), ("x5c", X5c(f.Certificate())));
        Assert.Equal(PasskeyError.UnsupportedAlgorithm, ErrorOf(() => Fixture.Verify(new PackedAttestationVerifier(), statement, authData)));
    }

    // --- fido-u2f ----------------------------------------------------------------------------

    private static byte[] U2fData(AuthenticatorData authData)
    {
        var credential = authData.AttestedCredentialData!;
        return [0x00, .. authData.RpIdHash, .. ClientDataHash, .. credential.CredentialId.Span, .. credential.CredentialPublicKey.GetUncompressedEcPoint()];
    }

    private static CborMap U2f(Fixture f, AuthenticatorData authData, CborArray? x5c = null, byte[]? signature = null) =>
        Map(("sig", new CborByteString(signature ?? SignDer(f.AttestationKey, U2fData(authData)))), ("x5c", x5c ?? X5c(f.Certificate())));

    [Fact]
    public void Fido_u2f_statement_verifies_as_basic()
    {
        var f = new Fixture();
        var authData = f.AuthData();
        Assert.Equal(AttestationType.Basic, Fixture.Verify(new FidoU2fAttestationVerifier(), U2f(f, authData), authData).Type);
    }

    [Fact]
    public void ATT_U2F_01_cbor_fails_when_x5c_or_sig_is_missing()
    {
        var f = new Fixture();
        var authData = f.AuthData();
        var verifier = new FidoU2fAttestationVerifier();
        Assert.Equal(PasskeyError.MalformedAttestationStatement, ErrorOf(() => Fixture.Verify(verifier, Map(("sig", new CborByteString(new byte[8]))), authData)));
        Assert.Equal(PasskeyError.MalformedAttestationStatement, ErrorOf(() => Fixture.Verify(verifier, Map(("x5c", X5c(f.Certificate()))), authData)));
    }

    [Fact]
    public void ATT_U2F_02_cert_fails_with_two_certificates_or_a_non_p256_key()
    {
        var f = new Fixture();
        var authData = f.AuthData();
        var verifier = new FidoU2fAttestationVerifier();
        Assert.Equal(PasskeyError.MalformedAttestationStatement, ErrorOf(() => Fixture.Verify(verifier, U2f(f, authData, X5c(f.Certificate(), f.Certificate())), authData)));
        using var p384 = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        Assert.Equal(PasskeyError.InvalidPublicKey, ErrorOf(() => Fixture.Verify(verifier, U2f(f, authData, X5c(f.Certificate(key: p384))), authData)));
    }

    [Fact]
    public void ATT_U2F_04_rawkey_fails_when_the_credential_key_is_not_p256()
    {
        var f = new Fixture();
        using var p384 = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        var authData = f.AuthData(CosePublicKey.FromECDsa(p384, CoseAlgorithm.ES384));
        var statement = Map(("sig", new CborByteString(new byte[70])), ("x5c", X5c(f.Certificate())));
        Assert.Equal(PasskeyError.AttestationDataMismatch, ErrorOf(() => Fixture.Verify(new FidoU2fAttestationVerifier(), statement, authData)));
    }

    [Fact]
    public void ATT_U2F_06_sig_fails_when_the_signature_covers_other_bytes()
    {
        var f = new Fixture();
        var authData = f.AuthData();
        byte[] wrong = SignDer(f.AttestationKey, Fixture.Signed(authData));
        Assert.Equal(PasskeyError.AttestationSignatureInvalid, ErrorOf(() => Fixture.Verify(new FidoU2fAttestationVerifier(), U2f(f, authData, signature: wrong), authData)));
    }

    [Fact]
    public void ATT_NONE_01_out_requires_an_empty_statement()
    {
        var f = new Fixture();
        var authData = f.AuthData();
        Assert.Equal(AttestationType.None, Fixture.Verify(new NoneAttestationVerifier(), Map(), authData).Type);
        Assert.Equal(PasskeyError.MalformedAttestationStatement, ErrorOf(() => Fixture.Verify(new NoneAttestationVerifier(), Map(("x", new CborInteger(1))), authData)));
    }
}
