// passkey-error.js — PasskeyError, the one error the SDK's own calls throw: a stable `code`, a
// `reason` (by cause), a plain-language `message` that says what to do next, and the original
// error as `cause`. Also the two questions pages ask of a server error.

import { ErrorCode, Reason } from './error-codes.js';
import {
  SERVER_REASONS, SERVER_MESSAGES, UNKNOWN_CREDENTIAL_CODES, REFRESHABLE_CODES, SESSION_ENDED_CODES,
  normalizeCode, defaultServerMessage,
} from './server-problems.js';

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

/** The error the SDK's functions throw (startRegistration/startAuthentication wrap it in a WebAuthnError). */
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
   * plain-language `message`/`detail`, or from the SDK's own table (server-problems.js) for well-known codes.
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

/** True when a server error says the credential used is unknown to it (deleted, never registered). */
export function isUnknownCredentialError(error) {
  return error instanceof PasskeyError && UNKNOWN_CREDENTIAL_CODES.has(normalizeCode(error.code));
}

/** True when a server error says the session is over (signed out, expired, revoked, reused): sign in again. */
export function isSessionEndedError(error) {
  return error instanceof PasskeyError && SESSION_ENDED_CODES.has(normalizeCode(error.code));
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
