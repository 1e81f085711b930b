// Adoption: the share of active users with a passkey, sign-ins by method, passkeys per user,
// synced vs device-bound passkeys and upgrade-prompt conversion (analytics/adoption).
import { api, seg } from './api.js';
import { el, time, zone } from './dom.js';
import { pickTenant } from './tenant-picker.js';
import { periodOf, periodPicker, windowOf } from './period.js';
import { num, pct } from './figures.js';
import { barChart } from './bars.js';
import { drillLink } from './drill.js';
import { dataTable } from './table.js';

const METHODS = [['passkey', 'Passkey'], ['password', 'Password'], ['otp', 'One-time code'], ['social', 'Social sign-in'], ['other', 'Other']];

/** A small table of label → value rows with its bar chart beside it. */
function counted(id, caption, what, rows) {
  return el('div', { class: 'split', id },
    dataTable({ caption, name: id, rows, columns: [{ label: what, value: (r) => r.label }, { label: 'Count', value: (r) => r.value, cell: (r) => r.cell ?? num(r.value), num: true }] }),
    barChart(caption, rows));
}

export async function adoptionPage(container, params) {
  const { tenant, picker } = await pickTenant('adoption', params);
  const period = periodOf(params);
  container.append(el('h1', {}, 'Adoption'), el('div', { class: 'pickers' }, picker, tenant ? periodPicker('adoption', tenant, period) : null));
  if (!tenant) {
    container.append(el('p', {}, 'There is no tenant yet.'));
    return;
  }
  const window = windowOf(period);
  const a = await api('GET', `/v1/admin/tenants/${seg(tenant)}/analytics/adoption?${new URLSearchParams(window)}`);
  const up = a.upgradePrompt;
  container.append(
    el('p', { class: 'muted' }, 'From ', time(a.from), ' to ', time(a.to), ` (your time zone, ${zone()}).`),
    el('section', { 'aria-labelledby': 'share-title' }, el('h2', { id: 'share-title' }, 'Active users with a passkey'),
      el('p', { class: 'figure-value', id: 'adoption-rate' }, pct(a.adoption.rate)),
      el('p', {}, `${num(a.adoption.activeUsersWithPasskey)} of ${num(a.adoption.activeUsers)} active users (a succeeded ceremony or a sign-in the app reported in this period) hold an active passkey. The tenant has ${num(a.users)} users in all.`)),
    el('section', { 'aria-labelledby': 'methods-title' }, el('h2', { id: 'methods-title' }, 'How users sign in'),
      el('p', { class: 'muted' }, 'Passkey sign-ins are counted by the server; the other methods are what the app reports (POST …/sign-ins).'),
      counted('sign-ins-by-method', 'Sign-ins by method', 'Method', METHODS.map(([key, label]) => ({ label, value: a.signInsByMethod[key],
        cell: key === 'passkey' ? drillLink(a.signInsByMethod.passkey, tenant, window, { kind: 'sign-in', result: 'succeeded' }) : undefined })))),
    el('section', { 'aria-labelledby': 'per-user-title' }, el('h2', { id: 'per-user-title' }, 'Passkeys per user (now)'),
      counted('passkeys-per-user', 'Users by number of active passkeys', 'Passkeys', a.passkeysPerUser.map((b) => ({ label: `${b.passkeys} passkey${b.passkeys === '1' ? '' : 's'}`, value: b.users })))),
    el('section', { 'aria-labelledby': 'synced-title' }, el('h2', { id: 'synced-title' }, 'Synced or device-bound (now)'),
      el('p', { class: 'muted' }, 'Synced passkeys (backup state set) live in a passkey provider and follow the user to new devices; device-bound ones are lost with their device.'),
      counted('synced-split', 'Active passkeys by kind', 'Kind', [{ label: 'Synced', value: a.passkeys.synced }, { label: 'Device-bound', value: a.passkeys.deviceBound }])),
    el('section', { 'aria-labelledby': 'upgrade-title' }, el('h2', { id: 'upgrade-title' }, 'Upgrade-prompt conversion'),
      el('p', { id: 'upgrade-conversion' }, el('strong', {}, up.conversion === null ? 'No registration after an offer yet' : pct(up.conversion)), ': ',
        drillLink(up.succeeded, tenant, window, { kind: 'registration', afterOffer: true, result: 'succeeded' }), ' of ',
        drillLink(up.registrationsBegun, tenant, window, { kind: 'registration', afterOffer: true }),
        ' registrations begun within a day after the app offered a passkey (passkey-offer) succeeded.')));
}
