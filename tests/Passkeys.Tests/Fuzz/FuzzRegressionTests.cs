using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Passkeys.Attestation;
using Passkeys.Attestation.Metadata;
using Passkeys.Encoding;

namespace Passkeys.Tests.Fuzz;

/// <summary>
/// Inputs the parser fuzzer (`passkeys fuzz`, tests/Passkeys.Cli.Tests/Fuzz) found escaping as
/// something other than PasskeyException, reduced to the defect: each now fails with a code.
/// </summary>
public class FuzzRegressionTests
{
    private static byte[] CertificateWith(X509Extension extension)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=Fuzz, OU=Authenticator Attestation, O=Fuzz, C=US", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(extension);
        var now = DateTimeOffset.UtcNow;
        using var certificate = request.CreateSelfSigned(now.AddDays(-1), now.AddDays(1));
        return certificate.RawData;
    }

    // x509 extension values are decoded lazily by .NET: a flipped byte inside basic constraints,
    // EKU or SAN threw CryptographicException from inside the packed, tpm and safetynet checks.
    [Theory]
    [InlineData("2.5.29.19")] // basic constraints: IsCertificateAuthority (packed, tpm)
    [InlineData("2.5.29.37")] // extended key usage: TPM AIK check
    [InlineData("2.5.29.17")] // subject alternative name: X509Certificate2.MatchesHostname (android-safetynet)
    public void Certificate_whose_extension_value_is_not_DER_is_a_MalformedCertificate(string oid)
    {
        byte[] der = CertificateWith(new X509Extension(oid, [0x30, 0x05, 0x01, 0x01, 0xFF], critical: false));
        var e = Assert.Throws<PasskeyException>(() => AttestationCertificates.Load(der, "x5c[0]"));
        Assert.Equal(PasskeyError.MalformedCertificate, e.Error);
        Assert.IsType<CryptographicException>(e.InnerException);
    }

    // X509Certificate2.Version is decoded lazily: a version field of [0] INTEGER -1 (0xFF) loaded and
    // then threw CryptographicException from the packed §8.2.1 version check.
    [Fact]
    public void Certificate_with_an_out_of_range_version_is_a_MalformedCertificate()
    {
        byte[] der = CertificateWith(new X509BasicConstraintsExtension(false, false, 0, true));
        int at = der.AsSpan().IndexOf((ReadOnlySpan<byte>)[0xA0, 0x03, 0x02, 0x01, 0x02]);
        Assert.True(at > 0);
        der[at + 4] = 0xFF;
        var e = Assert.Throws<PasskeyException>(() => AttestationCertificates.Load(der, "x5c[0]"));
        Assert.Equal(PasskeyError.MalformedCertificate, e.Error);
    }

    [Fact]
    public void Certificate_with_well_formed_extensions_still_loads()
    {
        byte[] der = CertificateWith(new X509BasicConstraintsExtension(false, false, 0, true));
        using var certificate = AttestationCertificates.Load(der, "x5c[0]");
        Assert.False(AttestationCertificates.IsCertificateAuthority(certificate));
        Assert.Equal("Authenticator Attestation", AttestationCertificates.SubjectAttribute(certificate, AttestationCertificates.Oids.OrganizationalUnit));
    }

    // The subject's attribute values are decoded lazily too: a PrintableString holding a byte
    // outside its alphabet threw CryptographicException from the packed §8.2.1 checks.
    [Fact]
    public void Subject_attribute_that_does_not_decode_is_AttestationCertificateInvalid()
    {
        // SEQUENCE { SET { SEQUENCE { OID 2.5.4.6 (C), PrintableString "U\x01" } } }
        byte[] name = [0x30, 0x0D, 0x31, 0x0B, 0x30, 0x09, 0x06, 0x03, 0x55, 0x04, 0x06, 0x13, 0x02, (byte)'U', 0x01];
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(new X500DistinguishedName(name), key, HashAlgorithmName.SHA256);
        var now = DateTimeOffset.UtcNow;
        using var certificate = request.CreateSelfSigned(now.AddDays(-1), now.AddDays(1));
        var e = Assert.Throws<PasskeyException>(() => AttestationCertificates.SubjectAttribute(certificate, AttestationCertificates.Oids.Country));
        Assert.Equal(PasskeyError.AttestationCertificateInvalid, e.Error);
    }

    // A JWS header string holding invalid UTF-8 passed JsonDocument.Parse and then threw
    // InvalidOperationException from JsonElement.GetString (SafetyNet response, metadata BLOB).
    [Fact]
    public void Jws_header_string_with_invalid_UTF8_is_the_callers_error_code()
    {
        byte[] header = [.. "{\"alg\":\"ES256\",\"x5c\":[\""u8, 0xC3, 0x28, .. "\"]}"u8];
        string jws = Base64UrlStrict.Encode(header) + ".e30.AAAA";
        var e = Assert.Throws<PasskeyException>(() => CompactJws.Parse(jws, PasskeyError.MetadataInvalid, "fuzz"));
        Assert.Equal(PasskeyError.MetadataInvalid, e.Error);
        Assert.IsType<InvalidOperationException>(e.InnerException);
    }

    // JSON null where MDS3 requires a string reached Guid.Parse / DateOnly.ParseExact / ToLowerInvariant
    // as a null reference (ArgumentNullException, NullReferenceException), which ParsePayload did not translate.
    [Theory]
    [InlineData("""{"aaguid":null}""")]
    [InlineData("""{"attestationCertificateKeyIdentifiers":[null]}""")]
    [InlineData("""{"statusReports":[{"status":null}]}""")]
    [InlineData("""{"statusReports":[{"status":"REVOKED","effectiveDate":null}]}""")]
    [InlineData("""{"metadataStatement":{"attestationRootCertificates":[null]}}""")]
    public void Metadata_entry_with_null_where_a_string_is_required_is_MetadataInvalid(string entry)
    {
        string payload = $$"""{"no":1,"nextUpdate":"2099-01-01","entries":[{{entry}}]}""";
        var e = Assert.Throws<PasskeyException>(() => Signed(payload));
        Assert.Equal(PasskeyError.MetadataInvalid, e.Error);
    }

    [Fact]
    public void Metadata_with_null_nextUpdate_is_MetadataInvalid()
    {
        var e = Assert.Throws<PasskeyException>(() => Signed("""{"no":1,"nextUpdate":null,"entries":[]}"""));
        Assert.Equal(PasskeyError.MetadataInvalid, e.Error);
    }

    private static MetadataBlob Signed(string payload)
    {
        using var rootKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var signerKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var now = DateTimeOffset.UtcNow;
        var rootRequest = new CertificateRequest("CN=Fuzz Root", rootKey, HashAlgorithmName.SHA256);
        rootRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        using var root = rootRequest.CreateSelfSigned(now.AddDays(-1), now.AddYears(1));
        using var signer = new CertificateRequest("CN=Fuzz Signer", signerKey, HashAlgorithmName.SHA256).Create(root, now.AddDays(-1), now.AddMonths(1), [1, 2, 3]);
        string header = Base64UrlStrict.Encode(System.Text.Encoding.UTF8.GetBytes($$"""{"alg":"ES256","x5c":["{{Convert.ToBase64String(signer.RawData)}}"]}"""));
        string input = header + "." + Base64UrlStrict.Encode(System.Text.Encoding.UTF8.GetBytes(payload));
        byte[] signature = signerKey.SignData(System.Text.Encoding.ASCII.GetBytes(input), HashAlgorithmName.SHA256);
        return MetadataBlob.Parse(input + "." + Base64UrlStrict.Encode(signature), new MetadataBlobOptions { RootCertificate = root });
    }
}
