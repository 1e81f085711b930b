// The OpenID Connect hosted sign-in page (Oidc/OidcHostedPage.cs): sign in with a passkey (button,
// autofill, or username) or recover with a code (signin-controls.js, as on the demo's sign-in page),
// sign up when the tenant allows it (signup-form.js); then complete the authorization by posting
// the page's form with the new session's refresh token. The token goes in the form body, never in a
// URL; the server answers with a redirect to the app carrying the code.
import { createPasskeysClient } from '/sdk/passkeys.js';
import { showMessage } from './common.js';
import { wireSignInControls } from './signin-controls.js';
import { wireSignUpForm } from './signup-form.js';

const client = createPasskeysClient({ tenant: document.getElementById('oidc').dataset.tenant });
const authorizeForm = document.getElementById('authorize-form');

const { signedIn, startAutofill } = wireSignInControls({
  client,
  onSignedIn(result) {
    showMessage('Signed in. Returning to the app…', 'progress');
    authorizeForm.elements.passkeys_session.value = result.refreshToken;
    authorizeForm.submit();
  },
});

// Present only when the tenant allows self sign-up. A new account completes the authorization like
// a sign-in (the first ceremony to finish wins), and a failed sign-up offers autofill again.
const signupForm = document.getElementById('signup-form');
if (signupForm) wireSignUpForm(signupForm, { client, onSignedUp: signedIn, onFailed: startAutofill });
