// simplewebauthn-api.js — startRegistration and startAuthentication with @simplewebauthn/browser's
// names, shapes and WebAuthnError codes (docs/sdk.md, "Coming from SimpleWebAuthn"), so switching
// is a change of import. The older positional shapes still work for one release, with a warning.

import { WebAuthnError, webAuthnErrorCode } from './webauthn-error.js';
import { PasskeyError } from './passkey-error.js';
import { toPasskeyError } from './browser-errors.js';
import { deprecated } from './deprecation.js';
import { createCredential, getCredential } from './ceremonies.js';

function isArgumentsObject(arg) {
  return !!arg && typeof arg === 'object' && Object.prototype.hasOwnProperty.call(arg, 'optionsJSON');
}

function toWebAuthnError(error, ceremony, optionsJSON, conditional) {
  if (error instanceof WebAuthnError) return error;
  const p = error instanceof PasskeyError ? error : toPasskeyError(error, { ceremony });
  const browserError = p.cause && typeof p.cause === 'object' && typeof p.cause.name === 'string' && !(p.cause instanceof PasskeyError) ? p.cause : undefined;
  return new WebAuthnError({
    message: p.message,
    code: webAuthnErrorCode({ passkeyCode: p.code, causeName: browserError?.name, ceremony, optionsJSON, conditional }),
    // The browser's error when there was one; otherwise this SDK's own (a feature check, bad options).
    cause: browserError ?? p,
    passkeyCode: p.code,
    reason: p.reason,
    detail: p.detail,
  });
}

/**
 * Creates a passkey (SimpleWebAuthn's shape). Takes the server's
 * PublicKeyCredentialCreationOptionsJSON and returns the RegistrationResponseJSON to send back.
 * Cancels any ceremony in progress (autofill included). With `useAutoRegister: true` the browser
 * creates the passkey without a dialog (a conditional create: a "passkey upgrade" right after the
 * user signed in with a password); where the browser can't, it throws at once, without prompting
 * (WebAuthnError ERROR_PASSTHROUGH_SEE_CAUSE_PROPERTY, passkeyCode conditional_create_unsupported).
 * Failures are WebAuthnErrors with SimpleWebAuthn's codes.
 * @param {{optionsJSON: object, useAutoRegister?: boolean, signal?: AbortSignal}} args
 */
export async function startRegistration(args, legacyOpts) {
  if (!isArgumentsObject(args)) {
    deprecated('startRegistration(optionsJSON, { conditional, signal })', 'startRegistration({ optionsJSON, useAutoRegister, signal })');
    return createCredential(args, legacyOpts);
  }
  const { optionsJSON, useAutoRegister = false, signal, report } = args;
  try {
    return await createCredential(optionsJSON, { conditional: useAutoRegister, signal, report });
  } catch (e) {
    throw toWebAuthnError(e, 'registration', optionsJSON, useAutoRegister);
  }
}

/**
 * Signs in with a passkey (SimpleWebAuthn's shape). Takes the server's
 * PublicKeyCredentialRequestOptionsJSON and returns the AuthenticationResponseJSON. With
 * `useBrowserAutofill: true` the passkeys appear in the autofill of the page's
 * <input autocomplete="username webauthn"> and the promise settles when the user picks one; start
 * it on page load, and any later ceremony cancels it. `verifyBrowserAutofillInput: false` skips the
 * check for that input. Failures are WebAuthnErrors with SimpleWebAuthn's codes.
 * @param {{optionsJSON: object, useBrowserAutofill?: boolean, verifyBrowserAutofillInput?: boolean, signal?: AbortSignal}} args
 */
export async function startAuthentication(args, legacyOpts) {
  if (!isArgumentsObject(args)) {
    deprecated('startAuthentication(optionsJSON, { autofill, signal })', 'startAuthentication({ optionsJSON, useBrowserAutofill, signal })');
    return getCredential(args, legacyOpts);
  }
  const { optionsJSON, useBrowserAutofill = false, verifyBrowserAutofillInput = true, signal, report } = args;
  try {
    return await getCredential(optionsJSON, { autofill: useBrowserAutofill, verifyInput: verifyBrowserAutofillInput, signal, report });
  } catch (e) {
    throw toWebAuthnError(e, 'authentication', optionsJSON, false);
  }
}
