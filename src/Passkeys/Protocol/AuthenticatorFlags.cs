namespace Passkeys.Protocol;

/// <summary>The flags byte of authenticator data (WebAuthn L3 §6.1).</summary>
[Flags]
public enum AuthenticatorFlags : byte
{
    /// <summary>No flags.</summary>
    None = 0,
    /// <summary>UP: the user was present (bit 0).</summary>
    UserPresent = 0x01,
    /// <summary>Reserved for future use (bit 1).</summary>
    Reserved1 = 0x02,
    /// <summary>UV: the user was verified (bit 2).</summary>
    UserVerified = 0x04,
    /// <summary>BE: the credential is backup eligible, e.g. a synced passkey (bit 3).</summary>
    BackupEligible = 0x08,
    /// <summary>BS: the credential is currently backed up (bit 4).</summary>
    BackupState = 0x10,
    /// <summary>Reserved for future use (bit 5).</summary>
    Reserved5 = 0x20,
    /// <summary>AT: attested credential data is included (bit 6).</summary>
    AttestedCredentialData = 0x40,
    /// <summary>ED: extension data is included (bit 7).</summary>
    ExtensionData = 0x80,
}
