// browser-errors.js — turns what navigator.credentials throws (a DOMException, or a TypeError from
// parsing options) into a PasskeyError whose message fits the ceremony and the device, and tells a
// closed prompt from a timeout or "no passkey here" by how long the prompt was open.

import { ErrorCode, Reason } from './error-codes.js';
import { PasskeyError } from './passkey-error.js';

/**
 * Maps any error thrown while running a ceremony (a DOMException from navigator.credentials,
 * a TypeError from option parsing, a PasskeyError) to a PasskeyError with a plain message.
 * The message adapts to the device: without a built-in (platform) authenticator it suggests a
 * phone or security key.
 * NotAllowedError covers a closed prompt, a timeout and "nothing to offer" alike, so the time the
 * prompt was open tells them apart (`elapsedMs`, `timeoutMs`): at or past the timeout it timed out;
 * a sign-in refused faster than a person can read a prompt (`purpose: 'sign-in'`) found no passkey
 * on this device; otherwise the user cancelled.
 * @param {unknown} error
 * @param {{ceremony?: 'registration'|'authentication', purpose?: 'sign-in'|'step-up'|'autofill', platformAuthenticator?: boolean, elapsedMs?: number, timeoutMs?: number}} [context]
 */
export function toPasskeyError(error, context = {}) {
  if (error instanceof PasskeyError) return error;
  const mapped = mapBrowserError(error, context);
  if (mapped.code === ErrorCode.Cancelled && (error?.name === 'NotAllowedError')) {
    const reason = notAllowedReason(context);
    if (reason !== Reason.Cancelled) {
      return new PasskeyError(mapped.code, NOT_ALLOWED_MESSAGES[reason](context), { cause: error, reason });
    }
  }
  return mapped;
}

/** How long a refusal may take and still be the browser's own (no prompt a person answered). */
export const INSTANT_REFUSAL_MS = 1000;

function notAllowedReason({ elapsedMs, timeoutMs, purpose, ceremony }) {
  if (typeof elapsedMs === 'number' && typeof timeoutMs === 'number' && timeoutMs > 0 && elapsedMs >= timeoutMs - 1000) return Reason.TimedOut;
  if (ceremony !== 'registration' && purpose === 'sign-in' && typeof elapsedMs === 'number' && elapsedMs < INSTANT_REFUSAL_MS) return Reason.NoPasskeyOnDevice;
  return Reason.Cancelled;
}

const NOT_ALLOWED_MESSAGES = {
  [Reason.TimedOut]: ({ ceremony }) => (ceremony === 'registration'
    ? 'The passkey request timed out before it was answered. Try again when you are ready.'
    : 'The sign-in request timed out before it was answered. Try again when you are ready.'),
  [Reason.NoPasskeyOnDevice]: () => "This device has no passkey for this site. Use a phone or security key that has one, create an account if you don't have one yet, or use a recovery code.",
};

function mapBrowserError(error, context) {
  const ceremony = context.ceremony ?? 'authentication';
  const registering = ceremony === 'registration';
  const noPlatform = context.platformAuthenticator === false;
  const name = error && typeof error === 'object' && 'name' in error ? String(error.name) : '';
  const make = (code, message) => new PasskeyError(code, message, { cause: error });

  switch (name) {
    case 'AbortError':
      return make(ErrorCode.Aborted, 'The passkey request was cancelled.');
    case 'NotAllowedError':
      if (registering) {
        return make(ErrorCode.Cancelled, noPlatform
          ? "The passkey wasn't created: the request was cancelled, timed out, or you weren't verified. This device has no built-in passkey support, so try again with a phone (scan the QR code) or a security key."
          : "The passkey wasn't created: the request was cancelled, timed out, or you weren't verified. Try again, or use a phone or security key instead.");
      }
      return make(ErrorCode.Cancelled, noPlatform
        ? "Sign-in with a passkey didn't finish: it was cancelled, timed out, or you weren't verified. Try again with a phone (scan the QR code) or a security key, or use a recovery code."
        : "Sign-in with a passkey didn't finish: it was cancelled, timed out, or you weren't verified. Try again, or use a recovery code.");
    case 'InvalidStateError':
      return registering
        ? make(ErrorCode.AlreadyRegistered, 'This device already has a passkey for your account. Use it to sign in, or add a passkey on another device (a phone or security key).')
        : make(ErrorCode.Cancelled, 'Another passkey request is still open. Finish or close it, then try again.');
    case 'NotSupportedError':
      return make(ErrorCode.NotSupported, noPlatform
        ? "This browser or device can't create this kind of passkey. Try a phone or a security key."
        : "This device can't use this kind of passkey. Try another device, such as a phone or a security key.");
    case 'ConstraintError':
      return make(ErrorCode.UserVerificationUnavailable, "This device can't confirm it's you because it has no PIN, fingerprint, face or screen lock set up. Set one up, or use a phone or security key.");
    case 'SecurityError':
      return make(ErrorCode.SecurityError, "Passkeys can't be used on this page's address. Open the site at its usual address and try again; if it keeps happening, contact the site's support.");
    case 'TimeoutError':
      return make(ErrorCode.Timeout, 'The passkey request timed out. Please try again.');
    case 'UnknownError':
      return make(ErrorCode.AuthenticatorError, registering
        ? 'Your device had a problem creating the passkey. Try again, or use a phone or security key.'
        : 'Your device had a problem using the passkey. Try again, or use a recovery code.');
    case 'EncodingError':
    case 'TypeError':
    case 'SyntaxError':
      return make(ErrorCode.InvalidOptions, 'The passkey request from the server was not valid. Reload the page and try again.');
    default:
      return make(ErrorCode.Unknown, registering
        ? 'Something went wrong while creating the passkey. Please try again.'
        : 'Something went wrong while signing in with the passkey. Please try again, or use a recovery code.');
  }
}
