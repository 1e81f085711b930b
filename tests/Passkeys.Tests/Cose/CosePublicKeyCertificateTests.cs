using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Passkeys.Cose;

namespace Passkeys.Tests.Cose;

/// <summary>Attestation certificates: their key under an alg, and key comparison.</summary>
public class CosePublicKeyCertificateTests
{
    private static X509Certificate2 SelfSigned(ECDsa key) =>
        new CertificateRequest("CN=Passkeys test", key, HashAlgorithmName.SHA256)
            .CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));

    private static X509Certificate2 SelfSigned(RSA key) =>
        new CertificateRequest("CN=Passkeys test", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
            .CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));

    /// <summary>A certificate for a key .NET cannot sign with (Ed25519), issued by an EC key.</summary>
    private static X509Certificate2 IssuedForEd25519(byte[] rawKey)
    {
        using var issuer = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        // RFC 8410 §4: SEQUENCE { SEQUENCE { OID 1.3.101.112 }, BIT STRING { 0 unused bits, key } }, no parameters.
        byte[] spki = [0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00, .. rawKey];
        var publicKey = PublicKey.CreateFromSubjectPublicKeyInfo(spki, out _);
        var request = new CertificateRequest(new X500DistinguishedName("CN=Passkeys EdDSA test"), publicKey, HashAlgorithmName.SHA256);
        return request.Create(new X500DistinguishedName("CN=Issuer"), X509SignatureGenerator.CreateForECDsa(issuer),
            DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1), [1, 2, 3, 4]);
    }

    [Fact]
    public void Ec_certificate_key_verifies_signatures_under_alg()
    {
        using var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var certificate = SelfSigned(ecdsa);
        var key = CosePublicKey.FromCertificate(certificate, CoseAlgorithm.ES256);
        Assert.Equal(CoseCurve.P256, key.Curve);
        byte[] signature = ecdsa.SignData([1, 2, 3], HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
        Assert.True(key.Verify([1, 2, 3], signature));
        Assert.True(key.HasSamePublicKey(certificate));
    }

    [Fact]
    public void Rsa_certificate_key_verifies_signatures_under_alg()
    {
        using var rsa = RSA.Create(2048);
        using var certificate = SelfSigned(rsa);
        var key = CosePublicKey.FromCertificate(certificate, CoseAlgorithm.RS1);
        byte[] signature = rsa.SignData([1, 2, 3], HashAlgorithmName.SHA1, RSASignaturePadding.Pkcs1);
        Assert.True(key.Verify([1, 2, 3], signature));
        Assert.True(key.HasSamePublicKey(certificate));
    }

    [Theory]
    [InlineData(CoseAlgorithm.RS256)]
    [InlineData(CoseAlgorithm.EdDSA)]
    [InlineData(CoseAlgorithm.ES384)] // the certificate's key is P-256
    public void Rejects_ec_certificate_key_that_does_not_fit_alg(CoseAlgorithm alg)
    {
        using var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var certificate = SelfSigned(ecdsa);
        var e = Assert.Throws<PasskeyException>(() => CosePublicKey.FromCertificate(certificate, alg));
        Assert.Equal(PasskeyError.InvalidPublicKey, e.Error);
    }

    [Theory]
    [InlineData(CoseAlgorithm.ES256)]
    [InlineData(CoseAlgorithm.Ed25519)]
    [InlineData(CoseAlgorithm.MLDsa44)]
    public void Rejects_rsa_certificate_key_that_does_not_fit_alg(CoseAlgorithm alg)
    {
        using var rsa = RSA.Create(2048);
        using var certificate = SelfSigned(rsa);
        var e = Assert.Throws<PasskeyException>(() => CosePublicKey.FromCertificate(certificate, alg));
        Assert.Equal(PasskeyError.InvalidPublicKey, e.Error);
    }

    [Fact]
    public void Rejects_unknown_alg_for_certificate()
    {
        using var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var certificate = SelfSigned(ecdsa);
        var e = Assert.Throws<PasskeyException>(() => CosePublicKey.FromCertificate(certificate, (CoseAlgorithm)(-12345)));
        Assert.Equal(PasskeyError.UnsupportedAlgorithm, e.Error);
    }

    [Fact]
    public void Ed25519_certificate_key_is_read_from_its_subject_public_key_info()
    {
        var (privateKey, publicKey) = EdDsa.GenerateKey(CoseCurve.Ed25519);
        using var certificate = IssuedForEd25519(publicKey);
        var key = CosePublicKey.FromCertificate(certificate, CoseAlgorithm.EdDSA);
        Assert.Equal(CoseCurve.Ed25519, key.Curve);
        Assert.True(key.Verify([1, 2, 3], EdDsa.Sign(CoseCurve.Ed25519, privateKey, [1, 2, 3])));
        Assert.True(key.HasSamePublicKey(certificate));

        var e = Assert.Throws<PasskeyException>(() => CosePublicKey.FromCertificate(certificate, CoseAlgorithm.Ed448));
        Assert.Equal(PasskeyError.InvalidPublicKey, e.Error);
    }

    [Fact]
    public void Certificate_with_another_key_is_not_the_same_key()
    {
        using var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var otherEc = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var rsa = RSA.Create(2048);
        using var ecCertificate = SelfSigned(otherEc);
        using var rsaCertificate = SelfSigned(rsa);
        var key = CosePublicKey.FromECDsa(ecdsa, CoseAlgorithm.ES256);
        Assert.False(key.HasSamePublicKey(ecCertificate));
        Assert.False(key.HasSamePublicKey(rsaCertificate));

        using var otherRsa = RSA.Create(2048);
        Assert.False(CosePublicKey.FromRsa(otherRsa, CoseAlgorithm.RS256).HasSamePublicKey(rsaCertificate));
        Assert.False(CosePublicKey.FromRsa(rsa, CoseAlgorithm.RS256).HasSamePublicKey(ecCertificate));

        var (_, edKey) = EdDsa.GenerateKey(CoseCurve.Ed25519);
        Assert.False(CosePublicKey.FromEdDsa(CoseAlgorithm.EdDSA, CoseCurve.Ed25519, edKey).HasSamePublicKey(ecCertificate));
    }

    [Fact]
    public void Same_coordinates_on_another_curve_are_not_the_same_key()
    {
        using var p384 = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        using var certificate = SelfSigned(p384);
        using var p256 = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        Assert.False(CosePublicKey.FromECDsa(p256, CoseAlgorithm.ES256).HasSamePublicKey(certificate));
    }
}
