// ceremonies.js — the two ceremonies themselves (create a passkey, use one), shared by the
// SimpleWebAuthn-compatible calls and the Passkeys.Server client: feature checks, one ceremony at a
// time, options JSON in, response JSON out, and every failure as a PasskeyError.

import { ErrorCode } from './error-codes.js';
import { PasskeyError } from './passkey-error.js';
import { toPasskeyError } from './browser-errors.js';
import { parseCreationOptions, parseRequestOptions } from './options-json.js';
import { credentialToJSON } from './response-json.js';
import { browserSupportsWebAuthn, browserSupportsWebAuthnAutofill, browserSupportsConditionalCreate, platformAuthenticatorIsAvailable } from './capabilities.js';
import { checkAutofillInput } from './autofill-input.js';
import { takeTicket, beginCeremony } from './single-ceremony.js';

// Asked once per page: it tunes the wording of failures (suggest a phone or security key without one).
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

// Said before anything starts (no server ceremony, no prompt) where the browser can't create quietly.
export async function requireConditionalCreate() {
  if (browserSupportsWebAuthn() && !(await browserSupportsConditionalCreate())) {
    throw new PasskeyError(ErrorCode.ConditionalCreateUnsupported, "This browser can't add a passkey automatically. You can add one from your account page.");
  }
}

// The registration ceremony itself; throws PasskeyError. `conditional: true` asks for mediation
// 'conditional' and throws conditional_create_unsupported, without prompting, where the browser can't.
export async function createCredential(optionsJSON, opts = {}) {
  const ticket = takeTicket();
  const conditional = !!opts.conditional;
  if (conditional) await requireConditionalCreate();
  return run(conditional ? 'conditional-create' : 'registration', 'registration', optionsJSON, opts.signal,
    (publicKey, signal) => navigator.credentials.create({ publicKey, signal, ...(conditional ? { mediation: 'conditional' } : {}) }),
    undefined, ticket, opts.report);
}

// The authentication ceremony itself; throws PasskeyError. `purpose` ('sign-in' or 'step-up',
// default 'sign-in') only tunes how a refusal is explained.
export async function getCredential(optionsJSON, opts = {}) {
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
