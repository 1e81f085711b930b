// The sign-in controls both sign-in pages share: the demo's (index.html, signin.js) and the OpenID
// Connect hosted page (Oidc/OidcHostedPage.cs, oidc-signin.js). Passkey autofill on the username
// field, "Sign in with a passkey", username + passkey, and recovery (a recovery code, then a new
// passkey). The pages differ only in what happens once the user is in, which they pass as `onSignedIn`.
import { browserSupportsWebAuthn, browserSupportsWebAuthnAutofill, PasskeyError } from '/sdk/passkeys.js';
import { showError, showMessage, clearMessage, busy, chosenAttachment, scriptReady, PROMPT_OPEN } from './common.js';

/**
 * Wires the page's #passkey-signin button, #signin-form and #recovery-form to `client` and offers
 * passkeys in autofill. `onSignedIn(result, { recovered })` runs once, for the first ceremony to
 * finish. Returns whether the browser can use passkeys at all, and `signedIn` and `startAutofill`
 * for the page's own controls (the hosted page's sign-up form).
 * @param {{client: ReturnType<typeof import('/sdk/passkeys.js').createPasskeysClient>,
 *          onSignedIn: (result: object, how: {recovered: boolean}) => void}} page
 */
export function wireSignInControls({ client, onSignedIn }) {
  const passkeyButton = document.getElementById('passkey-signin');
  const form = document.getElementById('signin-form');
  const recoveryForm = document.getElementById('recovery-form');

  let leaving = false;
  function signedIn(result, { recovered = false } = {}) {
    // Autofill and a button can both finish when the user picks the suggestion just as they click:
    // the first sign-in wins; a second navigation would abort the first one mid-load. The loser's
    // session is signed out at once, so it does not linger in "Your sessions".
    if (leaving) {
      if (result.refreshToken) client.revokeSession(result.refreshToken).catch(() => {});
      return;
    }
    leaving = true;
    onSignedIn(result, { recovered });
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

  // Every ceremony below replaces the pending autofill request (one WebAuthn request at a time), so
  // a failed one offers autofill again: the user can still pick a passkey in the username field.
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
        signedIn(result, { recovered: true });
      } catch (e) {
        showError(e, 'recovery');
        startAutofill();
      }
    }, 'Checking your recovery code…');
  });

  scriptReady(passkeyButton, form, recoveryForm);
  const supported = browserSupportsWebAuthn();
  if (!supported) {
    document.getElementById('unsupported').hidden = false;
    passkeyButton.disabled = true;
  } else {
    startAutofill();
  }
  return { supported, signedIn, startAutofill };
}
