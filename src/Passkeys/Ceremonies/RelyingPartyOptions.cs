using System.Security.Cryptography.X509Certificates;
using Passkeys.Attestation;
using Passkeys.Cose;
using Passkeys.Protocol;

namespace Passkeys.Ceremonies;

/// <summary>What to do with extension outputs the relying party did not ask for (REG-28, AUTH-23).</summary>
public enum UnrequestedExtensionPolicy
{
    /// <summary>Ignore them (the spec's default; clients and authenticators add outputs of their own).</summary>
    Ignore,
    /// <summary>Reject the ceremony with <see cref="PasskeyError.UnexpectedExtensionOutput"/>.</summary>
    Reject,
}

/// <summary>What to do when the signature counter did not increase (AUTH-22, §6.1.1).</summary>
public enum SignCountRegressionPolicy
{
    /// <summary>Reject with <see cref="PasskeyError.SignCountRegression"/> (default): the authenticator may be cloned.</summary>
    Reject,
    /// <summary>Accept, and report it in <see cref="VerifiedAuthentication.SignCountRegressed"/> so the caller can flag the account.</summary>
    AllowAndReport,
}

/// <summary>Whether a change of the backup-eligible flag after registration fails sign-in (AUTH-19.1/19.2).</summary>
public enum BackupEligibilityPolicy
{
    /// <summary>BE is fixed at creation; a change fails with <see cref="PasskeyError.BackupEligibilityChanged"/> (default).</summary>
    Enforce,
    /// <summary>
    /// Accept changes (some real authenticators flip BE between ceremonies: go-webauthn #335,
    /// webauthn-rs #513). Only for relying parties that don't base policy on backup state.
    /// </summary>
    Ignore,
}

/// <summary>
/// The relying party's policy. Defaults are the secure ones; a risky switch says so in its name.
/// Validated when a <see cref="RelyingParty"/> is created.
/// </summary>
public sealed class RelyingPartyOptions
{
    /// <summary>The RP ID: a registrable domain suffix of (or equal to) the origins' hosts, e.g. "example.com".</summary>
    public required string RpId { get; set; }

    /// <summary>The name shown by some authenticators during registration.</summary>
    public required string RpName { get; set; }

    /// <summary>
    /// Every origin the RP accepts in clientDataJSON (REG-09/AUTH-12): web origins ("https://example.com",
    /// scheme, host and port compared exactly after normalization), related origins (§5.11) and native
    /// app origins ("android:apk-key-hash:…").
    /// </summary>
    public IList<string> Origins { get; set; } = [];

    /// <summary>Accept ceremonies run inside cross-origin iframes (crossOrigin = true). Off by default.</summary>
    public bool AllowCrossOrigin { get; set; }

    /// <summary>Origins of pages allowed to embed the RP in an iframe (topOrigin); needs <see cref="AllowCrossOrigin"/>.</summary>
    public IList<string> AllowedTopOrigins { get; set; } = [];

    /// <summary>User verification requirement sent in options and enforced at finish. Default: preferred.</summary>
    public UserVerificationRequirement UserVerification { get; set; } = UserVerificationRequirement.Preferred;

    /// <summary>Discoverable-credential requirement for registration. Default: required (passkeys).</summary>
    public ResidentKeyRequirement ResidentKey { get; set; } = ResidentKeyRequirement.Required;

    /// <summary>Attestation conveyance preference. Default: none.</summary>
    public AttestationConveyancePreference Attestation { get; set; } = AttestationConveyancePreference.None;

    /// <summary>
    /// Algorithms offered at registration, most preferred first (REG-20). Default: ES256, EdDSA,
    /// ML-DSA-44 (post-quantum, verified on every platform), ES384, ES512, PS256, RS256.
    /// </summary>
    public IList<CoseAlgorithm> Algorithms { get; set; } =
        [CoseAlgorithm.ES256, CoseAlgorithm.EdDSA, CoseAlgorithm.MLDsa44, CoseAlgorithm.ES384, CoseAlgorithm.ES512, CoseAlgorithm.PS256, CoseAlgorithm.RS256];

    /// <summary>How long a ceremony may take, and the timeout hint sent to the browser. Default: 5 minutes.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Challenge length in bytes (at least 16). Default: 32.</summary>
    public int ChallengeSize { get; set; } = 32;

    /// <summary>Roots (or attestation certificates) trusted for every authenticator (REG-23).</summary>
    public IList<X509Certificate2> TrustAnchors { get; set; } = [];

    /// <summary>Further anchors per authenticator, e.g. from FIDO metadata (REG-23).</summary>
    public ITrustAnchorProvider? TrustAnchorProvider { get; set; }

    /// <summary>Refuse registrations whose attestation is not trusted (REG-24). Off by default: untrusted is reported, not refused.</summary>
    public bool RequireTrustedAttestation { get; set; }

    /// <summary>Rules run after attestation (metadata status, AAGUID lists, synced-passkey refusal).</summary>
    public IList<IAuthenticatorPolicy> AuthenticatorPolicies { get; set; } = [];

    /// <summary>Options the attestation formats consult (RS1, SafetyNet, Android).</summary>
    public AttestationVerificationOptions AttestationVerification { get; set; } = new();

    /// <summary>The attestation format table. Default: every format the library implements.</summary>
    public AttestationStatementVerifiers AttestationFormats { get; set; } = AttestationStatementVerifiers.Default;

    /// <summary>Check attestation certificate revocation online. Off by default.</summary>
    public bool CheckAttestationRevocation { get; set; }

    /// <summary>Unrequested extension outputs: ignore (default) or reject.</summary>
    public UnrequestedExtensionPolicy UnrequestedExtensions { get; set; } = UnrequestedExtensionPolicy.Ignore;

    /// <summary>Counter regression: reject (default) or accept and report.</summary>
    public SignCountRegressionPolicy SignCountRegression { get; set; } = SignCountRegressionPolicy.Reject;

    /// <summary>BE changes after registration: enforce (default) or ignore.</summary>
    public BackupEligibilityPolicy BackupEligibility { get; set; } = BackupEligibilityPolicy.Enforce;

    /// <summary>How many imported public keys to keep, keyed by credential (importing costs more than verifying).</summary>
    public int PublicKeyCacheSize { get; set; } = 10_000;
}
