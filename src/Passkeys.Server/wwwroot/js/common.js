// Shared by the demo pages: the API client, the signed-in session, and accessible messages.
import { createPasskeysClient, createSession, PasskeyError } from '/sdk/passkeys.js';

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
    signedInWithOtherDevice: result.authenticatorAttachment === 'cross-platform',
  });
}

/** Shows a message in the page's live region; errors take focus so keyboard and screen-reader users notice. */
export function showMessage(text, kind = 'info') {
  const box = document.getElementById('message');
  box.className = `message ${kind}`;
  box.setAttribute('role', kind === 'error' ? 'alert' : 'status');
  box.textContent = text;
  if (text && kind === 'error') box.focus();
}

export function clearMessage() {
  showMessage('');
}

/** Shows a failure in plain words; a cancelled-by-the-page ceremony shows nothing. */
export function showError(error) {
  if (error instanceof PasskeyError) {
    if (error.isAbort) return;
    console.warn('passkeys:', error.code, error.detail ?? '', error);
    showMessage(error.message, 'error');
    document.getElementById('message').dataset.code = error.code;
    return;
  }
  console.error(error);
  showMessage('Something went wrong. Please try again.', 'error');
  document.getElementById('message').dataset.code = 'unexpected';
}

/** Disables a button while an action runs, so a double click can't start two ceremonies. */
export async function busy(button, action) {
  button.disabled = true;
  button.setAttribute('aria-busy', 'true');
  try {
    return await action();
  } finally {
    button.disabled = false;
    button.removeAttribute('aria-busy');
  }
}

/** The attachment a "where do you keep it" radio group asks for ('' = let the browser offer all). */
export function chosenAttachment(form) {
  const value = new FormData(form).get('attachment');
  return value === 'platform' || value === 'cross-platform' ? value : undefined;
}
