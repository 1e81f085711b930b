import { api, loadSdk } from './app.js';
import { makeCodes, refreshCodes } from './recovery-codes.js';

const message = document.getElementById('account-message');
const list = document.getElementById('passkeys');
const dialog = document.getElementById('offer');

let me;
try {
  me = await api('GET', '/api/me');
} catch {
  location.replace('/');
  throw new Error('not signed in');
}
document.getElementById('hello').textContent = `Hello, ${me.displayName}`;
const sdk = await loadSdk();

/** Shows the passkeys and the recovery codes' count; returns how many passkeys there are. */
async function showPasskeys() {
  const { credentials } = await api('GET', '/api/passkeys');
  document.getElementById('no-passkeys').hidden = credentials.length > 0;
  await refreshCodes(credentials.length > 0).catch((e) => { message.textContent = e.message; });
  list.replaceChildren(...credentials.map((c) => {
    const item = document.createElement('li');
    const label = document.createElement('span');
    label.textContent = c.name || c.authenticatorName || 'Passkey';
    const rename = document.createElement('button');
    rename.type = 'button';
    rename.textContent = 'Rename';
    rename.setAttribute('aria-label', `Rename ${label.textContent}`);
    rename.addEventListener('click', () => run(async () => {
      const name = prompt('Name of this passkey', c.name ?? '');
      if (name !== null) await api('PATCH', `/api/passkeys/${encodeURIComponent(c.id)}`, { name });
    }));
    const remove = document.createElement('button');
    remove.type = 'button';
    remove.textContent = 'Delete';
    remove.setAttribute('aria-label', `Delete ${label.textContent}`);
    remove.addEventListener('click', () => run(() => api('DELETE', `/api/passkeys/${encodeURIComponent(c.id)}`)));
    item.append(label, rename, remove);
    return item;
  }));
  return credentials.length;
}

/** Runs an action, shows its error (never one for a ceremony the page itself replaced), refreshes the list. */
async function run(action) {
  message.textContent = '';
  try {
    await action();
  } catch (e) {
    if (!e.isAbort) message.textContent = e.message;
  }
  await showPasskeys();
}

/** Creates a passkey: this app's backend begins and finishes with its API key, the browser only runs create(). */
async function createPasskey({ conditional = false } = {}) {
  const { ceremonyId, options } = await api('POST', '/api/passkeys/begin', { mediation: conditional ? 'conditional' : 'modal' });
  const response = await sdk.startRegistration({ optionsJSON: options, useAutoRegister: conditional });
  await api('POST', '/api/passkeys/finish', { ceremonyId, response });
  // With a passkey comes a way back if it is lost: a first set of codes, shown at once.
  if (await refreshCodes(true) === 0) await makeCodes();
}

document.getElementById('add-passkey').addEventListener('click', () => run(() => createPasskey()));
document.getElementById('sign-out').addEventListener('click', async () => {
  sdk.cancelCeremony();
  await api('POST', '/api/sign-out');
  location.assign('/');
});
// Wired: these start disabled in the page (see account.html), so a click before this script ran isn't lost.
for (const id of ['add-passkey', 'sign-out']) document.getElementById(id).disabled = false;
document.getElementById('offer-accept').addEventListener('click', () => {
  dialog.close();
  run(() => createPasskey());
});
document.getElementById('offer-decline').addEventListener('click', async () => {
  dialog.close();
  await api('POST', '/api/passkey-offer/dismiss');
});

await showPasskeys();
if (new URLSearchParams(location.search).get('recovered') === '1') {
  history.replaceState(null, '', '/account.html');
  document.getElementById('notice').textContent = 'You are back in with a new passkey. If your old passkey is lost for good, '
    + 'delete it below. ' + document.getElementById('codes-status').textContent;
}
if (me.offer === 'modal') {
  dialog.showModal();
} else if (me.offer === 'conditional' && await sdk.browserSupportsConditionalCreate()) {
  // Quiet upgrade: the browser may save a passkey without a dialog, or decline and leave it pending.
  createPasskey({ conditional: true }).then(showPasskeys, () => {});
}
