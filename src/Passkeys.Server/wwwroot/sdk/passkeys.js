// passkeys.js — the browser side of a passkey (WebAuthn Level 3) ceremony: the SDK's entry point.
//
// ES modules with no dependencies and no build step, served at /sdk/ and packed as the npm package
// @passkeys/browser (./package.json). It takes the options JSON a relying-party server sends
// (PublicKeyCredentialCreationOptionsJSON / PublicKeyCredentialRequestOptionsJSON), runs
// navigator.credentials.create()/get(), and returns the response JSON the server verifies. The
// low-level calls have @simplewebauthn/browser's names and shapes (startRegistration({ optionsJSON }),
// WebAuthnError.code, …); the Passkeys.Server helpers (createPasskeysClient, createSession) sit on
// top and throw a PasskeyError with a stable `code`, a plain-language `message` that says what to do
// next, and the original error as `cause`.
//
// This file only re-exports, by name: the public API is exactly this list (./passkeys.d.ts types
// it), and the helpers the modules share among themselves stay private to the package. One module a
// concern, each imported from here:
//
//   errors      error-codes.js (ErrorCode, Reason), passkey-error.js (PasskeyError),
//               server-problems.js (the server's codes), browser-errors.js (DOMException → PasskeyError),
//               webauthn-error.js (SimpleWebAuthn's WebAuthnError), deprecation.js
//   encoding    base64url.js, options-json.js (JSON → create/get options), response-json.js (credential → JSON)
//   browser     capabilities.js (feature tests), autofill-input.js, signals.js (Signal API)
//   ceremonies  single-ceremony.js (one at a time, abort), ceremonies.js (create/get → PasskeyError),
//               simplewebauthn-api.js (startRegistration/startAuthentication → WebAuthnError)
//   server      server-client.js (createPasskeysClient), session.js (createSession), report.js (client events)
//
// Spec: https://www.w3.org/TR/webauthn-3/  Types: ./passkeys.d.ts  Guide: docs/sdk.md

/** The package version (package.json), the repository's version. */
export const VERSION = '0.1.0';

export { ErrorCode, Reason } from './error-codes.js';
export { PasskeyError, isUnknownCredentialError, isSessionEndedError } from './passkey-error.js';
export { toPasskeyError, INSTANT_REFUSAL_MS } from './browser-errors.js';
export { WebAuthnError, WebAuthnErrorCode } from './webauthn-error.js';

export { bufferToBase64url, base64urlToBuffer, bufferToBase64URLString, base64URLStringToBuffer } from './base64url.js';
export { parseCreationOptions, parseRequestOptions } from './options-json.js';
export { credentialToJSON } from './response-json.js';

export {
  browserSupportsWebAuthn, getClientCapabilities, platformAuthenticatorIsAvailable, browserSupportsWebAuthnAutofill,
  browserSupportsConditionalCreate, browserSupportsPasskeys, browserSupportsAutofill,
} from './capabilities.js';
export { checkAutofillInput } from './autofill-input.js';
export { signalUnknownCredential, signalAllAcceptedCredentials, signalCurrentUserDetails } from './signals.js';

export { cancelCeremony, activeCeremony, WebAuthnAbortService } from './single-ceremony.js';
export { startRegistration, startAuthentication } from './simplewebauthn-api.js';

export { createPasskeysClient } from './server-client.js';
export { createSession } from './session.js';
