namespace Passkeys.Authenticator;

/// <summary>The attestation statement format the software authenticator produces.</summary>
public enum AttestationKind
{
    /// <summary>fmt "none", attStmt {} (what browsers send when the relying party asks for none).</summary>
    None,

    /// <summary>fmt "packed", self attestation: signed with the credential key, no x5c.</summary>
    PackedSelf,

    /// <summary>
    /// fmt "packed" with x5c [attestation certificate, intermediate] from the test CA, signed by the
    /// attestation key: ES256, or ML-DSA-44/65/87 per <see cref="SoftwareAuthenticatorOptions.AttestationAlgorithm"/>.
    /// </summary>
    Packed,

    /// <summary>fmt "fido-u2f": one P-256 certificate issued by the test root; ES256 credentials only; AAGUID zero.</summary>
    FidoU2f,

    /// <summary>
    /// fmt "tpm" (§8.3): a TPM 2.0 certifies the credential key with its attestation identity key (AIK);
    /// x5c [AIK certificate, intermediate] from the test CA. RSA and P-256/384/521 credentials only
    /// (a TPM has no Ed25519); the AIK signs with <see cref="SoftwareAuthenticatorOptions.TpmAikAlgorithm"/>.
    /// </summary>
    Tpm,

    /// <summary>
    /// fmt "android-key" (§8.4): Android Keystore attests the credential key itself. x5c
    /// [credential certificate, attestation key certificate] from the test CA's Android hierarchy;
    /// the leaf carries the key description with attestationChallenge = clientDataHash, origin
    /// GENERATED and purpose SIGN in teeEnforced; sig is made with the credential key. EC (P-256/384/521)
    /// and RSA credentials, as Keystore has.
    /// </summary>
    AndroidKey,

    /// <summary>
    /// fmt "android-safetynet" (§8.5): a SafetyNet attestation JWS (RS256, x5c [attest.android.com,
    /// intermediate] from the test CA's SafetyNet hierarchy) whose payload has nonce =
    /// Base64(SHA-256(authenticatorData ‖ clientDataHash)), timestampMs = now and ctsProfileMatch true.
    /// EC and RSA credentials (the keys an Android phone makes).
    /// </summary>
    AndroidSafetyNet,

    /// <summary>
    /// fmt "apple" (§8.8): Apple anonymous attestation. x5c [credCert, intermediate] from the test CA's
    /// Apple hierarchy; credCert holds the credential key and, in extension 1.2.840.113635.100.8.2,
    /// nonce = SHA-256(authenticatorData ‖ clientDataHash). No signature. EC and RSA credentials.
    /// </summary>
    Apple,

    /// <summary>
    /// fmt "compound" (§8.9): an array of {fmt, attStmt}, one per kind in
    /// <see cref="SoftwareAuthenticatorOptions.CompoundAttestation"/>, each over the same
    /// authenticatorData and clientDataHash. Allows the algorithms every component allows.
    /// </summary>
    Compound,
}

/// <summary>How the authenticator maintains signature counters.</summary>
public enum SignCounterMode
{
    /// <summary>Each credential has its own counter, incremented before each use (registration reports 1).</summary>
    PerCredential,

    /// <summary>The counter is always 0, as synced passkey providers report it.</summary>
    AlwaysZero,
}

/// <summary>How the authenticator is attached to the client (WebAuthn AuthenticatorAttachment).</summary>
public enum AuthenticatorAttachmentKind
{
    /// <summary>"platform": built into the client device.</summary>
    Platform,

    /// <summary>"cross-platform": a roaming device such as a security key or a phone.</summary>
    CrossPlatform,
}
