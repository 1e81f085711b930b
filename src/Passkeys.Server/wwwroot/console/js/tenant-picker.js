// The tenant a page works on: from the address (?tenant=), else the last one chosen in this tab.
import { api } from './api.js';
import { el } from './dom.js';

const KEY = 'passkeys-console-tenant';

/**
 * Loads the tenants (plus `extra` entries { id, label }) and returns { tenant, picker }: the chosen tenant id (null when there are none)
 * and a labelled select that switches the page to another tenant.
 */
export async function pickTenant(page, params, extra = []) {
  const { tenants } = await api('GET', '/v1/admin/tenants');
  const ids = [...tenants.map((t) => t.id), ...extra.map((e) => e.id)];
  const labels = Object.fromEntries(extra.map((e) => [e.id, e.label]));
  let tenant = params.get('tenant');
  if (!ids.includes(tenant)) tenant = ids.includes(sessionStorage.getItem(KEY)) ? sessionStorage.getItem(KEY) : ids[0] ?? null;
  if (tenant) sessionStorage.setItem(KEY, tenant);
  const select = el('select', { id: 'tenant-picker', name: 'tenant' }, ids.map((id) => el('option', { value: id, selected: id === tenant }, labels[id] ?? id)));
  select.addEventListener('change', () => {
    sessionStorage.setItem(KEY, select.value);
    location.hash = `#/${page}?tenant=${encodeURIComponent(select.value)}`;
  });
  const picker = el('div', { class: 'narrow picker' }, el('label', { htmlFor: 'tenant-picker' }, 'Tenant'), select);
  return { tenant, picker, tenants };
}
