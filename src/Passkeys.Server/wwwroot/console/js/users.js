// Users of a tenant: search, the list, and one user's passkeys, sessions and recovery state, with
// the operator's actions (suspend or reinstate a passkey, end sessions, delete the user).
import { api, seg } from './api.js';
import { el, showMessage, busy, confirmButton, time, flash } from './dom.js';
import { dataTable } from './table.js';
import { pickTenant } from './tenant-picker.js';

const userLink = (tenant, u) => el('a', { href: `#/users?tenant=${encodeURIComponent(tenant)}&user=${encodeURIComponent(u.id)}` }, u.name);

const REASONS = {
  operator: 'turned off by an operator',
  'clone-suspected': 'a copy of it may exist (its signature counter went back)',
  'authenticator-revoked': 'its kind of authenticator is no longer trusted',
};

function passkeyCard(tenant, userId, c, reload) {
  const name = c.name || c.authenticatorName || 'Passkey';
  const icon = c.authenticatorIcon ? el('img', { class: 'provider-icon', src: c.authenticatorIcon, alt: '' }) : null;
  const status = c.status === 'suspended'
    ? el('span', { class: 'badge suspended' }, 'suspended')
    : el('span', { class: 'badge active' }, 'active');
  const path = `/v1/admin/tenants/${seg(tenant)}/users/${seg(userId)}/credentials/${seg(c.id)}`;
  const action = c.status === 'suspended'
    ? el('button', { type: 'button', class: 'secondary' }, `Reinstate ${name}`)
    : el('button', { type: 'button', class: 'danger' }, `Suspend ${name}`);
  action.addEventListener('click', () => busy(action, async () => {
    await api('POST', `${path}/${c.status === 'suspended' ? 'reinstate' : 'suspend'}`);
    showMessage(c.status === 'suspended' ? `${name} is active again.` : `${name} is suspended: it cannot sign in until reinstated.`, 'info');
    await reload();
  }));
  return el('li', { class: 'passkey', 'data-status': c.status },
    el('div', { class: 'card-head' }, icon, el('h3', {}, name), status),
    el('dl', { class: 'facts' },
      el('dt', {}, 'Provider'), el('dd', {}, c.authenticatorName ?? 'unknown'),
      el('dt', {}, 'Synced'), el('dd', {}, c.synced ? 'yes (backed up)' : c.backupEligible ? 'can be synced, not yet' : 'no (this device only)'),
      el('dt', {}, 'Created'), el('dd', {}, time(c.createdAt)),
      el('dt', {}, 'Last used'), el('dd', {}, c.lastUsedAt ? time(c.lastUsedAt) : 'never'),
      c.status === 'suspended' ? [el('dt', {}, 'Suspended'), el('dd', {}, time(c.suspendedAt), ` — ${REASONS[c.suspendedReason] ?? c.suspendedReason ?? ''}`)] : null,
      c.cloneSuspectedAt ? [el('dt', {}, 'Clone suspected'), el('dd', {}, time(c.cloneSuspectedAt))] : null),
    el('div', { class: 'actions' }, action));
}

async function userDetail(container, tenant, userId) {
  const body = el('div');
  async function load() {
    const base = `/v1/admin/tenants/${seg(tenant)}/users/${seg(userId)}`;
    const [{ user, credentials }, { sessions }, codes] = await Promise.all([api('GET', base), api('GET', `${base}/sessions`), api('GET', `${base}/recovery-codes`)]);
    const endSessions = sessions.length === 0 ? null : confirmButton('End all sessions', `Sign ${user.name} out everywhere (${sessions.length} ${sessions.length === 1 ? 'session' : 'sessions'})?`, async () => {
      const { ended } = await api('DELETE', `${base}/sessions`);
      showMessage(`${ended} ${ended === 1 ? 'session' : 'sessions'} ended.`, 'info');
      await load();
    }, { confirmLabel: 'End sessions' });
    body.replaceChildren(
      el('h1', {}, user.name),
      el('p', {}, el('a', { href: `#/users?tenant=${encodeURIComponent(tenant)}` }, '← All users')),
      el('section', { 'aria-labelledby': 'profile-title' }, el('h2', { id: 'profile-title' }, 'Account'),
        el('dl', { class: 'facts' },
          el('dt', {}, 'User id'), el('dd', {}, user.id),
          el('dt', {}, 'Display name'), el('dd', {}, user.displayName),
          el('dt', {}, 'Recovery codes'), el('dd', { id: 'recovery-state' }, codes.remaining === 0 ? 'none left' : `${codes.remaining} unused, made `, codes.generatedAt ? time(codes.generatedAt) : ''))),
      el('section', { 'aria-labelledby': 'passkeys-title' }, el('h2', { id: 'passkeys-title' }, `Passkeys (${credentials.length})`),
        credentials.length === 0 ? el('p', { class: 'muted' }, 'No passkey.') : el('ul', { class: 'cards', id: 'passkeys' }, credentials.map((c) => passkeyCard(tenant, user.id, c, load))),
        dataTable({
          caption: 'Passkeys as a table', name: `passkeys-${tenant}-${user.id}`, rows: credentials,
          columns: [
            { label: 'Credential id', value: (c) => c.id, id: true },
            { label: 'Name', value: (c) => c.name ?? '' },
            { label: 'Provider', value: (c) => c.authenticatorName ?? '' },
            { label: 'Synced', value: (c) => (c.synced ? 'yes' : 'no') },
            { label: 'Last used', value: (c) => c.lastUsedAt ?? '', cell: (c) => (c.lastUsedAt ? time(c.lastUsedAt) : 'never') },
            { label: 'Status', value: (c) => c.status },
            { label: 'Suspension reason', value: (c) => c.suspendedReason ?? '' },
          ],
        })),
      el('section', { 'aria-labelledby': 'sessions-title' }, el('h2', { id: 'sessions-title' }, 'Sessions'),
        dataTable({
          caption: 'Active sessions', name: `sessions-${tenant}-${user.id}`, rows: sessions, empty: 'No active session.',
          columns: [
            { label: 'Started', value: (s) => s.createdAt, cell: (s) => time(s.createdAt) },
            { label: 'Last used', value: (s) => s.lastUsedAt, cell: (s) => time(s.lastUsedAt) },
            { label: 'Browser', value: (s) => [s.browser, s.os].filter(Boolean).join(' on ') },
            { label: 'Address', value: (s) => s.clientAddress ?? '' },
            { label: 'Ends', value: (s) => s.absoluteExpiresAt, cell: (s) => time(s.absoluteExpiresAt) },
          ],
        }),
        el('div', { class: 'actions' }, endSessions)),
      el('section', { 'aria-labelledby': 'delete-title' }, el('h2', { id: 'delete-title' }, 'Delete user'),
        el('p', {}, 'Deletes the account with its passkeys, recovery codes and sessions. The person must sign up again.'),
        confirmButton('Delete user', `Delete ${user.name} for good?`, async () => {
          await api('DELETE', base);
          flash(`${user.name} deleted.`);
          location.hash = `#/users?tenant=${encodeURIComponent(tenant)}`;
        }, { confirmLabel: `Delete ${user.name}` })));
  }
  container.append(body);
  await load();
}

export async function usersPage(container, params) {
  const { tenant, picker } = await pickTenant('users', params);
  if (tenant && params.get('user')) {
    await userDetail(container, tenant, params.get('user'));
    return;
  }
  container.append(el('h1', {}, 'Users'), picker);
  if (!tenant) {
    container.append(el('p', {}, 'There is no tenant yet.'));
    return;
  }
  const results = el('div');
  const form = el('form', { novalidate: true, class: 'narrow', role: 'search' },
    el('label', { htmlFor: 'user-search' }, 'Find a user by user id or username'),
    el('input', { id: 'user-search', name: 'q', type: 'search', autocomplete: 'off', spellcheck: false, value: params.get('q') ?? '' }),
    el('div', { class: 'actions' }, el('button', { type: 'submit' }, 'Search'), el('a', { class: 'button secondary', href: `#/users?tenant=${encodeURIComponent(tenant)}` }, 'Show all')));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const q = form.elements.q.value.trim();
    location.hash = `#/users?tenant=${encodeURIComponent(tenant)}${q ? `&q=${encodeURIComponent(q)}` : ''}`;
  });
  container.append(el('section', { 'aria-labelledby': 'search-title' }, el('h2', { id: 'search-title' }, 'Search'), form),
    el('section', { 'aria-labelledby': 'list-title' }, el('h2', { id: 'list-title' }, params.get('q') ? 'Found' : 'All users'), results));

  const q = params.get('q');
  const rows = [];
  const more = el('button', { type: 'button', class: 'secondary' }, 'Show more');
  let next = null;
  async function page() {
    const query = q ? `q=${encodeURIComponent(q)}` : `limit=50${next ? `&after=${encodeURIComponent(next)}` : ''}`;
    const list = await api('GET', `/v1/admin/tenants/${seg(tenant)}/users?${query}`);
    rows.push(...list.users);
    next = list.next;
    results.replaceChildren(dataTable({
      caption: q ? `Users matching “${q}”` : `Users of ${tenant}`, name: `users-${tenant}`, rows, empty: q ? 'No user has this id or username.' : 'No users yet.',
      columns: [
        { label: 'Username', value: (u) => u.name, cell: (u) => userLink(tenant, u) },
        { label: 'Display name', value: (u) => u.displayName },
        { label: 'User id', value: (u) => u.id, id: true },
      ],
    }), next ? el('div', { class: 'actions' }, more) : '');
  }
  more.addEventListener('click', () => busy(more, page));
  await page();
}
