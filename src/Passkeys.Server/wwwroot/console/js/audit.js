// A tenant's audit log: filter by ceremony, outcome, user and time; follow new events live
// (polling); times in the viewer's own time zone; export as CSV.
import { api, seg } from './api.js';
import { el, busy, time, zone, showError } from './dom.js';
import { dataTable } from './table.js';
import { pickTenant } from './tenant-picker.js';
import { newestOnly } from './newest.js';

const CEREMONIES = ['registration', 'authentication', 'step-up', 'recovery', 'session', 'credential', 'admin'];
const OUTCOMES = ['started', 'succeeded', 'failed', 'abandoned', 'suspended', 'reinstated', 'flagged'];
const FOLLOW_MS = 3000;
const CONSOLE = '_console';

/** <input type=datetime-local> value (the viewer's zone) → RFC 3339 UTC, or null. */
const toUtc = (local) => (local ? new Date(local).toISOString() : null);

function select(id, label, name, values, selected) {
  return el('div', {}, el('label', { htmlFor: id }, label),
    el('select', { id, name }, el('option', { value: '' }, 'any'), values.map((v) => el('option', { value: v, selected: v === selected }, v))));
}

export async function auditPage(container, params) {
  // The console's own log (operators' sign-ins and management) is offered beside the tenants.
  const { tenant, picker } = await pickTenant('audit', params, [{ id: CONSOLE, label: 'Console (operators)' }]);
  const label = tenant === CONSOLE ? 'the console' : tenant;
  container.append(el('h1', {}, 'Audit log'), picker);
  if (!tenant) {
    container.append(el('p', {}, 'There is no tenant yet.'));
    return undefined;
  }
  const form = el('form', { novalidate: true, id: 'audit-filter' },
    el('div', { class: 'grid' },
      select('f-ceremony', 'Ceremony', 'ceremony', CEREMONIES, params.get('ceremony')),
      select('f-outcome', 'Outcome', 'outcome', OUTCOMES, params.get('outcome')),
      el('div', {}, el('label', { htmlFor: 'f-user' }, 'User id'), el('input', { id: 'f-user', name: 'userId', autocomplete: 'off', spellcheck: false, value: params.get('userId') ?? '' })),
      el('div', {}, el('label', { htmlFor: 'f-from' }, `From (${zone()})`), el('input', { id: 'f-from', name: 'from', type: 'datetime-local', step: 1 })),
      el('div', {}, el('label', { htmlFor: 'f-to' }, `To (${zone()})`), el('input', { id: 'f-to', name: 'to', type: 'datetime-local', step: 1 }))),
    el('div', { class: 'actions' },
      el('button', { type: 'submit' }, 'Apply filter'),
      el('label', { class: 'check' }, el('input', { type: 'checkbox', name: 'follow', id: 'follow-live' }), 'Follow live')));
  const results = el('div', { id: 'audit-results' });
  const more = el('button', { type: 'button', class: 'secondary' }, 'Older events');
  container.append(el('section', { 'aria-labelledby': 'filter-title' }, el('h2', { id: 'filter-title' }, 'Filter'), form),
    el('section', { 'aria-labelledby': 'events-title' }, el('h2', { id: 'events-title' }, 'Events'), el('p', { class: 'muted' }, `Times are shown in your time zone, ${zone()}.`), results));

  let events = [];
  let next = null;
  let timer = null;
  const reads = newestOnly();

  function query(extra = {}) {
    const f = form.elements;
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries({ ceremony: f.ceremony.value, outcome: f.outcome.value, userId: f.userId.value.trim(), from: toUtc(f.from.value), to: toUtc(f.to.value), limit: '100', ...extra })) {
      if (v) q.set(k, v);
    }
    return tenant === CONSOLE ? `/v1/admin/operators/audit?${q}` : `/v1/admin/tenants/${seg(tenant)}/audit?${q}`;
  }

  // An actor or target as "kind:id" (the admin key and the server itself have no id).
  const party = (p) => (p ? (p.id ? `${p.kind}:${p.id}` : p.kind) : '');

  function render() {
    results.replaceChildren(dataTable({
      caption: `Audit events of ${label}`, name: `audit-${tenant.replace(/^_/, '')}`, rows: events, empty: 'No event matches.',
      columns: [
        { label: 'Time', value: (e) => e.at, cell: (e) => time(e.at) },
        { label: 'Type', value: (e) => e.type },
        { label: 'Actor', value: (e) => party(e.actor), id: true },
        { label: 'Target', value: (e) => party(e.target), id: true },
        { label: 'User id', value: (e) => e.userId ?? '', id: true },
        { label: 'Error or action', value: (e) => (e.errorCode ? `${e.errorCode} ${e.error ?? ''}` : e.error ?? ''), id: true },
        { label: 'Browser', value: (e) => [e.browser, e.os].filter(Boolean).join(' on ') },
        { label: 'Address', value: (e) => e.clientAddress ?? '' },
        { label: 'Ceremony id', value: (e) => e.ceremonyId ?? '', id: true },
        { label: 'Id', value: (e) => e.id, num: true },
      ],
    }), next ? el('div', { class: 'actions' }, more) : '');
  }

  async function load() {
    await reads.replace(() => api('GET', query()), (list) => {
      events = list.events;
      next = list.next;
      render();
    });
  }

  // Live: new events (ids above the newest shown) are put on top; the filter stays as it is.
  async function poll() {
    try {
      await reads.add(() => api('GET', query()), (list) => {
        const newest = events[0]?.id ?? 0;
        const fresh = list.events.filter((e) => e.id > newest);
        if (fresh.length) {
          events = [...fresh, ...events];
          render();
        }
      });
    } catch (e) {
      showError(e);
      stop();
      form.elements.follow.checked = false;
    }
  }
  function stop() {
    clearInterval(timer);
    timer = null;
  }

  more.addEventListener('click', () => busy(more, () => reads.add(() => api('GET', query({ before: String(next) })), (list) => {
    events = [...events, ...list.events];
    next = list.next;
    render();
  })));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    busy(form.querySelector('button[type=submit]'), load);
  });
  form.elements.follow.addEventListener('change', () => {
    stop();
    if (form.elements.follow.checked) timer = setInterval(poll, FOLLOW_MS);
  });
  await load();
  return stop;
}
