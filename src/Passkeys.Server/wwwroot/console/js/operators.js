// Operators: the list, invitations (a one-time enrolment link; the pending ones listed and
// cancellable) and revocation.
import { api, seg } from './api.js';
import { el, showMessage, busy, confirmButton, time } from './dom.js';
import { dataTable } from './table.js';
import { newestOnly } from './newest.js';

export async function operatorsPage(container, _params, session) {
  const list = el('div');
  const pending = el('div', { id: 'pending-invitations' });
  const invitation = el('div', { id: 'invitation' });
  const forWhom = (i) => i.note ?? 'no note';
  const invitationReads = newestOnly();
  const loadInvitations = () => invitationReads.replace(() => api('GET', '/v1/admin/operators/invitations'), ({ invitations }) => {
    pending.replaceChildren(dataTable({
      caption: 'Invitations not used yet', name: 'invitations', rows: invitations, empty: 'No invitation is waiting to be used.',
      columns: [
        { label: 'For', value: (i) => i.note ?? '', cell: (i) => i.note ?? el('span', { class: 'muted' }, 'no note') },
        { label: 'Invited by', value: (i) => i.invitedByName ?? i.invitedBy ?? 'admin key' },
        { label: 'Created', value: (i) => i.createdAt, cell: (i) => time(i.createdAt) },
        { label: 'Expires', value: (i) => i.expiresAt, cell: (i) => time(i.expiresAt) },
        { label: 'Action', value: () => '', cell: (i) => confirmButton('Cancel invitation',
          `Cancel the invitation (${forWhom(i)})? Its link stops working at once.`, async () => {
            await api('DELETE', `/v1/admin/operators/invitations/${seg(i.id)}`);
            showMessage(`The invitation (${forWhom(i)}) is cancelled: its link no longer works.`, 'info');
            await loadInvitations();
          }, { confirmLabel: 'Cancel invitation', keepLabel: 'Keep it' }) },
      ],
    }));
  });
  const operatorReads = newestOnly();
  const load = () => operatorReads.replace(() => api('GET', '/v1/admin/operators'), ({ operators }) => {
    list.replaceChildren(dataTable({
      caption: 'Operators', name: 'operators', rows: operators,
      columns: [
        { label: 'Name', value: (o) => o.name, cell: (o) => (o.id === session.operator.id ? el('span', {}, o.name, ' ', el('span', { class: 'badge' }, 'you')) : o.name) },
        { label: 'Operator id', value: (o) => o.id, id: true },
        { label: 'Enrolled', value: (o) => o.createdAt, cell: (o) => time(o.createdAt) },
        { label: 'Passkeys', value: (o) => o.passkeys, num: true },
        { label: 'Action', value: () => '', cell: (o) => (o.id === session.operator.id ? '' : confirmButton(`Revoke ${o.name}`,
          `Revoke ${o.name}? Their passkeys are deleted and they are signed out at once.`, async () => {
            await api('DELETE', `/v1/admin/operators/${seg(o.id)}`);
            showMessage(`${o.name} is no longer an operator.`, 'info');
            await load();
          }, { confirmLabel: 'Revoke' })) },
      ],
    }));
  });
  const form = el('form', { novalidate: true, class: 'narrow' },
    el('label', { htmlFor: 'invite-note' }, 'Who is it for? (optional)'),
    el('input', { id: 'invite-note', name: 'note', maxLength: 200, autocomplete: 'off', 'aria-describedby': 'invite-hint' }),
    el('p', { id: 'invite-hint', class: 'muted' }, 'The note goes to the audit log. The link works once and expires.'),
    el('div', { class: 'actions' }, el('button', { type: 'submit' }, 'Create invitation link')));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    await busy(form.querySelector('button'), async () => {
      const note = form.elements.note.value.trim();
      const link = await api('POST', '/v1/admin/operators/invitations', note ? { note } : {});
      form.reset();
      invitation.replaceChildren(el('section', { 'aria-labelledby': 'link-title' },
        el('h2', { id: 'link-title', tabIndex: -1 }, 'Invitation link'),
        el('p', {}, 'Send this link to the new operator over a channel you trust. It works once, until ', time(link.expiresAt), '.'),
        el('code', { class: 'secret', id: 'invitation-link' }, link.enrolmentUrl)));
      invitation.querySelector('h2').focus();
      await loadInvitations();
    });
  });
  container.append(el('h1', {}, 'Operators'), invitation,
    el('section', { 'aria-labelledby': 'invite-title' }, el('h2', { id: 'invite-title' }, 'Invite an operator'), form),
    el('section', { 'aria-labelledby': 'pending-title' }, el('h2', { id: 'pending-title' }, 'Pending invitations'), pending),
    el('section', { 'aria-labelledby': 'operators-title' }, el('h2', { id: 'operators-title' }, 'All operators'), list));
  await Promise.all([load(), loadInvitations()]);
  return undefined;
}

