// Funnels and failures: per ceremony kind and mediation the funnel (table + SVG bars, and the same
// counts per hour/day/week), then the failures by reason and by segment with the segments the API
// flags as standing out highlighted. Every count links to the ceremonies behind it.
import { api, seg } from './api.js';
import { el, time, zone } from './dom.js';
import { pickTenant } from './tenant-picker.js';
import { periodOf, periodPicker, windowOf, PERIODS } from './period.js';
import { num, pct } from './figures.js';
import { barChart } from './bars.js';
import { drillLink } from './drill.js';
import { dataTable } from './table.js';

// The funnel's steps: API count → label and the drill-down filter that lists exactly its rows.
const STEPS = [
  { key: 'begun', label: 'Begun', filter: {} },
  { key: 'promptShown', label: 'Prompt shown', filter: { promptShown: true } },
  { key: 'succeeded', label: 'Succeeded', filter: { result: 'succeeded' } },
  { key: 'failed', label: 'Failed', filter: { result: 'failed' } },
  { key: 'cancelled', label: 'Cancelled', filter: { result: 'cancelled' } },
  { key: 'timedOut', label: 'Timed out', filter: { result: 'timed-out' } },
  { key: 'otherClientErrors', label: 'Other browser error', filter: { result: 'other-client-error' } },
  { key: 'abandoned', label: 'Abandoned', filter: { result: 'abandoned' } },
  { key: 'pending', label: 'Still open', filter: { result: 'pending' } },
];
const BUCKETS = ['hour', 'day', 'week'];
const SEGMENTS = [
  { key: 'byBrowser', filter: 'browser', label: 'Browser' },
  { key: 'byOs', filter: 'os', label: 'Operating system' },
  { key: 'byDeviceType', filter: 'deviceType', label: 'Device type' },
  { key: 'byProvider', filter: 'provider', label: 'Passkey provider' },
];

const title = (f) => `${f.kind[0].toUpperCase()}${f.kind.slice(1)} (${f.mediation === 'conditional' ? 'conditional' : 'modal'})`;

function bucketPicker(tenant, period, bucket) {
  const select = el('select', { id: 'bucket-picker', name: 'bucket' }, BUCKETS.map((b) => el('option', { value: b, selected: b === bucket }, `per ${b}`)));
  select.addEventListener('change', () => { location.hash = `#/funnels?${new URLSearchParams({ tenant, period, bucket: select.value })}`; });
  return el('div', { class: 'narrow picker' }, el('label', { htmlFor: 'bucket-picker' }, 'Counts'), select);
}

/** One kind and mediation: the totals with bars, then the non-empty periods. */
function funnelSection(f, i, tenant, window, bucketSize) {
  const base = { kind: f.kind, mediation: f.mediation };
  const id = `funnel-${f.kind}-${f.mediation}`;
  const totals = el('table', { id: `${id}-totals` },
    el('caption', {}, `${title(f)}: totals`),
    el('thead', {}, el('tr', {}, el('th', { scope: 'col' }, 'Step'), el('th', { scope: 'col' }, 'Ceremonies'), el('th', { scope: 'col' }, 'Of begun'))),
    el('tbody', {}, STEPS.map((s) => el('tr', { 'data-step': s.key },
      el('th', { scope: 'row' }, s.label),
      el('td', { class: 'num' }, drillLink(f.totals[s.key], tenant, window, { ...base, ...s.filter })),
      el('td', { class: 'num' }, pct(f.totals.begun ? f.totals[s.key] / f.totals.begun : null))))));
  // Each bucket's own window, clipped to the query's, so its links list exactly its rows.
  const ms = Date.parse(window.to);
  const starts = f.buckets.map((b) => b.start);
  const rows = f.buckets.map((b, n) => ({ ...b, from: new Date(Math.max(Date.parse(b.start), Date.parse(window.from))).toISOString(),
    to: n + 1 < starts.length ? starts[n + 1] : new Date(ms).toISOString() })).filter((b) => b.counts.begun > 0);
  return el('section', { 'aria-labelledby': `${id}-title`, id, class: 'funnel' },
    el('h2', { id: `${id}-title` }, title(f)),
    el('div', { class: 'split' },
      el('div', { class: 'table-wrap', tabIndex: 0, role: 'region', 'aria-label': `${title(f)}: totals` }, totals),
      barChart(`${title(f)} funnel`, STEPS.map((s) => ({ label: s.label, value: f.totals[s.key] })))),
    el('h3', {}, `Per ${bucketSize} (periods with ceremonies; starts in ${zone()})`),
    dataTable({
      caption: `${title(f)} per ${bucketSize}`, name: `funnel-${f.kind}-${f.mediation}-${bucketSize}`, rows, empty: 'No ceremony in this period.',
      columns: [
        { label: 'From', value: (b) => b.from, cell: (b) => time(b.from) },
        ...STEPS.map((s) => ({ label: s.label, value: (b) => b.counts[s.key], cell: (b) => drillLink(b.counts[s.key], tenant, b, { ...base, ...s.filter }), num: true })),
      ],
    }));
}

function segmentTable(segment, rows, tenant, window) {
  return dataTable({
    caption: `Failures by ${segment.label.toLowerCase()}`, name: `failures-${segment.filter}`, rows, empty: 'No attempt.',
    columns: [
      { label: segment.label, value: (r) => r.value, cell: (r) => (r.standsOut ? el('span', {}, r.value, ' ', el('span', { class: 'badge stands-out' }, 'stands out')) : r.value) },
      { label: 'Attempts', value: (r) => r.attempts, cell: (r) => drillLink(r.attempts, tenant, window, { attempt: true, [segment.filter]: r.value }), num: true },
      { label: 'Failures', value: (r) => r.failures, cell: (r) => drillLink(r.failures, tenant, window, { failed: true, [segment.filter]: r.value }), num: true },
      { label: 'Failure rate', value: (r) => r.failureRate, cell: (r) => pct(r.failureRate), num: true },
    ],
  });
}

function failuresSection(fl, tenant, window) {
  const segments = SEGMENTS.map((s) => {
    const table = segmentTable(s, fl[s.key], tenant, window);
    for (const [n, r] of fl[s.key].entries()) if (r.standsOut) table.querySelectorAll('tbody tr')[n].classList.add('stands-out');
    return el('div', { id: `segment-${s.filter}` }, table);
  });
  return el('section', { 'aria-labelledby': 'failures-title', id: 'failures' },
    el('h2', { id: 'failures-title' }, 'Failures'),
    el('p', { id: 'failure-summary' }, drillLink(fl.failures, tenant, window, { failed: true }), ` of `, drillLink(fl.attempts, tenant, window, { attempt: true }),
      ` attempts failed (${pct(fl.failureRate)}).`),
    el('p', { class: 'muted' }, `Highlighted segments stand out: ${fl.standsOutRule}.`),
    dataTable({
      caption: 'Failures by reason', name: 'failures-reason', rows: fl.byReason, empty: 'No failure.',
      columns: [
        { label: 'Reason', value: (r) => (r.code ? `${r.reason} (${r.code})` : r.reason) },
        { label: 'Reported by', value: (r) => ({ server: 'server', client: 'browser (SDK)', expiry: 'expiry' })[r.source] ?? r.source },
        { label: 'Failures', value: (r) => r.count, cell: (r) => drillLink(r.count, tenant, window, { failed: true, reason: r.reason }), num: true },
      ],
    }),
    fl.byReason.length ? barChart('Failures by reason', fl.byReason.map((r) => ({ label: r.reason, value: r.count }))) : null,
    segments);
}

export async function funnelsPage(container, params) {
  const { tenant, picker } = await pickTenant('funnels', params);
  const period = periodOf(params);
  const bucket = BUCKETS.includes(params.get('bucket')) ? params.get('bucket') : PERIODS[period].bucket;
  container.append(el('h1', {}, 'Funnels and failures'),
    el('div', { class: 'pickers' }, picker, tenant ? periodPicker('funnels', tenant, period, { bucket }) : null, tenant ? bucketPicker(tenant, period, bucket) : null));
  if (!tenant) {
    container.append(el('p', {}, 'There is no tenant yet.'));
    return;
  }
  const window = windowOf(period);
  const q = new URLSearchParams(window);
  const [funnels, failures] = await Promise.all([
    api('GET', `/v1/admin/tenants/${seg(tenant)}/analytics/funnels?${q}&period=${bucket}`),
    api('GET', `/v1/admin/tenants/${seg(tenant)}/analytics/failures?${q}`),
  ]);
  container.append(el('p', { class: 'muted' }, 'Ceremonies begun from ', time(window.from), ' to ', time(window.to), ` (your time zone, ${zone()}). Select a number to see the ceremonies behind it.`));
  if (funnels.funnels.length === 0) container.append(el('section', {}, el('p', {}, 'No ceremony was begun in this period.')));
  funnels.funnels.forEach((f, i) => container.append(funnelSection(f, i, tenant, window, bucket)));
  container.append(failuresSection(failures, tenant, window));
}
