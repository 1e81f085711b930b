// Account page: the user's passkeys (rename, make default, delete, add another), where they are
// signed in (sessions, revoke), recovery codes, and a step-up example. Needs the session saved at
// sign-in; every call goes through session.withToken, which refreshes the access token before it
// expires (or after a 401 TokenExpired), so the page stays signed in for the session's lifetime.
import { PasskeyError, browserSupportsConditionalCreate, isSessionEndedError } from '/sdk/passkeys.js';
import { client, session, loadSession, whenSessionEnds, showError, showMessage, clearMessage, busy, chosenAttachment } from './common.js';

const state = loadSession();
if (!state?.refreshToken) location.replace('/');

const list = document.getElementById('passkeys');
const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const when = (iso) => (iso ? dateFormat.format(new Date(iso)) : 'Never');

/** A name people recognize: theirs, else the provider's (from the AAGUID), else what kind of device it is. */
export function displayName(c) {
  return c.name || c.authenticatorName || kindOf(c);
}

function kindOf(c) {
  const t = c.transports ?? [];
  if (t.includes('hybrid')) return 'Passkey on a phone';
  if (t.some((x) => x === 'usb' || x === 'nfc' || x === 'ble')) return 'Security key';
  if (t.includes('internal')) return c.synced ? 'Synced passkey' : 'Passkey on this device';
  return 'Passkey';
}

/** Handles an ended session everywhere: the server refused it (or a 401 outlived the refresh), so offer to sign in again. */
function handle(e) {
  showError(e);
  if (e instanceof PasskeyError && (e.status === 401 || isSessionEndedError(e))) {
    sessionEnded();
  }
}

let endShown = false;
function sessionEnded() {
  if (!endShown) {
    endShown = true;
    const link = document.createElement('a');
    link.href = '/';
    link.textContent = ' Sign in again';
    document.getElementById('message').append(link);
  }
}
whenSessionEnds((e) => { showError(e); sessionEnded(); });

function el(tag, props = {}, ...children) {
  const node = Object.assign(document.createElement(tag), props);
  node.append(...children);
  return node;
}

function render(credentials) {
  list.replaceChildren();
  if (credentials.length === 0) {
    list.append(el('li', { className: 'muted' }, "You have no passkeys. Add one below, or keep your recovery codes safe: without either you can't sign in."));
    return;
  }
  for (const c of credentials) list.append(renderOne(c, credentials.length));
}

function renderOne(c, count) {
  const name = displayName(c);
  const item = el('li', { className: 'passkey' });
  item.dataset.id = c.id;
  const head = el('div', { className: 'passkey-head' }, el('h3', { className: 'passkey-name' }, name));
  if (c.isDefault) head.append(el('span', { className: 'badge' }, 'Default'));
  const facts = el('dl', { className: 'facts' },
    el('dt', {}, 'Provider'), el('dd', { className: 'provider' }, c.authenticatorName ?? 'Unknown provider'),
    el('dt', {}, 'Kept'), el('dd', { className: 'sync' }, c.synced ? 'Synced across your devices' : 'On this device only'),
    el('dt', {}, 'Created'), el('dd', {}, when(c.createdAt)),
    el('dt', {}, 'Last used'), el('dd', { className: 'last-used' }, when(c.lastUsedAt)));

  const rename = el('button', { type: 'button', className: 'secondary rename' }, 'Rename');
  rename.setAttribute('aria-label', `Rename ${name}`);
  const remove = el('button', { type: 'button', className: 'danger delete' }, 'Delete');
  remove.setAttribute('aria-label', `Delete ${name}`);
  const actions = el('div', { className: 'actions' }, rename);
  if (!c.isDefault) {
    const makeDefault = el('button', { type: 'button', className: 'secondary make-default' }, 'Make default');
    makeDefault.setAttribute('aria-label', `Make ${name} the default passkey`);
    makeDefault.addEventListener('click', () => busy(makeDefault, async () => {
      clearMessage();
      try {
        await session.withToken((token) => client.setDefaultCredential(token, c.id));
        showMessage(`"${name}" is now your default passkey.`, 'info');
        await refresh();
      } catch (e) { handle(e); }
    }));
    actions.append(makeDefault);
  }
  actions.append(remove);
  item.append(head, facts, actions);

  rename.addEventListener('click', () => {
    const form = el('form', { className: 'rename-form' });
    const id = `rename-${c.id}`;
    const input = el('input', { id, name: 'name', value: c.name ?? '', maxLength: 64, required: true });
    form.append(el('label', { htmlFor: id }, `New name for ${name}`), input,
      el('div', { className: 'actions' }, el('button', { type: 'submit' }, 'Save'), el('button', { type: 'button', className: 'secondary cancel' }, 'Cancel')));
    form.querySelector('.cancel').addEventListener('click', () => { form.remove(); rename.focus(); });
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      const value = input.value.trim();
      if (!value || value.length > 64) { showMessage('A passkey name needs 1 to 64 characters.', 'error'); input.focus(); return; }
      busy(form.querySelector('button[type=submit]'), async () => {
        clearMessage();
        try {
          await session.withToken((token) => client.renameCredential(token, c.id, value, loadSession()));
          showMessage(`Renamed to "${value}".`, 'info');
          await refresh();
        } catch (e) { handle(e); }
      });
    });
    actions.after(form);
    input.focus();
  });

  remove.addEventListener('click', () => {
    const warning = count === 1
      ? `Delete "${name}"? It is your only passkey: afterwards you can sign in only with a recovery code.`
      : `Delete "${name}"? You won't be able to sign in with it any more.`;
    const confirmBox = el('div', { className: 'confirm', role: 'group' }, el('p', {}, warning));
    const yes = el('button', { type: 'button', className: 'danger confirm-delete' }, 'Delete passkey');
    const no = el('button', { type: 'button', className: 'secondary' }, 'Keep it');
    confirmBox.append(el('div', { className: 'actions' }, yes, no));
    no.addEventListener('click', () => { confirmBox.remove(); remove.focus(); });
    yes.addEventListener('click', () => busy(yes, async () => {
      clearMessage();
      try {
        render(await session.withToken((token) => client.deleteCredential(token, c.id, loadSession())));
        showMessage(`Deleted "${name}".`, 'info');
      } catch (e) { handle(e); }
    }));
    actions.after(confirmBox);
    yes.focus();
  });
  return item;
}

async function refresh() {
  try {
    render(await session.withToken((token) => client.listCredentials(token)));
  } catch (e) { handle(e); }
  await refreshSessions();
}

// ── Where you are signed in ──

const sessionList = document.getElementById('sessions');

function sessionName(s) {
  const browser = s.browser ?? 'Unknown browser';
  return s.os ? `${browser} on ${s.os}` : browser;
}

function renderSessions(sessions) {
  sessionList.replaceChildren();
  for (const s of sessions) {
    const name = sessionName(s);
    const item = el('li', { className: 'passkey session' });
    item.dataset.id = s.id;
    const head = el('div', { className: 'passkey-head' }, el('h3', { className: 'session-name' }, name));
    if (s.current) head.append(el('span', { className: 'badge' }, 'This browser'));
    item.append(head, el('dl', { className: 'facts' },
      el('dt', {}, 'Signed in'), el('dd', {}, when(s.createdAt)),
      el('dt', {}, 'Last active'), el('dd', { className: 'last-active' }, when(s.lastUsedAt))));
    if (!s.current) {
      const revoke = el('button', { type: 'button', className: 'danger revoke-session' }, 'End session');
      revoke.setAttribute('aria-label', `End session: ${name}, signed in ${when(s.createdAt)}`);
      revoke.addEventListener('click', () => busy(revoke, async () => {
        clearMessage();
        try {
          await session.withToken((token) => client.deleteSession(token, s.id));
          showMessage(`Ended the session in ${name}. It is signed out there.`, 'info');
          await refreshSessions();
        } catch (e) { handle(e); }
      }));
      item.append(el('div', { className: 'actions' }, revoke));
    }
    sessionList.append(item);
  }
}

async function refreshSessions() {
  try {
    renderSessions(await session.withToken((token) => client.listSessions(token)));
  } catch (e) { handle(e); }
}

const addForm = document.getElementById('add-form');
addForm.addEventListener('submit', (event) => {
  event.preventDefault();
  busy(document.getElementById('add-passkey'), async () => {
    clearMessage();
    try {
      // Signed in already: the new passkey joins the account and this session goes on.
      const result = await session.withToken((token) => client.register({ token, authenticatorAttachment: chosenAttachment(addForm), name: addForm.name.value.trim() || undefined }));
      addForm.name.value = '';
      showMessage(`Added "${displayName(result.credential)}".`, 'info');
      await refresh();
    } catch (e) { handle(e); }
  });
});

const codesBox = document.getElementById('codes-box');
const generate = document.getElementById('generate-codes');
generate.addEventListener('click', () => busy(generate, async () => {
  clearMessage();
  try {
    const codes = await session.withToken((token) => client.generateRecoveryCodes(token));
    document.getElementById('recovery-codes').replaceChildren(...codes.map((code) => el('li', {}, code)));
    codesBox.hidden = false;
    generate.textContent = 'Replace with new codes';
    codesBox.querySelector('strong').setAttribute('tabindex', '-1');
    codesBox.querySelector('strong').focus();
  } catch (e) { handle(e); }
}));
document.getElementById('codes-done').addEventListener('click', () => {
  document.getElementById('recovery-codes').replaceChildren();
  codesBox.hidden = true;
  generate.focus();
});

const transferForm = document.getElementById('transfer-form');
transferForm.addEventListener('submit', (event) => {
  event.preventDefault();
  const amount = Number(transferForm.amount.value);
  const to = transferForm.to.value.trim();
  if (!(amount > 0) || !to) {
    showMessage('Enter an amount above zero and who the transfer is for.', 'error');
    (amount > 0 ? transferForm.to : transferForm.amount).focus();
    return;
  }
  const transaction = `Transfer ${amount.toFixed(2)} EUR to ${to}`;
  const result = document.getElementById('transfer-result');
  busy(document.getElementById('transfer-submit'), async () => {
    clearMessage();
    result.textContent = '';
    try {
      const confirmed = await session.withToken((token) => client.stepUp({ token, transaction }));
      result.textContent = `Confirmed: ${transaction}. Confirmation ${confirmed.transactionHash.slice(0, 12)}…`;
      result.dataset.transactionHash = confirmed.transactionHash;
    } catch (e) { handle(e); }
  });
});

const signOut = document.getElementById('signout');
signOut.addEventListener('click', () => busy(signOut, async () => {
  await session.signOut(); // revokes the session on the server, not just here
  location.assign('/?signedout=1');
}));

document.getElementById('whoami').textContent = `Signed in as ${state?.user?.displayName ?? ''} (${state?.user?.name ?? ''}).`;
if (new URLSearchParams(location.search).get('welcome') === '1') showMessage('Your account is ready, and your passkey is saved.', 'info');
refresh().then(offerUpgrade);

/**
 * Passkey upgrade: after a sign-in with a phone or security key, ask the browser to save a passkey
 * on this device too, without a dialog (mediation: 'conditional'), where it supports that. Any
 * later action (adding a passkey, a step-up) cancels this quiet request.
 */
async function offerUpgrade() {
  if (!loadSession()?.signedInWithOtherDevice || !(await browserSupportsConditionalCreate())) return;
  session.update({ signedInWithOtherDevice: false });
  try {
    const result = await session.withToken((token) => client.register({ token, conditional: true, authenticatorAttachment: 'platform' }));
    showMessage(`Also saved "${displayName(result.credential)}" on this device, so next time you won't need your other device.`, 'info');
    await refresh();
  } catch (e) {
    console.info('passkey upgrade not made:', e.code ?? e);
  }
}
