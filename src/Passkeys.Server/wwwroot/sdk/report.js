// Passkeys browser SDK: reports what happened in the browser during one ceremony to the server's
// client-events endpoint (docs/analytics.md, "Client events"), so a cancelled or timed-out prompt,
// which never reaches the server otherwise, is counted. Fire-and-forget: nothing here is awaited
// by a ceremony, and no failure here (network, CSP, a missing fetch) can delay or fail one. The
// server trusts these reports for counting only.

/**
 * The client outcome for a ceremony's error, or null when there is nothing to report (the page
 * aborted the request itself, e.g. autofill replaced by a button). Mapped from the DOMException
 * name as SimpleWebAuthn's identify…Error does, with the SDK's own reading of NotAllowedError
 * (browser-errors.js: `reason` timed-out when the prompt stayed open to the timeout,
 * no-passkey-on-device when refused faster than a person can answer).
 * @param {{name?: string, reason?: string, cause?: {name?: string}}} failure the PasskeyError run() throws
 * @param {{hasFocus?: boolean}} [context]
 * @returns {'cancelled'|'timed-out'|'not-allowed'|'invalid-state'|'security'|'not-supported'|'unknown'|null}
 */
export function clientOutcomeOf(failure, context = {}) {
  const name = failure?.cause?.name ?? failure?.name;
  const hasFocus = context.hasFocus ?? (typeof document === 'undefined' || typeof document.hasFocus !== 'function' || document.hasFocus());
  switch (name) {
    case 'AbortError':
      return null;
    case 'NotAllowedError':
      if (failure?.reason === 'timed-out') return 'timed-out';
      // Browsers refuse without asking in a page that has no focus, or when nothing can answer.
      if (failure?.reason === 'no-passkey-on-device' || !hasFocus) return 'not-allowed';
      return 'cancelled';
    case 'TimeoutError':
      return 'timed-out';
    case 'InvalidStateError':
      return 'invalid-state';
    case 'SecurityError':
      return 'security';
    case 'NotSupportedError':
      return 'not-supported';
    default:
      return 'unknown';
  }
}

/**
 * A reporter for one ceremony: `promptShown()` just before the browser is asked, `failed(error)`
 * when it throws. Each sends at most once.
 * @param {string} url the ceremony's …/ceremonies/{ceremonyId}/client-events address
 * @param {typeof fetch} [doFetch]
 */
export function ceremonyReporter(url, doFetch = (...a) => globalThis.fetch(...a)) {
  let shown = false;
  let ended = false;
  const send = (body) => {
    try {
      // keepalive: the report survives the page navigating away right after a cancel.
      const pending = doFetch(url, { method: 'POST', keepalive: true, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
      if (pending && typeof pending.catch === 'function') pending.catch(() => {});
    } catch {
      // counting is never worth an error on the page
    }
  };
  return {
    promptShown() {
      if (shown) return;
      shown = true;
      send({ event: 'prompt-shown' });
    },
    failed(error) {
      const outcome = clientOutcomeOf(error);
      if (ended || outcome === null) return;
      ended = true;
      send({ event: 'outcome', outcome });
    },
  };
}
