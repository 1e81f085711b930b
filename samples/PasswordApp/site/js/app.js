// Shared by the pages: calls to this app's backend, and the passkeys SDK loaded from the passkey server.

/** Calls this app's API; throws an Error with the server's message when it refuses. */
export async function api(method, path, body, headers = {}) {
  // X-Requested-With: the backend refuses changes without it (a custom header makes cross-site posts impossible).
  const response = await fetch(path, {
    method,
    headers: { 'X-Requested-With': 'fetch', ...(body === undefined ? {} : { 'Content-Type': 'application/json' }), ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  const json = text ? JSON.parse(text) : null;
  if (!response.ok) {
    const error = new Error(json?.detail || json?.title || `Request failed (${response.status})`);
    error.status = response.status;
    throw error;
  }
  return json;
}

let config;
/** The passkey server's address and tenant, as this app's backend is configured. */
export async function appConfig() {
  config ??= await api('GET', '/api/config');
  return config;
}

/** The browser SDK, served by the passkey server at /sdk/passkeys.js (CORS open for /sdk/). */
export async function loadSdk() {
  const { server } = await appConfig();
  return import(`${server}/sdk/passkeys.js`);
}
