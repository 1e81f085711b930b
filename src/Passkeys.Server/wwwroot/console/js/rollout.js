// Rollout: edit the tenant's passkey rollout (whom the app offers passkeys to, how, and when
// passkeys become the default sign-in) and show whether the default has flipped. Saving sends the
// whole tenant back with the new rollout (the tenant PUT replaces every setting).
import { api, seg } from './api.js';
import { el, showMessage, showError, busy, time } from './dom.js';
import { pickTenant } from './tenant-picker.js';
import { num, pct } from './figures.js';

const OFFER_AFTER = [['any', 'Any time the user has no passkey'], ['other-method-sign-in', 'Right after a sign-in with another method']];
const PROMPT = [['modal', 'A dialog (modal)'], ['conditional', 'Conditional create (the browser offers to save a passkey)']];

function field(id, label, input, hint) {
  input.id = id;
  input.setAttribute('aria-describedby', `${id}-hint`);
  return el('div', {}, el('label', { htmlFor: id }, label), input, el('p', { id: `${id}-hint`, class: 'muted' }, hint));
}

const options = (name, values, selected) => el('select', { name }, values.map(([v, label]) => el('option', { value: v, selected: v === selected }, label)));

/** Has the default flipped? (analytics/rollout: read only; passkey-offer records the flip.) */
async function statusSection(tenantId) {
  const st = await api('GET', `/v1/admin/tenants/${seg(tenantId)}/analytics/rollout`);
  const threshold = st.rollout?.defaultSignInAt ?? null;
  let text;
  if (st.passkeyDefault) text = ['Passkeys are the default sign-in. The default flipped ', time(st.flippedAt), '.'];
  else if (threshold === null && st.flippedAt) text = ['The default flipped ', time(st.flippedAt), ', but no threshold is set now, so passkeys are not the default.'];
  else if (threshold === null) text = ['Passkeys are not the default sign-in: no threshold is set.'];
  else if (st.thresholdReached) text = [`Adoption has reached ${threshold}%: the next time the app asks passkey-offer, passkeys become the default sign-in.`];
  else text = [`Passkeys are not the default sign-in yet: they become it when adoption over the last 30 days reaches ${threshold}%.`];
  const a = st.adoption;
  return el('section', { 'aria-labelledby': 'status-title', id: 'rollout-status', 'data-default': String(st.passkeyDefault) },
    el('h2', { id: 'status-title' }, 'Default sign-in'),
    el('p', {}, el('span', { class: `badge ${st.passkeyDefault ? 'active' : ''}` }, st.passkeyDefault ? 'Passkeys are the default' : 'Not flipped'), ' ', ...text),
    el('p', { class: 'muted' }, `Adoption over the last 30 days: ${pct(a.rate)} (${num(a.activeUsersWithPasskey)} of ${num(a.activeUsers)} active users hold a passkey).`));
}

export async function rolloutPage(container, params) {
  const { tenant: id, picker } = await pickTenant('rollout', params);
  container.append(el('h1', {}, 'Rollout'), picker);
  if (!id) {
    container.append(el('p', {}, 'There is no tenant yet.'));
    return;
  }
  const tenant = await api('GET', `/v1/admin/tenants/${seg(id)}`);
  const r = tenant.rollout ?? { offerPercentage: 0, offerAfter: 'any', prompt: 'modal', defaultSignInAt: null };
  const form = el('form', { novalidate: true, id: 'rollout-settings' },
    el('div', { class: 'grid' },
      field('offer-percentage', 'Offer to (% of users)', el('input', { name: 'offerPercentage', type: 'number', min: 0, max: 100, step: 1, required: true, value: String(r.offerPercentage), inputMode: 'numeric' }),
        '0–100. Each user has a fixed place in the rollout, so widening the share keeps everyone already offered.'),
      field('offer-after', 'Offer when', options('offerAfter', OFFER_AFTER, r.offerAfter),
        'Only right after a sign-in the app reported with another method (within 15 minutes), or whenever the user has no passkey.'),
      field('offer-prompt', 'Prompt', options('prompt', PROMPT, r.prompt), 'How the app should offer it; passkey-offer tells the app.'),
      field('default-at', 'Make passkeys the default at (% adoption)', el('input', { name: 'defaultSignInAt', type: 'number', min: 1, max: 100, step: 1, value: r.defaultSignInAt ?? '', inputMode: 'numeric' }),
        '1–100, or empty for never. Once the share of active users (last 30 days) holding a passkey reaches it, passkey-offer answers passkeyDefault: true.')),
    el('div', { class: 'actions' }, el('button', { type: 'submit' }, 'Save rollout')));
  const status = el('div', {}, await statusSection(tenant.id));
  container.append(
    el('p', { class: 'muted' }, 'The app asks GET /v1/tenants/{tenant}/users/{userId}/passkey-offer whether to offer a user a passkey now; these settings decide the answer.'),
    el('section', { 'aria-labelledby': 'rollout-title' }, el('h2', { id: 'rollout-title' }, `Rollout of ${tenant.id}`), form),
    status);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const f = form.elements;
    const whole = (v) => (/^\d+$/.test(v.trim()) ? Number(v.trim()) : v.trim() === '' ? null : Number.NaN);
    const rollout = { offerPercentage: whole(f.offerPercentage.value), offerAfter: f.offerAfter.value, prompt: f.prompt.value, defaultSignInAt: whole(f.defaultSignInAt.value) };
    // Whole numbers only (ranges are the server's to check: RolloutInvalid 1165 names the field).
    if (Number.isNaN(rollout.offerPercentage) || rollout.offerPercentage === null) {
      showError({ code: 'input', message: 'Offer to (% of users) must be a whole number from 0 to 100.' });
      return;
    }
    if (Number.isNaN(rollout.defaultSignInAt)) {
      showError({ code: 'input', message: 'Make passkeys the default at (% adoption) must be a whole number from 1 to 100, or empty.' });
      return;
    }
    busy(form.querySelector('button[type=submit]'), async () => {
      // The newest tenant, so settings changed elsewhere since this page loaded are not undone.
      const current = await api('GET', `/v1/admin/tenants/${seg(tenant.id)}`);
      const { createdAt, ...body } = current;
      const saved = await api('PUT', `/v1/admin/tenants/${seg(tenant.id)}`, { ...body, rollout });
      showMessage(`Rollout of ${saved.id} saved: offered to ${saved.rollout?.offerPercentage ?? 0}% of users.`, 'info');
      status.replaceChildren(await statusSection(saved.id));
    });
  });
}
