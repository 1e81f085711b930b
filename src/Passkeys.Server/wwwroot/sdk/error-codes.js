// error-codes.js — the SDK's two stable vocabularies: ErrorCode (what failed) and Reason (why, for
// choosing what to tell the user). Their values never change meaning; pages and apps switch on them.

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
