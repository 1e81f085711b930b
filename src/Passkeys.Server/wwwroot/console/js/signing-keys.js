// A tenant's token signing keys: list (public facts only) and rotate.
import { api, seg } from './api.js';
import { el, showMessage, busy, time } from './dom.js';
import { dataTable } from './table.js';
import { pickTenant } from './tenant-picker.js';
import { newestOnly } from './newest.js';

export async function signingKeysPage(container, params) {
  const { tenant, picker } = await pickTenant('signing-keys', params);
  container.append(el('h1', {}, 'Signing keys'), picker);
  if (!tenant) {
    container.append(el('p', {}, 'There is no tenant yet.'));
    return;
  }
  const list = el('div');
  const reads = newestOnly();
  const load = () => reads.replace(() => api('GET', `/v1/admin/tenants/${seg(tenant)}/signing-keys`), ({ keys }) => {
    list.replaceChildren(dataTable({
      caption: `Signing keys of ${tenant}`, name: `signing-keys-${tenant}`, rows: keys, empty: 'No key yet: the first token signed makes one.',
      columns: [
        { label: 'Key id (kid)', value: (k) => k.kid },
        { label: 'Created', value: (k) => k.createdAt, cell: (k) => time(k.createdAt) },
        { label: 'Status', value: (k) => (k.retiredAt ? `retired ${k.retiredAt}` : 'signing'),
          cell: (k) => (k.retiredAt ? el('span', {}, 'Retired ', time(k.retiredAt)) : el('span', { class: 'badge active' }, 'signing')) },
      ],
    }));
  });
  const rotate = el('button', { type: 'button', id: 'rotate-key' }, 'Rotate now');
  rotate.addEventListener('click', () => busy(rotate, async () => {
    const key = await api('POST', `/v1/admin/tenants/${seg(tenant)}/signing-keys/rotate`);
    showMessage(`New signing key ${key.kid}. Tokens signed by the old key stay valid until they expire.`, 'info');
    await load();
  }));
  container.append(
    el('section', { 'aria-labelledby': 'rotate-title' }, el('h2', { id: 'rotate-title' }, 'Rotate'),
      el('p', {}, 'A new key signs from now on; the old one keeps verifying until the tokens it signed have expired. Apps read both from the JWKS.'),
      el('div', { class: 'actions' }, rotate)),
    el('section', { 'aria-labelledby': 'keys-title' }, el('h2', { id: 'keys-title' }, 'Keys'), list));
  await load();
}
