using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Passkeys.Authenticator.Crypto;

namespace Passkeys.Authenticator;

/// <summary>
/// Issues certificates the way every hierarchy of the test CA does: ECDSA-SHA256 signatures made
/// with RFC 6979 nonces when seeded, positive serial numbers from the hierarchy's own random
/// stream, basic constraints always, key usage on CA certificates, and a subject key identifier.
/// </summary>
internal static class CertificateIssuer
{
    public static X509Certificate2 Issue(
        RandomSource random, DateTimeOffset now, X500DistinguishedName subject, PublicKey subjectKey, X500DistinguishedName issuer,
        EcCredentialKey issuerKey, bool ca, int pathLength, TimeSpan lifetime, IEnumerable<X509Extension> extra)
    {
        var request = new CertificateRequest(subject, subjectKey, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(ca
            ? new X509BasicConstraintsExtension(true, true, pathLength, true)
            : new X509BasicConstraintsExtension(false, false, 0, true));
        if (ca)
        {
            request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        }
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        foreach (var extension in extra)
        {
            request.CertificateExtensions.Add(extension);
        }
        byte[] serial = random.GetBytes(16);
        serial[0] = (byte)((serial[0] & 0x7F) | 0x01); // positive, and no leading zero byte to strip
        return request.Create(issuer, new DeterministicEcdsaGenerator(issuerKey), now.AddDays(-1), now.Add(lifetime), serial);
    }

    /// <summary>The X.509 public key of a credential (or attestation) key, from its SubjectPublicKeyInfo.</summary>
    public static PublicKey PublicKeyOf(CredentialKey key) => PublicKey.CreateFromSubjectPublicKeyInfo(key.SubjectPublicKeyInfo, out _);
}

/// <summary>
/// One vendor's attestation hierarchy inside the test CA: a self-signed root and an intermediate
/// (both P-256), and the leaves the vendor's devices carry. Each hierarchy draws from its own
/// seeded stream, so that making one never changes another's bytes.
/// </summary>
internal sealed class AttestationHierarchy : IDisposable
{
    private readonly Lock _lock = new();
    private readonly RandomSource _random;
    private readonly bool _deterministic;
    private readonly DateTimeOffset _now;
    private readonly EcCredentialKey _rootKey;
    private readonly EcCredentialKey _intermediateKey;

    public AttestationHierarchy(int? seed, string label, DateTimeOffset now, string rootName, string intermediateName)
    {
        _random = RandomSource.For(seed, "certificate-authority/" + label);
        _deterministic = seed is not null;
        _now = now;
        _rootKey = NewKey();
        var root = new X500DistinguishedName(rootName);
        Root = CertificateIssuer.Issue(_random, now, root, new PublicKey(_rootKey.Ecdsa), root, _rootKey, ca: true, pathLength: 1, TimeSpan.FromDays(365 * 20), []);
        _intermediateKey = NewKey();
        var intermediate = new X500DistinguishedName(intermediateName);
        Intermediate = CertificateIssuer.Issue(_random, now, intermediate, new PublicKey(_intermediateKey.Ecdsa), root, _rootKey, ca: true, pathLength: 0, TimeSpan.FromDays(365 * 10), []);
    }

    /// <summary>The self-signed root (public part only).</summary>
    public X509Certificate2 Root { get; }

    /// <summary>The intermediate, issued by <see cref="Root"/>.</summary>
    public X509Certificate2 Intermediate { get; }

    /// <summary>A fresh P-256 key from this hierarchy's stream.</summary>
    public EcCredentialKey NewKey()
    {
        lock (_lock)
        {
            return EcCredentialKey.Generate(SupportedAlgorithms.ES256, _random, _deterministic);
        }
    }

    /// <summary>An end-entity certificate from the intermediate for <paramref name="subjectKey"/>.</summary>
    public X509Certificate2 IssueLeaf(X500DistinguishedName subject, PublicKey subjectKey, TimeSpan lifetime, IEnumerable<X509Extension> extensions)
    {
        X509Extension[] all =
        [
            .. extensions,
            X509AuthorityKeyIdentifierExtension.CreateFromCertificate(Intermediate, includeKeyIdentifier: true, includeIssuerAndSerial: false),
        ];
        lock (_lock)
        {
            return CertificateIssuer.Issue(_random, _now, subject, subjectKey, Intermediate.SubjectName, _intermediateKey, ca: false, pathLength: 0, lifetime, all);
        }
    }

    public void Dispose()
    {
        _rootKey.Dispose();
        _intermediateKey.Dispose();
        Root.Dispose();
        Intermediate.Dispose();
    }
}
