// Operator sign-in and enrolment with a passkey (the console's own relying party).
import { startAuthentication, startRegistration, browserSupportsWebAuthn } from '/sdk/passkeys.js';
import { api, setCsrfToken } from './api.js';
import { el, showMessage, showError, clearMessage } from './dom.js';

function explain(error) {
  // The SDK's WebAuthnError says why the browser refused (its reason, its cause); the server's ApiError says why it did.
  if (error?.reason === 'cancelled' || error?.name === 'NotAllowedError' || error?.cause?.name === 'NotAllowedError') {
    return Object.assign(new Error('The passkey prompt was closed or timed out. Try again.'), { code: 'cancelled' });
  }
  return error;
}

/** Signs in; resolves with the operator session view. */
async function signIn() {
  const begin = await api('POST', '/v1/console/sign-in/begin');
  const response = await startAuthentication({ optionsJSON: begin.options });
  const session = await api('POST', '/v1/console/sign-in/finish', { ceremonyId: begin.ceremonyId, response });
  setCsrfToken(session.csrfToken);
  return session;
}

/** Enrols a new operator with the secret of an enrolment link; resolves with the operator session view. */
async function enrol(invitation, name) {
  const begin = await api('POST', '/v1/console/enrolment/begin', { invitation, name });
  const response = await startRegistration({ optionsJSON: begin.options });
  const session = await api('POST', '/v1/console/enrolment/finish', { ceremonyId: begin.ceremonyId, response });
  setCsrfToken(session.csrfToken);
  return session;
}

/** The sign-in view; calls onSignedIn(session) after a successful sign-in. */
export function signInView(onSignedIn, note) {
  const button = el('button', { type: 'button', id: 'operator-sign-in' }, 'Sign in with a passkey');
  button.addEventListener('click', async () => {
    button.disabled = true;
    showMessage('Waiting for your passkey…', 'progress');
    try {
      const session = await signIn();
      clearMessage();
      onSignedIn(session);
    } catch (e) {
      showError(explain(e));
    } finally {
      button.disabled = false;
    }
  });
  return el('section', { class: 'narrow', 'aria-labelledby': 'signin-title' },
    el('h1', { id: 'signin-title' }, 'Operator sign-in'),
    note ? el('p', {}, note) : null,
    browserSupportsWebAuthn() ? null : el('p', { class: 'muted' }, 'This browser cannot use passkeys. Open the console in an up-to-date browser.'),
    el('p', { class: 'muted' }, 'Operators sign in with the passkey they enrolled. New operators need an enrolment link from an operator.'),
    el('div', { class: 'actions' }, button));
}

/** The enrolment view for the secret of an enrolment link. */
export function enrolView(invitation, onSignedIn) {
  const form = el('form', { novalidate: true },
    el('label', { htmlFor: 'operator-name-input' }, 'Your name'),
    el('input', { id: 'operator-name-input', name: 'name', autocomplete: 'name', required: true, maxLength: 64, 'aria-describedby': 'enrol-hint' }),
    el('p', { id: 'enrol-hint', class: 'muted' }, 'Other operators see this name in the operator list and the audit log.'),
    el('div', { class: 'actions' }, el('button', { type: 'submit', id: 'operator-enrol' }, 'Create my operator passkey')));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const name = form.elements.name.value.trim();
    if (!name) {
      showMessage('Enter your name.', 'error');
      form.elements.name.focus();
      return;
    }
    const button = form.querySelector('button');
    button.disabled = true;
    showMessage('Waiting for your passkey…', 'progress');
    try {
      const session = await enrol(invitation, name);
      clearMessage();
      // The link is spent: drop its secret from the address bar and history.
      history.replaceState(null, '', '/console/#/tenants');
      onSignedIn(session);
    } catch (e) {
      showError(explain(e));
    } finally {
      button.disabled = false;
    }
  });
  return el('section', { class: 'narrow', 'aria-labelledby': 'enrol-title' },
    el('h1', { id: 'enrol-title' }, 'Become an operator'),
    el('p', {}, 'This link lets you enrol once. Your passkey is made for this console only; you sign in with it from now on.'),
    form);
}
