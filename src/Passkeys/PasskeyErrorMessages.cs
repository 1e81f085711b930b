namespace Passkeys;

/// <summary>
/// Plain-language messages for each <see cref="PasskeyError"/>, written for the person using the
/// site rather than its developers. Kept in one table so that wording is consistent and reviewable.
/// </summary>
public static class PasskeyErrorMessages
{
    /// <summary>Returns the plain-language message for <paramref name="error"/>.</summary>
    public static string For(PasskeyError error) => error switch
    {
        PasskeyError.MalformedBase64Url or PasskeyError.MalformedCbor or PasskeyError.MalformedResponse
            or PasskeyError.MalformedClientData or PasskeyError.MalformedAuthenticatorData
            or PasskeyError.MalformedAttestationObject or PasskeyError.MalformedCoseKey
            or PasskeyError.MalformedCertificate
            => "Your browser or passkey sent a response we could not read. Please try again; if it keeps happening, try another browser or device.",
        PasskeyError.InputTooLarge => "The response was larger than a passkey response can be. Please try again.",
        PasskeyError.MalformedOptions => "This sign-in attempt could not be continued. Please start again.",
        PasskeyError.MalformedCredentialRecord => "We could not read the saved passkey. Please use another passkey or a recovery code.",

        PasskeyError.WrongResponseType or PasskeyError.WrongClientDataType
            => "The browser answered a different request than the one we made. Please start again.",
        PasskeyError.ChallengeMismatch or PasskeyError.CeremonyExpired
            => "This request has expired or was already used. Please start again.",
        PasskeyError.OriginNotAllowed or PasskeyError.RpIdHashMismatch
            => "This passkey is for a different website.",
        PasskeyError.CrossOriginNotAllowed or PasskeyError.TopOriginNotAllowed
            => "Passkeys for this site can't be used from inside another website. Open the site directly and try again.",
        PasskeyError.UserPresenceMissing => "Your passkey did not confirm that you are present. Touch or unlock your device when it asks, then try again.",
        PasskeyError.UserVerificationMissing => "This site needs you to unlock your passkey with your fingerprint, face, PIN or device password. Please try again and confirm when asked.",
        PasskeyError.BackupStateWithoutEligibility or PasskeyError.BackupEligibilityChanged
            => "Your passkey reported inconsistent information, so we could not trust it. Please try another passkey.",
        PasskeyError.AlgorithmNotAllowed or PasskeyError.UnsupportedAlgorithm
            => "Your device created a kind of passkey this site does not accept. Please try another device or security key.",
        PasskeyError.CredentialIdTooLong => "Your device created a passkey this site cannot store. Please try another device or security key.",
        PasskeyError.CredentialAlreadyRegistered => "This passkey is already registered. You can sign in with it.",
        PasskeyError.CredentialNotAllowed or PasskeyError.CredentialNotFound
            => "We couldn't recognize this passkey. Try another passkey, or use a recovery code.",
        PasskeyError.UserHandleMismatch or PasskeyError.UserHandleMissing
            => "This passkey belongs to a different account. Choose the passkey for this account.",
        PasskeyError.SignatureInvalid or PasskeyError.SignatureLengthInvalid or PasskeyError.SignatureNotCanonical => "We couldn't verify your passkey. Please try again.",
        PasskeyError.SignCountRegression => "For your safety this sign-in was refused because a copy of this passkey may exist. Sign in with another passkey or a recovery code.",
        PasskeyError.UnexpectedExtensionOutput or PasskeyError.InvalidExtensionOutput
            => "Your passkey sent information this site did not ask for. Please try another browser or device.",
        PasskeyError.AttestedCredentialDataMissing or PasskeyError.CredentialIdMismatch
            => "Your browser or passkey sent an incomplete response. Please try again.",

        PasskeyError.UnsupportedAttestationFormat or PasskeyError.MalformedAttestationStatement
            or PasskeyError.AttestationSignatureInvalid or PasskeyError.AttestationCertificateInvalid
            or PasskeyError.AttestationAaguidMismatch or PasskeyError.AttestationDataMismatch
            => "We couldn't confirm which device made this passkey. Please try again or use another device.",
        PasskeyError.AttestationNotTrusted or PasskeyError.AttestationRequired
            => "This site only accepts passkeys from approved devices, and this device is not one of them.",
        PasskeyError.AuthenticatorStatusRejected => "This kind of device has a known security problem, so this site does not accept it. Please use another device.",
        PasskeyError.AuthenticatorNotAllowed => "This site does not accept passkeys from this kind of device. Please use another device.",
        PasskeyError.BackupEligibleRefused => "This site needs a passkey that stays on one device, such as a security key. Synced passkeys are not accepted here.",
        PasskeyError.MetadataInvalid or PasskeyError.MetadataStale or PasskeyError.InvalidConfiguration
            => "The site could not check your device right now. Please try again later.",

        PasskeyError.InvalidPublicKey or PasskeyError.PublicKeyNotCanonical or PasskeyError.PublicKeySmallOrder
            or PasskeyError.PublicKeyLengthInvalid
            => "Your device sent a passkey we could not use. Please try another device or security key.",
        PasskeyError.EdDsaUnavailable => "This site cannot check this kind of passkey right now. Please use another device.",
        _ => "Something went wrong with the passkey. Please try again.",
    };
}
