// Sign-in page: autofill on the username field, "Sign in with a passkey", username + passkey,
// and recovery (a recovery code, then a new passkey).
import { browserSupportsWebAuthn, browserSupportsWebAuthnAutofill, PasskeyError } from '/sdk/passkeys.js';
import { client, saveSession, showError, showMessage, clearMessage, busy, chosenAttachment, PROMPT_OPEN } from './common.js';

const passkeyButton = document.getElementById('passkey-signin');
const form = document.getElementById('signin-form');
const recoveryForm = document.getElementById('recovery-form');

let leaving = false;
function signedIn(result, destination = '/account.html') {
  // Autofill and a button can both finish when the user picks the suggestion just as they click:
  // the first sign-in wins; a second navigation would abort the first one mid-load. The loser's
  // session is signed out at once, so it does not linger in "Your sessions".
  if (leaving) {
    if (result.refreshToken) client.revokeSession(result.refreshToken).catch(() => {});
    return;
  }
  leaving = true;
  saveSession(result);
  location.assign(destination);
}

/** Offers passkeys in the username field's autofill; quietly does nothing where unsupported. */
async function startAutofill() {
  if (!(await browserSupportsWebAuthnAutofill())) return;
  try {
    signedIn(await client.signIn({ autofill: true }));
  } catch (e) {
    // Another ceremony replaced autofill (aborted), or the browser closed it: nothing to say.
    if (e instanceof PasskeyError && (e.isAbort || e.code === 'cancelled')) return;
    showError(e, 'sign-in');
  }
}

passkeyButton.addEventListener('click', () => busy(passkeyButton, async () => {
  clearMessage();
  try {
    signedIn(await client.signIn());
  } catch (e) {
    showError(e, 'sign-in');
    startAutofill();
  }
}, PROMPT_OPEN));

form.addEventListener('submit', (event) => {
  event.preventDefault();
  const username = form.username.value.trim();
  if (!username) {
    showMessage('Enter your username, or use "Sign in with a passkey".', 'error');
    form.username.focus();
    return;
  }
  busy(document.getElementById('signin-continue'), async () => {
    clearMessage();
    try {
      signedIn(await client.signIn({ username }));
    } catch (e) {
      showError(e, 'sign-in-username');
      startAutofill();
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
      const result = await client.register({ recoveryGrant, authenticatorAttachment: chosenAttachment(recoveryForm), name: 'Recovered passkey' });
      // The account page then guides the user to a second passkey and a fresh set of codes.
      signedIn(result, '/account.html?recovered=1');
    } catch (e) {
      showError(e, 'recovery');
      startAutofill();
    }
  }, 'Checking your recovery code…');
});

if (!browserSupportsWebAuthn()) {
  document.getElementById('unsupported').hidden = false;
  passkeyButton.disabled = true;
} else {
  const params = new URLSearchParams(location.search);
  if (params.get('signedout') === '1') showMessage('You are signed out.', 'info');
  startAutofill();
}
