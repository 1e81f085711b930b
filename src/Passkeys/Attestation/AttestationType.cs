namespace Passkeys.Attestation;

/// <summary>Attestation types (WebAuthn L3 §6.5.3).</summary>
public enum AttestationType
{
    /// <summary>No attestation information (format "none").</summary>
    None,
    /// <summary>Self attestation: signed with the credential private key itself.</summary>
    Self,
    /// <summary>Basic attestation: an attestation key pair shared by a batch of authenticators.</summary>
    Basic,
    /// <summary>Attestation CA: a per-credential attestation key certified by a CA (TPM AIK).</summary>
    AttCA,
    /// <summary>Anonymization CA: a per-credential certificate from an anonymizing CA (Apple).</summary>
    AnonCA,
    /// <summary>A certificate chain whose kind (Basic or AttCA) cannot be told from the statement alone.</summary>
    Uncertain,
}
