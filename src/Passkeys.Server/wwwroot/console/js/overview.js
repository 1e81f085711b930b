// Overview: a tenant's headline figures for the chosen period, each with its change since the
// period of equal length just before (analytics/overview; docs/analytics.md defines each number).
import { api, seg } from './api.js';
import { el, time, zone } from './dom.js';
import { pickTenant } from './tenant-picker.js';
import { periodOf, periodPicker, windowOf } from './period.js';
import { num, pct, duration, change } from './figures.js';
import { drillLink } from './drill.js';

/** One figure card: label, value (text or a drill-down link), change and what it counts. */
function figure(id, label, value, delta, help) {
  return el('li', { class: 'figure', id: `figure-${id}` },
    el('p', { class: 'figure-label' }, label),
    el('p', { class: 'figure-value' }, value),
    el('p', { class: 'figure-change' }, el('span', { class: 'visually-hidden' }, 'Change since the previous period: '), delta),
    el('p', { class: 'muted' }, help));
}

export async function overviewPage(container, params) {
  const { tenant, picker } = await pickTenant('overview', params);
  const period = periodOf(params);
  container.append(el('h1', {}, 'Overview'), el('div', { class: 'pickers' }, picker, tenant ? periodPicker('overview', tenant, period) : null));
  if (!tenant) {
    container.append(el('p', {}, 'There is no tenant yet.'));
    return;
  }
  const window = windowOf(period);
  const q = new URLSearchParams(window);
  const o = await api('GET', `/v1/admin/tenants/${seg(tenant)}/analytics/overview?${q}`);
  const c = o.current;
  const d = o.change;
  const prev = o.previous;
  container.append(el('section', { 'aria-labelledby': 'figures-title' },
    el('h2', { id: 'figures-title' }, 'This period'),
    el('p', { class: 'muted' }, 'From ', time(c.from), ' to ', time(c.to), `, your time zone ${zone()}. Changes compare with the period just before (from `, time(prev.from), ').'),
    el('ul', { class: 'figures' },
      figure('sign-ins', 'Sign-ins', drillLink(c.signIns, tenant, window, { kind: 'sign-in', result: 'succeeded' }), change(d.signIns),
        'Succeeded passkey sign-ins, autofill included.'),
      figure('sign-ups', 'Sign-ups', drillLink(c.signUps, tenant, window, { kind: 'registration', result: 'succeeded', newUser: true }), change(d.signUps),
        'Succeeded registrations that created their user.'),
      figure('success-rate', 'Success rate', pct(c.successRate), change(d.successRate, 'rate'),
        `${num(c.succeeded)} of ${num(c.attempts)} attempts of every kind succeeded.`),
      figure('median-time', 'Median time to finish', duration(c.medianTimeToFinishMs), change(d.medianTimeToFinishMs, 'ms'),
        'From begin to finish of succeeded modal ceremonies.'),
      figure('adoption', 'Adoption', pct(c.adoption.rate), change(d.adoptionRate, 'rate'),
        `${num(c.adoption.activeUsersWithPasskey)} of ${num(c.adoption.activeUsers)} active users hold a passkey.`))));
}
