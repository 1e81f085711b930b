// A tenant's API keys: create (the secret is shown once), list, revoke.
import { api, seg } from './api.js';
import { el, showMessage, busy, confirmButton, time } from './dom.js';
import { dataTable } from './table.js';
import { pickTenant } from './tenant-picker.js';
import { newestOnly } from './newest.js';

export async function apiKeysPage(container, params) {
  const { tenant, picker } = await pickTenant('api-keys', params);
  container.append(el('h1', {}, 'API keys'), picker);
  if (!tenant) {
    container.append(el('p', {}, 'There is no tenant yet. ', el('a', { href: '#/tenants' }, 'Create one first.')));
    return;
  }
  const created = el('div', { id: 'created-key' });
  const list = el('div');
  const reads = newestOnly();
  const load = () => reads.replace(() => api('GET', `/v1/admin/tenants/${seg(tenant)}/api-keys`), ({ apiKeys }) => {
    list.replaceChildren(dataTable({
      caption: `API keys of ${tenant}`, name: `api-keys-${tenant}`, rows: apiKeys,
      columns: [
        { label: 'Name', value: (k) => k.name },
        { label: 'Key id', value: (k) => k.id, id: true },
        { label: 'Created', value: (k) => k.createdAt, cell: (k) => time(k.createdAt) },
        { label: 'Status', value: (k) => (k.revokedAt ? `revoked ${k.revokedAt}` : 'live'),
          cell: (k) => (k.revokedAt ? el('span', {}, 'Revoked ', time(k.revokedAt)) : el('span', { class: 'badge active' }, 'live')) },
        { label: 'Action', value: () => '', cell: (k) => (k.revokedAt ? '' : confirmButton('Revoke', `Revoke the key “${k.name}”? Apps using it stop working at once.`, async () => {
          await api('DELETE', `/v1/admin/tenants/${seg(tenant)}/api-keys/${seg(k.id)}`);
          showMessage(`Key “${k.name}” revoked.`, 'info');
          await load();
        })) },
      ],
    }));
  });
  const form = el('form', { novalidate: true, class: 'narrow' },
    el('label', { htmlFor: 'key-name' }, 'Name of the new key'),
    el('input', { id: 'key-name', name: 'name', required: true, maxLength: 128, autocomplete: 'off', 'aria-describedby': 'key-name-hint' }),
    el('p', { id: 'key-name-hint', class: 'muted' }, 'Say where it will be used, e.g. “shop backend”.'),
    el('div', { class: 'actions' }, el('button', { type: 'submit' }, 'Create API key')));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    await busy(form.querySelector('button'), async () => {
      const key = await api('POST', `/v1/admin/tenants/${seg(tenant)}/api-keys`, { name: form.elements.name.value });
      form.reset();
      const copy = el('button', { type: 'button', class: 'secondary' }, 'Copy key');
      copy.addEventListener('click', async () => {
        try {
          await navigator.clipboard.writeText(key.key);
          copy.textContent = 'Copied';
        } catch {
          copy.textContent = 'Select the key and copy it';
        }
      });
      const done = el('button', { type: 'button' }, 'I have stored it');
      done.addEventListener('click', () => created.replaceChildren());
      created.replaceChildren(el('section', { 'aria-labelledby': 'secret-title', class: 'secret-box' },
        el('h2', { id: 'secret-title', tabIndex: -1 }, `New key “${key.name}”`),
        el('p', {}, 'Copy it now: this is the only time it is shown. The server keeps only its hash.'),
        el('code', { class: 'secret', id: 'new-key-secret' }, key.key),
        el('div', { class: 'actions' }, copy, done)));
      created.querySelector('h2').focus();
      await load();
    });
  });
  container.append(created,
    el('section', { 'aria-labelledby': 'new-key-title' }, el('h2', { id: 'new-key-title' }, 'New API key'), form),
    el('section', { 'aria-labelledby': 'keys-title' }, el('h2', { id: 'keys-title' }, 'Keys'), list));
  await load();
}
