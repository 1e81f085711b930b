// passkeys.js — the browser side of a passkey (WebAuthn Level 3) ceremony.
//
// ES modules with no dependencies and no build step (this file and ./webauthn-error.js), served at
// /sdk/ and packed as the npm package @passkeys/browser (./package.json). It takes the options JSON
// a relying-party server sends (PublicKeyCredentialCreationOptionsJSON /
// PublicKeyCredentialRequestOptionsJSON), runs navigator.credentials.create()/get(), and returns
// the response JSON the server verifies. The low-level calls have @simplewebauthn/browser's names
// and shapes (startRegistration({ optionsJSON }), WebAuthnError.code, …); the Passkeys.Server
// helpers (createPasskeysClient, createSession) sit on top and throw a PasskeyError with a stable
// `code`, a plain-language `message` that says what to do next, and the original error as `cause`.
//
// Spec: https://www.w3.org/TR/webauthn-3/  Types: ./passkeys.d.ts  Guide: docs/sdk.md

import { WebAuthnError, WebAuthnErrorCode, webAuthnErrorCode } from './webauthn-error.js';
import { ceremonyReporter } from './report.js';

export { WebAuthnError, WebAuthnErrorCode };

/** The package version (package.json), the repository's version. */
export const VERSION = '0.1.0';

// ───────────────────────────── deprecations ─────────────────────────────

const warnedDeprecations = new Set();

// Old names keep working for one release (docs/sdk.md, "Deprecations"); each warns once per page.
function deprecated(oldName, replacement) {
  if (warnedDeprecations.has(oldName)) return;
  warnedDeprecations.add(oldName);
  globalThis.console?.warn?.(`passkeys.js: ${oldName} is deprecated and will be removed in the next release; use ${replacement} instead (docs/sdk.md, "Deprecations").`);
}

// ───────────────────────────── errors ─────────────────────────────

/**
 * Stable error codes. They never change meaning; new ones may be added.
 * Server problem details keep the server's own `code` (see PasskeyError.fromProblem).
 */
export const ErrorCode = Object.freeze({
  /** This browser has no WebAuthn (no PublicKeyCredential) or the page is not a secure context. */
  PasskeysUnsupported: 'passkeys_unsupported',
  /** The browser cannot offer passkeys in autofill (no conditional mediation). */
  AutofillUnsupported: 'autofill_unsupported',
  /** Autofill was asked for, but the page has no <input autocomplete="username webauthn">. */
  AutofillInputMissing: 'autofill_input_missing',
  /** The browser cannot create a passkey quietly after a sign-in (no conditional create). */
  ConditionalCreateUnsupported: 'conditional_create_unsupported',
  /** The user cancelled, the request timed out, or verification failed (NotAllowedError). */
  Cancelled: 'cancelled',
  /** This ceremony was replaced by a newer one, or the page cancelled it (AbortError). */
  Aborted: 'aborted',
  /** The authenticator already holds a passkey for this account (InvalidStateError on create). */
  AlreadyRegistered: 'already_registered',
  /** The authenticator can't satisfy the request: no supported algorithm, no resident keys… */
  NotSupported: 'not_supported',
  /** The authenticator can't verify the user (no PIN, biometric or screen lock) (ConstraintError). */
  UserVerificationUnavailable: 'user_verification_unavailable',
  /** The page's origin may not use the relying party ID in the options (SecurityError). */
  SecurityError: 'security_error',
  /** The request timed out (TimeoutError). */
  Timeout: 'timeout',
  /** The authenticator failed for a reason it did not say (UnknownError). */
  AuthenticatorError: 'authenticator_error',
  /** The options JSON from the server is malformed (bad base64url, missing member). */
  InvalidOptions: 'invalid_options',
  /** The server could not be reached. */
  NetworkError: 'network_error',
  /** The server answered with an error that is not a problem details document. */
  ServerError: 'server_error',
  /** Anything else; `cause` holds the original error. */
  Unknown: 'unknown',
});

/**
 * Why something failed, by cause, for choosing what to tell the user (docs/sdk.md, "Error
 * reasons"). Stable: never change meaning; new ones may be added. Several codes map to one reason
 * (a NotAllowedError and a TimeoutError can both be `timed-out`).
 */
export const Reason = Object.freeze({
  /** The user closed the browser's passkey prompt (or failed its check). */
  Cancelled: 'cancelled',
  /** The prompt stayed open until the request's timeout ran out. */
  TimedOut: 'timed-out',
  /** The browser refused at once, before a person could answer: nothing on this device holds a passkey it could offer. */
  NoPasskeyOnDevice: 'no-passkey-on-device',
  /** The server knows no such account. */
  UnknownAccount: 'unknown-account',
  /** The passkey used is not (or no longer) registered with the server; the browser has been told (Signal API). */
  PasskeyRemoved: 'passkey-removed',
  /** The server refused the passkey: it is suspended (CredentialSuspended: it may have been copied, or the site turned it off) or its counter went back. */
  PasskeySuspended: 'passkey-suspended',
  /** No answer from the server (offline, DNS, refused connection). */
  ServerUnreachable: 'server-unreachable',
  /** No WebAuthn in this browser, or the page is not a secure context. */
  UnsupportedBrowser: 'unsupported-browser',
  /** This authenticator already holds a passkey for the account (registration). */
  AlreadyRegistered: 'already-registered',
  /**
   * The site's attestation policy refused this authenticator at registration (it sent no or
   * unprovable attestation, its model is not allowed, or FIDO reports it compromised): use another.
   */
  AuthenticatorNotAccepted: 'authenticator-not-accepted',
  /** The authenticator can't do what was asked (algorithm, resident key, attachment). */
  NotSupported: 'not-supported',
  /** The device has no screen lock, PIN or biometric to verify the user. */
  NoUserVerification: 'no-user-verification',
  /** The page's address may not use this site's passkeys (rpId / origin mismatch). */
  WrongAddress: 'wrong-address',
  /** The username is already taken (sign-up). */
  UsernameTaken: 'username-taken',
  /** The server refused the input (a malformed username, name or code). */
  InvalidInput: 'invalid-input',
  /** The recovery code is wrong or used. */
  RecoveryCodeInvalid: 'recovery-code-invalid',
  /** Too many attempts; wait and retry. */
  RateLimited: 'rate-limited',
  /** The request (ceremony) expired or was used already: start again. */
  RequestExpired: 'request-expired',
  /** The session is over: sign in again. */
  SessionEnded: 'session-ended',
  /** The page cancelled the request itself (a newer one replaced it): show nothing. */
  Aborted: 'aborted',
  /** The server failed (5xx) or answered something unexpected. */
  ServerError: 'server-error',
  /** Anything else; see `code` and `cause`. */
  Unknown: 'unknown',
});

// Server problem names (normalized) → reason.
const SERVER_REASONS = {
  credentialnotfound: Reason.PasskeyRemoved,
  unknowncredential: Reason.PasskeyRemoved,
  credentialrevoked: Reason.PasskeyRemoved,
  credentialdisabled: Reason.PasskeySuspended,
  credentialsuspended: Reason.PasskeySuspended,
  signcountregression: Reason.PasskeySuspended,
  // The tenant's attestation policy (server 1114-1119) and the library's equivalents (305, 307-309).
  attestationmissing: Reason.AuthenticatorNotAccepted,
  attestationunverified: Reason.AuthenticatorNotAccepted,
  attestationuntrusted: Reason.AuthenticatorNotAccepted,
  aaguiddenied: Reason.AuthenticatorNotAccepted,
  aaguidnotallowed: Reason.AuthenticatorNotAccepted,
  authenticatorrevoked: Reason.AuthenticatorNotAccepted,
  attestationnottrusted: Reason.AuthenticatorNotAccepted,
  attestationrequired: Reason.AuthenticatorNotAccepted,
  authenticatornotallowed: Reason.AuthenticatorNotAccepted,
  authenticatorstatusrejected: Reason.AuthenticatorNotAccepted,
  usernotfound: Reason.UnknownAccount,
  usernametaken: Reason.UsernameTaken,
  userexists: Reason.UsernameTaken,
  recoverycodeinvalid: Reason.RecoveryCodeInvalid,
  invalidrecoverycode: Reason.RecoveryCodeInvalid,
  ratelimited: Reason.RateLimited,
  toomanyrequests: Reason.RateLimited,
  ceremonynotfound: Reason.RequestExpired,
  ceremonyexpired: Reason.RequestExpired,
  challengenotfound: Reason.RequestExpired,
  challengeexpired: Reason.RequestExpired,
  validationfailed: Reason.InvalidInput,
  malformedrequest: Reason.InvalidInput,
  storeunavailable: Reason.ServerError,
  internal: Reason.ServerError,
};

// SDK codes → reason (NotAllowedError is decided in toPasskeyError, from timing).
const CODE_REASONS = {
  passkeys_unsupported: Reason.UnsupportedBrowser,
  cancelled: Reason.Cancelled,
  aborted: Reason.Aborted,
  already_registered: Reason.AlreadyRegistered,
  not_supported: Reason.NotSupported,
  user_verification_unavailable: Reason.NoUserVerification,
  security_error: Reason.WrongAddress,
  timeout: Reason.TimedOut,
  invalid_options: Reason.ServerError,
  network_error: Reason.ServerUnreachable,
  server_error: Reason.ServerError,
};

function reasonOf(code, status) {
  const key = normalizeCode(code);
  if (CODE_REASONS[code]) return CODE_REASONS[code];
  if (SERVER_REASONS[key]) return SERVER_REASONS[key];
  if (SESSION_ENDED_CODES.has(key) || REFRESHABLE_CODES.has(key)) return Reason.SessionEnded;
  if (status === 401) return Reason.SessionEnded;
  if (status === 429) return Reason.RateLimited;
  if (status !== undefined && status >= 500) return Reason.ServerError;
  return Reason.Unknown;
}

/** The error every function in this module throws. */
export class PasskeyError extends Error {
  /**
   * @param {string} code stable code (ErrorCode or a server problem code)
   * @param {string} message plain-language message for the user, ending with the next step
   * @param {{cause?: unknown, status?: number, problem?: object, errorNumber?: number, detail?: string, reason?: string}} [extra]
   */
  constructor(code, message, extra = {}) {
    super(message, extra.cause === undefined ? undefined : { cause: extra.cause });
    this.name = 'PasskeyError';
    this.code = code;
    if (extra.status !== undefined) this.status = extra.status;
    if (extra.problem !== undefined) this.problem = extra.problem;
    if (extra.errorNumber !== undefined) this.errorNumber = extra.errorNumber;
    // A technical detail for logs and developers (never shown as the main message).
    this.detail = extra.detail ?? describeCause(extra.cause);
    /** Why it failed, by cause (Reason): what pages choose their message by. */
    this.reason = extra.reason ?? reasonOf(code, extra.status);
  }

  /** True when the ceremony was cancelled by the page (a newer ceremony replaced it); nothing to show. */
  get isAbort() {
    return this.code === ErrorCode.Aborted;
  }

  toJSON() {
    return {
      name: this.name,
      code: this.code,
      reason: this.reason,
      message: this.message,
      detail: this.detail,
      status: this.status,
      errorNumber: this.errorNumber,
      cause: this.cause === undefined ? undefined : describeCause(this.cause),
    };
  }

  /**
   * Builds a PasskeyError from an RFC 9457 problem details document sent by the server.
   * The server's `code` is kept as this error's code; the message comes from the server's
   * plain-language `message`/`detail`, or from this module's own table for well-known codes.
   * @param {any} problem
   * @param {number} [status]
   */
  static fromProblem(problem, status) {
    const p = problem && typeof problem === 'object' ? problem : {};
    // Passkeys.Server sends { code: <number>, error: <name> }; other servers may send a string code.
    const name = firstString(p.error, typeof p.code === 'string' ? p.code : undefined);
    const code = name ?? ErrorCode.ServerError;
    const number = typeof p.code === 'number' ? p.code : typeof p.errorNumber === 'number' ? p.errorNumber : undefined;
    const known = name ? SERVER_MESSAGES[normalizeCode(name)] : undefined;
    const serverText = firstString(p.message, p.detail);
    const message = known ?? serverText ?? defaultServerMessage(status ?? p.status);
    return new PasskeyError(code, message, {
      status: status ?? (typeof p.status === 'number' ? p.status : undefined),
      problem: p,
      errorNumber: number,
      detail: firstString(p.detail, p.title, serverText),
    });
  }
}

// Plain-language messages for server problem codes whose meaning the SDK knows. Keys are
// normalized (lower case, no separators) so `CredentialNotFound` and `credential_not_found` match.
const SERVER_MESSAGES = {
  credentialnotfound: 'This passkey is no longer registered with your account, so your browser has been told to forget it. Sign in with another passkey, or use a recovery code.',
  unknowncredential: 'This passkey is no longer registered with your account, so your browser has been told to forget it. Sign in with another passkey, or use a recovery code.',
  // Not suspended: the tenant refused this sign-in only (cloneDetection "ignore"). CredentialSuspended has
  // no entry here: the server's message says truly why (a possible copy, or turned off by the site).
  signcountregression: 'For your safety this sign-in was refused because a copy of this passkey may exist. Sign in with another passkey or a recovery code.',
  usernotfound: 'There is no account with that name. Check it, or create an account.',
  credentialrevoked: "This passkey was removed from your account. Sign in with another passkey, or use a recovery code.",
  credentialdisabled: "This passkey is suspended on your account. Sign in with another passkey or a recovery code, then delete it and add a new one.",
  challengenotfound: 'This sign-in request expired. Please try again.',
  challengeexpired: 'This sign-in request expired. Please try again.',
  ceremonynotfound: 'This request has expired or was already used. Please start again.',
  ceremonyexpired: 'This request has expired or was already used. Please start again.',
  usernametaken: 'That username is already taken. Choose another one, or sign in if it is yours.',
  userexists: 'That username is already taken. Choose another one, or sign in if it is yours.',
  credentialalreadyregistered: 'This passkey is already registered. Sign in with it, or create one on another device.',
  userverificationrequired: "Your device didn't confirm it was you (PIN, fingerprint or face). Try again and complete the check.",
  recoverycodeinvalid: "That recovery code didn't work. Check it and try again; each code works only once.",
  invalidrecoverycode: "That recovery code didn't work. Check it and try again; each code works only once.",
  ratelimited: 'Too many attempts. Wait a minute, then try again.',
  toomanyrequests: 'Too many attempts. Wait a minute, then try again.',
  unauthorized: 'Your session has ended. Sign in again.',
  tokenexpired: 'Your session has ended. Sign in again.',
  sessionexpired: 'Your session has ended. Sign in again.',
  sessionrevoked: 'You have been signed out. Sign in again.',
  refreshtokenreused: 'For your security you have been signed out, because this session was used from somewhere else. Sign in again.',
  refreshtokeninvalid: 'Your session has ended. Sign in again.',
  sessionnotfound: 'That session has already ended.',
  invalidtoken: 'Your session has ended. Sign in again.',
};

/** Server problem codes after which the browser should be told the credential is unknown. */
// A suspended (disabled) passkey still exists on the server: the browser must keep it.
const UNKNOWN_CREDENTIAL_CODES = new Set(['credentialnotfound', 'unknowncredential', 'credentialrevoked']);

function normalizeCode(code) {
  return String(code).toLowerCase().replace(/[^a-z0-9]/g, '');
}

/** True when a server error says the credential used is unknown to it (deleted, never registered). */
export function isUnknownCredentialError(error) {
  return error instanceof PasskeyError && UNKNOWN_CREDENTIAL_CODES.has(normalizeCode(error.code));
}

function defaultServerMessage(status) {
  if (status === 401 || status === 403) return 'Your session has ended. Sign in again.';
  if (status === 429) return 'Too many attempts. Wait a minute, then try again.';
  if (status !== undefined && status >= 500) return 'Something went wrong on our side. Please try again in a moment.';
  return 'The request could not be completed. Please try again.';
}

function firstString(...values) {
  for (const v of values) if (typeof v === 'string' && v.trim()) return v;
  return undefined;
}

function describeCause(cause) {
  if (cause === undefined || cause === null) return undefined;
  if (typeof cause === 'object' && 'name' in cause && 'message' in cause) return `${cause.name}: ${cause.message}`;
  return String(cause);
}

/**
 * Maps any error thrown while running a ceremony (a DOMException from navigator.credentials,
 * a TypeError from option parsing, a PasskeyError) to a PasskeyError with a plain message.
 * The message adapts to the device: without a built-in (platform) authenticator it suggests a
 * phone or security key.
 * @param {unknown} error
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

// ───────────────────────────── base64url ─────────────────────────────

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

// ───────────────────────────── options and responses ─────────────────────────────

function hasNative(name) {
  return typeof globalThis.PublicKeyCredential === 'function' && typeof globalThis.PublicKeyCredential[name] === 'function';
}

function decodeDescriptor(d) {
  return { ...d, id: base64urlToBuffer(d.id) };
}

// PRF inputs (and largeBlob.write) are base64url in JSON and BufferSource for the browser.
function decodeExtensionInputs(ext) {
  if (!ext || typeof ext !== 'object') return ext;
  const out = { ...ext };
  if (ext.prf && typeof ext.prf === 'object') {
    const decodeValues = (v) => v && { first: base64urlToBuffer(v.first), ...(v.second !== undefined ? { second: base64urlToBuffer(v.second) } : {}) };
    out.prf = { ...ext.prf };
    if (ext.prf.eval) out.prf.eval = decodeValues(ext.prf.eval);
    if (ext.prf.evalByCredential) {
      out.prf.evalByCredential = Object.fromEntries(Object.entries(ext.prf.evalByCredential).map(([k, v]) => [k, decodeValues(v)]));
    }
  }
  if (ext.largeBlob && typeof ext.largeBlob.write === 'string') {
    out.largeBlob = { ...ext.largeBlob, write: base64urlToBuffer(ext.largeBlob.write) };
  }
  return out;
}

function requireMember(obj, name) {
  if (!obj || obj[name] === undefined || obj[name] === null) {
    throw new PasskeyError(ErrorCode.InvalidOptions, 'The passkey request from the server was not valid. Reload the page and try again.',
      { detail: `options JSON is missing "${name}"` });
  }
  return obj[name];
}

/**
 * PublicKeyCredentialCreationOptionsJSON → PublicKeyCredentialCreationOptions, using the
 * browser's own parser when it has one and a base64url fallback otherwise.
 * @param {object} json
 */
export function parseCreationOptions(json) {
  if (hasNative('parseCreationOptionsFromJSON')) return PublicKeyCredential.parseCreationOptionsFromJSON(json);
  const user = requireMember(json, 'user');
  return {
    ...json,
    challenge: base64urlToBuffer(requireMember(json, 'challenge')),
    user: { ...user, id: base64urlToBuffer(requireMember(user, 'id')) },
    excludeCredentials: (json.excludeCredentials ?? []).map(decodeDescriptor),
    ...(json.extensions ? { extensions: decodeExtensionInputs(json.extensions) } : {}),
  };
}

/**
 * PublicKeyCredentialRequestOptionsJSON → PublicKeyCredentialRequestOptions (native or fallback).
 * @param {object} json
 */
export function parseRequestOptions(json) {
  if (hasNative('parseRequestOptionsFromJSON')) return PublicKeyCredential.parseRequestOptionsFromJSON(json);
  return {
    ...json,
    challenge: base64urlToBuffer(requireMember(json, 'challenge')),
    allowCredentials: (json.allowCredentials ?? []).map(decodeDescriptor),
    ...(json.extensions ? { extensions: decodeExtensionInputs(json.extensions) } : {}),
  };
}

// Client extension results may hold ArrayBuffers (prf.results, largeBlob.blob): base64url them.
function jsonifyExtensionResults(value) {
  if (value instanceof ArrayBuffer || ArrayBuffer.isView(value)) return bufferToBase64url(value);
  if (Array.isArray(value)) return value.map(jsonifyExtensionResults);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, jsonifyExtensionResults(v)]));
  }
  return value;
}

function callOptional(obj, method) {
  try {
    return typeof obj[method] === 'function' ? obj[method]() : undefined;
  } catch {
    return undefined; // e.g. getPublicKey() throws for algorithms the browser can't express in SPKI
  }
}

/**
 * A PublicKeyCredential → RegistrationResponseJSON or AuthenticationResponseJSON, using
 * credential.toJSON() when the browser has it and building the same shape otherwise.
 * @param {PublicKeyCredential} credential
 */
export function credentialToJSON(credential) {
  if (typeof credential.toJSON === 'function') return credential.toJSON();
  const r = credential.response;
  const common = {
    id: credential.id,
    rawId: bufferToBase64url(credential.rawId),
    type: credential.type,
    authenticatorAttachment: credential.authenticatorAttachment ?? undefined,
    clientExtensionResults: jsonifyExtensionResults(callOptional(credential, 'getClientExtensionResults') ?? {}),
  };
  if ('attestationObject' in r) {
    const publicKey = callOptional(r, 'getPublicKey');
    const authenticatorData = callOptional(r, 'getAuthenticatorData');
    return {
      ...common,
      response: {
        clientDataJSON: bufferToBase64url(r.clientDataJSON),
        attestationObject: bufferToBase64url(r.attestationObject),
        transports: callOptional(r, 'getTransports') ?? [],
        ...(authenticatorData ? { authenticatorData: bufferToBase64url(authenticatorData) } : {}),
        ...(publicKey ? { publicKey: bufferToBase64url(publicKey) } : {}),
        ...(typeof r.getPublicKeyAlgorithm === 'function' ? { publicKeyAlgorithm: r.getPublicKeyAlgorithm() } : {}),
      },
    };
  }
  return {
    ...common,
    response: {
      clientDataJSON: bufferToBase64url(r.clientDataJSON),
      authenticatorData: bufferToBase64url(r.authenticatorData),
      signature: bufferToBase64url(r.signature),
      ...(r.userHandle ? { userHandle: bufferToBase64url(r.userHandle) } : {}),
    },
  };
}

// ───────────────────────────── feature detection ─────────────────────────────

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

// ───────────────────────────── autofill input ─────────────────────────────

/**
 * Checks that the page has a text input that can show passkeys in autofill: its autocomplete
 * attribute must contain the token "webauthn", last (for example autocomplete="username webauthn").
 * @param {Document|Element} [root=document]
 * @returns {{ok: true, input: HTMLInputElement} | {ok: false, code: string, message: string, input?: HTMLInputElement}}
 */
export function checkAutofillInput(root = document) {
  const inputs = [...root.querySelectorAll('input[autocomplete], textarea[autocomplete]')];
  const withToken = inputs.filter((el) => el.getAttribute('autocomplete').toLowerCase().split(/\s+/).includes('webauthn'));
  const good = withToken.find((el) => {
    const tokens = el.getAttribute('autocomplete').trim().toLowerCase().split(/\s+/);
    return tokens[tokens.length - 1] === 'webauthn';
  });
  if (good) return { ok: true, input: good };
  if (withToken.length > 0) {
    return {
      ok: false, code: ErrorCode.AutofillInputMissing, input: withToken[0],
      message: `Passkey autofill needs "webauthn" as the last autocomplete token; this input has autocomplete="${withToken[0].getAttribute('autocomplete')}". Use autocomplete="username webauthn".`,
    };
  }
  return {
    ok: false, code: ErrorCode.AutofillInputMissing,
    message: 'Passkey autofill needs a username field marked for it, and this page has none. Add <input name="username" autocomplete="username webauthn"> to the sign-in form, or use the "Sign in with a passkey" button.',
  };
}

// ───────────────────────────── one ceremony at a time ─────────────────────────────

/** @type {{controller: AbortController, kind: string, settled: Promise<void>} | null} */
let current = null;

// Each ceremony takes a ticket when it is called, before its first await (feature checks, the
// platform test), so that the order of the calls decides, not the order in which they get through
// those awaits: a ceremony called earlier never replaces one called later, and cancelCeremony()
// right after a call (SimpleWebAuthn's WebAuthnAbortService allows that) cancels it too.
let requested = 0;
let newestBegun = 0;
let cancelledUpTo = 0;

function takeTicket() {
  return ++requested;
}

/** Cancels the ceremony in progress, or called and about to start, if any (its promise rejects with PasskeyError 'aborted'). */
export function cancelCeremony(reason = 'cancelled by the page') {
  const starting = requested > Math.max(newestBegun, cancelledUpTo);
  cancelledUpTo = requested;
  if (!current) return starting;
  current.controller.abort(new DOMException(reason, 'AbortError'));
  return true;
}

/** The kind of ceremony in progress ('registration', 'authentication', 'autofill', 'conditional-create') or null. */
export function activeCeremony() {
  return current ? current.kind : null;
}

let serviceController = null;

/**
 * SimpleWebAuthn's WebAuthnAbortService over the same single ceremony: one controller shared by
 * autofill and the modal ceremonies. `cancelCeremony()` cancels the ceremony in progress (its
 * promise rejects with ERROR_CEREMONY_ABORTED); `createNewAbortSignal()` cancels it too and returns
 * a signal of your own that the next cancelCeremony() aborts (for your own WebAuthn calls).
 */
export const WebAuthnAbortService = Object.freeze({
  createNewAbortSignal() {
    WebAuthnAbortService.cancelCeremony();
    serviceController = new AbortController();
    return serviceController.signal;
  },
  cancelCeremony() {
    cancelCeremony('cancelled by the page');
    serviceController?.abort(new DOMException('cancelled by the page', 'AbortError'));
    serviceController = null;
  },
});

async function beginCeremony(kind, externalSignal, ticket) {
  if (ticket !== undefined && (ticket <= cancelledUpTo || ticket < newestBegun)) {
    // Cancelled, or replaced by a ceremony called after it, before it began: it reaches the browser
    // with its signal already aborted and rejects as aborted, leaving the current ceremony alone.
    const controller = new AbortController();
    controller.abort(new DOMException(ticket <= cancelledUpTo ? 'cancelled by the page' : `replaced by a newer request`, 'AbortError'));
    return { controller, kind, settled: Promise.resolve(), finish() {} };
  }
  if (ticket !== undefined) newestBegun = ticket;
  const previous = current;
  if (previous) {
    previous.controller.abort(new DOMException(`replaced by a new ${kind} request`, 'AbortError'));
    // Let the browser finish cancelling the old request first: Chromium refuses a second
    // request while one is pending. Bounded, because a request may ignore the abort.
    await Promise.race([previous.settled, new Promise((r) => setTimeout(r, 1000))]);
  }
  const controller = new AbortController();
  if (externalSignal) {
    if (externalSignal.aborted) controller.abort(externalSignal.reason);
    else externalSignal.addEventListener('abort', () => controller.abort(externalSignal.reason), { once: true });
  }
  let resolveSettled;
  const entry = { controller, kind, settled: new Promise((r) => { resolveSettled = r; }) };
  entry.finish = () => {
    resolveSettled();
    if (current === entry) current = null;
  };
  current = entry;
  return entry;
}

let platformCache;
function platformAvailability() {
  platformCache ??= platformAuthenticatorIsAvailable();
  return platformCache;
}

// `report` (report.js, optional): told when the browser is asked and when it throws; never awaited.
async function run(kind, ceremony, options, signal, call, purpose, ticket, report) {
  if (!browserSupportsWebAuthn()) {
    throw new PasskeyError(ErrorCode.PasskeysUnsupported, "This browser can't use passkeys. Update it or use another browser, or sign in with a recovery code.");
  }
  let started;
  const platform = await platformAvailability();
  const entry = await beginCeremony(kind, signal, ticket);
  try {
    let parsed;
    try {
      parsed = ceremony === 'registration' ? parseCreationOptions(options) : parseRequestOptions(options);
    } catch (e) {
      throw toPasskeyError(e, { ceremony });
    }
    started = performance.now();
    report?.promptShown();
    const credential = await call(parsed, entry.controller.signal);
    if (!credential) throw new DOMException('no credential returned', 'NotAllowedError');
    return credentialToJSON(credential);
  } catch (e) {
    const elapsedMs = started === undefined ? undefined : performance.now() - started;
    const failure = toPasskeyError(e, { ceremony, purpose, platformAuthenticator: platform, elapsedMs, timeoutMs: typeof options?.timeout === 'number' ? options.timeout : undefined });
    if (started !== undefined) report?.failed(failure);
    throw failure;
  } finally {
    entry.finish();
  }
}

// ───────────────────────────── ceremonies ─────────────────────────────

// Both ceremony functions take SimpleWebAuthn's shape, one object with `optionsJSON`; the older
// positional shape (optionsJSON, opts) still works for one release, with a warning.
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

async function requireConditionalCreate() {
  if (browserSupportsWebAuthn() && !(await browserSupportsConditionalCreate())) {
    throw new PasskeyError(ErrorCode.ConditionalCreateUnsupported, "This browser can't add a passkey automatically. You can add one from your account page.");
  }
}

// The registration ceremony itself; throws PasskeyError. `conditional: true` asks for mediation
// 'conditional' and throws conditional_create_unsupported, without prompting, where the browser can't.
async function createCredential(optionsJSON, opts = {}) {
  const ticket = takeTicket();
  const conditional = !!opts.conditional;
  if (conditional) await requireConditionalCreate();
  return run(conditional ? 'conditional-create' : 'registration', 'registration', optionsJSON, opts.signal,
    (publicKey, signal) => navigator.credentials.create({ publicKey, signal, ...(conditional ? { mediation: 'conditional' } : {}) }),
    undefined, ticket, opts.report);
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

// The authentication ceremony itself; throws PasskeyError. `purpose` ('sign-in' or 'step-up',
// default 'sign-in') only tunes how a refusal is explained.
async function getCredential(optionsJSON, opts = {}) {
  const ticket = takeTicket();
  const autofill = !!opts.autofill;
  let options = optionsJSON;
  if (autofill) {
    if (!(await browserSupportsWebAuthnAutofill())) {
      throw new PasskeyError(ErrorCode.AutofillUnsupported, "This browser can't suggest passkeys in the username field. Use the \"Sign in with a passkey\" button instead.");
    }
    if (opts.verifyInput !== false) {
      const check = checkAutofillInput(opts.root ?? document);
      if (!check.ok) throw new PasskeyError(check.code, check.message);
    }
    // Autofill lists the passkeys the user has; an allow list would hide the others.
    options = { ...optionsJSON, allowCredentials: [] };
  }
  return run(autofill ? 'autofill' : 'authentication', 'authentication', options, opts.signal,
    (publicKey, signal) => navigator.credentials.get({ publicKey, signal, ...(autofill ? { mediation: 'conditional' } : {}) }),
    autofill ? 'autofill' : (opts.purpose ?? 'sign-in'), ticket, opts.report);
}

// ───────────────────────────── signals ─────────────────────────────

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

// ───────────────────────────── Passkeys.Server client ─────────────────────────────

/**
 * A small client for Passkeys.Server's browser-facing API (docs/api.md): it runs begin → browser →
 * finish for each ceremony and turns problem details into PasskeyErrors. Apps with their own
 * backend can ignore it and call startRegistration/startAuthentication directly.
 * @param {{baseUrl?: string, tenant?: string, fetch?: typeof fetch}} [config]
 */
export function createPasskeysClient(config = {}) {
  const baseUrl = (config.baseUrl ?? '').replace(/\/$/, '');
  const tenant = encodeURIComponent(config.tenant ?? 'default');
  const doFetch = config.fetch ?? ((...a) => globalThis.fetch(...a));
  const root = `${baseUrl}/v1/tenants/${tenant}`;

  async function request(method, path, { body, token } = {}) {
    const headers = { Accept: 'application/json, application/problem+json' };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    if (token) headers.Authorization = `Bearer ${token}`;
    let res;
    try {
      res = await doFetch(root + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    } catch (e) {
      throw new PasskeyError(ErrorCode.NetworkError, "We couldn't reach the server. Check your connection and try again.", { cause: e });
    }
    const text = await res.text();
    let json;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    if (!res.ok) throw PasskeyError.fromProblem(json, res.status);
    return json;
  }

  const rpIdOf = (options) => options?.rp?.id ?? options?.rpId ?? globalThis.location?.hostname;
  // Counts the browser side of each ceremony (report.js, docs/analytics.md).
  const reporterFor = (begin) => ceremonyReporter(`${root}/ceremonies/${encodeURIComponent(begin.ceremonyId)}/client-events`, doFetch);

  return {
    request,

    /**
     * Creates a passkey: self sign-up ({user:{name, displayName}}), another passkey for a signed-in
     * user ({token}), or a new passkey after a recovery code ({recoveryGrant}). For a signed-in user,
     * `mediation: 'conditional'` makes it quietly, without a dialog (a passkey upgrade); where the
     * browser can't, it throws conditional_create_unsupported before anything starts.
     * Returns the finish response plus `userHandle` and `rpId` (needed for signals).
     */
    async register({ user, token, recoveryGrant, authenticatorAttachment, name, mediation, conditional, signal } = {}) {
      if (conditional !== undefined) deprecated("register({ conditional })", "register({ mediation: 'conditional' })");
      const quiet = mediation === 'conditional' || conditional === true;
      // Said before the server begins anything: no ceremony, no prompt where the browser can't.
      if (quiet) await requireConditionalCreate();
      const begin = await request('POST', '/registration/begin', {
        token,
        body: {
          ...(user ? { user } : {}), ...(recoveryGrant ? { recoveryGrant } : {}), ...(authenticatorAttachment ? { authenticatorAttachment } : {}),
          // The server keeps it in the ceremony and accepts a response without user presence only then.
          ...(quiet ? { mediation: 'conditional' } : mediation ? { mediation } : {}),
        },
      });
      const response = await createCredential(begin.options, { conditional: quiet, signal, report: reporterFor(begin) });
      const result = await request('POST', '/registration/finish', {
        body: { ceremonyId: begin.ceremonyId, response, ...(name ? { name } : {}) },
      });
      return { ...result, userHandle: begin.options.user?.id, rpId: rpIdOf(begin.options), authenticatorAttachment: response.authenticatorAttachment ?? null };
    },

    /**
     * Signs in: usernameless (no username), with a username (allowCredentials), or through
     * autofill ({autofill: true}). When the server doesn't know the passkey used, tells the
     * browser (signalUnknownCredential) before throwing.
     */
    async signIn({ username, autofill, signal, root: domRoot } = {}) {
      // Autofill offered on page load is its own funnel on the server, never a started sign-in.
      const begin = await request('POST', '/authentication/begin', { body: { ...(username ? { username } : {}), ...(autofill ? { mediation: 'conditional' } : {}) } });
      const response = await getCredential(begin.options, { autofill, signal, root: domRoot, report: reporterFor(begin) });
      const rpId = rpIdOf(begin.options);
      try {
        const result = await request('POST', '/authentication/finish', { body: { ceremonyId: begin.ceremonyId, response } });
        return { ...result, userHandle: response.response.userHandle, rpId, authenticatorAttachment: response.authenticatorAttachment ?? null };
      } catch (e) {
        if (!isUnknownCredentialError(e)) throw e;
        // The server doesn't know this passkey (deleted elsewhere): ask the browser to forget it, so
        // it is not offered again, and say whether that worked.
        const forgotten = await signalUnknownCredential({ rpId, credentialId: response.id });
        const error = new PasskeyError(e.code, forgotten
          ? 'This passkey was removed from your account, so we asked your browser to forget it. Sign in with another passkey, or use a recovery code.'
          : 'This passkey was removed from your account. Remove it from your passwords or security key settings, then sign in with another passkey or use a recovery code.',
        { status: e.status, problem: e.problem, errorNumber: e.errorNumber, detail: e.detail, reason: Reason.PasskeyRemoved });
        error.browserForgot = forgotten;
        throw error;
      }
    },

    /** Confirms a transaction with user verification; the token's `txn` claim binds its hash. */
    async stepUp({ token, transaction, signal }) {
      const begin = await request('POST', '/step-up/begin', { token, body: { transaction } });
      const response = await getCredential(begin.options, { signal, purpose: 'step-up', report: reporterFor(begin) });
      return request('POST', '/step-up/finish', { body: { ceremonyId: begin.ceremonyId, response } });
    },

    async listCredentials(token) {
      return (await request('GET', '/me/credentials', { token })).credentials;
    },

    /** Renames a passkey; then sends the user's current details to the provider (signalCurrentUserDetails). */
    async renameCredential(token, credentialId, name, session) {
      const credential = await request('PATCH', `/me/credentials/${encodeURIComponent(credentialId)}`, { token, body: { name } });
      if (session?.userHandle && session.user) {
        await signalCurrentUserDetails({ rpId: session.rpId ?? globalThis.location?.hostname, userId: session.userHandle, name: session.user.name, displayName: session.user.displayName ?? session.user.name });
      }
      return credential;
    },

    /** Deletes a passkey; then tells the provider which passkeys still work (signalAllAcceptedCredentials). */
    async deleteCredential(token, credentialId, session) {
      await request('DELETE', `/me/credentials/${encodeURIComponent(credentialId)}`, { token });
      const remaining = await request('GET', '/me/credentials', { token });
      if (session?.userHandle) {
        await signalAllAcceptedCredentials({ rpId: session.rpId ?? globalThis.location?.hostname, userId: session.userHandle, allAcceptedCredentialIds: remaining.credentials.map((c) => c.id) });
      }
      return remaining.credentials;
    },

    setDefaultCredential(token, credentialId) {
      return request('POST', `/me/credentials/${encodeURIComponent(credentialId)}/default`, { token });
    },

    async generateRecoveryCodes(token) {
      return (await request('POST', '/me/recovery-codes', { token, body: {} })).codes;
    },

    /** How many of the signed-in user's recovery codes are unused, and when the set was made ({ remaining: 0, generatedAt: null } when none). */
    recoveryCodeStatus(token) {
      return request('GET', '/me/recovery-codes', { token });
    },

    /** Spends a recovery code; returns { recoveryGrant, expiresAt } for register({ recoveryGrant }). */
    redeemRecoveryCode(username, code) {
      return request('POST', '/recovery/redeem', { body: { username, code } });
    },

    /** Exchanges a refresh token for { token, tokenExpiresAt, refreshToken, refreshTokenExpiresAt, sessionId, sessionExpiresAt }; the old one is spent. */
    refreshSession(refreshToken) {
      return request('POST', '/sessions/refresh', { body: { refreshToken } });
    },

    /** Signs out: revokes the session of the refresh token (idempotent). */
    async revokeSession(refreshToken) {
      await request('POST', '/sessions/revoke', { body: { refreshToken } });
    },

    /** The signed-in user's active sessions (created, last used, browser, OS; `current` marks this one). */
    async listSessions(token) {
      return (await request('GET', '/me/sessions', { token })).sessions;
    },

    /** Revokes one of the signed-in user's sessions (another device, or this one). */
    async deleteSession(token, sessionId) {
      await request('DELETE', `/me/sessions/${encodeURIComponent(sessionId)}`, { token });
    },
  };
}

// ───────────────────────────── staying signed in ─────────────────────────────

/** Server codes that mean "this access token is no good, a refresh may fix it". */
const REFRESHABLE_CODES = new Set(['tokenexpired', 'unauthorized']);
/** Server codes that mean the session itself is over: sign in again. */
const SESSION_ENDED_CODES = new Set(['sessionexpired', 'sessionrevoked', 'refreshtokenreused', 'refreshtokeninvalid']);

/** True when a server error says the session is over (signed out, expired, revoked, reused): sign in again. */
export function isSessionEndedError(error) {
  return error instanceof PasskeyError && SESSION_ENDED_CODES.has(normalizeCode(error.code));
}

// The access token's own lifetime (exp − iat) measured on this device's clock from when it arrived,
// so a device whose clock is off still refreshes on time.
function localExpiry(token, fallbackIso, receivedAt) {
  try {
    const payload = JSON.parse(new TextDecoder().decode(base64urlToBuffer(String(token).split('.')[1])));
    if (typeof payload.exp === 'number' && typeof payload.iat === 'number' && payload.exp > payload.iat) {
      return receivedAt + (payload.exp - payload.iat) * 1000;
    }
  } catch { /* not a JWT we can read: use the server's time */ }
  const t = Date.parse(fallbackIso);
  return Number.isNaN(t) ? receivedAt : t;
}

/**
 * Keeps a user signed in: holds the access token and refresh token from a sign-in (or sign-up),
 * refreshes shortly before the access token expires and, once, when the server answers 401
 * TokenExpired; concurrent callers share one refresh (the server treats a second use of a refresh
 * token as theft and ends the session). `signOut()` revokes the session on the server.
 *
 * Storage: sessionStorage by default (this tab only, gone when it closes). Anything script on the
 * page can read — an XSS bug can steal the refresh token; see docs/sdk.md for keeping it in an
 * HttpOnly cookie held by your backend instead.
 * @param {ReturnType<typeof createPasskeysClient>} client
 * @param {{storage?: Storage, key?: string, refreshMarginMs?: number, onEnd?: (error: PasskeyError) => void, now?: () => number}} [options]
 */
export function createSession(client, options = {}) {
  const storage = options.storage ?? globalThis.sessionStorage;
  const key = options.key ?? 'passkeys-session';
  const margin = options.refreshMarginMs ?? 60_000;
  const now = options.now ?? (() => Date.now());
  let inflight = null;

  const read = () => {
    try {
      return JSON.parse(storage.getItem(key) ?? 'null');
    } catch {
      return null;
    }
  };
  const write = (state) => {
    storage.setItem(key, JSON.stringify(state));
    return state;
  };
  const fromTokens = (result, previous) => ({
    ...previous,
    accessToken: result.token,
    accessTokenExpiresAt: localExpiry(result.token, result.tokenExpiresAt, now()),
    refreshToken: result.refreshToken,
    refreshTokenExpiresAt: result.refreshTokenExpiresAt,
    sessionId: result.sessionId,
    sessionExpiresAt: result.sessionExpiresAt,
  });

  function end(error) {
    storage.removeItem(key);
    if (options.onEnd) {
      try { options.onEnd(error); } catch { /* the page's handler must not break the caller */ }
    }
  }

  async function rotate(presented) {
    const current = read();
    if (!current?.refreshToken) {
      throw new PasskeyError('SessionExpired', SERVER_MESSAGES.sessionexpired, { status: 401, detail: 'no session stored' });
    }
    // Another tab sharing this storage may have rotated it already (localStorage): use its result.
    if (presented && current.refreshToken !== presented && current.accessTokenExpiresAt - margin > now()) return current;
    try {
      return write(fromTokens(await client.refreshSession(current.refreshToken), current));
    } catch (e) {
      if (isSessionEndedError(e) || (e instanceof PasskeyError && (e.status === 400 || e.status === 401))) end(e);
      throw e;
    }
  }

  const session = {
    /** The stored state ({ accessToken, refreshToken, sessionId, …extra }) or null. */
    get: read,

    /** True when a session is stored (it may still turn out to be ended on the server). */
    get signedIn() {
      return !!read()?.refreshToken;
    },

    /**
     * Stores a sign-in or sign-up result (it must carry a refreshToken). `extra` is kept alongside
     * (user, userHandle, rpId, …); a result without session fields only replaces the access token.
     */
    save(result, extra = {}) {
      const previous = read() ?? {};
      if (!result?.refreshToken) {
        return write({ ...previous, ...extra, ...(result?.token ? { accessToken: result.token, accessTokenExpiresAt: localExpiry(result.token, result.tokenExpiresAt, now()) } : {}) });
      }
      return write(fromTokens(result, { ...previous, ...extra }));
    },

    /** Merges page data into the stored state (never the tokens). */
    update(extra) {
      const current = read();
      return current ? write({ ...current, ...extra, accessToken: current.accessToken, refreshToken: current.refreshToken }) : null;
    },

    /** Refreshes now; concurrent calls share one request. Ends the session (onEnd) when the server refuses. */
    refresh() {
      if (!inflight) {
        const presented = read()?.refreshToken;
        const run = () => rotate(presented);
        const locked = globalThis.navigator?.locks?.request ? globalThis.navigator.locks.request(`passkeys-refresh:${key}`, run) : run();
        inflight = Promise.resolve(locked).finally(() => { inflight = null; });
      }
      return inflight;
    },

    /** A usable access token, refreshed first when it expires within the margin (default 60 s). */
    async getAccessToken() {
      const current = read();
      if (!current?.refreshToken && !current?.accessToken) {
        throw new PasskeyError('SessionExpired', SERVER_MESSAGES.sessionexpired, { status: 401, detail: 'no session stored' });
      }
      if (current.refreshToken && !(current.accessTokenExpiresAt - margin > now())) {
        return (await session.refresh()).accessToken;
      }
      return current.accessToken;
    },

    /**
     * Runs `call(accessToken)`; when the server answers 401 TokenExpired (or Unauthorized), refreshes
     * once and runs it again with the new token. Use it around every call that needs the user.
     * @template T
     * @param {(token: string) => Promise<T>} call
     * @returns {Promise<T>}
     */
    async withToken(call) {
      const token = await session.getAccessToken();
      try {
        return await call(token);
      } catch (e) {
        if (!(e instanceof PasskeyError) || e.status !== 401 || !REFRESHABLE_CODES.has(normalizeCode(e.code)) || !read()?.refreshToken) throw e;
        const fresh = read()?.accessToken !== token ? read() : await session.refresh();
        return call(fresh.accessToken);
      }
    },

    /** Signs out: revokes the session on the server (best effort) and forgets it here. */
    async signOut() {
      const current = read();
      storage.removeItem(key);
      if (current?.refreshToken) {
        try {
          await client.revokeSession(current.refreshToken);
        } catch { /* offline: the session still ends at its idle lifetime */ }
      }
    },
  };
  return session;
}
