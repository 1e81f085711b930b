// The console shell: who is signed in, the navigation and the page router (#/tenants, #/users, …).
import { api, setCsrfToken, whenSessionEnds } from './api.js';
import { el, showMessage, showError, clearMessage, showFlash } from './dom.js';
import { signInView, enrolView } from './auth.js';
import { tenantsPage } from './tenants.js';
import { apiKeysPage } from './api-keys.js';
import { usersPage } from './users.js';
import { signingKeysPage } from './signing-keys.js';
import { auditPage } from './audit.js';
import { operatorsPage } from './operators.js';
import { overviewPage } from './overview.js';
import { funnelsPage } from './funnels.js';
import { adoptionPage } from './adoption.js';
import { rolloutPage } from './rollout.js';
import { ceremoniesPage } from './drill.js';

const pages = {
  tenants: tenantsPage,
  'api-keys': apiKeysPage,
  users: usersPage,
  'signing-keys': signingKeysPage,
  audit: auditPage,
  operators: operatorsPage,
  overview: overviewPage,
  funnels: funnelsPage,
  adoption: adoptionPage,
  rollout: rolloutPage,
  ceremonies: ceremoniesPage,
};

const view = document.getElementById('view');
let current = null; // the page's cleanup (e.g. stops following the audit log)
let signedIn = null;

function setView(node) {
  current?.();
  current = null;
  view.replaceChildren(node);
}

function showSignedIn(session) {
  signedIn = session;
  document.getElementById('operator-name').textContent = `Signed in as ${session.operator.name}`;
  document.getElementById('who').hidden = false;
  document.getElementById('nav').hidden = false;
}

function showSignedOut(note) {
  signedIn = null;
  setCsrfToken(null);
  document.getElementById('who').hidden = true;
  document.getElementById('nav').hidden = true;
  setView(signInView((session) => { showSignedIn(session); route(); }, note));
  document.title = 'Sign in — Passkeys console';
}

/** Renders the page the address names. */
async function route() {
  const hash = location.hash;
  if (hash.startsWith('#enrol=')) {
    setView(enrolView(decodeURIComponent(hash.slice(7)), (session) => { showSignedIn(session); route(); }));
    document.title = 'Enrol — Passkeys console';
    return;
  }
  if (!signedIn) return;
  const [name, query] = hash.replace(/^#\/?/, '').split('?');
  const page = pages[name] ? name : 'tenants';
  if (!pages[name]) {
    history.replaceState(null, '', '#/tenants');
  }
  for (const link of document.querySelectorAll('nav a')) {
    if (link.getAttribute('href') === `#/${page}`) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
  clearMessage();
  showFlash();
  const params = new URLSearchParams(query ?? '');
  const container = el('div');
  setView(container);
  try {
    current = await pages[page](container, params, signedIn);
  } catch (e) {
    showError(e);
  }
  document.title = `${container.querySelector('h1')?.textContent ?? 'Console'} — Passkeys console`;
}

whenSessionEnds((error) => showSignedOut(error.code === 1171 ? 'Your session ended after a time without use. Sign in again.' : undefined));

document.getElementById('sign-out').addEventListener('click', async () => {
  try {
    await api('POST', '/v1/console/sign-out');
  } catch (e) {
    showError(e);
    return;
  }
  showSignedOut();
  showMessage('You are signed out.', 'info');
});

window.addEventListener('hashchange', () => {
  if (!signedIn && !location.hash.startsWith('#enrol=')) return;
  route();
});

// Start: an enrolment link, a live session (the cookie), or the sign-in view.
if (location.hash.startsWith('#enrol=')) {
  route();
} else {
  try {
    const session = await api('GET', '/v1/console/session');
    setCsrfToken(session.csrfToken);
    showSignedIn(session);
    route();
  } catch (e) {
    showSignedOut(e.code === 1171 ? 'Your session ended after a time without use. Sign in again.' : undefined);
    if (e.status !== 401) showError(e);
  }
}
