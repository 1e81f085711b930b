// Element building without innerHTML (text stays text), messages and small helpers.

/** Creates an element with properties and children (strings become text nodes). */
export function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'class') node.className = value;
    else if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
    else if (key in node && !key.startsWith('aria') && !key.startsWith('data')) node[key] = value;
    else node.setAttribute(key, value === true ? '' : value);
  }
  node.append(...children.flat().filter((c) => c !== null && c !== undefined && c !== false));
  return node;
}

/** Shows a message in the live region; errors take focus so keyboard and screen-reader users notice. */
export function showMessage(text, kind = 'info') {
  const box = document.getElementById('message');
  box.className = `message ${kind}`;
  box.setAttribute('role', kind === 'error' ? 'alert' : 'status');
  box.textContent = text;
  if (kind === 'error') {
    box.dataset.code = '';
  }
  if (text && kind === 'error') box.focus();
}

/** Shows an ApiError (or any error) with its code on the message box. */
export function showError(error) {
  showMessage(error?.message || 'Something went wrong.', 'error');
  document.getElementById('message').dataset.code = String(error?.code ?? 'unexpected');
}

export function clearMessage() {
  showMessage('');
}

/** A time in the viewer's own time zone (the server sends UTC ISO 8601). */
export function time(iso) {
  if (!iso) return '—';
  const d = new Date(iso);
  return el('time', { dateTime: iso, title: iso }, d.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'medium' }));
}

/** The viewer's time zone name, e.g. "Europe/Berlin". */
export const zone = () => Intl.DateTimeFormat().resolvedOptions().timeZone;

/** Runs an async action with its button disabled, showing any error. */
export async function busy(button, action) {
  button.disabled = true;
  try {
    return await action();
  } catch (e) {
    showError(e);
    return undefined;
  } finally {
    button.disabled = false;
  }
}

/**
 * A destructive action behind a confirmation: the first click shows what will happen and a
 * confirm button (focused), the second does it.
 */
export function confirmButton(label, question, action, { confirmLabel = label, keepLabel = 'Cancel' } = {}) {
  const wrap = el('span', { class: 'confirm-wrap' });
  const button = el('button', { type: 'button', class: 'danger' }, label);
  button.addEventListener('click', () => {
    const yes = el('button', { type: 'button', class: 'danger confirmed' }, confirmLabel);
    const no = el('button', { type: 'button', class: 'secondary' }, keepLabel);
    const box = el('div', { class: 'confirm', role: 'group', 'aria-label': question }, el('p', {}, question), el('div', { class: 'actions' }, yes, no));
    wrap.replaceChildren(box);
    no.addEventListener('click', () => { wrap.replaceChildren(button); button.focus(); });
    yes.addEventListener('click', () => busy(yes, action));
    yes.focus();
  });
  wrap.append(button);
  return wrap;
}

let pending = null;
/** A message for the page the console goes to next (shown after the route change clears messages). */
export function flash(text) {
  pending = text;
}
/** Shows the message left by flash(), if any. */
export function showFlash() {
  if (pending) showMessage(pending, 'info');
  pending = null;
}
