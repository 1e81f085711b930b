namespace Passkeys;

/// <summary>
/// Stable error codes. The numeric values are part of the public contract: they appear in logs,
/// in the server's problem details and in the browser SDK's mapping, so a value is never
/// renumbered or reused. New codes take the next free number in their range.
/// </summary>
/// <remarks>
/// Ranges: 1xx malformed input, 2xx ceremony checks (WebAuthn §7.1/§7.2), 3xx attestation and
/// metadata (§8, FIDO MDS3), 4xx keys, algorithms and configuration.
/// </remarks>
public enum PasskeyError
{
    /// <summary>No error; never thrown.</summary>
    None = 0,

    // 1xx: the input cannot be decoded.
    /// <summary>A base64url field has padding or characters outside the base64url alphabet.</summary>
    MalformedBase64Url = 100,
    /// <summary>CBOR that is truncated, not well-formed, not canonical where required, or has trailing bytes.</summary>
    MalformedCbor = 101,
    /// <summary>The response JSON cannot be parsed or lacks a required member.</summary>
    MalformedResponse = 102,
    /// <summary>clientDataJSON is not UTF-8 JSON of the CollectedClientData shape.</summary>
    MalformedClientData = 103,
    /// <summary>authenticatorData is truncated, has trailing bytes or inconsistent flags.</summary>
    MalformedAuthenticatorData = 104,
    /// <summary>The attestation object lacks fmt, authData or attStmt, or they have the wrong types.</summary>
    MalformedAttestationObject = 105,
    /// <summary>A COSE_Key lacks required parameters or has parameters of the wrong type.</summary>
    MalformedCoseKey = 106,
    /// <summary>An input exceeds the size or nesting limits.</summary>
    InputTooLarge = 107,
    /// <summary>A certificate cannot be decoded.</summary>
    MalformedCertificate = 108,
    /// <summary>Ceremony options or stored ceremony state cannot be decoded.</summary>
    MalformedOptions = 109,
    /// <summary>A stored credential record cannot be decoded.</summary>
    MalformedCredentialRecord = 110,

    // 2xx: a WebAuthn ceremony step failed.
    /// <summary>REG-03 / AUTH-03: the response is not a public-key credential of the expected kind.</summary>
    WrongResponseType = 200,
    /// <summary>REG-07 / AUTH-10: clientData.type is not webauthn.create / webauthn.get.</summary>
    WrongClientDataType = 201,
    /// <summary>REG-08 / AUTH-11: the challenge does not match the one issued.</summary>
    ChallengeMismatch = 202,
    /// <summary>REG-09 / AUTH-12: the origin is not one the relying party expects.</summary>
    OriginNotAllowed = 203,
    /// <summary>REG-10 / AUTH-13: the ceremony ran in a cross-origin iframe and that is not allowed.</summary>
    CrossOriginNotAllowed = 204,
    /// <summary>REG-11 / AUTH-14: topOrigin is present and not allowed.</summary>
    TopOriginNotAllowed = 205,
    /// <summary>REG-14 / AUTH-15: rpIdHash is not SHA-256 of the relying party id.</summary>
    RpIdHashMismatch = 206,
    /// <summary>REG-15 / AUTH-16: the user-present flag is not set.</summary>
    UserPresenceMissing = 207,
    /// <summary>REG-16 / AUTH-17: user verification was required and the UV flag is not set.</summary>
    UserVerificationMissing = 208,
    /// <summary>REG-17 / AUTH-18: backup state set on a credential that is not backup eligible.</summary>
    BackupStateWithoutEligibility = 209,
    /// <summary>AUTH-19: the backup-eligible flag differs from the value recorded at registration.</summary>
    BackupEligibilityChanged = 210,
    /// <summary>REG-20: the credential's algorithm is not one of the requested ones.</summary>
    AlgorithmNotAllowed = 211,
    /// <summary>REG-25: the credential id is longer than 1023 bytes.</summary>
    CredentialIdTooLong = 212,
    /// <summary>REG-26: the credential id is already registered.</summary>
    CredentialAlreadyRegistered = 213,
    /// <summary>AUTH-05: the credential is not in allowCredentials.</summary>
    CredentialNotAllowed = 214,
    /// <summary>AUTH-06: no stored credential has this id.</summary>
    CredentialNotFound = 215,
    /// <summary>AUTH-06: the credential belongs to another user, or userHandle names another user.</summary>
    UserHandleMismatch = 216,
    /// <summary>AUTH-06b: no user was identified and the response has no userHandle.</summary>
    UserHandleMissing = 217,
    /// <summary>AUTH-21: the assertion signature does not verify.</summary>
    SignatureInvalid = 218,
    /// <summary>AUTH-22: the signature counter did not increase (possible cloned authenticator).</summary>
    SignCountRegression = 219,
    /// <summary>REG-28 / AUTH-23: an extension output was returned that was not requested.</summary>
    UnexpectedExtensionOutput = 220,
    /// <summary>The ceremony state has expired.</summary>
    CeremonyExpired = 221,
    /// <summary>Registration authenticatorData has no attested credential data.</summary>
    AttestedCredentialDataMissing = 222,
    /// <summary>The response id, rawId and the credential id in authenticatorData disagree.</summary>
    CredentialIdMismatch = 223,
    /// <summary>An extension output has the wrong shape or contradicts the request.</summary>
    InvalidExtensionOutput = 224,
    /// <summary>The signature's length does not fit its algorithm (EdDSA 64/114 bytes; ML-DSA-44/65/87 2420/3309/4627 bytes).</summary>
    SignatureLengthInvalid = 230,
    /// <summary>An EdDSA signature whose scalar S is not below the group order L (RFC 8032 §5.1.7 step 1, §5.2.7 step 1).</summary>
    SignatureNotCanonical = 231,

    // 3xx: attestation and metadata.
    /// <summary>REG-21: the attestation format is not supported.</summary>
    UnsupportedAttestationFormat = 300,
    /// <summary>REG-22: the attestation statement does not have the format's shape.</summary>
    MalformedAttestationStatement = 301,
    /// <summary>REG-22: the attestation signature does not verify.</summary>
    AttestationSignatureInvalid = 302,
    /// <summary>REG-22: an attestation certificate does not meet the format's requirements.</summary>
    AttestationCertificateInvalid = 303,
    /// <summary>REG-22: the AAGUID in the attestation certificate differs from authenticatorData.</summary>
    AttestationAaguidMismatch = 304,
    /// <summary>REG-24: the attestation does not chain to a trusted anchor and policy requires trust.</summary>
    AttestationNotTrusted = 305,
    /// <summary>REG-22: a format-specific value (nonce, challenge, key, TPM structure) does not match.</summary>
    AttestationDataMismatch = 306,
    /// <summary>Metadata reports the authenticator revoked or compromised.</summary>
    AuthenticatorStatusRejected = 307,
    /// <summary>The authenticator's AAGUID is on the deny list or not on the allow list.</summary>
    AuthenticatorNotAllowed = 308,
    /// <summary>Policy requires attestation and the response carries none (or only self attestation).</summary>
    AttestationRequired = 309,
    /// <summary>A metadata BLOB is malformed or its signature or chain does not verify.</summary>
    MetadataInvalid = 310,
    /// <summary>A metadata BLOB is past its nextUpdate.</summary>
    MetadataStale = 311,
    /// <summary>Policy refuses backup-eligible (synced) credentials.</summary>
    BackupEligibleRefused = 312,

    // 4xx: keys, algorithms, configuration.
    /// <summary>The COSE algorithm is not supported or not enabled.</summary>
    UnsupportedAlgorithm = 400,
    /// <summary>The public key is invalid: point not on curve, wrong size, key type and algorithm mismatch.</summary>
    InvalidPublicKey = 401,
    /// <summary>
    /// EdDSA verification needs OpenSSL's libcrypto, which is not available on this platform.
    /// No longer raised: BouncyCastle verifies EdDSA wherever libcrypto is absent. Kept so that the
    /// number is never reused.
    /// </summary>
    EdDsaUnavailable = 402,
    /// <summary>The relying-party configuration is invalid.</summary>
    InvalidConfiguration = 403,
    /// <summary>An EdDSA public key whose encoding is not canonical (y ≥ p, x = 0 with the sign bit set) or is not a point of the curve.</summary>
    PublicKeyNotCanonical = 404,
    /// <summary>An EdDSA public key of small order (the identity or another torsion point) or with a small-order component.</summary>
    PublicKeySmallOrder = 405,
    /// <summary>A raw public key whose length does not fit its algorithm (Ed25519 32, Ed448 57, ML-DSA-44/65/87 1312/1952/2592 bytes).</summary>
    PublicKeyLengthInvalid = 406,
}
