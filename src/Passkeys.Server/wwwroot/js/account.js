// Account page: how well the account is protected, the user's passkeys (rename, make default,
// delete, add another), where they are signed in (sessions, revoke), recovery codes
// (recovery-codes.js), and a step-up example. Needs the session saved at sign-in; every call goes
// through session.withToken, which refreshes the access token before it expires.
import { PasskeyError, browserSupportsConditionalCreate, isSessionEndedError } from '/sdk/passkeys.js';
import { client, session, loadSession, whenSessionEnds, showError, showMessage, clearMessage, busy, chosenAttachment, scriptReady, PROMPT_OPEN } from './common.js';
import { el } from './dom.js';
import { when, ago, displayName, keptWhere } from './format.js';
import { codeStatus, refreshCodeStatus, setUpRecoveryCodes, startMakingCodes } from './recovery-codes.js';

const state = loadSession();
if (!state?.refreshToken) location.replace('/');

const list = document.getElementById('passkeys');
let credentials = [];

/** Handles an ended session everywhere: the server refused it (or a 401 outlived the refresh), so offer to sign in again. */
function handle(e, action = 'account') {
  showError(e, action);
  if (e instanceof PasskeyError && (e.status === 401 || isSessionEndedError(e))) {
    sessionEnded();
  }
}

let endShown = false;
function sessionEnded() {
  if (!endShown) {
    endShown = true;
    document.getElementById('message').append(' ', el('a', { href: '/' }, 'Sign in again'));
  }
}
whenSessionEnds((e) => { showError(e); sessionEnded(); });

// ── How well the account is protected ──

function renderProtection() {
  const passkeys = credentials.length;
  const synced = credentials.filter((c) => c.synced).length;
  const codes = codeStatus?.remaining ?? 0;
  const items = [
    [passkeys >= 2, passkeys === 0 ? 'No passkeys' : `${passkeys} passkey${passkeys === 1 ? '' : 's'}${passkeys === 1 ? ': add a second one on another device' : ''}`],
    [synced > 0, synced > 0 ? `${synced} synced by a password manager, so a new device gets ${synced === 1 ? 'it' : 'them'}` : 'None synced: each passkey is on one device only'],
    [codes > 0, codes > 0 ? `${codes} recovery code${codes === 1 ? '' : 's'} left` : 'No recovery codes'],
  ];
  document.getElementById('protection').replaceChildren(...items.map(([ok, text]) =>
    el('li', { className: ok ? 'ok' : 'todo' }, el('span', { className: 'visually-hidden' }, ok ? 'Done: ' : 'To do: '), text)));
  const strong = (passkeys >= 2 || synced > 0) && codes > 0;
  const level = document.getElementById('protection-level');
  level.textContent = strong ? 'Well protected: you can get in even if you lose a device.'
    : passkeys === 0 ? 'At risk: without a passkey you can sign in only with a recovery code.'
      : 'Could be better: if you lose your device, you may lose your way in.';
  level.dataset.level = strong ? 'strong' : passkeys === 0 ? 'at-risk' : 'weak';
}

// ── Passkeys ──

function render() {
  list.replaceChildren();
  if (credentials.length === 0) {
    list.append(el('li', { className: 'muted' }, "You have no passkeys. Add one below, or keep your recovery codes safe: without either you can't sign in."));
  }
  for (const c of credentials) list.append(renderOne(c, credentials.length));
  renderProtection();
}

function renderOne(c, count) {
  const name = displayName(c);
  const item = el('li', { className: 'passkey' });
  item.dataset.id = c.id;
  const head = el('div', { className: 'passkey-head' });
  // The provider's icon from FIDO metadata (the server passes only checked data:image URIs). Empty
  // alt: the provider's name is written next to it, so the icon adds nothing for a screen reader.
  if (typeof c.authenticatorIcon === 'string' && c.authenticatorIcon.startsWith('data:image/')) {
    head.append(el('img', { className: 'provider-icon', src: c.authenticatorIcon, alt: '', width: 28, height: 28 }));
  }
  head.append(el('h3', { className: 'passkey-name' }, name));
  if (c.isDefault && count > 1) head.append(el('span', { className: 'badge' }, 'Default'));
  const facts = el('dl', { className: 'facts' },
    el('dt', {}, 'Provider'), el('dd', { className: 'provider' }, c.authenticatorName ?? 'Unknown provider'),
    el('dt', {}, 'Kept'), el('dd', { className: 'sync' }, keptWhere(c)),
    el('dt', {}, 'Created'), el('dd', {}, when(c.createdAt)),
    // The passkey that created the account was used then, even before its first sign-in.
    el('dt', {}, 'Last used'), el('dd', { className: 'last-used' }, when(c.lastUsedAt ?? c.createdAt)));

  const rename = el('button', { type: 'button', className: 'secondary rename' }, 'Rename');
  rename.setAttribute('aria-label', `Rename ${name}`);
  const remove = el('button', { type: 'button', className: 'danger delete' }, 'Delete');
  remove.setAttribute('aria-label', `Delete ${name}`);
  const actions = el('div', { className: 'actions' }, rename);
  // "Make default" means something only when there is another passkey to prefer it over.
  if (!c.isDefault && count > 1) {
    const makeDefault = el('button', { type: 'button', className: 'secondary make-default' }, 'Make default');
    // The accessible name starts with the visible text (WCAG 2.5.3, label in name).
    makeDefault.setAttribute('aria-label', `Make default: ${name}`);
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

  // One open panel (rename form or delete confirmation) per passkey: a second click focuses it.
  const openPanel = () => item.querySelector('.rename-form, .confirm');

  rename.addEventListener('click', () => {
    const open = openPanel();
    if (open) { open.querySelector('input, button').focus(); return; }
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
          showMessage(`Renamed to "${value}".`, 'info', { focus: true });
          await refresh();
        } catch (e) { handle(e); }
      });
    });
    actions.after(form);
    input.focus();
  });

  remove.addEventListener('click', () => {
    const open = openPanel();
    if (open) { open.querySelector('input, button').focus(); return; }
    const warning = count === 1
      ? `Delete "${name}"? It is your only passkey: afterwards you can sign in only with a recovery code.`
      : `Delete "${name}"? You won't be able to sign in with it any more.`;
    const confirmBox = el('div', { className: 'confirm', role: 'group' }, el('p', {}, warning));
    confirmBox.setAttribute('aria-label', `Delete ${name}?`);
    const yes = el('button', { type: 'button', className: 'danger confirm-delete' }, 'Delete passkey');
    const no = el('button', { type: 'button', className: 'secondary' }, 'Keep it');
    confirmBox.append(el('div', { className: 'actions' }, yes, no));
    no.addEventListener('click', () => { confirmBox.remove(); remove.focus(); });
    yes.addEventListener('click', () => busy(yes, async () => {
      clearMessage();
      try {
        credentials = await session.withToken((token) => client.deleteCredential(token, c.id, loadSession()));
        render();
        showMessage(`Deleted "${name}". Your browser was asked to forget it too.`, 'info', { focus: true });
      } catch (e) { handle(e); }
    }));
    actions.after(confirmBox);
    yes.focus();
  });
  return item;
}

async function refresh() {
  try {
    credentials = await session.withToken((token) => client.listCredentials(token));
    render();
  } catch (e) { handle(e); }
  await Promise.all([refreshSessions(), refreshCodeStatus(handle, renderProtection)]);
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
    if (s.current) head.append(el('span', { className: 'badge current' }, 'This session'));
    item.append(head, el('dl', { className: 'facts' },
      el('dt', {}, 'Signed in'), el('dd', { className: 'signed-in' }, `${ago(s.createdAt)} (${when(s.createdAt)})`),
      el('dt', {}, 'Last active'), el('dd', { className: 'last-active' }, s.current ? 'now' : ago(s.lastUsedAt))));
    if (!s.current) {
      const revoke = el('button', { type: 'button', className: 'danger revoke-session' }, 'End session');
      revoke.setAttribute('aria-label', `End session: ${name}, signed in ${ago(s.createdAt)}`);
      revoke.addEventListener('click', () => busy(revoke, async () => {
        clearMessage();
        try {
          await session.withToken((token) => client.deleteSession(token, s.id));
          showMessage(`Ended the session in ${name}. It is signed out there.`, 'info', { focus: true });
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

// ── Adding a passkey ──

const addForm = document.getElementById('add-form');
// Default to the choice that works: this device already holds the passkey just used (unless that
// one came from a phone or security key), so the default is another device.
addForm.querySelector(`input[value="${loadSession()?.usedAttachment === 'cross-platform' ? 'platform' : 'cross-platform'}"]`).checked = true;
addForm.addEventListener('submit', (event) => {
  event.preventDefault();
  busy(document.getElementById('add-passkey'), async () => {
    clearMessage();
    try {
      // Signed in already: the new passkey joins the account and this session goes on.
      const result = await session.withToken((token) => client.register({ token, authenticatorAttachment: chosenAttachment(addForm), name: addForm.name.value.trim() || undefined }));
      addForm.name.value = '';
      await refresh();
      showMessage(`Added "${displayName(result.credential)}".`, 'info', { focus: true });
    } catch (e) { handle(e, 'add'); }
  }, PROMPT_OPEN);
});
scriptReady(addForm);

setUpRecoveryCodes(handle, renderProtection);

// ── Next steps after sign-up or recovery ──

const params = new URLSearchParams(location.search);
const next = document.getElementById('next-steps');
if (params.get('welcome') === '1' || params.get('recovered') === '1') {
  next.hidden = false;
  if (params.get('recovered') === '1') {
    document.getElementById('next-why').textContent = 'You used a recovery code, so it is spent. Set up a new way back in now, before you need it.';
    document.getElementById('next-codes').textContent = 'Make a new set of recovery codes: it replaces the old set, so the codes you may have shared or lost stop working.';
  }
}
document.getElementById('next-add').addEventListener('click', () => {
  addForm.querySelector('input[value="cross-platform"]').checked = true;
  addForm.scrollIntoView({ block: 'center' });
  document.getElementById('add-passkey').focus();
});
document.getElementById('next-make-codes').addEventListener('click', startMakingCodes);

// ── Step-up ──

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
      result.focus();
    } catch (e) { handle(e, 'step-up'); }
  }, PROMPT_OPEN);
});
scriptReady(transferForm);

const signOut = document.getElementById('signout');
signOut.addEventListener('click', () => busy(signOut, async () => {
  await session.signOut(); // revokes the session on the server, not just here
  location.assign('/?signedout=1');
}));
scriptReady(signOut);

const user = state?.user;
document.getElementById('whoami').textContent = !user ? '' : user.displayName && user.displayName !== user.name
  ? `Signed in as ${user.displayName} (${user.name}).`
  : `Signed in as ${user.name}.`;
if (params.get('welcome') === '1') showMessage('Your account is ready, and your passkey is saved.', 'info');
if (params.get('recovered') === '1') showMessage("You're back in with a new passkey.", 'info');
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
    const result = await session.withToken((token) => client.register({ token, mediation: 'conditional', authenticatorAttachment: 'platform' }));
    showMessage(`Also saved "${displayName(result.credential)}" on this device, so next time you won't need your other device.`, 'info');
    await refresh();
  } catch (e) {
    console.info('passkey upgrade not made:', e.code ?? e);
  }
}
