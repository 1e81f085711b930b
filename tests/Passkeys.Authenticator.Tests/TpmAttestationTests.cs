using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Passkeys.Attestation.Tpm;
using Passkeys.Authenticator.Client;
using Passkeys.Encoding;
using static Passkeys.Authenticator.Tests.TestKit;

namespace Passkeys.Authenticator.Tests;

/// <summary>
/// fmt "tpm": the statement's structures are read back with the relying-party library's TPM
/// parsers (written separately from the authenticator's writer) and checked field by field.
/// </summary>
public class TpmAttestationTests
{
    private sealed record Registration(CborMap AttStmt, string Fmt, System.Text.Json.JsonElement Response, SoftwareAuthenticator Authenticator)
    {
        public byte[] Bytes(string key) => ((CborByteString)AttStmt[key]!).Value.ToArray();
        public List<X509Certificate2> X5c => [.. ((CborArray)AttStmt["x5c"]!).Items.Select(i => X509CertificateLoader.LoadCertificate(((CborByteString)i).Value.Span))];
    }

    private static async Task<Registration> Register(string algs = "-7", int aik = SupportedAlgorithms.RS256, AuthenticatorFaults faults = AuthenticatorFaults.None)
    {
        var (authenticator, client) = Create(new SoftwareAuthenticatorOptions
        {
            Seed = 3, Attestation = AttestationKind.Tpm, TpmAikAlgorithm = aik, Faults = faults, Time = new FixedClock(),
        });
        var json = Json(await client.CreateAsync(CreationOptions(algs: algs, attestation: "direct")));
        var ao = AttestationObject(json);
        return new Registration((CborMap)ao["attStmt"]!, ((CborTextString)ao["fmt"]!).Value, json.GetProperty("response"), authenticator);
    }

    [Fact]
    public async Task Tpm_statement_certifies_the_credential_key_with_an_RS256_AIK_from_the_test_CA()
    {
        var r = await Register();
        using var authenticator = r.Authenticator;
        Assert.Equal("tpm", r.Fmt);
        Assert.Equal(6, r.AttStmt.Count);
        Assert.Equal("2.0", ((CborTextString)r.AttStmt["ver"]!).Value);
        Assert.Equal(SupportedAlgorithms.RS256, ((CborInteger)r.AttStmt["alg"]!).AsInt64());

        // sig: RSASSA-PKCS1-v1_5 / SHA-256 over certInfo by the AIK certificate's key.
        var x5c = r.X5c;
        Assert.Equal(2, x5c.Count);
        using (var rsa = x5c[0].GetRSAPublicKey()!)
        {
            Assert.True(rsa.VerifyData(r.Bytes("certInfo"), r.Bytes("sig"), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
        }

        // certInfo: a TPM2_Certify of pubArea over SHA-256(authenticatorData ‖ clientDataHash).
        var certInfo = TpmsAttest.Parse(r.Bytes("certInfo"));
        Assert.Equal(0xff544347u, certInfo.Magic);
        Assert.Equal((ushort)0x8017, certInfo.Type);
        Assert.Equal(SHA256.HashData(SignedData(r.Response)), certInfo.ExtraData);
        Assert.Equal([0x00, 0x0B, .. SHA256.HashData(r.Bytes("pubArea"))], certInfo.AttestedName);
        Assert.Equal(34, certInfo.AttestedQualifiedName.Length);
        Assert.Equal(34, certInfo.QualifiedSigner.Length);

        // pubArea: the credential key (P-256 here), nameAlg SHA-256, a TPM-generated signing key.
        var pubArea = TpmtPublic.Parse(r.Bytes("pubArea"));
        var authData = ParsedAuthData.Parse(B64(r.Response, "authenticatorData"));
        Assert.Equal(TpmConstants.AlgEcc, pubArea.Type);
        Assert.Equal(TpmConstants.AlgSha256, pubArea.NameAlg);
        Assert.Equal(TpmConstants.EccNistP256, pubArea.EccCurveId);
        Assert.Equal(((CborByteString)authData.CoseKey![-2]!).Value.ToArray(), pubArea.EccX);
        Assert.Equal(((CborByteString)authData.CoseKey![-3]!).Value.ToArray(), pubArea.EccY);
        const uint fixedTpm = 1 << 1, sensitiveDataOrigin = 1 << 5, sign = 1 << 18, decrypt = 1 << 17, restricted = 1 << 16;
        Assert.Equal(fixedTpm | sensitiveDataOrigin | sign, pubArea.ObjectAttributes & (fixedTpm | sensitiveDataOrigin | sign | decrypt | restricted));
    }

    [Fact]
    public async Task Tpm_AIK_certificate_meets_the_tpm_requirements_and_chains_to_the_exported_root()
    {
        var r = await Register();
        using var authenticator = r.Authenticator;
        var x5c = r.X5c;
        var aik = x5c[0];

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(X509Certificate2.CreateFromPem(authenticator.RootCertificatePem));
        chain.ChainPolicy.ExtraStore.Add(x5c[1]);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.VerificationTime = new FixedClock().GetUtcNow().UtcDateTime;
        // The AIK EKU is not one the platform knows; the chain itself must still build.
        chain.ChainPolicy.VerificationFlags = X509VerificationFlags.IgnoreWrongUsage;
        Assert.True(chain.Build(aik), string.Join("; ", chain.ChainStatus.Select(s => s.StatusInformation)));
        Assert.Equal(3, chain.ChainElements.Count);

        // §8.3.1: version 3, empty subject, critical SAN with the TCG device attributes, AIK EKU, CA=false.
        Assert.Equal(3, aik.Version);
        Assert.Equal([0x30, 0x00], aik.SubjectName.RawData);
        var san = aik.Extensions["2.5.29.17"]!;
        Assert.True(san.Critical);
        var attributes = ReadSanAttributes(san.RawData);
        Assert.Equal(TestCertificateAuthority.TpmManufacturer, attributes["2.23.133.2.1"]);
        Assert.Equal("id:FFFFF1D0", attributes["2.23.133.2.1"]);
        Assert.Equal(TestCertificateAuthority.TpmModel, attributes["2.23.133.2.2"]);
        Assert.Equal(TestCertificateAuthority.TpmVersion, attributes["2.23.133.2.3"]);
        var eku = aik.Extensions.OfType<X509EnhancedKeyUsageExtension>().Single();
        Assert.Contains(eku.EnhancedKeyUsages.Cast<Oid>(), o => o.Value == "2.23.133.8.3");
        Assert.False(aik.Extensions.OfType<X509BasicConstraintsExtension>().Single().CertificateAuthority);
        var aaguidExtension = aik.Extensions[TestCertificateAuthority.AaguidExtensionOid]!;
        Assert.False(aaguidExtension.Critical);
        Assert.Equal(SoftwareAuthenticatorOptions.DefaultAaguid.ToByteArray(bigEndian: true), new AsnReader(aaguidExtension.RawData, AsnEncodingRules.DER).ReadOctetString());
    }

    [Theory]
    [InlineData(-7, 0x0023)]
    [InlineData(-35, 0x0023)]
    [InlineData(-36, 0x0023)]
    [InlineData(-257, 0x0001)]
    [InlineData(-37, 0x0001)]
    public async Task Tpm_pubArea_describes_the_credential_key_for_every_algorithm_a_TPM_holds(int alg, int tpmType)
    {
        var r = await Register(alg.ToString(System.Globalization.CultureInfo.InvariantCulture));
        using var authenticator = r.Authenticator;
        var pubArea = TpmtPublic.Parse(r.Bytes("pubArea"));
        var cose = ParsedAuthData.Parse(B64(r.Response, "authenticatorData")).CoseKey!;
        Assert.Equal(alg, ((CborInteger)cose[3]!).AsInt64());
        Assert.Equal((ushort)tpmType, pubArea.Type);
        if (tpmType == TpmConstants.AlgRsa)
        {
            Assert.Equal(((CborByteString)cose[-1]!).Value.ToArray(), pubArea.RsaModulus);
            Assert.Equal(((CborByteString)cose[-2]!).Value.ToArray(), pubArea.RsaExponentBytes());
            Assert.Equal((ushort)2048, pubArea.RsaKeyBits);
        }
        else
        {
            ushort curve = alg switch { -7 => TpmConstants.EccNistP256, -35 => TpmConstants.EccNistP384, _ => TpmConstants.EccNistP521 };
            Assert.Equal(curve, pubArea.EccCurveId);
            Assert.Equal(((CborByteString)cose[-2]!).Value.ToArray(), pubArea.EccX);
            Assert.Equal(((CborByteString)cose[-3]!).Value.ToArray(), pubArea.EccY);
        }
    }

    [Fact]
    public async Task Tpm_told_to_offer_only_EdDSA_says_a_TPM_has_no_Ed25519_keys_whatever_was_requested()
    {
        // `passkeys authenticator create --attestation tpm --alg EdDSA` against options asking for ES256.
        var (authenticator, client) = Create(new SoftwareAuthenticatorOptions { Seed = 3, Attestation = AttestationKind.Tpm, Algorithms = [SupportedAlgorithms.EdDSA] });
        using (authenticator)
        {
            var refused = await Assert.ThrowsAsync<WebAuthnClientException>(() => client.CreateAsync(CreationOptions(algs: "-7", attestation: "direct")));
            Assert.Equal(WebAuthnClientException.NotSupportedError, refused.Name);
            var ctap = Assert.IsType<CtapException>(refused.InnerException);
            Assert.Contains("TPM", ctap.Message, StringComparison.Ordinal);
            Assert.Contains(ctap.Message, refused.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Tpm_refuses_EdDSA_and_picks_the_next_requested_algorithm_a_TPM_holds()
    {
        var (authenticator, client) = Create(new SoftwareAuthenticatorOptions { Seed = 3, Attestation = AttestationKind.Tpm, TpmAikAlgorithm = SupportedAlgorithms.ES256 });
        using (authenticator)
        {
            var refused = await Assert.ThrowsAsync<WebAuthnClientException>(() => client.CreateAsync(CreationOptions(algs: "-8", attestation: "direct")));
            Assert.Equal(WebAuthnClientException.NotSupportedError, refused.Name);
            var ctap = Assert.IsType<CtapException>(refused.InnerException);
            Assert.Equal(CtapStatus.UnsupportedAlgorithm, ctap.Status);
            Assert.Contains("EdDSA", ctap.Message, StringComparison.Ordinal);
            // The caller is told why, not only that: the authenticator's reason is in the DOMException's message.
            Assert.Contains(ctap.Message, refused.Message, StringComparison.Ordinal);

            var json = Json(await client.CreateAsync(CreationOptions(algs: "-8,-7", attestation: "direct")));
            Assert.Equal(-7, json.GetProperty("response").GetProperty("publicKeyAlgorithm").GetInt32());
        }
    }

    [Fact]
    public async Task Tpm_with_an_ES256_AIK_signs_certInfo_with_ECDSA_and_is_reproducible_when_seeded()
    {
        var r = await Register(aik: SupportedAlgorithms.ES256);
        using var authenticator = r.Authenticator;
        Assert.Equal(SupportedAlgorithms.ES256, ((CborInteger)r.AttStmt["alg"]!).AsInt64());
        using (var ec = r.X5c[0].GetECDsaPublicKey()!)
        {
            Assert.True(ec.VerifyData(r.Bytes("certInfo"), r.Bytes("sig"), HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence));
        }
        var again = await Register(aik: SupportedAlgorithms.ES256);
        using var otherAuthenticator = again.Authenticator;
        Assert.Equal(CborWriter.Encode(r.AttStmt), CborWriter.Encode(again.AttStmt));
    }

    [Fact]
    public async Task Tpm_AIK_is_one_key_for_every_credential_of_the_authenticator()
    {
        var (authenticator, client) = Create(new SoftwareAuthenticatorOptions { Seed = 3, Attestation = AttestationKind.Tpm, Time = new FixedClock() });
        using (authenticator)
        {
            byte[] First(string json) => ((CborByteString)((CborArray)((CborMap)AttestationObject(Json(json))["attStmt"]!)["x5c"]!).Items[0]).Value.ToArray();
            var a = First(await client.CreateAsync(CreationOptions(attestation: "direct")));
            var b = First(await client.CreateAsync(CreationOptions(attestation: "direct", residentKey: "discouraged")));
            Assert.Equal(a, b);
        }
    }

    [Theory]
    [InlineData(AuthenticatorFaults.TpmWrongMagic, new[] { 3 })]
    [InlineData(AuthenticatorFaults.TpmWrongAttestType, new[] { 5 })]
    [InlineData(AuthenticatorFaults.TpmWrongAttestedName, new[] { -1 - 2 - 34 })]
    public async Task Tpm_certInfo_faults_change_one_field_and_the_AIK_signs_the_result(AuthenticatorFaults fault, int[] changedOffsets)
    {
        // Seeded with an ES256 AIK, an honest and a faulty authenticator produce the same key,
        // AIK and authenticator data, so their certInfo may differ only where the fault says.
        var honest = await Register(aik: SupportedAlgorithms.ES256);
        var faulty = await Register(aik: SupportedAlgorithms.ES256, faults: fault);
        using var a = honest.Authenticator;
        using var b = faulty.Authenticator;
        byte[] good = honest.Bytes("certInfo"), bad = faulty.Bytes("certInfo");
        Assert.Equal(good.Length, bad.Length);
        int[] expected = [.. changedOffsets.Select(o => o < 0 ? good.Length + o : o)];
        int[] differing = [.. Enumerable.Range(0, good.Length).Where(i => good[i] != bad[i])];
        Assert.Equal(expected, differing);
        Assert.Equal(honest.Bytes("pubArea"), faulty.Bytes("pubArea"));
        using var ec = faulty.X5c[0].GetECDsaPublicKey()!;
        Assert.True(ec.VerifyData(bad, faulty.Bytes("sig"), HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence));
    }

    [Fact]
    public async Task SignatureOverWrongBytes_puts_the_wrong_hash_into_certInfo_extraData()
    {
        var r = await Register(faults: AuthenticatorFaults.SignatureOverWrongBytes);
        using var authenticator = r.Authenticator;
        var certInfo = TpmsAttest.Parse(r.Bytes("certInfo"));
        Assert.NotEqual(SHA256.HashData(SignedData(r.Response)), certInfo.ExtraData);
        using var rsa = r.X5c[0].GetRSAPublicKey()!;
        Assert.True(rsa.VerifyData(r.Bytes("certInfo"), r.Bytes("sig"), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
    }

    private static Dictionary<string, string> ReadSanAttributes(byte[] san)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        var names = new AsnReader(san, AsnEncodingRules.DER).ReadSequence();
        var directoryName = names.ReadSequence(new Asn1Tag(TagClass.ContextSpecific, 4, isConstructed: true));
        var name = directoryName.ReadSequence();
        var rdn = name.ReadSetOf();
        Assert.False(name.HasData); // one multi-valued RDN
        while (rdn.HasData)
        {
            var attribute = rdn.ReadSequence();
            result[attribute.ReadObjectIdentifier()] = attribute.ReadCharacterString(UniversalTagNumber.UTF8String);
        }
        return result;
    }
}
