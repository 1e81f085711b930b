// The sign-up form of the two pages that offer one: signup.html (signup.js) and the OpenID Connect
// hosted page when the tenant allows self sign-up (oidc-signin.js). The username rule, then a new
// account with its first passkey; the pages differ only in what they do with the new account.
import { showError, showMessage, clearMessage, busy, chosenAttachment, scriptReady, PROMPT_OPEN } from './common.js';

/**
 * Wires `form` (username, displayName, an optional "where do you keep it" choice, #signup-submit)
 * to `client`. `onSignedUp(result)` gets the new account's session; `onFailed()` runs after a
 * failure has been shown (the hosted page offers autofill again: the ceremony replaced it).
 * @param {HTMLFormElement} form
 * @param {{client: ReturnType<typeof import('/sdk/passkeys.js').createPasskeysClient>,
 *          onSignedUp: (result: object) => void, onFailed?: () => void}} page
 */
export function wireSignUpForm(form, { client, onSignedUp, onFailed }) {
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
        onSignedUp(await client.register({ user: { name, displayName }, authenticatorAttachment: chosenAttachment(form) }));
      } catch (e) {
        showError(e, 'sign-up');
        onFailed?.();
      }
    }, PROMPT_OPEN);
  });
  scriptReady(form);
}
