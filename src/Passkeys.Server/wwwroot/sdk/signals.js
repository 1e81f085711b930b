// signals.js — the WebAuthn Level 3 Signal API: tells the passkey provider what the server knows
// (a passkey deleted, the passkeys that still work, a new name), so it stops offering stale ones.

import { hasNative } from './capabilities.js';

async function signal(method, args) {
  if (!hasNative(method)) return false;
  try {
    await PublicKeyCredential[method](args);
    return true;
  } catch {
    return false; // a signal is a hint; failing to send it must never break the page
  }
}

/**
 * Tells the browser/passkey provider that the server doesn't know this credential (it was
 * deleted), so it can hide or remove it. Call it when the server rejects a sign-in that way.
 * @returns {Promise<boolean>} whether the signal was delivered
 */
export function signalUnknownCredential({ rpId, credentialId }) {
  return signal('signalUnknownCredential', { rpId, credentialId });
}

/**
 * Tells the provider the complete list of this user's credential ids (after a delete), so it can
 * remove passkeys that no longer work.
 */
export function signalAllAcceptedCredentials({ rpId, userId, allAcceptedCredentialIds }) {
  return signal('signalAllAcceptedCredentials', { rpId, userId, allAcceptedCredentialIds });
}

/** Tells the provider the user's current name and display name (after a rename). */
export function signalCurrentUserDetails({ rpId, userId, name, displayName }) {
  return signal('signalCurrentUserDetails', { rpId, userId, name, displayName });
}
