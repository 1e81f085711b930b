// Shared by the demo pages: the API client, the signed-in session, and accessible messages.
import { createPasskeysClient, createSession, PasskeyError } from '/sdk/passkeys.js';
import { messageFor } from './messages.js';

export const client = createPasskeysClient({ tenant: 'default' });

/**
 * The signed-in session: access and refresh tokens (refreshed by the SDK before the access token
 * expires, or after a 401 TokenExpired) plus { user, userHandle, rpId, signedInWithOtherDevice }.
 * sessionStorage keeps it to this tab and drops it when the tab closes; script on the page can
 * read it, so a production app should keep the refresh token in an HttpOnly cookie held by its
 * backend instead (docs/sdk.md, "Where the tokens live").
 */
export const session = createSession(client, { key: 'passkeys-demo-session', onEnd: (e) => onSessionEnd?.(e) });

let onSessionEnd;
/** Lets a page react when the server ends the session (expired, revoked elsewhere, reuse detected). */
export function whenSessionEnds(handler) {
  onSessionEnd = handler;
}

/** The stored session or null. */
export function loadSession() {
  return session.get();
}

/** Stores a sign-in or sign-up result (with its refresh token) and the page data that goes with it. */
export function saveSession(result) {
  const previous = session.get();
  return session.save(result, {
    user: result.user ?? previous?.user,
    userHandle: result.userHandle ?? previous?.userHandle ?? null,
    rpId: result.rpId ?? previous?.rpId ?? location.hostname,
    // Signed in with a passkey from another device (phone, security key): offer an upgrade.
    // (A sign-up result carries `credential`: the passkey was just made here, nothing to upgrade.)
    signedInWithOtherDevice: !result.credential && result.authenticatorAttachment === 'cross-platform',
    // Where the passkey just used lives, so "add a passkey" can default to the other kind.
    usedAttachment: result.authenticatorAttachment ?? previous?.usedAttachment ?? null,
  });
}

/** Shows a message in the page's live region; errors take focus so keyboard and screen-reader users notice. */
export function showMessage(text, kind = 'info', { focus = kind === 'error' } = {}) {
  const box = document.getElementById('message');
  box.className = `message ${kind}`;
  box.setAttribute('role', kind === 'error' ? 'alert' : 'status');
  box.textContent = text;
  // A later message never carries an earlier error's code.
  delete box.dataset.code;
  delete box.dataset.reason;
  if (text && focus) box.focus();
}

/** Clears the message, but not the "waiting for your passkey" line of the action that is starting. */
export function clearMessage() {
  if (document.getElementById('message').classList.contains('progress')) return;
  showMessage('');
}

/**
 * Shows a failure in plain words, chosen by its cause (messages.js) for the action the user was
 * taking; a ceremony the page cancelled itself shows nothing.
 */
export function showError(error, action = 'account') {
  if (error instanceof PasskeyError) {
    if (error.isAbort) return;
    console.warn('passkeys:', error.code, error.reason, error.detail ?? '');
    showMessage(messageFor(error, action), 'error');
    const box = document.getElementById('message');
    box.dataset.code = error.code;
    box.dataset.reason = error.reason;
    return;
  }
  console.error(error);
  showMessage('Something went wrong. Please try again.', 'error');
  document.getElementById('message').dataset.code = 'unexpected';
}

/**
 * Disables a button while an action runs, so a double click can't start two ceremonies. With
 * `waiting`, that text shows (and is announced) while it runs: the browser's passkey prompt is open.
 * A second call while the first runs does nothing.
 */
export async function busy(button, action, waiting) {
  if (button.dataset.busy === 'true') return undefined;
  button.dataset.busy = 'true';
  button.disabled = true;
  button.setAttribute('aria-busy', 'true');
  if (waiting) showMessage(waiting, 'progress');
  try {
    return await action();
  } finally {
    delete button.dataset.busy;
    button.disabled = false;
    button.removeAttribute('aria-busy');
    const box = document.getElementById('message');
    if (waiting && box.classList.contains('progress')) showMessage('');
  }
}

/**
 * Enables the controls a page renders `disabled data-needs-script` (the elements given, and those
 * inside them). Until its module script has attached the handlers, a click or Enter would submit a
 * form natively, a POST to the page's own URL that shows an error page instead of a passkey prompt,
 * and a plain button would do nothing. Call it once the handlers are attached, before disabling
 * what this browser can't use; each control is enabled once.
 */
export function scriptReady(...elements) {
  for (const element of elements) {
    for (const control of [element, ...element.querySelectorAll('[data-needs-script]')]) {
      if (!control.hasAttribute('data-needs-script')) continue;
      control.removeAttribute('data-needs-script');
      control.disabled = false;
    }
  }
}

/** What the progress line says while the browser's passkey prompt is open. */
export const PROMPT_OPEN = 'Waiting for your passkey: follow the prompt from your browser or device.';

/** The attachment a "where do you keep it" radio group asks for ('' = let the browser offer all). */
export function chosenAttachment(form) {
  const value = new FormData(form).get('attachment');
  return value === 'platform' || value === 'cross-platform' ? value : undefined;
}
