// autofill-input.js — checks that the page has the username field passkey autofill needs, so a
// missing or misplaced "webauthn" token is a clear error instead of a silently empty autofill.

import { ErrorCode } from './error-codes.js';

/**
 * Checks that the page has a text input that can show passkeys in autofill: its autocomplete
 * attribute must contain the token "webauthn", last (for example autocomplete="username webauthn").
 * @param {Document|Element} [root=document]
 * @returns {{ok: true, input: HTMLInputElement} | {ok: false, code: string, message: string, input?: HTMLInputElement}}
 */
export function checkAutofillInput(root = document) {
  const inputs = [...root.querySelectorAll('input[autocomplete], textarea[autocomplete]')];
  const withToken = inputs.filter((el) => el.getAttribute('autocomplete').toLowerCase().split(/\s+/).includes('webauthn'));
  const good = withToken.find((el) => {
    const tokens = el.getAttribute('autocomplete').trim().toLowerCase().split(/\s+/);
    return tokens[tokens.length - 1] === 'webauthn';
  });
  if (good) return { ok: true, input: good };
  if (withToken.length > 0) {
    return {
      ok: false, code: ErrorCode.AutofillInputMissing, input: withToken[0],
      message: `Passkey autofill needs "webauthn" as the last autocomplete token; this input has autocomplete="${withToken[0].getAttribute('autocomplete')}". Use autocomplete="username webauthn".`,
    };
  }
  return {
    ok: false, code: ErrorCode.AutofillInputMissing,
    message: 'Passkey autofill needs a username field marked for it, and this page has none. Add <input name="username" autocomplete="username webauthn"> to the sign-in form, or use the "Sign in with a passkey" button.',
  };
}
