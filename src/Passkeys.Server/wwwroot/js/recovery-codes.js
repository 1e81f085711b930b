// Account page, recovery codes: how many are left, making a set (with a confirmation before an
// existing set is replaced), and keeping it: copy, download, one code per line without wrapping.
import { client, session, showMessage, clearMessage, busy, scriptReady } from './common.js';
import { el } from './dom.js';
import { when } from './format.js';

const box = document.getElementById('codes-box');
const list = document.getElementById('recovery-codes');
const status = document.getElementById('codes-status');
const generate = document.getElementById('generate-codes');
const confirmBox = document.getElementById('codes-confirm');
let shown = [];

/** The last known { remaining, generatedAt }, or null before the first answer. */
export let codeStatus = null;

/** Reads how many codes are left and updates the section; `onChange` hears about it (the protection summary). */
export async function refreshCodeStatus(handle, onChange) {
  try {
    codeStatus = await session.withToken((token) => client.recoveryCodeStatus(token));
  } catch (e) { handle(e); return; }
  renderStatus();
  onChange?.();
}

function renderStatus() {
  const n = codeStatus?.remaining ?? 0;
  status.textContent = n === 0
    ? 'You have no unused recovery codes.'
    : `You have ${n} unused recovery code${n === 1 ? '' : 's'}, made ${when(codeStatus.generatedAt)}.`;
  status.dataset.remaining = String(n);
  generate.textContent = n === 0 ? 'Generate recovery codes' : 'Replace with new codes…';
  generate.className = n === 0 ? '' : 'secondary';
}

function show(codes) {
  shown = codes;
  // The number sits in its own column (not a list marker), and a code never breaks across lines.
  list.replaceChildren(...codes.map((code, i) => el('li', {},
    el('span', { className: 'code-number', ariaHidden: 'true' }, `${i + 1}.`),
    el('code', { className: 'code' }, code))));
  box.hidden = false;
  confirmBox.hidden = true;
  document.getElementById('codes-save').focus();
}

function asText() {
  return `Recovery codes for ${location.host}\nEach code works once. Made ${new Date().toISOString().slice(0, 10)}.\n\n`
    + shown.map((c, i) => `${String(i + 1).padStart(2, ' ')}. ${c}`).join('\n') + '\n';
}

async function makeCodes(handle, onChange) {
  clearMessage();
  try {
    show(await session.withToken((token) => client.generateRecoveryCodes(token)));
    await refreshCodeStatus(handle, onChange);
  } catch (e) { handle(e); }
}

/** Wires the section's buttons. */
export function setUpRecoveryCodes(handle, onChange) {
  generate.addEventListener('click', () => {
    if ((codeStatus?.remaining ?? 0) === 0) {
      busy(generate, () => makeCodes(handle, onChange));
      return;
    }
    // Replacing spends the old set at once: ask first, with the count at stake.
    const n = codeStatus.remaining;
    document.getElementById('codes-confirm-text').textContent =
      `Replace your ${n} unused recovery code${n === 1 ? '' : 's'}? The old codes stop working at once, so throw away any copy you kept.`;
    confirmBox.hidden = false;
    document.getElementById('codes-keep').focus();
  });
  scriptReady(generate);
  const replace = document.getElementById('codes-replace');
  replace.addEventListener('click', () => busy(replace, () => makeCodes(handle, onChange)));
  document.getElementById('codes-keep').addEventListener('click', () => {
    confirmBox.hidden = true;
    generate.focus();
  });
  document.getElementById('codes-copy').addEventListener('click', async () => {
    try {
      await navigator.clipboard.writeText(asText());
      showMessage('Copied the recovery codes. Paste them into your password manager or a note you keep safe.', 'info', { focus: false });
    } catch {
      showMessage("Your browser didn't allow copying. Select the codes and copy them, or use Download codes.", 'error');
    }
  });
  document.getElementById('codes-download').addEventListener('click', () => {
    const url = URL.createObjectURL(new Blob([asText()], { type: 'text/plain' }));
    const link = el('a', { href: url, download: `recovery-codes-${location.hostname}.txt` });
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  });
  document.getElementById('codes-done').addEventListener('click', () => {
    list.replaceChildren();
    shown = [];
    box.hidden = true;
    generate.focus();
  });
}

/** Starts making codes from elsewhere on the page (the "next steps" box). */
export function startMakingCodes() {
  generate.scrollIntoView({ block: 'center' });
  generate.click();
}
