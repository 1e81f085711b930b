// Tenants: the list, a new tenant, and one tenant's relying-party settings (edit, delete).
import { api, seg } from './api.js';
import { el, showMessage, busy, confirmButton, time, flash } from './dom.js';
import { dataTable } from './table.js';

const UV = ['required', 'preferred', 'discouraged'];
const ATTESTATION = ['none', 'indirect', 'direct', 'enterprise'];
const CLONE = ['suspend', 'flag', 'ignore'];

function field(id, label, input, hint) {
  input.id = id;
  if (hint) input.setAttribute('aria-describedby', `${id}-hint`);
  return el('div', {}, el('label', { htmlFor: id }, label), input, hint ? el('p', { id: `${id}-hint`, class: 'muted' }, hint) : null);
}

function choice(name, values, selected) {
  return el('select', { name }, values.map((v) => el('option', { value: v, selected: v === selected }, v)));
}

const lines = (text) => text.split(/[\n,]/).map((s) => s.trim()).filter(Boolean);

/** The settings form (create when tenant is null). */
function tenantForm(tenant, onSaved) {
  const t = tenant ?? { id: '', rpId: '', rpName: '', origins: [], relatedOrigins: [], userVerification: 'preferred', attestation: 'none', selfSignUp: false, algorithms: null, cloneDetection: 'suspend' };
  const form = el('form', { novalidate: true, id: tenant ? 'tenant-settings' : 'tenant-create' },
    el('div', { class: 'grid' },
      tenant ? null : field('tenant-id', 'Tenant id', el('input', { name: 'id', required: true, value: t.id, autocomplete: 'off', spellcheck: false }), 'a–z, 0–9 and “-”; cannot be changed later.'),
      field(`${tenant ? 'edit' : 'new'}-rp-id`, 'Relying party id (rpId)', el('input', { name: 'rpId', required: true, value: t.rpId, autocomplete: 'off', spellcheck: false }),
        'Your domain, e.g. example.com; passkeys are bound to it.'),
      field(`${tenant ? 'edit' : 'new'}-rp-name`, 'Display name (rpName)', el('input', { name: 'rpName', required: true, value: t.rpName, autocomplete: 'off' })),
      field(`${tenant ? 'edit' : 'new'}-uv`, 'User verification', choice('userVerification', UV, t.userVerification)),
      field(`${tenant ? 'edit' : 'new'}-attestation`, 'Attestation', choice('attestation', ATTESTATION, t.attestation)),
      field(`${tenant ? 'edit' : 'new'}-clone`, 'Clone detection', choice('cloneDetection', CLONE, t.cloneDetection),
        'What a signature counter that did not grow does: suspend the passkey, flag it, or refuse that one sign-in.')),
    field(`${tenant ? 'edit' : 'new'}-origins`, 'Web origins (one per line)', el('textarea', { name: 'origins', required: true, value: t.origins.join('\n'), spellcheck: false }),
      'e.g. https://app.example.com — https, or http for localhost.'),
    field(`${tenant ? 'edit' : 'new'}-related`, 'Related origins (optional, one per line)', el('textarea', { name: 'relatedOrigins', value: t.relatedOrigins.join('\n'), spellcheck: false })),
    field(`${tenant ? 'edit' : 'new'}-algorithms`, 'Algorithms (optional, most preferred first)', el('input', { name: 'algorithms', value: (t.algorithms ?? []).join(', '), spellcheck: false }),
      'e.g. ES256, EdDSA, RS256. Leave empty for the default.'),
    el('label', { class: 'check' }, el('input', { type: 'checkbox', name: 'selfSignUp', checked: t.selfSignUp }), 'People may sign up themselves'),
    el('div', { class: 'actions' }, el('button', { type: 'submit' }, tenant ? 'Save settings' : 'Create tenant')));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const f = form.elements;
    const algorithms = lines(f.algorithms.value);
    // Editing sends the tenant back whole: the PUT replaces every setting, and the ones this form
    // does not show (rollout, attestation policy, native apps) must survive a save here.
    const { createdAt, ...kept } = tenant ?? {};
    const body = {
      ...kept,
      id: tenant ? tenant.id : f.id.value.trim(),
      rpId: f.rpId.value.trim(), rpName: f.rpName.value.trim(), origins: lines(f.origins.value), relatedOrigins: lines(f.relatedOrigins.value),
      userVerification: f.userVerification.value, attestation: f.attestation.value, selfSignUp: f.selfSignUp.checked,
      algorithms: algorithms.length ? algorithms : null, cloneDetection: f.cloneDetection.value,
    };
    await busy(form.querySelector('button[type=submit]'), async () => {
      const saved = tenant
        ? await api('PUT', `/v1/admin/tenants/${seg(tenant.id)}`, body)
        : await api('POST', '/v1/admin/tenants', body);
      if (tenant) showMessage(`Settings of ${saved.id} saved.`, 'info');
      else flash(`Tenant ${saved.id} created.`);
      onSaved(saved);
    });
  });
  return form;
}

/** #/tenants (list and create) and #/tenants?edit=<id> (settings, delete). */
export async function tenantsPage(container, params) {
  const edit = params.get('edit');
  if (edit) {
    const tenant = await api('GET', `/v1/admin/tenants/${seg(edit)}`);
    container.append(
      el('h1', {}, `Tenant ${tenant.id}`),
      el('p', {}, el('a', { href: '#/tenants' }, '← All tenants')),
      el('section', { 'aria-labelledby': 'settings-title' }, el('h2', { id: 'settings-title' }, 'Relying-party settings'),
        el('p', { class: 'muted' }, 'Created ', time(tenant.createdAt)),
        tenantForm(tenant, () => {})),
      el('section', { 'aria-labelledby': 'delete-title' }, el('h2', { id: 'delete-title' }, 'Delete tenant'),
        el('p', {}, 'Deletes the tenant with all its users, passkeys, sessions, API keys, signing keys and audit events. This cannot be undone.'),
        confirmButton('Delete tenant', `Delete ${tenant.id} and everything in it?`, async () => {
          await api('DELETE', `/v1/admin/tenants/${seg(tenant.id)}`);
          flash(`Tenant ${tenant.id} deleted.`);
          location.hash = '#/tenants';
        }, { confirmLabel: `Delete ${tenant.id}` })));
    return;
  }
  const { tenants } = await api('GET', '/v1/admin/tenants');
  container.append(
    el('h1', {}, 'Tenants'),
    el('section', { 'aria-labelledby': 'tenants-title' }, el('h2', { id: 'tenants-title' }, 'All tenants'),
      dataTable({
        caption: 'Tenants', name: 'tenants', rows: tenants,
        columns: [
          { label: 'Id', value: (t) => t.id, cell: (t) => el('a', { href: `#/tenants?edit=${encodeURIComponent(t.id)}` }, t.id) },
          { label: 'rpId', value: (t) => t.rpId },
          { label: 'Origins', value: (t) => t.origins.join(' ') },
          { label: 'User verification', value: (t) => t.userVerification },
          { label: 'Attestation', value: (t) => t.attestation },
          { label: 'Self sign-up', value: (t) => (t.selfSignUp ? 'yes' : 'no') },
          { label: 'Clone detection', value: (t) => t.cloneDetection },
          { label: 'Created', value: (t) => t.createdAt, cell: (t) => time(t.createdAt) },
        ],
      })),
    el('section', { 'aria-labelledby': 'new-title' }, el('h2', { id: 'new-title' }, 'New tenant'),
      tenantForm(null, (saved) => { location.hash = `#/tenants?edit=${encodeURIComponent(saved.id)}`; })));
}

