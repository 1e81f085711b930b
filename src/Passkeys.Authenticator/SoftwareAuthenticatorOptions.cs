namespace Passkeys.Authenticator;

/// <summary>
/// How a <see cref="SoftwareAuthenticator"/> behaves. The behaviour switches (user answers, flags,
/// faults) are read at each operation, so a test may change them between registration and login.
/// </summary>
public sealed class SoftwareAuthenticatorOptions
{
    /// <summary>The AAGUID used when the options do not name one.</summary>
    public static readonly Guid DefaultAaguid = new("5e1f9c1a-7d6b-4c39-9a0e-2f7a3b8d6c41");

    /// <summary>The authenticator model's AAGUID. Default <see cref="DefaultAaguid"/>.</summary>
    public Guid Aaguid { get; init; } = DefaultAaguid;

    /// <summary>
    /// When set, keys, credential ids and certificate keys and serial numbers come from a
    /// deterministic generator seeded with this value, and ECDSA signs with RFC 6979 nonces, so the
    /// output is byte-identical across runs. RSA keys and PS256 signatures stay random.
    /// </summary>
    public int? Seed { get; init; }

    /// <summary>The attestation produced at registration. Default <see cref="AttestationKind.None"/>.</summary>
    public AttestationKind Attestation { get; set; } = AttestationKind.None;

    /// <summary>
    /// The sub-statements of <see cref="AttestationKind.Compound"/>, in order: at least two kinds, none
    /// of them compound. Default <see cref="AttestationKinds.DefaultCompound"/> (packed, tpm).
    /// </summary>
    public IReadOnlyList<AttestationKind> CompoundAttestation { get; init; } = AttestationKinds.DefaultCompound;

    /// <summary>
    /// The algorithm of the TPM's attestation identity key, which signs certInfo for
    /// <see cref="AttestationKind.Tpm"/>: <see cref="SupportedAlgorithms.RS256"/> (default, an RSA-2048
    /// AIK as Windows Hello has; random even when seeded) or <see cref="SupportedAlgorithms.ES256"/>
    /// (a P-256 AIK, reproducible when seeded).
    /// </summary>
    public int TpmAikAlgorithm { get; init; } = SupportedAlgorithms.RS256;

    /// <summary>
    /// The algorithm of the packed attestation key, which signs the statement of
    /// <see cref="AttestationKind.Packed"/> (alone or inside compound) and whose certificate from the
    /// test CA is <c>x5c[0]</c>: <see cref="SupportedAlgorithms.ES256"/> (default, a P-256 key) or
    /// <see cref="SupportedAlgorithms.MLDsa44"/>, <see cref="SupportedAlgorithms.MLDsa65"/>,
    /// <see cref="SupportedAlgorithms.MLDsa87"/> (a post-quantum attestation key, in a certificate the
    /// ECDSA intermediate signs; deterministic when seeded). Independent of the credential's algorithm.
    /// </summary>
    public int AttestationAlgorithm { get; init; } = SupportedAlgorithms.ES256;

    /// <summary>The algorithms this authenticator offers; the first requested one it offers is used. Default: all.</summary>
    public IReadOnlyList<int> Algorithms { get; init; } = SupportedAlgorithms.All;

    /// <summary>Whether the user touches the device when asked. False: operations fail (user action timeout). Default true.</summary>
    public bool UserPresent { get; set; } = true;

    /// <summary>Whether the device can verify the user at all (biometric or PIN). Default true.</summary>
    public bool SupportsUserVerification { get; init; } = true;

    /// <summary>The answer to "did the user verify?" when verification is requested. False: the operation fails. Default true.</summary>
    public bool UserVerified { get; set; } = true;

    /// <summary>Signature counter behaviour. Default <see cref="SignCounterMode.PerCredential"/>.</summary>
    public SignCounterMode Counter { get; init; } = SignCounterMode.PerCredential;

    /// <summary>Whether new credentials are backup eligible (BE flag; fixed per credential at creation).</summary>
    public bool BackupEligible { get; init; }

    /// <summary>Whether credentials are currently backed up (BS flag). Setting it without <see cref="BackupEligible"/> is a defect an RP must reject.</summary>
    public bool BackupState { get; set; }

    /// <summary>How the device is attached. Default <see cref="AuthenticatorAttachmentKind.Platform"/>.</summary>
    public AuthenticatorAttachmentKind Attachment { get; init; } = AuthenticatorAttachmentKind.Platform;

    /// <summary>The transports the device reports. Default: ["internal"] for platform, ["usb"] for cross-platform.</summary>
    public IReadOnlyList<string>? Transports { get; init; }

    /// <summary>The fault switches in effect. Default none.</summary>
    public AuthenticatorFaults Faults { get; set; }

    /// <summary>The clock for certificate validity and credential creation times. Default the system clock.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>The CA issuing attestation certificates; created on first need (seeded like the rest) when null.</summary>
    public TestCertificateAuthority? CertificateAuthority { get; init; }

    internal IReadOnlyList<string> EffectiveTransports =>
        Transports ?? (Attachment == AuthenticatorAttachmentKind.Platform ? ["internal"] : ["usb"]);
}
