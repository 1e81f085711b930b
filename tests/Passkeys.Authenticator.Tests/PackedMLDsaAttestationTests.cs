using System.Formats.Asn1;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using Passkeys.Attestation;
using Passkeys.Cose;
using Passkeys.Encoding;

namespace Passkeys.Authenticator.Tests;

/// <summary>
/// Full packed attestation whose statement is itself ML-DSA (§8.2: attStmt.alg −48/−49/−50, x5c[0]
/// an ML-DSA key certified by the ECDSA test CA, sig an ML-DSA signature over authenticatorData ‖
/// clientDataHash), for credential keys of other algorithms too; verified by the library's
/// RelyingParty with trust on and off, and refused when the signature is tampered with or has the
/// wrong length.
/// </summary>
public class PackedMLDsaAttestationTests
{
    private static readonly int[] s_attestationAlgorithms = [SupportedAlgorithms.MLDsa44, SupportedAlgorithms.MLDsa65, SupportedAlgorithms.MLDsa87];

    // An EC, an EdDSA, an RSA and an ML-DSA credential: the attestation key's algorithm is independent of the credential's.
    private static readonly int[] s_credentialAlgorithms = [SupportedAlgorithms.ES256, SupportedAlgorithms.EdDSA, SupportedAlgorithms.RS256, SupportedAlgorithms.MLDsa65];

    public static TheoryData<int, int> Matrix()
    {
        var data = new TheoryData<int, int>();
        foreach (int attestation in s_attestationAlgorithms)
        {
            foreach (int credential in s_credentialAlgorithms)
            {
                data.Add(attestation, credential);
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Matrix))]
    public async Task Registers_trusted_with_the_test_root_and_signs_in(int attestationAlg, int credentialAlg)
    {
        using var lab = new LibraryRelyingParty(Options(attestationAlg, credentialAlg));
        var rp = lab.Create(credentialAlg, lab.OwnRoots(), requireTrusted: true);
        string? sent = null;

        var passkey = await lab.RegisterAsync(rp, json => sent = json);

        Assert.Equal("packed", passkey.Attestation.Format);
        Assert.Equal((CoseAlgorithm)credentialAlg, passkey.Credential.Algorithm);
        Assert.Equal(AttestationTrustStatus.Trusted, passkey.Trust.Status);
        var statement = Statement(sent!);
        Assert.Equal(attestationAlg, Cbor.AsInt64(statement["alg"], PasskeyError.MalformedAttestationStatement, "alg"));
        var verified = await lab.SignInAsync(rp, passkey);
        Assert.Equal(passkey.Credential.Id, verified.CredentialId);
    }

    [Theory]
    [MemberData(nameof(Matrix))]
    public async Task Without_the_test_root_it_is_not_trusted_and_refused_when_trust_is_required(int attestationAlg, int credentialAlg)
    {
        using var lab = new LibraryRelyingParty(Options(attestationAlg, credentialAlg));

        var untrusted = await lab.RegisterAsync(lab.Create(credentialAlg, [], requireTrusted: false));
        Assert.Equal(AttestationTrustStatus.NoAnchors, untrusted.Trust.Status);
        Assert.False(untrusted.Trust.IsTrusted);

        using var stranger = new TestCertificateAuthority(seed: 424242);
        var error = await Assert.ThrowsAsync<PasskeyException>(() => lab.RegisterAsync(lab.Create(credentialAlg, [stranger.Root], requireTrusted: true)));
        Assert.Equal(PasskeyError.AttestationNotTrusted, error.Error);
    }

    [Fact]
    public async Task Compound_carries_the_ML_DSA_packed_statement_next_to_a_tpm_one()
    {
        var options = new SoftwareAuthenticatorOptions
        {
            Seed = 11, Attestation = AttestationKind.Compound, Algorithms = [SupportedAlgorithms.ES256],
            AttestationAlgorithm = SupportedAlgorithms.MLDsa44, TpmAikAlgorithm = SupportedAlgorithms.ES256,
        };
        using var lab = new LibraryRelyingParty(options);

        var passkey = await lab.RegisterAsync(lab.Create(SupportedAlgorithms.ES256, lab.OwnRoots(), requireTrusted: true));

        Assert.Equal(AttestationTrustStatus.Trusted, passkey.Trust.Status);
        Assert.Equal(["packed", "tpm"], passkey.Attestation.Components.Select(c => c.Format));
    }

    [Theory]
    [InlineData(SupportedAlgorithms.MLDsa44, 2420)]
    [InlineData(SupportedAlgorithms.MLDsa65, 3309)]
    [InlineData(SupportedAlgorithms.MLDsa87, 4627)]
    public async Task The_certificate_meets_the_packed_requirements_and_holds_the_ML_DSA_key(int attestationAlg, int signatureLength)
    {
        var (authenticator, client) = TestKit.Create(Options(attestationAlg, SupportedAlgorithms.ES256));
        using (authenticator)
        {
            var registration = TestKit.Json(await client.CreateAsync(TestKit.CreationOptions(attestation: "direct")));
            var statement = (CborMap)TestKit.AttestationObject(registration)["attStmt"]!;
            var x5c = Cbor.AsArray(statement["x5c"], PasskeyError.MalformedAttestationStatement, "x5c");
            using var leaf = X509CertificateLoader.LoadCertificate(Cbor.AsBytes(x5c[0], PasskeyError.MalformedAttestationStatement, "x5c[0]").ToArray());
            byte[] sig = Cbor.AsBytes(statement["sig"], PasskeyError.MalformedAttestationStatement, "sig").ToArray();

            // §8.2.1: version 3; subject C, O, OU "Authenticator Attestation", CN; CA=false; the AAGUID extension.
            Assert.Equal(3, leaf.Version);
            Assert.Equal("CN=Passkeys Software Authenticator, OU=Authenticator Attestation, O=Passkeys Test, C=US", leaf.Subject);
            Assert.False(leaf.Extensions.OfType<X509BasicConstraintsExtension>().Single().CertificateAuthority);
            var aaguid = leaf.Extensions[TestCertificateAuthority.AaguidExtensionOid]!;
            Assert.False(aaguid.Critical);
            Assert.Equal(SoftwareAuthenticatorOptions.DefaultAaguid, new Guid(AsnDecoder.ReadOctetString(aaguid.RawData, AsnEncodingRules.DER, out _), bigEndian: true));
            // Issued (ECDSA-SHA256) by the intermediate; the subject key is ML-DSA (RFC 9881 OIDs 2.16.840.1.101.3.4.3.17–19).
            Assert.Equal(authenticator.CertificateAuthority.Intermediate.Subject, leaf.Issuer);
            Assert.Equal("1.2.840.10045.4.3.2", leaf.SignatureAlgorithm.Value);
            Assert.Equal($"2.16.840.1.101.3.4.3.{17 + s_attestationAlgorithms.ToList().IndexOf(attestationAlg)}", leaf.PublicKey.Oid.Value);
            // sig: an ML-DSA signature of the parameter set's exact length, by x5c[0]'s key, over authenticatorData ‖ clientDataHash.
            Assert.Equal(signatureLength, sig.Length);
            byte[] spki = leaf.PublicKey.ExportSubjectPublicKeyInfo();
            Assert.True(TestKit.VerifyWithSpki(spki, attestationAlg, TestKit.SignedData(registration.GetProperty("response")), sig));
        }
    }

    [Fact]
    public async Task A_tampered_ML_DSA_statement_signature_is_refused()
    {
        using var lab = new LibraryRelyingParty(Options(SupportedAlgorithms.MLDsa44, SupportedAlgorithms.ES256));
        var rp = lab.Create(SupportedAlgorithms.ES256, lab.OwnRoots(), requireTrusted: true);

        var error = await Assert.ThrowsAsync<PasskeyException>(() => lab.RegisterAsync(rp, json => WithSignature(json, sig => { sig[100] ^= 0x01; return sig; })));

        Assert.Equal(PasskeyError.AttestationSignatureInvalid, error.Error);
    }

    [Fact]
    public async Task An_ML_DSA_statement_signed_over_other_bytes_is_refused()
    {
        var options = Options(SupportedAlgorithms.MLDsa87, SupportedAlgorithms.EdDSA);
        options.Faults = AuthenticatorFaults.SignatureOverWrongBytes;
        using var lab = new LibraryRelyingParty(options);

        var error = await Assert.ThrowsAsync<PasskeyException>(() => lab.RegisterAsync(lab.Create(SupportedAlgorithms.EdDSA, lab.OwnRoots(), requireTrusted: true)));

        Assert.Equal(PasskeyError.AttestationSignatureInvalid, error.Error);
    }

    [Theory]
    [InlineData(SupportedAlgorithms.MLDsa44, -1)]
    [InlineData(SupportedAlgorithms.MLDsa65, 1)]
    [InlineData(SupportedAlgorithms.MLDsa87, -4627)]
    public async Task An_ML_DSA_statement_signature_of_the_wrong_length_is_refused(int attestationAlg, int change)
    {
        using var lab = new LibraryRelyingParty(Options(attestationAlg, SupportedAlgorithms.ES256));
        var rp = lab.Create(SupportedAlgorithms.ES256, lab.OwnRoots(), requireTrusted: true);
        byte[] Resize(byte[] sig) => change < 0 ? sig[..(sig.Length + change)] : [.. sig, .. new byte[change]];

        var error = await Assert.ThrowsAsync<PasskeyException>(() => lab.RegisterAsync(rp, json => WithSignature(json, Resize)));

        Assert.Equal(PasskeyError.SignatureLengthInvalid, error.Error);
    }

    [Fact]
    public async Task Seeded_ML_DSA_attestation_is_byte_identical_across_runs()
    {
        async Task<string> Register()
        {
            var (authenticator, client) = TestKit.Create(new SoftwareAuthenticatorOptions
            {
                Seed = 3, Time = new FixedClock(), Attestation = AttestationKind.Packed, AttestationAlgorithm = SupportedAlgorithms.MLDsa65,
            });
            using (authenticator)
            {
                return await client.CreateAsync(TestKit.CreationOptions(attestation: "direct"));
            }
        }

        Assert.Equal(await Register(), await Register());
    }

    [Theory]
    [InlineData(SupportedAlgorithms.EdDSA)]
    [InlineData(SupportedAlgorithms.RS256)]
    [InlineData(-1)]
    public void An_attestation_algorithm_other_than_ES256_or_ML_DSA_is_refused_when_the_authenticator_is_made(int algorithm)
    {
        var error = Assert.Throws<ArgumentException>(() => new SoftwareAuthenticator(new SoftwareAuthenticatorOptions { AttestationAlgorithm = algorithm }));
        Assert.Contains("AttestationAlgorithm", error.Message, StringComparison.Ordinal);
    }

    private static SoftwareAuthenticatorOptions Options(int attestationAlg, int credentialAlg) => new()
    {
        Seed = 11,
        Attestation = AttestationKind.Packed,
        AttestationAlgorithm = attestationAlg,
        Algorithms = [credentialAlg],
    };

    private static CborMap Statement(string registrationJson) =>
        (CborMap)TestKit.AttestationObject(TestKit.Json(registrationJson))["attStmt"]!;

    /// <summary>The RegistrationResponseJSON with attStmt.sig replaced by <paramref name="change"/>(sig), re-encoded canonically.</summary>
    private static string WithSignature(string registrationJson, Func<byte[], byte[]> change)
    {
        var attestationObject = TestKit.AttestationObject(TestKit.Json(registrationJson));
        var statement = (CborMap)attestationObject["attStmt"]!;
        byte[] sig = Cbor.AsBytes(statement["sig"], PasskeyError.MalformedAttestationStatement, "sig").ToArray();
        var newStatement = new CborMap([.. statement.Entries.Select(e =>
            e.Key is CborTextString { Value: "sig" } ? new KeyValuePair<CborValue, CborValue>(e.Key, new CborByteString(change(sig))) : e)]);
        var newObject = new CborMap([.. attestationObject.Entries.Select(e =>
            e.Key is CborTextString { Value: "attStmt" } ? new KeyValuePair<CborValue, CborValue>(e.Key, newStatement) : e)]);
        var json = JsonNode.Parse(registrationJson)!;
        json["response"]!["attestationObject"] = Base64UrlStrict.Encode(CborWriter.Encode(newObject));
        return json.ToJsonString();
    }
}
