namespace Passkeys.Authenticator;

/// <summary>
/// Ways the software authenticator can be told to misbehave. Each switch produces exactly one
/// defect and leaves everything else as an honest authenticator would make it (signatures still
/// verify over whatever bytes are sent, unless the defect is the signature).
/// </summary>
[Flags]
public enum AuthenticatorFaults
{
    /// <summary>Behave correctly.</summary>
    None = 0,

    /// <summary>authenticatorData's rpIdHash is not SHA-256(rpId) (its first byte is inverted).</summary>
    WrongRpIdHash = 1 << 0,

    /// <summary>
    /// The UP flag is set although the user was not present (<see cref="SoftwareAuthenticatorOptions.UserPresent"/>
    /// false), instead of the operation failing as it would on a real device.
    /// </summary>
    UserPresenceFlagWithoutUser = 1 << 1,

    /// <summary>
    /// The UV flag is set although no user verification succeeded: verification was not requested,
    /// or it was and <see cref="SoftwareAuthenticatorOptions.UserVerified"/> is false.
    /// </summary>
    UserVerificationFlagWithoutUser = 1 << 2,

    /// <summary>
    /// getAssertion reports a signature counter one below the last value it reported, and does not
    /// advance its stored counter. Needs a per-credential counter (it is above zero after registration).
    /// </summary>
    CounterRollback = 1 << 3,

    /// <summary>
    /// Assertion and attestation signatures are made over the right bytes with the last byte of
    /// clientDataHash inverted, so they do not verify. No effect with <see cref="AttestationKind.None"/>
    /// registrations, which carry no signature. With <see cref="AttestationKind.Tpm"/> the altered
    /// hash goes into certInfo.extraData, which the AIK then signs: the signature verifies and the
    /// extraData check fails, as it would for a TPM asked to certify the wrong bytes. With
    /// <see cref="AttestationKind.AndroidKey"/> sig is over the altered bytes (attestationChallenge
    /// stays right); with <see cref="AttestationKind.AndroidSafetyNet"/> and <see cref="AttestationKind.Apple"/>,
    /// which sign nothing with the credential key, the nonce is the hash of the altered bytes;
    /// with <see cref="AttestationKind.Compound"/> every sub-statement is made so.
    /// </summary>
    SignatureOverWrongBytes = 1 << 4,

    /// <summary>
    /// The credential id reported differs from the one stored (last byte inverted): in
    /// attestedCredentialData at registration, in the response's credential at getAssertion
    /// (which is still signed with the right key).
    /// </summary>
    WrongCredentialId = 1 << 5,

    /// <summary>
    /// Registration: the attestation object's map head claims four entries and three follow.
    /// getAssertion: the ED flag is set and the extensions are a truncated map (0xA1 and nothing).
    /// </summary>
    MalformedCbor = 1 << 6,

    /// <summary>authenticatorData has one byte (0x00) after its last item; it is signed like that.</summary>
    TrailingBytes = 1 << 7,

    /// <summary>
    /// authenticatorData carries extension outputs nobody asked for: {"hmac-secret": true} at
    /// registration, {"credBlob": h''} at getAssertion.
    /// </summary>
    UnrequestedExtensionOutputs = 1 << 8,

    /// <summary>The UP flag is clear although the user was present (lets a relying party test its UP check).</summary>
    UserPresenceFlagCleared = 1 << 9,

    /// <summary>
    /// <see cref="AttestationKind.Tpm"/>: certInfo.magic is not TPM_GENERATED_VALUE (its last bit is
    /// inverted), as if the AIK had signed data the TPM did not produce. The AIK signs the altered
    /// certInfo, so only the magic check can fail.
    /// </summary>
    TpmWrongMagic = 1 << 10,

    /// <summary>
    /// <see cref="AttestationKind.Tpm"/>: certInfo.type is TPM_ST_ATTEST_QUOTE instead of
    /// TPM_ST_ATTEST_CERTIFY (the rest keeps the certify layout); signed by the AIK as sent.
    /// </summary>
    TpmWrongAttestType = 1 << 11,

    /// <summary>
    /// <see cref="AttestationKind.Tpm"/>: certInfo.attested.name is not pubArea's Name (the last byte
    /// of its digest is inverted), as if the TPM had certified another key; signed by the AIK as sent.
    /// </summary>
    TpmWrongAttestedName = 1 << 12,

    /// <summary>
    /// <see cref="AttestationKind.AndroidKey"/>: the key description's attestationChallenge is not
    /// clientDataHash (its last byte is inverted), as if Keystore had been handed another challenge;
    /// sig still verifies over authenticatorData ‖ clientDataHash.
    /// </summary>
    AndroidKeyWrongChallenge = 1 << 13,

    /// <summary>
    /// <see cref="AttestationKind.AndroidSafetyNet"/>: the JWS nonce is the hash of other bytes
    /// (clientDataHash's last byte inverted); the JWS is signed as sent.
    /// </summary>
    SafetyNetWrongNonce = 1 << 14,

    /// <summary>
    /// <see cref="AttestationKind.AndroidSafetyNet"/>: timestampMs is ten minutes before now, a
    /// replayed or stale SafetyNet response; the JWS is signed as sent.
    /// </summary>
    SafetyNetStaleTimestamp = 1 << 15,

    /// <summary><see cref="AttestationKind.AndroidSafetyNet"/>: ctsProfileMatch is false (a rooted or uncertified device).</summary>
    SafetyNetCtsProfileMismatch = 1 << 16,

    /// <summary>
    /// <see cref="AttestationKind.Apple"/>: credCert's nonce extension holds the hash of other bytes
    /// (clientDataHash's last byte inverted).
    /// </summary>
    AppleWrongNonce = 1 << 17,

    /// <summary>
    /// <see cref="AttestationKind.Compound"/>: the array holds only the first sub-statement, one fewer
    /// than the two §8.9 requires at least.
    /// </summary>
    CompoundMissingSubStatement = 1 << 18,
}
