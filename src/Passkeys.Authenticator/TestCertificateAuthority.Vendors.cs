using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Passkeys.Authenticator.Crypto;

namespace Passkeys.Authenticator;

/// <summary>
/// The vendor hierarchies: Google's hardware attestation root (android-key), the GlobalSign
/// chain of SafetyNet's attest.android.com (android-safetynet) and Apple's WebAuthn root (apple),
/// each played by a test root of its own, so that trusting one vendor's root trusts none of the
/// others. Each is made on first use.
/// </summary>
public sealed partial class TestCertificateAuthority
{
    /// <summary>The host name SafetyNet's signing certificate is issued to.</summary>
    public const string SafetyNetHostname = "attest.android.com";

    private readonly Lock _vendorLock = new();
    private AttestationHierarchy? _androidKey;
    private AttestationHierarchy? _safetyNet;
    private AttestationHierarchy? _apple;
    private (X509Certificate2 Certificate, RsaCredentialKey Key)? _safetyNetSigner;

    /// <summary>
    /// The root a statement of <paramref name="kind"/> chains to: <see cref="Root"/> for packed,
    /// fido-u2f and tpm; the vendor's own test root for android-key, android-safetynet and apple.
    /// </summary>
    /// <exception cref="ArgumentException">none, packed self and compound attestation have no root of their own.</exception>
    public X509Certificate2 RootFor(AttestationKind kind) => kind switch
    {
        AttestationKind.Packed or AttestationKind.FidoU2f or AttestationKind.Tpm => Root,
        AttestationKind.AndroidKey => AndroidKeyHierarchy.Root,
        AttestationKind.AndroidSafetyNet => SafetyNetHierarchy.Root,
        AttestationKind.Apple => AppleHierarchy.Root,
        _ => throw new ArgumentException($"{AttestationKinds.FormatName(kind)} attestation ({kind}) has no certificate chain of its own", nameof(kind)),
    };

    /// <summary><see cref="RootFor"/> in PEM, for a relying party's trust anchors.</summary>
    public string RootCertificatePemFor(AttestationKind kind) => RootFor(kind).ExportCertificatePem();

    internal AttestationHierarchy AndroidKeyHierarchy => Vendor(ref _androidKey, "android-key",
        "CN=Passkeys Test Android Hardware Attestation Root, O=Passkeys Test, C=US",
        "CN=Passkeys Test Android Keystore Attestation Key, OU=TEE, O=Passkeys Test, C=US");

    internal AttestationHierarchy SafetyNetHierarchy => Vendor(ref _safetyNet, "android-safetynet",
        "CN=Passkeys Test SafetyNet Root CA, O=Passkeys Test, C=US",
        "CN=Passkeys Test SafetyNet Issuing CA, O=Passkeys Test, C=US");

    internal AttestationHierarchy AppleHierarchy => Vendor(ref _apple, "apple",
        "CN=Passkeys Test Apple WebAuthn Root CA, O=Passkeys Test, ST=California",
        "CN=Passkeys Test Apple WebAuthn CA 1, O=Passkeys Test, ST=California");

    /// <summary>
    /// The certificate Android Keystore makes for a newly generated key: subject "Android Keystore
    /// Key", the credential's own public key, and the key description extension (§8.4.1), issued
    /// by the device's attestation key (the intermediate).
    /// </summary>
    internal X509Certificate2 IssueAndroidKeyCertificate(CredentialKey credentialKey, byte[] keyDescription) =>
        AndroidKeyHierarchy.IssueLeaf(
            new X500DistinguishedName("CN=Android Keystore Key"), CertificateIssuer.PublicKeyOf(credentialKey), TimeSpan.FromDays(365 * 5),
            [new X509Extension(Passkeys.Attestation.AndroidKeyDescription.Oid, keyDescription, critical: false)]);

    /// <summary>
    /// Apple's credCert (§8.8): the credential's public key, and extension 1.2.840.113635.100.8.2
    /// holding SEQUENCE { [1] EXPLICIT OCTET STRING nonce }, from Apple's intermediate.
    /// </summary>
    internal X509Certificate2 IssueAppleCredentialCertificate(CredentialKey credentialKey, byte[] nonce)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        using (writer.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 1, isConstructed: true)))
        {
            writer.WriteOctetString(nonce);
        }
        // Apple names the certificate after the key; the hash of its SubjectPublicKeyInfo stands in.
        string name = Convert.ToHexStringLower(SHA256.HashData(credentialKey.SubjectPublicKeyInfo));
        return AppleHierarchy.IssueLeaf(
            new X500DistinguishedName($"CN={name}, OU=AAA Certification, O=Passkeys Test, ST=California"),
            CertificateIssuer.PublicKeyOf(credentialKey), TimeSpan.FromDays(365 * 5),
            [new X509Extension(Passkeys.Attestation.AppleAttestationVerifier.NonceExtensionOid, writer.Encode(), critical: false)]);
    }

    /// <summary>
    /// SafetyNet's JWS signing key and its certificate, made once: RSA-2048 (RS256, as Google's is;
    /// so random even when seeded), issued to attest.android.com (subject CN and DNS name) with
    /// extended key usage serverAuth. The CA owns the returned objects.
    /// </summary>
    internal (X509Certificate2 Certificate, RsaCredentialKey Key) SafetyNetSigner()
    {
        lock (_vendorLock)
        {
            if (_safetyNetSigner is { } existing)
            {
                return existing;
            }
        }
        var hierarchy = SafetyNetHierarchy;
        var key = RsaCredentialKey.Generate(SupportedAlgorithms.RS256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName(SafetyNetHostname);
        var certificate = hierarchy.IssueLeaf(
            new X500DistinguishedName($"CN={SafetyNetHostname}, O=Passkeys Test, C=US"), CertificateIssuer.PublicKeyOf(key), TimeSpan.FromDays(365 * 5),
            [
                new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, critical: true),
                new X509EnhancedKeyUsageExtension(new OidCollection { new Oid("1.3.6.1.5.5.7.3.1") }, critical: false),
                names.Build(),
            ]);
        lock (_vendorLock)
        {
            if (_safetyNetSigner is { } raced)
            {
                certificate.Dispose();
                key.Dispose();
                return raced;
            }
            _safetyNetSigner = (certificate, key);
            return (certificate, key);
        }
    }

    private AttestationHierarchy Vendor(ref AttestationHierarchy? field, string label, string rootName, string intermediateName)
    {
        lock (_vendorLock)
        {
            return field ??= new AttestationHierarchy(_seed, label, _now, rootName, intermediateName);
        }
    }

    private void DisposeVendorHierarchies()
    {
        lock (_vendorLock)
        {
            if (_safetyNetSigner is { } signer)
            {
                signer.Certificate.Dispose();
                signer.Key.Dispose();
                _safetyNetSigner = null;
            }
            _androidKey?.Dispose();
            _safetyNet?.Dispose();
            _apple?.Dispose();
            _androidKey = _safetyNet = _apple = null;
        }
    }
}
