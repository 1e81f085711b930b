using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Passkeys.Encoding;
using static Passkeys.Authenticator.Tests.TestKit;

namespace Passkeys.Authenticator.Tests;

public class AttestationTests
{
    private static async Task<(CborMap AttStmt, string Fmt, System.Text.Json.JsonElement Json, SoftwareAuthenticator Authenticator)> Register(AttestationKind kind, string algs = "-7")
    {
        var (authenticator, client) = Create(new SoftwareAuthenticatorOptions { Seed = 3, Attestation = kind, Time = new FixedClock() });
        var json = Json(await client.CreateAsync(CreationOptions(algs: algs, attestation: "direct")));
        var ao = AttestationObject(json);
        return ((CborMap)ao["attStmt"]!, ((CborTextString)ao["fmt"]!).Value, json, authenticator);
    }

    [Fact]
    public async Task Packed_self_attestation_is_signed_by_the_credential_key()
    {
        var (attStmt, fmt, json, _) = await Register(AttestationKind.PackedSelf, "-257");
        var response = json.GetProperty("response");
        Assert.Equal("packed", fmt);
        Assert.Equal(2, attStmt.Count);
        Assert.Equal(-257, ((CborInteger)attStmt["alg"]!).AsInt64());
        Assert.True(VerifyWithSpki(B64(response, "publicKey"), -257, SignedData(response), ((CborByteString)attStmt["sig"]!).Value.ToArray()));
    }

    [Fact]
    public async Task Packed_x5c_chain_builds_to_the_exported_root_and_the_leaf_meets_the_packed_requirements()
    {
        var (attStmt, fmt, json, authenticator) = await Register(AttestationKind.Packed);
        Assert.Equal("packed", fmt);
        Assert.Equal(-7, ((CborInteger)attStmt["alg"]!).AsInt64());
        var x5c = ((CborArray)attStmt["x5c"]!).Items.Select(i => X509CertificateLoader.LoadCertificate(((CborByteString)i).Value.Span)).ToList();
        Assert.Equal(2, x5c.Count);
        var leaf = x5c[0];

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(X509Certificate2.CreateFromPem(authenticator.RootCertificatePem));
        chain.ChainPolicy.ExtraStore.Add(x5c[1]);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.VerificationTime = new FixedClock().GetUtcNow().UtcDateTime;
        Assert.True(chain.Build(leaf), string.Join("; ", chain.ChainStatus.Select(s => s.StatusInformation)));
        Assert.Equal(3, chain.ChainElements.Count);

        Assert.Equal(3, leaf.Version);
        Assert.Equal("Authenticator Attestation", leaf.SubjectName.EnumerateRelativeDistinguishedNames()
            .Single(r => r.GetSingleElementType().Value == "2.5.4.11").GetSingleElementValue());
        foreach (var oid in new[] { "2.5.4.6", "2.5.4.10", "2.5.4.3" })
        {
            Assert.Contains(leaf.SubjectName.EnumerateRelativeDistinguishedNames(), r => r.GetSingleElementType().Value == oid);
        }
        Assert.False(leaf.Extensions.OfType<X509BasicConstraintsExtension>().Single().CertificateAuthority);
        var aaguidExtension = leaf.Extensions[TestCertificateAuthority.AaguidExtensionOid]!;
        Assert.False(aaguidExtension.Critical);
        byte[] inner = new AsnReader(aaguidExtension.RawData, AsnEncodingRules.DER).ReadOctetString();
        Assert.Equal(SoftwareAuthenticatorOptions.DefaultAaguid.ToByteArray(bigEndian: true), inner);

        using var key = leaf.GetECDsaPublicKey()!;
        var response = json.GetProperty("response");
        Assert.True(key.VerifyData(SignedData(response), ((CborByteString)attStmt["sig"]!).Value.Span, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence));
    }

    [Fact]
    public async Task Fido_u2f_signs_the_u2f_registration_data_with_one_certificate_from_the_root()
    {
        var (attStmt, fmt, json, authenticator) = await Register(AttestationKind.FidoU2f);
        Assert.Equal("fido-u2f", fmt);
        Assert.Equal(2, attStmt.Count);
        var x5c = ((CborArray)attStmt["x5c"]!).Items;
        Assert.Single(x5c);
        var cert = X509CertificateLoader.LoadCertificate(((CborByteString)x5c[0]).Value.Span);

        var response = json.GetProperty("response");
        var authData = ParsedAuthData.Parse(B64(response, "authenticatorData"));
        Assert.Equal(Guid.Empty, authData.Aaguid);
        byte[] x = ((CborByteString)authData.CoseKey![-2]!).Value.ToArray();
        byte[] y = ((CborByteString)authData.CoseKey![-3]!).Value.ToArray();
        byte[] signed = [0x00, .. authData.RpIdHash, .. SHA256.HashData(B64(response, "clientDataJSON")), .. authData.CredentialId!, 0x04, .. x, .. y];
        using var key = cert.GetECDsaPublicKey()!;
        Assert.True(key.VerifyData(signed, ((CborByteString)attStmt["sig"]!).Value.Span, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence));

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(authenticator.CertificateAuthority.Root);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.VerificationTime = new FixedClock().GetUtcNow().UtcDateTime;
        Assert.True(chain.Build(cert));
    }

    [Fact]
    public void Seeded_certificate_authority_is_identical_across_instances()
    {
        using var a = new TestCertificateAuthority(9, new FixedClock());
        using var b = new TestCertificateAuthority(9, new FixedClock());
        using var c = new TestCertificateAuthority(10, new FixedClock());
        Assert.Equal(a.RootCertificatePem, b.RootCertificatePem);
        Assert.Equal(a.Intermediate.RawData, b.Intermediate.RawData);
        Assert.NotEqual(a.RootCertificatePem, c.RootCertificatePem);
    }
}
