// Sign-up page: choose a username, create a passkey on this device or on a phone/security key.
import { browserSupportsPasskeys, platformAuthenticatorIsAvailable } from '/sdk/passkeys.js';
import { client, saveSession, showError, showMessage, clearMessage, busy, chosenAttachment } from './common.js';

const form = document.getElementById('signup-form');

form.addEventListener('submit', (event) => {
  event.preventDefault();
  const name = form.username.value.trim();
  if (!/^[A-Za-z0-9._@-]{1,64}$/.test(name)) {
    showMessage('Choose a username of 1 to 64 letters, digits, dots, dashes or underscores.', 'error');
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
      showError(e);
    }
  });
});

if (!browserSupportsPasskeys()) {
  document.getElementById('unsupported').hidden = false;
  document.getElementById('signup-submit').disabled = true;
} else if (!(await platformAuthenticatorIsAvailable())) {
  // No built-in authenticator: steer to a phone or security key.
  document.getElementById('platform-hint').hidden = false;
  form.querySelector('input[value="cross-platform"]').checked = true;
}
