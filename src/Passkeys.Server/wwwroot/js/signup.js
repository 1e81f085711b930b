// Sign-up page: choose a username, create a passkey on this device or on a phone/security key.
import { browserSupportsWebAuthn, platformAuthenticatorIsAvailable } from '/sdk/passkeys.js';
import { client, saveSession, showError, showMessage, clearMessage, busy, chosenAttachment, PROMPT_OPEN } from './common.js';

const form = document.getElementById('signup-form');

form.addEventListener('submit', (event) => {
  event.preventDefault();
  const name = form.username.value.trim();
  // The same rule the hint states: ASCII letters and digits, dots, dashes and underscores.
  if (!/^[A-Za-z0-9._-]{1,64}$/.test(name)) {
    showMessage('Choose a username of 1 to 64 characters: letters a–z, digits 0–9, dots (.), dashes (-) or underscores (_). No spaces.', 'error');
    form.username.focus();
    return;
  }
  const displayName = form.displayName.value.trim() || name;
  busy(document.getElementById('signup-submit'), async () => {
    clearMessage();
    try {
      const result = await client.register({ user: { name, displayName }, authenticatorAttachment: chosenAttachment(form) });
      saveSession(result);
      location.assign('/account.html?welcome=1');
    } catch (e) {
      showError(e, 'sign-up');
    }
  }, PROMPT_OPEN);
});

if (!browserSupportsWebAuthn()) {
  document.getElementById('unsupported').hidden = false;
  document.getElementById('signup-submit').disabled = true;
} else if (!(await platformAuthenticatorIsAvailable())) {
  // No built-in authenticator: steer to a phone or security key.
  document.getElementById('platform-hint').hidden = false;
  form.querySelector('input[value="cross-platform"]').checked = true;
}
