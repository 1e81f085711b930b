using System.Buffers.Text;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Passkeys.Attestation;

namespace Passkeys.Tests.Attestation;

/// <summary>A JWS header's alg is attacker-chosen text: every value gets a verdict, never an exception.</summary>
public class CompactJwsTests
{
    [Theory]
    [InlineData("")]
    [InlineData("X")]
    [InlineData("RS")]
    [InlineData("ES1")]
    [InlineData("none")]
    [InlineData("HS256")]
    public void An_unknown_or_short_alg_does_not_verify_and_does_not_throw(string alg)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var certificate = new CertificateRequest("CN=attest.android.com", key, HashAlgorithmName.SHA256)
            .CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        string header = Base64Url.EncodeToString(System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(new { alg, x5c = new[] { Convert.ToBase64String(certificate.RawData) } }));
        string payload = Base64Url.EncodeToString("{}"u8);
        string signingInput = header + "." + payload;
        byte[] signature = key.SignData(System.Text.Encoding.ASCII.GetBytes(signingInput), HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);

        var jws = CompactJws.Parse(signingInput + "." + Base64Url.EncodeToString(signature), PasskeyError.MalformedAttestationStatement, "test");

        Assert.False(jws.VerifySignature());
    }
}
