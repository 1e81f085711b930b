// Account page, recovery codes: how many are left, a new set right after the first passkey (or on
// request, confirmed before an unused set is replaced), shown once with copy and download.
import { api } from './app.js';

const section = document.getElementById('recovery');
const status = document.getElementById('codes-status');
const box = document.getElementById('codes-box');
const list = document.getElementById('codes-list');
const generate = document.getElementById('generate-codes');
const confirmBox = document.getElementById('codes-confirm');
const message = document.getElementById('codes-message');

/** The last { remaining, generatedAt } from the backend. */
let current = { remaining: 0, generatedAt: null };
/** The codes on screen, only while the box is open. */
let shown = [];

const plural = (n, word) => `${n} ${word}${n === 1 ? '' : 's'}`;

function render(hasPasskeys) {
  const n = current.remaining;
  // Codes bring back a lost passkey: without one (and none left), there is nothing to offer here.
  section.hidden = !hasPasskeys && n === 0;
  status.textContent = n === 0
    ? 'You have no unused recovery codes.'
    : `You have ${plural(n, 'unused recovery code')}, made ${new Date(current.generatedAt).toLocaleDateString(undefined, { dateStyle: 'medium' })}.`;
  status.dataset.remaining = String(n);
  generate.textContent = n === 0 ? 'Generate recovery codes' : 'Replace with new codes…';
  // While a new set is on screen (save it) or the replace question is open (answer it), not again.
  generate.hidden = !box.hidden || !confirmBox.hidden;
}

/** Reads the count from the backend and shows it; returns it. */
export async function refreshCodes(hasPasskeys) {
  current = await api('GET', '/api/recovery-codes');
  render(hasPasskeys);
  return current.remaining;
}

/** Makes a new set (replacing any other) and shows it once. */
export async function makeCodes() {
  message.textContent = '';
  try {
    const { codes } = await api('POST', '/api/recovery-codes');
    shown = codes;
    list.replaceChildren(...codes.map((code) => {
      const item = document.createElement('li');
      const text = document.createElement('code');
      text.textContent = code;
      item.append(text);
      return item;
    }));
    box.hidden = false;
    confirmBox.hidden = true;
    await refreshCodes(true);
    section.scrollIntoView({ block: 'start' });
    document.getElementById('codes-copy').focus();
  } catch (e) {
    confirmBox.hidden = true;
    generate.hidden = false;
    message.textContent = e.message;
  }
}

function asText() {
  return `Recovery codes for ${location.host}\nEach code works once. Made ${new Date().toISOString().slice(0, 10)}.\n\n`
    + shown.map((c, i) => `${String(i + 1).padStart(2, ' ')}. ${c}`).join('\n') + '\n';
}

generate.addEventListener('click', () => {
  if (current.remaining === 0) {
    makeCodes();
    return;
  }
  // A new set ends the old one at once: ask first, with the count at stake.
  document.getElementById('codes-confirm-text').textContent =
    `Replace your ${plural(current.remaining, 'unused code')}? The old codes stop working at once, so throw away any copy you kept.`;
  confirmBox.hidden = false;
  generate.hidden = true;
  document.getElementById('codes-keep').focus();
});
generate.disabled = false; // wired: it starts disabled in the page (see account.html)
document.getElementById('codes-replace').addEventListener('click', () => makeCodes());
document.getElementById('codes-keep').addEventListener('click', () => {
  confirmBox.hidden = true;
  generate.hidden = false;
  generate.focus();
});
document.getElementById('codes-copy').addEventListener('click', async () => {
  try {
    await navigator.clipboard.writeText(asText());
    message.textContent = '';
    status.textContent = 'Copied. Paste the codes into your password manager or a note you keep safe.';
  } catch {
    message.textContent = "Your browser didn't allow copying: select the codes and copy them, or download them.";
  }
});
document.getElementById('codes-download').addEventListener('click', () => {
  const url = URL.createObjectURL(new Blob([asText()], { type: 'text/plain' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = `recovery-codes-${location.hostname}.txt`;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
});
document.getElementById('codes-done').addEventListener('click', () => {
  // Off the screen for good: the server keeps only their hashes.
  shown = [];
  list.replaceChildren();
  box.hidden = true;
  render(true);
  generate.focus();
});
