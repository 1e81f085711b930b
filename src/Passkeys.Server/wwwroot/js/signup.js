// Sign-up page: choose a username, create a passkey on this device or on a phone/security key.
import { browserSupportsWebAuthn, platformAuthenticatorIsAvailable } from '/sdk/passkeys.js';
import { client, saveSession } from './common.js';
import { wireSignUpForm } from './signup-form.js';

const form = document.getElementById('signup-form');

wireSignUpForm(form, {
  client,
  onSignedUp(result) {
    saveSession(result);
    location.assign('/account.html?welcome=1');
  },
});

if (!browserSupportsWebAuthn()) {
  document.getElementById('unsupported').hidden = false;
  document.getElementById('signup-submit').disabled = true;
} else if (!(await platformAuthenticatorIsAvailable())) {
  // No built-in authenticator: steer to a phone or security key.
  document.getElementById('platform-hint').hidden = false;
  form.querySelector('input[value="cross-platform"]').checked = true;
}
