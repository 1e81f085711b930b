// Drill-down: every number on the analytics pages links to #/ceremonies with the API's filters
// (analytics/ceremonies), so the rows behind a number are one click away.
import { api, seg } from './api.js';
import { el, time, zone, busy } from './dom.js';
import { dataTable } from './table.js';
import { num } from './figures.js';

const FILTERS = ['kind', 'mediation', 'result', 'promptShown', 'attempt', 'failed', 'reason', 'browser', 'os', 'deviceType', 'provider', 'newUser', 'afterOffer'];

/** A link to the rows behind `value`: tenant, window and filters (null/undefined filters are left out). */
export function drillLink(value, tenant, window, filters) {
  const q = new URLSearchParams({ tenant, from: window.from, to: window.to });
  for (const [k, v] of Object.entries(filters)) if (v !== null && v !== undefined) q.set(k, String(v));
  return el('a', { href: `#/ceremonies?${q}`, class: 'drill' }, num(value));
}

/** #/ceremonies?tenant&from&to&<filters>: the ceremonies behind a number, paged. */
export async function ceremoniesPage(container, params) {
  const tenant = params.get('tenant');
  const q = new URLSearchParams();
  for (const k of ['from', 'to', ...FILTERS]) if (params.get(k)) q.set(k, params.get(k));
  const described = FILTERS.filter((k) => params.get(k)).map((k) => `${k} = ${params.get(k)}`);
  container.append(el('h1', {}, 'Ceremonies'),
    el('p', {}, el('a', { href: `#/funnels?tenant=${encodeURIComponent(tenant ?? '')}` }, '← Funnels and failures')));
  if (!tenant) {
    container.append(el('p', {}, 'Open this list from a number on the Funnels and failures page.'));
    return;
  }
  const fromTo = el('p', { class: 'muted' }, 'Begun from ', time(params.get('from')), ' to ', time(params.get('to')), ` (your time zone, ${zone()}), tenant ${tenant}.`);
  const results = el('div', { id: 'ceremony-results' });
  container.append(el('section', { 'aria-labelledby': 'rows-title' },
    el('h2', { id: 'rows-title' }, described.length ? `Filter: ${described.join(', ')}` : 'All ceremonies'), fromTo, results));
  let rows = [];
  let next = null;
  let total = 0;
  const more = el('button', { type: 'button', class: 'secondary' }, 'More');
  const load = async (offset) => {
    const page = await api('GET', `/v1/admin/tenants/${seg(tenant)}/analytics/ceremonies?${q}&limit=100${offset ? `&offset=${offset}` : ''}`);
    rows = [...rows, ...page.ceremonies];
    next = page.next;
    total = page.total;
    render();
  };
  function render() {
    results.replaceChildren(el('p', { id: 'ceremony-total' }, `${num(total)} ${total === 1 ? 'ceremony' : 'ceremonies'} match.`), dataTable({
      caption: 'Ceremonies behind the number', name: `ceremonies-${tenant}`, rows, empty: 'No ceremony matches.',
      columns: [
        { label: 'Begun', value: (r) => r.begunAt, cell: (r) => time(r.begunAt) },
        { label: 'Kind', value: (r) => `${r.kind} (${r.mediation})` },
        { label: 'Result', value: (r) => r.result },
        { label: 'Reason', value: (r) => (r.errorCode ? `${r.reason} (${r.errorCode})` : r.reason ?? '') },
        { label: 'User id', value: (r) => r.userId ?? '', cell: (r) => (r.userId ? el('a', { href: `#/users?tenant=${encodeURIComponent(tenant)}&user=${encodeURIComponent(r.userId)}` }, r.userId) : ''), id: true },
        { label: 'Browser', value: (r) => [r.browser, r.os, r.deviceType].filter(Boolean).join(' · ') },
        { label: 'Provider', value: (r) => r.provider ?? '' },
        { label: 'Ceremony id', value: (r) => r.ceremonyId, id: true },
      ],
    }), next !== null ? el('div', { class: 'actions' }, more) : '');
  }
  more.addEventListener('click', () => busy(more, () => load(next)));
  await load(0);
}
