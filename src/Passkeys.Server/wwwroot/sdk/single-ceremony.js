// single-ceremony.js — one ceremony at a time. The browser runs one WebAuthn request per page, so a
// newer ceremony cancels the one in progress (autofill included), and the page can cancel it
// itself (cancelCeremony, SimpleWebAuthn's WebAuthnAbortService).

/** @type {{controller: AbortController, kind: string, settled: Promise<void>} | null} */
let current = null;

// Each ceremony takes a ticket when it is called, before its first await (feature checks, the
// platform test), so that the order of the calls decides, not the order in which they get through
// those awaits: a ceremony called earlier never replaces one called later, and cancelCeremony()
// right after a call (SimpleWebAuthn's WebAuthnAbortService allows that) cancels it too.
let requested = 0;
let newestBegun = 0;
let cancelledUpTo = 0;

// A ceremony's place in the order of calls; taken before its first await (see above).
export function takeTicket() {
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

// Makes a ceremony of `kind` the current one and returns its entry: `controller.signal` goes to the
// browser, `finish()` releases the slot. Cancels the ceremony in progress first; the page's own
// `externalSignal` aborts this one too.
export async function beginCeremony(kind, externalSignal, ticket) {
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
