using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Passkeys.Authenticator.Crypto;

namespace Passkeys.Authenticator;

/// <summary>
/// A throwaway certificate authority for attestation: a root, an intermediate, and on request
/// the attestation certificates a packed, fido-u2f or tpm authenticator carries; plus one
/// hierarchy of its own (root and intermediate) for each vendor format, android-key,
/// android-safetynet and apple, as each vendor has its own root (see <see cref="RootFor"/>). The CA keys are
/// P-256 and all certificates ECDSA-SHA256; seeded, the whole hierarchy is byte-identical across
/// runs for the same clock (an RSA TPM AIK's own key and SafetyNet's RSA signing key excepted:
/// RSA keys are always random).
/// </summary>
/// <remarks>
/// Packed attestation certificate requirements: WebAuthn Level 3 §8.2.1
/// (https://www.w3.org/TR/webauthn-3/#sctn-packed-attestation-cert-requirements).
/// TPM AIK certificate requirements: §8.3.1
/// (https://www.w3.org/TR/webauthn-3/#sctn-tpm-cert-requirements) and the TCG EK Credential
/// Profile's subject alternative name.
/// </remarks>
public sealed partial class TestCertificateAuthority : IDisposable
{
    /// <summary>The FIDO AAGUID certificate extension, id-fido-gen-ce-aaguid.</summary>
    public const string AaguidExtensionOid = "1.3.6.1.4.1.45724.1.1.4";

    /// <summary>tcg-kp-AIKCertificate, the extended key usage of a TPM AIK certificate.</summary>
    public const string TpmAikKeyUsageOid = "2.23.133.8.3";

    /// <summary>
    /// The TPM manufacturer written into AIK certificates: "id:FFFFF1D0", the TCG vendor id FIDO
    /// reserves for testing (tcg-at-tpmManufacturer, 2.23.133.2.1).
    /// </summary>
    public const string TpmManufacturer = "id:FFFFF1D0";

    /// <summary>The TPM model written into AIK certificates (tcg-at-tpmModel, 2.23.133.2.2).</summary>
    public const string TpmModel = "Passkeys Software TPM";

    /// <summary>The TPM firmware version written into AIK certificates (tcg-at-tpmVersion, 2.23.133.2.3).</summary>
    public const string TpmVersion = "id:00010026";

    private readonly int? _seed;
    private readonly RandomSource _random;
    private readonly bool _deterministic;
    private readonly DateTimeOffset _now;
    private readonly EcCredentialKey _rootKey;
    private readonly EcCredentialKey _intermediateKey;
    private readonly Lock _aikLock = new();
    private readonly Dictionary<(int Algorithm, Guid Aaguid), (X509Certificate2 Certificate, CredentialKey Key)> _aiks = [];

    /// <summary>Creates the root and intermediate.</summary>
    /// <param name="seed">Seed for keys and serial numbers; random when null.</param>
    /// <param name="time">Clock for validity periods (from a day ago); the system clock when null.</param>
    public TestCertificateAuthority(int? seed = null, TimeProvider? time = null)
    {
        _seed = seed;
        _random = RandomSource.For(seed, "certificate-authority");
        _deterministic = seed is not null;
        var now = (time ?? TimeProvider.System).GetUtcNow();
        _now = new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, now.Minute, now.Second, TimeSpan.Zero);

        _rootKey = NewKey();
        var rootName = new X500DistinguishedName("CN=Passkeys Test Root CA, O=Passkeys Test, C=US");
        Root = Issue(rootName, new PublicKey(_rootKey.Ecdsa), rootName, _rootKey, ca: true, pathLength: 1, TimeSpan.FromDays(365 * 20), []);

        _intermediateKey = NewKey();
        var intermediateName = new X500DistinguishedName("CN=Passkeys Test Intermediate CA, O=Passkeys Test, C=US");
        Intermediate = Issue(intermediateName, new PublicKey(_intermediateKey.Ecdsa), rootName, _rootKey, ca: true, pathLength: 0, TimeSpan.FromDays(365 * 10), []);
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
    /// <param name="aaguid">The authenticator model, for the AAGUID extension.</param>
    /// <param name="algorithm">
    /// The attestation key's algorithm (<see cref="PackedAttestationAlgorithms"/>): a P-256 key for ES256, or an
    /// ML-DSA key whose SubjectPublicKeyInfo (RFC 9881) the ECDSA intermediate signs like any other, so no
    /// platform ML-DSA is needed. Either way the certificate is ECDSA-SHA256 signed; only the key differs.
    /// </param>
    internal (X509Certificate2 Certificate, CredentialKey Key) IssuePackedAttestation(Guid aaguid, int algorithm = SupportedAlgorithms.ES256)
    {
        if (!PackedAttestationAlgorithms.Contains(algorithm))
        {
            throw new NotSupportedException($"a packed attestation key signs with ES256, ML-DSA-44, ML-DSA-65 or ML-DSA-87, not COSE algorithm {algorithm}");
        }
        var subject = new X500DistinguishedName("CN=Passkeys Software Authenticator, OU=Authenticator Attestation, O=Passkeys Test, C=US");
        // extnValue is an OCTET STRING whose content is the DER OCTET STRING of the 16 AAGUID bytes.
        byte[] aaguidValue = [0x04, 0x10, .. aaguid.ToByteArray(bigEndian: true)];
        var extension = new X509Extension(AaguidExtensionOid, aaguidValue, critical: false);
        // Draws from the CA's stream: ES256 exactly as before ML-DSA existed, so seeded ES256 output keeps its bytes.
        CredentialKey key = algorithm == SupportedAlgorithms.ES256
            ? NewKey()
            : MLDsaCredentialKey.Generate(algorithm, _random, _deterministic);
        var cert = Issue(subject, CertificateIssuer.PublicKeyOf(key), Intermediate.SubjectName, _intermediateKey, ca: false, pathLength: 0, TimeSpan.FromDays(365 * 5), [extension]);
        return (cert, key);
    }

    /// <summary>The algorithms a packed attestation key can have (<see cref="SoftwareAuthenticatorOptions.AttestationAlgorithm"/>).</summary>
    public static IReadOnlyList<int> PackedAttestationAlgorithms { get; } =
        [SupportedAlgorithms.ES256, SupportedAlgorithms.MLDsa44, SupportedAlgorithms.MLDsa65, SupportedAlgorithms.MLDsa87];

    /// <summary>Issues a fido-u2f attestation certificate directly from the root (U2F carries one certificate).</summary>
    internal (X509Certificate2 Certificate, EcCredentialKey Key) IssueU2fAttestation()
    {
        var key = NewKey();
        var subject = new X500DistinguishedName("CN=Passkeys Software U2F Authenticator, OU=Authenticator Attestation, O=Passkeys Test, C=US");
        var cert = Issue(subject, new PublicKey(key.Ecdsa), Root.SubjectName, _rootKey, ca: false, pathLength: 0, TimeSpan.FromDays(365 * 5), []);
        return (cert, key);
    }

    /// <summary>
    /// The TPM's attestation identity key and its certificate from the intermediate, made on first
    /// use and then kept (a TPM certifies every credential with the same AIK). The certificate
    /// meets §8.3.1: version 3, empty subject, a critical subject alternative name holding the TPM
    /// manufacturer, model and version, extended key usage tcg-kp-AIKCertificate, basic constraints
    /// CA=false, and the AAGUID extension. The CA owns the returned objects.
    /// </summary>
    /// <param name="algorithm"><see cref="SupportedAlgorithms.RS256"/> or <see cref="SupportedAlgorithms.ES256"/>.</param>
    /// <param name="aaguid">The authenticator model, for the AAGUID extension.</param>
    internal (X509Certificate2 Certificate, CredentialKey Key) TpmAik(int algorithm, Guid aaguid)
    {
        if (algorithm is not (SupportedAlgorithms.RS256 or SupportedAlgorithms.ES256))
        {
            throw new NotSupportedException($"a TPM AIK signs with RS256 or ES256, not COSE algorithm {algorithm}");
        }
        lock (_aikLock)
        {
            if (_aiks.TryGetValue((algorithm, aaguid), out var existing))
            {
                return existing;
            }
            CredentialKey key = algorithm == SupportedAlgorithms.ES256 ? NewKey() : RsaCredentialKey.Generate(algorithm);
            byte[] aaguidValue = [0x04, 0x10, .. aaguid.ToByteArray(bigEndian: true)];
            X509Extension[] extensions =
            [
                new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, critical: true),
                // The subject is empty, so the name lives in the subject alternative name, which must then be critical (RFC 5280 §4.2.1.6).
                new X509Extension("2.5.29.17", TpmSubjectAlternativeName(), critical: true),
                new X509EnhancedKeyUsageExtension(new OidCollection { new Oid(TpmAikKeyUsageOid) }, critical: false),
                new X509Extension(AaguidExtensionOid, aaguidValue, critical: false),
                X509AuthorityKeyIdentifierExtension.CreateFromCertificate(Intermediate, includeKeyIdentifier: true, includeIssuerAndSerial: false),
            ];
            var publicKey = PublicKey.CreateFromSubjectPublicKeyInfo(key.SubjectPublicKeyInfo, out _);
            var cert = Issue(new X500DistinguishedName(""), publicKey, Intermediate.SubjectName, _intermediateKey, ca: false, pathLength: 0, TimeSpan.FromDays(365 * 5), extensions);
            _aiks[(algorithm, aaguid)] = (cert, key);
            return (cert, key);
        }
    }

    /// <summary>
    /// GeneralNames with one directoryName whose single RDN holds tcg-at-tpmManufacturer,
    /// tcg-at-tpmModel and tcg-at-tpmVersion (TCG EK Credential Profile §3.2.9), as Windows AIK
    /// certificates carry them.
    /// </summary>
    private static byte[] TpmSubjectAlternativeName()
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())                                               // GeneralNames
        using (writer.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 4, isConstructed: true))) // directoryName [4]
        using (writer.PushSequence())                                               // Name (RDNSequence)
        using (writer.PushSetOf())                                                  // one multi-valued RDN; DER sorts it
        {
            foreach (var (oid, value) in new[] { ("2.23.133.2.1", TpmManufacturer), ("2.23.133.2.2", TpmModel), ("2.23.133.2.3", TpmVersion) })
            {
                using (writer.PushSequence())
                {
                    writer.WriteObjectIdentifier(oid);
                    writer.WriteCharacterString(UniversalTagNumber.UTF8String, value);
                }
            }
        }
        return writer.Encode();
    }

    /// <inheritdoc />
    public void Dispose()
    {
        lock (_aikLock)
        {
            foreach (var (certificate, key) in _aiks.Values)
            {
                certificate.Dispose();
                key.Dispose();
            }
            _aiks.Clear();
        }
        DisposeVendorHierarchies();
        _rootKey.Dispose();
        _intermediateKey.Dispose();
        Root.Dispose();
        Intermediate.Dispose();
    }

    private EcCredentialKey NewKey() => EcCredentialKey.Generate(SupportedAlgorithms.ES256, _random, _deterministic);

    private X509Certificate2 Issue(
        X500DistinguishedName subject, PublicKey subjectKey, X500DistinguishedName issuer, EcCredentialKey issuerKey,
        bool ca, int pathLength, TimeSpan lifetime, IEnumerable<X509Extension> extra) =>
        CertificateIssuer.Issue(_random, _now, subject, subjectKey, issuer, issuerKey, ca, pathLength, lifetime, extra);
}
