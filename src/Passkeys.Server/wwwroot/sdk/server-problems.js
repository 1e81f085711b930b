// server-problems.js — what the SDK knows of the server's problem codes (RFC 9457 problem details
// from Passkeys.Server, or a string code from another server): the reason and the plain-language
// message for each, and which ones mean "the passkey is gone" or "the session is over". Codes are
// compared normalized, so `CredentialNotFound` and `credential_not_found` are the same code.

import { Reason } from './error-codes.js';

// Server problem names (normalized) → reason.
export const SERVER_REASONS = {
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

// Plain-language messages for server problem codes whose meaning the SDK knows. Keys are
// normalized (lower case, no separators) so `CredentialNotFound` and `credential_not_found` match.
export const SERVER_MESSAGES = {
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
export const UNKNOWN_CREDENTIAL_CODES = new Set(['credentialnotfound', 'unknowncredential', 'credentialrevoked']);

// Lower case, letters and digits only: how server codes are compared.
export function normalizeCode(code) {
  return String(code).toLowerCase().replace(/[^a-z0-9]/g, '');
}

/** Server codes that mean "this access token is no good, a refresh may fix it". */
export const REFRESHABLE_CODES = new Set(['tokenexpired', 'unauthorized']);
/** Server codes that mean the session itself is over: sign in again. */
export const SESSION_ENDED_CODES = new Set(['sessionexpired', 'sessionrevoked', 'refreshtokenreused', 'refreshtokeninvalid']);

// The message for a server error the SDK has no words of its own for, by HTTP status.
export function defaultServerMessage(status) {
  if (status === 401 || status === 403) return 'Your session has ended. Sign in again.';
  if (status === 429) return 'Too many attempts. Wait a minute, then try again.';
  if (status !== undefined && status >= 500) return 'Something went wrong on our side. Please try again in a moment.';
  return 'The request could not be completed. Please try again.';
}
