using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Passkeys.Authenticator.Crypto;

namespace Passkeys.Authenticator;

/// <summary>
/// A throwaway certificate authority for attestation: a root, an intermediate, and on request
/// the attestation certificates a packed or fido-u2f authenticator carries. All keys are P-256
/// and all certificates ECDSA-SHA256; seeded, the whole hierarchy is byte-identical across runs
/// for the same clock.
/// </summary>
/// <remarks>
/// Packed attestation certificate requirements: WebAuthn Level 3 §8.2.1
/// (https://www.w3.org/TR/webauthn-3/#sctn-packed-attestation-cert-requirements).
/// </remarks>
public sealed class TestCertificateAuthority : IDisposable
{
    /// <summary>The FIDO AAGUID certificate extension, id-fido-gen-ce-aaguid.</summary>
    public const string AaguidExtensionOid = "1.3.6.1.4.1.45724.1.1.4";

    private readonly RandomSource _random;
    private readonly bool _deterministic;
    private readonly DateTimeOffset _now;
    private readonly EcCredentialKey _rootKey;
    private readonly EcCredentialKey _intermediateKey;

    /// <summary>Creates the root and intermediate.</summary>
    /// <param name="seed">Seed for keys and serial numbers; random when null.</param>
    /// <param name="time">Clock for validity periods (from a day ago); the system clock when null.</param>
    public TestCertificateAuthority(int? seed = null, TimeProvider? time = null)
    {
        _random = RandomSource.For(seed, "certificate-authority");
        _deterministic = seed is not null;
        var now = (time ?? TimeProvider.System).GetUtcNow();
        _now = new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, now.Minute, now.Second, TimeSpan.Zero);

        _rootKey = NewKey();
        var rootName = new X500DistinguishedName("CN=Passkeys Test Root CA, O=Passkeys Test, C=US");
        Root = Issue(rootName, _rootKey, rootName, _rootKey, ca: true, pathLength: 1, TimeSpan.FromDays(365 * 20), []);

        _intermediateKey = NewKey();
        var intermediateName = new X500DistinguishedName("CN=Passkeys Test Intermediate CA, O=Passkeys Test, C=US");
        Intermediate = Issue(intermediateName, _intermediateKey, rootName, _rootKey, ca: true, pathLength: 0, TimeSpan.FromDays(365 * 10), []);
    }

    /// <summary>The self-signed root (public part only).</summary>
    public X509Certificate2 Root { get; }

    /// <summary>The intermediate, issued by <see cref="Root"/> (public part only).</summary>
    public X509Certificate2 Intermediate { get; }

    /// <summary>The root in PEM, for a relying party's trust anchors.</summary>
    public string RootCertificatePem => Root.ExportCertificatePem();

    /// <summary>
    /// Issues a packed attestation certificate from the intermediate: version 3, subject C, O,
    /// OU="Authenticator Attestation", CN, basic constraints CA=false, and the AAGUID extension.
    /// </summary>
    internal (X509Certificate2 Certificate, EcCredentialKey Key) IssuePackedAttestation(Guid aaguid)
    {
        var key = NewKey();
        var subject = new X500DistinguishedName("CN=Passkeys Software Authenticator, OU=Authenticator Attestation, O=Passkeys Test, C=US");
        // extnValue is an OCTET STRING whose content is the DER OCTET STRING of the 16 AAGUID bytes.
        byte[] aaguidValue = [0x04, 0x10, .. aaguid.ToByteArray(bigEndian: true)];
        var extension = new X509Extension(AaguidExtensionOid, aaguidValue, critical: false);
        var cert = Issue(subject, key, Intermediate.SubjectName, _intermediateKey, ca: false, pathLength: 0, TimeSpan.FromDays(365 * 5), [extension]);
        return (cert, key);
    }

    /// <summary>Issues a fido-u2f attestation certificate directly from the root (U2F carries one certificate).</summary>
    internal (X509Certificate2 Certificate, EcCredentialKey Key) IssueU2fAttestation()
    {
        var key = NewKey();
        var subject = new X500DistinguishedName("CN=Passkeys Software U2F Authenticator, OU=Authenticator Attestation, O=Passkeys Test, C=US");
        var cert = Issue(subject, key, Root.SubjectName, _rootKey, ca: false, pathLength: 0, TimeSpan.FromDays(365 * 5), []);
        return (cert, key);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _rootKey.Dispose();
        _intermediateKey.Dispose();
        Root.Dispose();
        Intermediate.Dispose();
    }

    private EcCredentialKey NewKey() => EcCredentialKey.Generate(SupportedAlgorithms.ES256, _random, _deterministic);

    private X509Certificate2 Issue(
        X500DistinguishedName subject, EcCredentialKey subjectKey, X500DistinguishedName issuer, EcCredentialKey issuerKey,
        bool ca, int pathLength, TimeSpan lifetime, IEnumerable<X509Extension> extra)
    {
        var request = new CertificateRequest(subject, new PublicKey(subjectKey.Ecdsa), HashAlgorithmName.SHA256);
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
        byte[] serial = _random.GetBytes(16);
        serial[0] = (byte)((serial[0] & 0x7F) | 0x01); // positive, and no leading zero byte to strip
        return request.Create(issuer, new DeterministicEcdsaGenerator(issuerKey), _now.AddDays(-1), _now.Add(lifetime), serial);
    }
}
