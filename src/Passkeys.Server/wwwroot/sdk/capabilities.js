// capabilities.js — what this browser can do (WebAuthn at all, a platform authenticator, autofill,
// conditional create), asked without ever throwing, so pages can choose what to offer.

import { deprecated } from './deprecation.js';

// True when the browser has PublicKeyCredential.<name> (a static method of WebAuthn Level 3 or earlier).
export function hasNative(name) {
  return typeof globalThis.PublicKeyCredential === 'function' && typeof globalThis.PublicKeyCredential[name] === 'function';
}

/** True when this browser can run WebAuthn at all (PublicKeyCredential present, secure context). */
export function browserSupportsWebAuthn() {
  return typeof globalThis.PublicKeyCredential === 'function'
    && typeof navigator !== 'undefined' && !!navigator.credentials
    && typeof navigator.credentials.create === 'function'
    && globalThis.isSecureContext !== false;
}

/**
 * The browser's client capabilities (WebAuthn L3 getClientCapabilities) when it has them,
 * otherwise what can be learned from the older feature tests. Never throws.
 * @returns {Promise<Record<string, boolean>>}
 */
export async function getClientCapabilities() {
  if (!browserSupportsWebAuthn()) return {};
  if (hasNative('getClientCapabilities')) {
    try {
      return { ...(await PublicKeyCredential.getClientCapabilities()) };
    } catch {
      // fall through to the older tests
    }
  }
  const caps = {};
  try {
    if (hasNative('isUserVerifyingPlatformAuthenticatorAvailable')) {
      caps.userVerifyingPlatformAuthenticator = await PublicKeyCredential.isUserVerifyingPlatformAuthenticatorAvailable();
    }
  } catch { /* unknown */ }
  try {
    if (hasNative('isConditionalMediationAvailable')) {
      caps.conditionalGet = await PublicKeyCredential.isConditionalMediationAvailable();
    }
  } catch { /* unknown */ }
  return caps;
}

/** True when the device has a built-in authenticator that verifies the user (Touch ID, Windows Hello, screen lock). */
export async function platformAuthenticatorIsAvailable() {
  if (!browserSupportsWebAuthn()) return false;
  try {
    if (hasNative('isUserVerifyingPlatformAuthenticatorAvailable')) {
      return await PublicKeyCredential.isUserVerifyingPlatformAuthenticatorAvailable();
    }
  } catch { /* treat as unavailable */ }
  return false;
}

/** True when the browser can offer passkeys in a username field's autofill (conditional mediation). */
export async function browserSupportsWebAuthnAutofill() {
  if (!browserSupportsWebAuthn()) return false;
  try {
    if (hasNative('getClientCapabilities')) {
      const caps = await PublicKeyCredential.getClientCapabilities();
      if (typeof caps?.conditionalGet === 'boolean') return caps.conditionalGet;
    }
    if (hasNative('isConditionalMediationAvailable')) return await PublicKeyCredential.isConditionalMediationAvailable();
  } catch { /* unavailable */ }
  return false;
}

/** True when the browser can create a passkey with mediation: 'conditional' (passkey upgrade after a sign-in). */
export async function browserSupportsConditionalCreate() {
  const caps = await getClientCapabilities();
  return caps.conditionalCreate === true;
}

/**
 * @deprecated Use browserSupportsWebAuthn(). (SimpleWebAuthn's browserSupportsPasskeys is a
 * different, asynchronous test; this name goes away so the two can't be confused.)
 */
export function browserSupportsPasskeys() {
  deprecated('browserSupportsPasskeys()', 'browserSupportsWebAuthn()');
  return browserSupportsWebAuthn();
}

/** @deprecated Use browserSupportsWebAuthnAutofill(). */
export function browserSupportsAutofill() {
  deprecated('browserSupportsAutofill()', 'browserSupportsWebAuthnAutofill()');
  return browserSupportsWebAuthnAutofill();
}
