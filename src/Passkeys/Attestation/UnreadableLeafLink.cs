using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Passkeys.Attestation;

/// <summary>
/// The first link of a trust path whose leaf carries a key the platform's X.509 stack cannot read:
/// an ML-DSA attestation certificate (RFC 9881) where the platform has no ML-DSA (OpenSSL before 3.5).
/// There, building a chain from the leaf fails inside the platform ("unable to get certs public
/// key") before any trust decision, although only the issuer's key is needed to check the leaf.
/// So the leaf → issuer link is checked here (names, validity, the issuer being a CA allowed to sign
/// certificates, the issuer's ECDSA or RSA signature over the leaf), and the platform builds the chain
/// from the issuer up.
/// </summary>
internal static class UnreadableLeafLink
{
    private static readonly HashSet<string> s_mlDsaOids = ["2.16.840.1.101.3.4.3.17", "2.16.840.1.101.3.4.3.18", "2.16.840.1.101.3.4.3.19"];

    /// <summary>Whether the platform cannot build a chain from <paramref name="leaf"/> because it cannot read its key.</summary>
    public static bool Applies(X509Certificate2 leaf) => s_mlDsaOids.Contains(leaf.PublicKey.Oid.Value ?? "") && !MLDsa.IsSupported;

    /// <summary>
    /// The certificate among <paramref name="candidates"/> that issued <paramref name="leaf"/>, or null
    /// with the reason in <paramref name="problem"/>.
    /// </summary>
    public static X509Certificate2? FindIssuer(X509Certificate2 leaf, IEnumerable<X509Certificate2> candidates, DateTime at, out string problem)
    {
        if (at < leaf.NotBefore.ToUniversalTime() || at > leaf.NotAfter.ToUniversalTime())
        {
            problem = $"{leaf.Subject}: not valid at {at:O} (valid {leaf.NotBefore.ToUniversalTime():O} to {leaf.NotAfter.ToUniversalTime():O})";
            return null;
        }
        problem = $"{leaf.Subject}: no certificate in the trust path or among the anchors issued it";
        foreach (var candidate in candidates)
        {
            if (!candidate.SubjectName.RawData.AsSpan().SequenceEqual(leaf.IssuerName.RawData))
            {
                continue;
            }
            if (candidate.Extensions.OfType<X509BasicConstraintsExtension>().FirstOrDefault() is not { CertificateAuthority: true })
            {
                problem = $"{leaf.Subject}: its issuer '{candidate.Subject}' is not a CA (basic constraints)";
                continue;
            }
            if (candidate.Extensions.OfType<X509KeyUsageExtension>().FirstOrDefault() is { } usage && !usage.KeyUsages.HasFlag(X509KeyUsageFlags.KeyCertSign))
            {
                problem = $"{leaf.Subject}: its issuer '{candidate.Subject}' may not sign certificates (key usage)";
                continue;
            }
            if (!SignedBy(leaf, candidate))
            {
                problem = $"{leaf.Subject}: the signature of '{candidate.Subject}' over it does not verify";
                continue;
            }
            return candidate;
        }
        return null;
    }

    /// <summary>Verifies the certificate's signature (ECDSA or RSA PKCS#1 v1.5 with SHA-2) with the issuer's key.</summary>
    private static bool SignedBy(X509Certificate2 certificate, X509Certificate2 issuer)
    {
        ReadOnlyMemory<byte> tbs, signature;
        string algorithm;
        try
        {
            var reader = new AsnReader(certificate.RawDataMemory, AsnEncodingRules.DER);
            var sequence = reader.ReadSequence();
            tbs = sequence.ReadEncodedValue();
            var algorithmIdentifier = sequence.ReadSequence();
            algorithm = algorithmIdentifier.ReadObjectIdentifier();
            signature = sequence.ReadBitString(out int unused);
            if (unused != 0)
            {
                return false;
            }
        }
        catch (AsnContentException)
        {
            return false;
        }
        HashAlgorithmName? hash = algorithm switch
        {
            "1.2.840.10045.4.3.2" or "1.2.840.113549.1.1.11" => HashAlgorithmName.SHA256,
            "1.2.840.10045.4.3.3" or "1.2.840.113549.1.1.12" => HashAlgorithmName.SHA384,
            "1.2.840.10045.4.3.4" or "1.2.840.113549.1.1.13" => HashAlgorithmName.SHA512,
            _ => null,
        };
        if (hash is not HashAlgorithmName name)
        {
            return false;
        }
        if (algorithm.StartsWith("1.2.840.10045.", StringComparison.Ordinal))
        {
            using var ecdsa = issuer.GetECDsaPublicKey();
            return ecdsa is not null && ecdsa.VerifyData(tbs.Span, signature.Span, name, DSASignatureFormat.Rfc3279DerSequence);
        }
        using var rsa = issuer.GetRSAPublicKey();
        return rsa is not null && rsa.VerifyData(tbs.Span, signature.Span, name, RSASignaturePadding.Pkcs1);
    }
}
