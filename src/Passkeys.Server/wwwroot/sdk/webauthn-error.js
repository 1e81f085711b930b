// webauthn-error.js — the error of the SimpleWebAuthn-compatible calls (simplewebauthn-api.js).
//
// startRegistration({ optionsJSON }) and startAuthentication({ optionsJSON }) throw a WebAuthnError
// whose `code` uses @simplewebauthn/browser's code names, so code written for that library keeps
// working (docs/sdk.md, "Coming from SimpleWebAuthn"). Each one also carries this SDK's own stable
// `passkeyCode` and `reason` and a plain-language `message` fit to show the user.
//
// Which code a browser error gets follows the WebAuthn Level 3 algorithms (§5.1.3 create, §5.1.4
// get): the DOMException name alone is ambiguous, so the options the page passed decide between the
// causes the spec allows for that name.

/** SimpleWebAuthn's code names; every WebAuthnError has one of them. */
export const WebAuthnErrorCode = Object.freeze({
  CeremonyAborted: 'ERROR_CEREMONY_ABORTED',
  InvalidDomain: 'ERROR_INVALID_DOMAIN',
  InvalidRpId: 'ERROR_INVALID_RP_ID',
  InvalidUserIdLength: 'ERROR_INVALID_USER_ID_LENGTH',
  MalformedPubKeyCredParams: 'ERROR_MALFORMED_PUBKEYCREDPARAMS',
  AuthenticatorGeneralError: 'ERROR_AUTHENTICATOR_GENERAL_ERROR',
  AuthenticatorMissingDiscoverableCredentialSupport: 'ERROR_AUTHENTICATOR_MISSING_DISCOVERABLE_CREDENTIAL_SUPPORT',
  AuthenticatorMissingUserVerificationSupport: 'ERROR_AUTHENTICATOR_MISSING_USER_VERIFICATION_SUPPORT',
  AuthenticatorPreviouslyRegistered: 'ERROR_AUTHENTICATOR_PREVIOUSLY_REGISTERED',
  AuthenticatorNoSupportedPubKeyCredParamsAlg: 'ERROR_AUTHENTICATOR_NO_SUPPORTED_PUBKEYCREDPARAMS_ALG',
  AutoRegisterUserVerificationFailure: 'ERROR_AUTO_REGISTER_USER_VERIFICATION_FAILURE',
  /** Anything the other codes don't name: `cause` holds the browser's error (or this SDK's PasskeyError). */
  PassthroughSeeCauseProperty: 'ERROR_PASSTHROUGH_SEE_CAUSE_PROPERTY',
});

/** The error startRegistration({ optionsJSON }) and startAuthentication({ optionsJSON }) throw. */
export class WebAuthnError extends Error {
  /**
   * @param {{message: string, code: string, cause?: unknown, name?: string, passkeyCode?: string, reason?: string, detail?: string}} init
   */
  constructor({ message, code, cause, name, passkeyCode, reason, detail }) {
    super(message, cause === undefined ? undefined : { cause });
    // As SimpleWebAuthn does: the browser error's name (e.g. 'InvalidStateError'), so checks on
    // error.name written for it keep working.
    this.name = name ?? (cause && typeof cause === 'object' && typeof cause.name === 'string' ? cause.name : 'WebAuthnError');
    this.code = code;
    /** This SDK's stable code (ErrorCode in passkeys.js), e.g. 'cancelled'. */
    this.passkeyCode = passkeyCode;
    /** This SDK's stable reason (Reason in passkeys.js), e.g. 'timed-out'. */
    this.reason = reason;
    /** A technical detail for logs. */
    this.detail = detail;
  }

  /** True when the page (or a newer ceremony) cancelled this one: nothing to show the user. */
  get isAbort() {
    return this.code === WebAuthnErrorCode.CeremonyAborted;
  }

  toJSON() {
    return { name: this.name, code: this.code, passkeyCode: this.passkeyCode, reason: this.reason, message: this.message, detail: this.detail };
  }
}

// A hostname WebAuthn can use as an effective domain: a DNS name (localhost included), not an IP.
function isValidDomain(hostname) {
  if (typeof hostname !== 'string' || hostname === '') return false;
  if (hostname === 'localhost') return true;
  if (/^\d+(\.\d+){3}$/.test(hostname) || hostname.includes(':') || hostname.startsWith('[')) return false;
  return /^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/i.test(hostname);
}

// Bytes in a base64url text (no padding needed), for the user.id length check.
function base64urlByteLength(text) {
  if (typeof text !== 'string') return -1;
  const n = text.replace(/=+$/, '').length;
  return Math.floor((n * 3) / 4);
}

/**
 * The SimpleWebAuthn code for a failed ceremony.
 * @param {{passkeyCode?: string, causeName?: string, ceremony: 'registration'|'authentication', optionsJSON?: any, conditional?: boolean, hostname?: string}} failure
 * @returns {string}
 */
export function webAuthnErrorCode({ passkeyCode, causeName, ceremony, optionsJSON, conditional, hostname }) {
  const registering = ceremony === 'registration';
  const options = optionsJSON && typeof optionsJSON === 'object' ? optionsJSON : {};
  const selection = options.authenticatorSelection ?? {};
  if (passkeyCode === 'aborted' || causeName === 'AbortError') return WebAuthnErrorCode.CeremonyAborted;
  switch (causeName) {
    case 'InvalidStateError':
      // §5.1.3: a credential in excludeCredentials is on the authenticator.
      if (registering) return WebAuthnErrorCode.AuthenticatorPreviouslyRegistered;
      break;
    case 'ConstraintError':
      // §5.1.3: the authenticator can't store a discoverable credential, or can't verify the user.
      if (!registering) break;
      if (selection.requireResidentKey === true || selection.residentKey === 'required') {
        return WebAuthnErrorCode.AuthenticatorMissingDiscoverableCredentialSupport;
      }
      if (selection.userVerification === 'required') {
        return conditional
          ? WebAuthnErrorCode.AutoRegisterUserVerificationFailure
          : WebAuthnErrorCode.AuthenticatorMissingUserVerificationSupport;
      }
      break;
    case 'NotSupportedError':
      // §5.1.3 step 10: no "public-key" entry at all, or none of the algorithms is supported.
      if (!registering) break;
      return Array.isArray(options.pubKeyCredParams) && options.pubKeyCredParams.some((p) => p?.type === 'public-key')
        ? WebAuthnErrorCode.AuthenticatorNoSupportedPubKeyCredParamsAlg
        : WebAuthnErrorCode.MalformedPubKeyCredParams;
    case 'SecurityError': {
      // §5.1.3 steps 6–8: the page's domain is not a valid domain, or the RP ID doesn't fit it.
      const host = hostname ?? globalThis.location?.hostname;
      if (!isValidDomain(host)) return WebAuthnErrorCode.InvalidDomain;
      const rpId = registering ? options.rp?.id : options.rpId;
      if (rpId !== undefined && rpId !== host) return WebAuthnErrorCode.InvalidRpId;
      break;
    }
    case 'TypeError':
      // §5.1.3 step 5: user.id must be 1 to 64 bytes.
      if (registering) {
        const length = base64urlByteLength(options.user?.id);
        if (length < 1 || length > 64) return WebAuthnErrorCode.InvalidUserIdLength;
      }
      break;
    case 'UnknownError':
      return WebAuthnErrorCode.AuthenticatorGeneralError;
    default:
      break;
  }
  return WebAuthnErrorCode.PassthroughSeeCauseProperty;
}
