// base64url.js — bytes ↔ base64url (RFC 4648 §5), the encoding of every binary member of the
// WebAuthn JSON forms; bad input from the server becomes PasskeyError invalid_options.

import { ErrorCode } from './error-codes.js';
import { PasskeyError } from './passkey-error.js';

/**
 * Encodes bytes as base64url without padding (RFC 4648 §5).
 * @param {ArrayBuffer|ArrayBufferView} bytes
 */
export function bufferToBase64url(bytes) {
  const view = bytes instanceof ArrayBuffer
    ? new Uint8Array(bytes)
    : new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let binary = '';
  for (let i = 0; i < view.length; i += 0x8000) {
    binary += String.fromCharCode.apply(null, view.subarray(i, i + 0x8000));
  }
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/**
 * Decodes base64url (padding tolerated) to an ArrayBuffer; throws PasskeyError(invalid_options)
 * on any character outside the alphabet.
 * @param {string} text
 */
export function base64urlToBuffer(text) {
  if (typeof text !== 'string' || !/^[A-Za-z0-9_-]*={0,2}$/.test(text) || text.replace(/=+$/, '').length % 4 === 1) {
    throw new PasskeyError(ErrorCode.InvalidOptions, 'The passkey request from the server was not valid. Reload the page and try again.',
      { detail: `not base64url: ${JSON.stringify(String(text).slice(0, 40))}` });
  }
  const base64 = text.replace(/=+$/, '').replace(/-/g, '+').replace(/_/g, '/');
  const binary = atob(base64 + '='.repeat((4 - (base64.length % 4)) % 4));
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes.buffer;
}

/** SimpleWebAuthn's name for bufferToBase64url. */
export function bufferToBase64URLString(bytes) {
  return bufferToBase64url(bytes);
}

/** SimpleWebAuthn's name for base64urlToBuffer (this one throws PasskeyError on text that isn't base64url). */
export function base64URLStringToBuffer(text) {
  return base64urlToBuffer(text);
}
