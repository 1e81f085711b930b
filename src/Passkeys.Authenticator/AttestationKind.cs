namespace Passkeys.Authenticator;

/// <summary>The attestation statement format the software authenticator produces.</summary>
public enum AttestationKind
{
    /// <summary>fmt "none", attStmt {} (what browsers send when the relying party asks for none).</summary>
    None,

    /// <summary>fmt "packed", self attestation: signed with the credential key, no x5c.</summary>
    PackedSelf,

    /// <summary>fmt "packed" with x5c [attestation certificate, intermediate] from the test CA; ES256.</summary>
    Packed,

    /// <summary>fmt "fido-u2f": one P-256 certificate issued by the test root; ES256 credentials only; AAGUID zero.</summary>
    FidoU2f,

    /// <summary>
    /// fmt "tpm" (§8.3): a TPM 2.0 certifies the credential key with its attestation identity key (AIK);
    /// x5c [AIK certificate, intermediate] from the test CA. RSA and P-256/384/521 credentials only
    /// (a TPM has no Ed25519); the AIK signs with <see cref="SoftwareAuthenticatorOptions.TpmAikAlgorithm"/>.
    /// </summary>
    Tpm,
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
