import { api, appConfig, loadSdk } from './app.js';
import { setUpRecovery } from './recover.js';

const signinMessage = document.getElementById('signin-message');
const signupMessage = document.getElementById('signup-message');
const toAccount = (destination = '/account.html') => location.assign(destination);

document.getElementById('signin').addEventListener('submit', async (event) => {
  event.preventDefault();
  signinMessage.textContent = '';
  try {
    await api('POST', '/api/sign-in/password', {
      name: document.getElementById('signin-name').value, password: document.getElementById('signin-password').value,
    });
    toAccount();
  } catch (e) {
    signinMessage.textContent = e.message;
  }
});

document.getElementById('signup').addEventListener('submit', async (event) => {
  event.preventDefault();
  signupMessage.textContent = '';
  try {
    await api('POST', '/api/sign-up', {
      name: document.getElementById('signup-name').value,
      displayName: document.getElementById('signup-display').value,
      password: document.getElementById('signup-password').value,
    });
    toAccount();
  } catch (e) {
    signupMessage.textContent = e.message;
  }
});

// Wired: the submit buttons start disabled in the page (see index.html).
for (const id of ['signin', 'signup']) document.querySelector(`#${id} button[type=submit]`).disabled = false;

// Passkey sign-in: the browser talks to the passkey server (WebAuthn only needs the SDK there),
// then hands the access token to this app, whose backend verifies it against the server's JWKS.
const sdk = await loadSdk();
const { tenant, server } = await appConfig();
const client = sdk.createPasskeysClient({ baseUrl: server, tenant });
// Autofill and the button can both finish (the button's request replaces autofill's only while it is
// pending): the first sign-in wins, so the page navigates once.
let signingIn = false;
const signedIn = async (result, destination) => {
  if (signingIn) {
    // The later one is not needed: end the passkey server's session it opened.
    client.revokeSession(result.refreshToken).catch(() => {});
    return;
  }
  signingIn = true;
  try {
    await api('POST', '/api/sign-in/passkey', undefined, { Authorization: `Bearer ${result.token}` });
  } catch (e) {
    signingIn = false;
    throw e;
  }
  toAccount(destination);
};
const show = (e) => { if (!e.isAbort) signinMessage.textContent = e.message; };

// Autofill: offered in the name field from page load; settles when the user picks a passkey.
const supportsAutofill = await sdk.browserSupportsWebAuthnAutofill();
const startAutofill = () => {
  if (supportsAutofill) client.signIn({ autofill: true }).then((result) => signedIn(result)).catch((e) => e.code !== 'cancelled' && show(e));
};
startAutofill();
// The button: a usernameless sign-in (it replaces the pending autofill request).
document.getElementById('passkey').addEventListener('click', () => client.signIn().then((result) => signedIn(result)).catch(show));
document.getElementById('passkey').disabled = false; // wired: it starts disabled in the page, as the submit buttons do
// "Lost your passkey?": a recovery code, then a new passkey (it replaces the pending autofill request,
// which starts again when recovery fails).
setUpRecovery({ client, server, tenant, signedIn, afterFailure: startAutofill });
