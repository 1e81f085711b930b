using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Passkeys.Encoding;
using static Passkeys.Authenticator.Tests.TestKit;

namespace Passkeys.Authenticator.Tests;

/// <summary>
/// The vendor formats read by hand with .NET's ASN.1 reader, X509Chain and crypto, not by the
/// library's verifiers: what a real device would put there is there.
/// </summary>
public class VendorAttestationTests
{
    private static async Task<(CborValue AttStmt, JsonElement Response, SoftwareAuthenticator Authenticator)> Register(AttestationKind kind, string algs = "-7")
    {
        var (authenticator, client) = Create(new SoftwareAuthenticatorOptions { Seed = 4, Attestation = kind, Time = new FixedClock() });
        var json = Json(await client.CreateAsync(CreationOptions(algs: algs, attestation: "direct")));
        var ao = AttestationObject(json);
        Assert.Equal(AttestationKinds.FormatName(kind), ((CborTextString)ao["fmt"]!).Value);
        return (ao["attStmt"]!, json.GetProperty("response"), authenticator);
    }

    private static X509Certificate2 Cert(CborValue item) => X509CertificateLoader.LoadCertificate(((CborByteString)item).Value.Span);

    private static void AssertChainsTo(X509Certificate2 root, X509Certificate2 leaf, params X509Certificate2[] extra)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(root);
        chain.ChainPolicy.ExtraStore.AddRange(extra);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.VerificationTime = new FixedClock().GetUtcNow().UtcDateTime;
        Assert.True(chain.Build(leaf), string.Join("; ", chain.ChainStatus.Select(s => s.StatusInformation)));
    }

    [Fact]
    public async Task Android_key_leaf_holds_the_credential_key_and_a_key_description_with_the_challenge()
    {
        var (attStmt, response, authenticator) = await Register(AttestationKind.AndroidKey, "-257");
        var map = (CborMap)attStmt;
        Assert.Equal(-257, ((CborInteger)map["alg"]!).AsInt64());
        var x5c = ((CborArray)map["x5c"]!).Items.Select(Cert).ToArray();
        Assert.Equal(x5c[0].PublicKey.ExportSubjectPublicKeyInfo(), B64(response, "publicKey"));
        Assert.True(VerifyWithSpki(B64(response, "publicKey"), -257, SignedData(response), ((CborByteString)map["sig"]!).Value.ToArray()));
        AssertChainsTo(authenticator.CertificateAuthority.RootFor(AttestationKind.AndroidKey), x5c[0], x5c[1]);

        // KeyDescription: version, level, version, level, attestationChallenge, uniqueId, softwareEnforced, hardwareEnforced.
        var description = new AsnReader(x5c[0].Extensions["1.3.6.1.4.1.11129.2.1.17"]!.RawData, AsnEncodingRules.DER).ReadSequence();
        description.ReadInteger();
        description.ReadEnumeratedBytes();
        description.ReadInteger();
        description.ReadEnumeratedBytes();
        Assert.Equal(SHA256.HashData(B64(response, "clientDataJSON")), description.ReadOctetString());
        description.ReadOctetString();
        description.ReadSequence();
        var tee = description.ReadSequence();
        var tags = new List<int>();
        while (tee.HasData)
        {
            var tag = tee.PeekTag();
            tags.Add(tag.TagValue);
            var value = tee.ReadSequence(tag);
            if (tag.TagValue == 1)
            {
                Assert.Equal(2, (int)value.ReadSetOf().ReadInteger());     // KM_PURPOSE_SIGN
            }
            if (tag.TagValue == 702)
            {
                Assert.Equal(0, (int)value.ReadInteger());                  // KM_ORIGIN_GENERATED
            }
        }
        Assert.Contains(1, tags);
        Assert.Contains(702, tags);
        Assert.DoesNotContain(600, tags);                                  // not allApplications
        Assert.Equal(tags.Order(), tags);                                  // DER: ascending tags
    }

    [Fact]
    public async Task SafetyNet_response_is_an_RS256_JWS_from_attest_android_com_over_the_nonce()
    {
        var (attStmt, response, authenticator) = await Register(AttestationKind.AndroidSafetyNet);
        var map = (CborMap)attStmt;
        Assert.NotEmpty(((CborTextString)map["ver"]!).Value);
        string[] parts = System.Text.Encoding.UTF8.GetString(((CborByteString)map["response"]!).Value.Span).Split('.');
        Assert.Equal(3, parts.Length);
        using var header = JsonDocument.Parse(Base64UrlStrict.Decode(parts[0], "header"));
        Assert.Equal("RS256", header.RootElement.GetProperty("alg").GetString());
        var x5c = header.RootElement.GetProperty("x5c").EnumerateArray().Select(c => X509CertificateLoader.LoadCertificate(Convert.FromBase64String(c.GetString()!))).ToArray();
        Assert.True(x5c[0].MatchesHostname("attest.android.com"));
        AssertChainsTo(authenticator.CertificateAuthority.RootFor(AttestationKind.AndroidSafetyNet), x5c[0], x5c[1]);
        using var rsa = x5c[0].GetRSAPublicKey()!;
        Assert.True(rsa.VerifyData(System.Text.Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]), Base64UrlStrict.Decode(parts[2], "sig"), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));

        using var payload = JsonDocument.Parse(Base64UrlStrict.Decode(parts[1], "payload"));
        Assert.Equal(Convert.ToBase64String(SHA256.HashData(SignedData(response))), payload.RootElement.GetProperty("nonce").GetString());
        Assert.Equal(new FixedClock().GetUtcNow().ToUnixTimeMilliseconds(), payload.RootElement.GetProperty("timestampMs").GetInt64());
        Assert.True(payload.RootElement.GetProperty("ctsProfileMatch").GetBoolean());
        Assert.True(payload.RootElement.GetProperty("basicIntegrity").GetBoolean());
    }

    [Fact]
    public async Task Apple_credCert_holds_the_credential_key_and_the_nonce_extension()
    {
        var (attStmt, response, authenticator) = await Register(AttestationKind.Apple, "-35");
        var map = (CborMap)attStmt;
        Assert.Single(map.Entries);
        var x5c = ((CborArray)map["x5c"]!).Items.Select(Cert).ToArray();
        Assert.Equal(x5c[0].PublicKey.ExportSubjectPublicKeyInfo(), B64(response, "publicKey"));
        AssertChainsTo(authenticator.CertificateAuthority.RootFor(AttestationKind.Apple), x5c[0], x5c[1]);
        var sequence = new AsnReader(x5c[0].Extensions["1.2.840.113635.100.8.2"]!.RawData, AsnEncodingRules.DER).ReadSequence();
        var tagged = sequence.ReadSequence(new Asn1Tag(TagClass.ContextSpecific, 1, isConstructed: true));
        Assert.Equal(SHA256.HashData(SignedData(response)), tagged.ReadOctetString());
    }

    [Fact]
    public async Task Compound_is_an_array_of_fmt_and_attStmt_in_the_configured_order()
    {
        var (attStmt, _, _) = await Register(AttestationKind.Compound);
        var items = ((CborArray)attStmt).Items.Cast<CborMap>().ToList();
        Assert.Equal(["packed", "tpm"], items.Select(i => ((CborTextString)i["fmt"]!).Value));
        Assert.All(items, i => Assert.Equal(2, i.Count));
    }

    [Fact]
    public void Each_vendor_has_its_own_root_and_a_seeded_CA_repeats_them()
    {
        using var a = new TestCertificateAuthority(9, new FixedClock());
        using var b = new TestCertificateAuthority(9, new FixedClock());
        var kinds = new[] { AttestationKind.Packed, AttestationKind.AndroidKey, AttestationKind.AndroidSafetyNet, AttestationKind.Apple };
        Assert.Equal(kinds.Length, kinds.Select(k => a.RootCertificatePemFor(k)).Distinct().Count());
        // Made in another order, the vendor roots are still the same bytes.
        foreach (var kind in kinds.Reverse())
        {
            Assert.Equal(a.RootCertificatePemFor(kind), b.RootCertificatePemFor(kind));
        }
        Assert.Same(a.Root, a.RootFor(AttestationKind.Tpm));
        Assert.Throws<ArgumentException>(() => a.RootFor(AttestationKind.PackedSelf));
    }
}
