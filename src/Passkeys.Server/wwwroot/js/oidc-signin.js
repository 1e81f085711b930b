// The OpenID Connect hosted sign-in page (Oidc/OidcHostedPage.cs): sign in with a passkey (button,
// autofill, or username), sign up when the tenant allows it, or recover with a code; then complete
// the authorization by posting the page's form with the new session's refresh token. The token goes
// in the form body, never in a URL; the server answers with a redirect to the app carrying the code.
import { createPasskeysClient, browserSupportsWebAuthn, browserSupportsWebAuthnAutofill, PasskeyError } from '/sdk/passkeys.js';
import { showError, showMessage, clearMessage, busy, PROMPT_OPEN } from './common.js';

const main = document.getElementById('oidc');
const client = createPasskeysClient({ tenant: main.dataset.tenant });
const authorizeForm = document.getElementById('authorize-form');
const passkeyButton = document.getElementById('passkey-signin');
const signinForm = document.getElementById('signin-form');
const signupForm = document.getElementById('signup-form');
const recoveryForm = document.getElementById('recovery-form');

let leaving = false;
/** Completes the authorization with the session a ceremony just made (the first ceremony to finish wins). */
function complete(result) {
  if (leaving) {
    if (result.refreshToken) client.revokeSession(result.refreshToken).catch(() => {});
    return;
  }
  leaving = true;
  showMessage('Signed in. Returning to the app…', 'progress');
  authorizeForm.elements.passkeys_session.value = result.refreshToken;
  authorizeForm.submit();
}

async function startAutofill() {
  if (!(await browserSupportsWebAuthnAutofill())) return;
  try {
    complete(await client.signIn({ autofill: true }));
  } catch (e) {
    if (e instanceof PasskeyError && (e.isAbort || e.code === 'cancelled')) return;
    showError(e, 'sign-in');
  }
}

passkeyButton.addEventListener('click', () => busy(passkeyButton, async () => {
  clearMessage();
  try {
    complete(await client.signIn());
  } catch (e) {
    showError(e, 'sign-in');
    startAutofill();
  }
}, PROMPT_OPEN));

signinForm.addEventListener('submit', (event) => {
  event.preventDefault();
  const username = signinForm.username.value.trim();
  if (!username) {
    showMessage('Enter your username, or use "Sign in with a passkey".', 'error');
    signinForm.username.focus();
    return;
  }
  busy(document.getElementById('signin-continue'), async () => {
    clearMessage();
    try {
      complete(await client.signIn({ username }));
    } catch (e) {
      showError(e, 'sign-in-username');
      startAutofill();
    }
  }, PROMPT_OPEN);
});

signupForm?.addEventListener('submit', (event) => {
  event.preventDefault();
  const name = signupForm.username.value.trim();
  if (!/^[A-Za-z0-9._-]{1,64}$/.test(name)) {
    showMessage('Choose a username of 1 to 64 characters: letters a–z, digits 0–9, dots (.), dashes (-) or underscores (_). No spaces.', 'error');
    signupForm.username.focus();
    return;
  }
  const displayName = signupForm.displayName.value.trim() || name;
  busy(document.getElementById('signup-submit'), async () => {
    clearMessage();
    try {
      complete(await client.register({ user: { name, displayName } }));
    } catch (e) {
      showError(e, 'sign-up');
    }
  }, PROMPT_OPEN);
});

recoveryForm.addEventListener('submit', (event) => {
  event.preventDefault();
  const username = recoveryForm.username.value.trim();
  const code = recoveryForm.code.value.trim();
  if (!username || !code) {
    showMessage('Enter your username and one of your recovery codes.', 'error');
    (username ? recoveryForm.code : recoveryForm.username).focus();
    return;
  }
  busy(document.getElementById('recovery-submit'), async () => {
    clearMessage();
    try {
      const { recoveryGrant } = await client.redeemRecoveryCode(username, code);
      showMessage('Recovery code accepted. Now create your new passkey: follow the prompt from your browser or device.', 'progress');
      complete(await client.register({ recoveryGrant, name: 'Recovered passkey' }));
    } catch (e) {
      showError(e, 'recovery');
    }
  }, 'Checking your recovery code…');
});

if (!browserSupportsWebAuthn()) {
  document.getElementById('unsupported').hidden = false;
  passkeyButton.disabled = true;
} else {
  startAutofill();
}
