// Sign-in page: autofill on the username field, "Sign in with a passkey", username + passkey,
// and recovery (a recovery code, then a new passkey); the controls are signin-controls.js.
import { client, saveSession, showMessage } from './common.js';
import { wireSignInControls } from './signin-controls.js';

const { supported } = wireSignInControls({
  client,
  onSignedIn(result, { recovered }) {
    saveSession(result);
    // After a recovery the account page guides the user to a second passkey and a fresh set of codes.
    location.assign(recovered ? '/account.html?recovered=1' : '/account.html');
  },
});

if (supported && new URLSearchParams(location.search).get('signedout') === '1') showMessage('You are signed out.', 'info');
