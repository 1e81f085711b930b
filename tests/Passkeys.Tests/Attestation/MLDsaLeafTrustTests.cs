using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Passkeys.Attestation;
using Passkeys.Protocol;

namespace Passkeys.Tests.Attestation;

/// <summary>
/// REG-24 for an attestation certificate holding an ML-DSA key (RFC 9881), as a full packed ML-DSA
/// statement carries: where the platform has no ML-DSA (OpenSSL 3.0) its chain builder cannot start
/// at such a leaf, so the verifier checks the leaf → issuer link itself. Each check of that link
/// gets a certificate that fails it; the software authenticator's round trips cover the trusted path.
/// </summary>
public class MLDsaLeafTrustTests
{
    private static readonly DateTimeOffset Now = new(2026, 6, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly AuthenticatorData AuthData = AuthenticatorData.Parse(new byte[37]);

    [Fact]
    public void A_leaf_issued_directly_by_an_anchor_is_trusted()
    {
        using var ca = Ca("CN=Direct CA", ca: true);
        using var leaf = Leaf(ca, "CN=Direct CA");

        var result = Evaluate(leaf, [], ca);

        Assert.Equal(AttestationTrustStatus.Trusted, result.Status);
    }

    [Fact]
    public void A_leaf_whose_issuer_is_not_a_CA_is_not_trusted()
    {
        using var notCa = Ca("CN=Not A CA", ca: false);
        using var leaf = Leaf(notCa, "CN=Not A CA");

        var result = Evaluate(leaf, [], notCa);

        Assert.Equal(AttestationTrustStatus.Untrusted, result.Status);
        AssertOwnCheck("is not a CA", result);
    }

    [Fact]
    public void A_leaf_whose_issuer_may_not_sign_certificates_is_not_trusted()
    {
        using var signer = Ca("CN=Signing Only", ca: true, X509KeyUsageFlags.DigitalSignature);
        using var leaf = Leaf(signer, "CN=Signing Only");

        var result = Evaluate(leaf, [], signer);

        Assert.Equal(AttestationTrustStatus.Untrusted, result.Status);
        AssertOwnCheck("may not sign certificates", result);
    }

    [Fact]
    public void A_leaf_signed_by_another_key_under_the_anchors_name_is_not_trusted()
    {
        using var anchor = Ca("CN=Same Name", ca: true);
        using var impostor = Ca("CN=Same Name", ca: true);
        using var leaf = Leaf(impostor, "CN=Same Name");

        var result = Evaluate(leaf, [], anchor);

        Assert.Equal(AttestationTrustStatus.Untrusted, result.Status);
        AssertOwnCheck("does not verify", result);
    }

    [Fact]
    public void An_expired_leaf_is_not_trusted()
    {
        using var ca = Ca("CN=Expiry CA", ca: true);
        using var leaf = Leaf(ca, "CN=Expiry CA", notAfter: Now.AddDays(-1));

        var result = Evaluate(leaf, [], ca);

        Assert.Equal(AttestationTrustStatus.Untrusted, result.Status);
        AssertOwnCheck("not valid at", result);
    }

    [Fact]
    public void A_leaf_whose_issuer_is_neither_in_x5c_nor_an_anchor_is_not_trusted()
    {
        using var issuer = Ca("CN=Absent CA", ca: true);
        using var other = Ca("CN=Other CA", ca: true);
        using var leaf = Leaf(issuer, "CN=Absent CA");

        var result = Evaluate(leaf, [], other);

        Assert.Equal(AttestationTrustStatus.Untrusted, result.Status);
        AssertOwnCheck("issued it", result);
    }

    [Fact]
    public void The_chain_above_the_leaf_is_still_the_platforms_to_judge()
    {
        // The leaf's issuer is in x5c and checks out, but it chains to a root that is not an anchor.
        using var root = Ca("CN=Unknown Root", ca: true);
        using var intermediate = Issued(root, "CN=Intermediate Under Unknown Root");
        using var anchor = Ca("CN=Configured Root", ca: true);
        using var leaf = Leaf(intermediate, "CN=Intermediate Under Unknown Root");

        var result = Evaluate(leaf, [intermediate], anchor);

        Assert.Equal(AttestationTrustStatus.Untrusted, result.Status);
        // And trusted once that root is an anchor.
        Assert.Equal(AttestationTrustStatus.Trusted, Evaluate(leaf, [intermediate], root).Status);
    }

    [Fact]
    public void A_leaf_with_a_key_algorithm_no_one_knows_is_not_trusted_rather_than_an_exception()
    {
        // Not ML-DSA, so the platform's chain builder starts at the leaf and gives up on its key.
        using var ca = Ca("CN=Unknown Key CA", ca: true);
        using var leaf = Leaf(ca, "CN=Unknown Key CA", keyOid: "1.3.6.1.4.1.55555.1.2");

        var result = Evaluate(leaf, [], ca);

        Assert.Equal(AttestationTrustStatus.Untrusted, result.Status);
    }

    private static AttestationTrustResult Evaluate(X509Certificate2 leaf, X509Certificate2[] rest, X509Certificate2 anchor)
    {
        var statement = new AttestationStatementResult("packed", AttestationType.Basic, [leaf, .. rest]);
        return new AttestationTrust([anchor], null, new FixedTime(Now)).Evaluate(AuthData, statement);
    }

    /// <summary>Where the platform has ML-DSA its own chain builder refuses the leaf, with its own words.</summary>
    private static void AssertOwnCheck(string reason, AttestationTrustResult result)
    {
        if (!MLDsa.IsSupported)
        {
            Assert.Contains(reason, result.Detail, StringComparison.Ordinal);
        }
    }

    /// <summary>A self-signed P-256 certificate (with its private key) to act as anchor or issuer.</summary>
    private static X509Certificate2 Ca(string name, bool ca, X509KeyUsageFlags usage = X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(name, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(ca, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(usage, true));
        return request.CreateSelfSigned(Now.AddYears(-1), Now.AddYears(5));
    }

    /// <summary>An intermediate CA (with its private key) issued by <paramref name="issuer"/>.</summary>
    private static X509Certificate2 Issued(X509Certificate2 issuer, string name)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(name, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign, true));
        using var issuerKey = issuer.GetECDsaPrivateKey()!;
        using var cert = request.Create(issuer.SubjectName, X509SignatureGenerator.CreateForECDsa(issuerKey), Now.AddYears(-1), Now.AddYears(4), [1, 2, 3]);
        return cert.CopyWithPrivateKey(key);
    }

    /// <summary>
    /// A packed attestation leaf holding an ML-DSA-44 key, signed (ECDSA-SHA256) by
    /// <paramref name="issuer"/>'s key under the name <paramref name="issuerName"/>. The key bytes are
    /// random: trust evaluation never uses the leaf's key, only its issuer's.
    /// </summary>
    private static X509Certificate2 Leaf(X509Certificate2 issuer, string issuerName, DateTimeOffset? notAfter = null, string keyOid = "2.16.840.1.101.3.4.3.17")
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            using (writer.PushSequence())
            {
                writer.WriteObjectIdentifier(keyOid);
            }
            writer.WriteBitString(RandomNumberGenerator.GetBytes(1312));
        }
        var publicKey = PublicKey.CreateFromSubjectPublicKeyInfo(writer.Encode(), out _);
        var request = new CertificateRequest(new X500DistinguishedName("CN=Leaf, OU=Authenticator Attestation, O=Test, C=US"), publicKey, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        using var issuerKey = issuer.GetECDsaPrivateKey()!;
        return request.Create(new X500DistinguishedName(issuerName), X509SignatureGenerator.CreateForECDsa(issuerKey),
            Now.AddDays(-30), notAfter ?? Now.AddYears(1), [9, 8, 7]);
    }

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
