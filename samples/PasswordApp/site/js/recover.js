// Sign-in page, "Lost your passkey?": name + recovery code → a recovery grant from the passkey
// server → a new passkey registered with that grant → signed in with the token it returns.
//
// The browser redeems the code at the passkey server itself, not through this app's backend: the
// server limits redeem attempts per client address (and per name), and through the backend every
// user of the app would share the backend's one address, so one person guessing codes would block
// recovery for everyone.

const form = document.getElementById('recover');
const message = document.getElementById('recover-message');
const submit = document.getElementById('recover-submit');

/** "in 12 minutes", "in 1 minute", "in 40 seconds", or "in a while" when the server did not say. */
function inWords(seconds) {
  if (!Number.isFinite(seconds) || seconds <= 0) return 'in a while';
  if (seconds < 60) return seconds === 1 ? 'in 1 second' : `in ${seconds} seconds`;
  const minutes = Math.ceil(seconds / 60);
  return minutes === 1 ? 'in 1 minute' : `in ${minutes} minutes`;
}

/** What to tell the user about a refused redeem, by the server's stable error number. */
function redeemMessage(status, problem, retryAfter) {
  switch (problem?.code) {
    // Wrong code, used code and unknown name read the same (the server does not tell them apart).
    case 1013:
      return "That name and recovery code don't match, or the code was used already (each code works once). "
        + 'Recovery codes come with a passkey: if you never made one, sign in with your password.';
    case 1032:
      return `Too many recovery attempts for this name. Try again ${inWords(retryAfter)}, or sign in with your password.`;
    case 1014:
      return `Too many attempts from this device. Try again ${inWords(retryAfter)}.`;
    default:
      return problem?.detail || `The passkey server refused the recovery code (${status}). Try again.`;
  }
}

/** Spends a recovery code at the passkey server; returns { recoveryGrant, expiresAt } or throws with a message. */
async function redeem(server, tenant, username, code) {
  let response;
  try {
    response = await fetch(`${server}/v1/tenants/${encodeURIComponent(tenant)}/recovery/redeem`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json, application/problem+json' },
      body: JSON.stringify({ username, code }),
    });
  } catch {
    throw new Error("We couldn't reach the passkey server. Check your connection and try again.");
  }
  const text = await response.text();
  let json = null;
  try { json = text ? JSON.parse(text) : null; } catch { /* not JSON: the status says enough */ }
  if (!response.ok) {
    throw new Error(redeemMessage(response.status, json, Number(response.headers.get('Retry-After'))));
  }
  return json;
}

/**
 * Wires the form. `client` is the SDK's passkey server client; `signedIn(result, destination)`
 * hands the token to this app's backend and navigates; `afterFailure` restarts autofill.
 */
export function setUpRecovery({ client, server, tenant, signedIn, afterFailure }) {
  // A redeemed code whose passkey was not created (prompt cancelled): its grant stays good for ten
  // minutes until a passkey is made with it, so the user retries without spending another code.
  let pending = null;

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    message.textContent = '';
    const username = form.username.value.trim();
    const code = form.code.value.trim();
    if (!username || !code) {
      message.textContent = 'Enter your name and one of your recovery codes.';
      return;
    }
    if (pending && Date.parse(pending.expiresAt) <= Date.now()) {
      // Redeeming the same code again would only say "used": it was, for the grant that ran out.
      pending = null;
      submit.textContent = 'Recover with a new passkey';
      message.textContent = 'That recovery took too long and has expired. Enter another of your recovery codes.';
      return;
    }
    submit.disabled = true;
    try {
      if (pending?.username !== username || pending.code !== code) {
        const { recoveryGrant, expiresAt } = await redeem(server, tenant, username, code);
        pending = { username, code, recoveryGrant, expiresAt };
      }
      const result = await client.register({ recoveryGrant: pending.recoveryGrant, name: 'Recovered passkey' });
      pending = null;
      await signedIn(result, '/account.html?recovered=1');
    } catch (e) {
      if (pending && e.errorNumber === 1006) {
        // The grant expired (or was used in another tab): its code is spent, another one is needed.
        pending = null;
        submit.textContent = 'Recover with a new passkey';
        message.textContent = 'That recovery took too long and has expired. Enter another of your recovery codes.';
      } else if (pending) {
        message.textContent = `Your recovery code was accepted, but no passkey was created: ${e.message} `
          + 'Press the button again to retry; you need no other code for the next few minutes.';
        submit.textContent = 'Create the new passkey';
      } else {
        message.textContent = e.message;
      }
      afterFailure();
    } finally {
      submit.disabled = false;
    }
  });
  // Another name or code: start over with the redeem.
  form.addEventListener('input', () => {
    if (pending && (form.username.value.trim() !== pending.username || form.code.value.trim() !== pending.code)) {
      pending = null;
      submit.textContent = 'Recover with a new passkey';
    }
  });
  submit.disabled = false; // wired: the button starts disabled in the page (see index.html)
}
