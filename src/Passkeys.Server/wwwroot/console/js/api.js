// The console's client for the admin API and its own endpoints. The operator session lives in an
// HttpOnly cookie the browser sends by itself; unsafe requests add the session's CSRF token, which
// the server hands to this script (and only to it) in JSON.

let csrfToken = null;

/** Remembers the CSRF token of the current session (from sign-in, enrolment or GET /v1/console/session). */
export function setCsrfToken(token) {
  csrfToken = token;
}

/** A problem answer of the server: its stable code, HTTP status and plain message. */
export class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

let onSessionEnded = () => {};
/** Called when the server says the operator session is over (401), so the page can show sign-in. */
export function whenSessionEnds(handler) {
  onSessionEnded = handler;
}

/** Sends a request; resolves with the JSON body (or null for 204), rejects with ApiError. */
export async function api(method, path, body) {
  const headers = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['X-Console-Csrf'] = csrfToken;
  let response;
  try {
    response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), credentials: 'same-origin' });
  } catch {
    throw new ApiError(0, 'unreachable', 'The server cannot be reached. Check your connection and try again.');
  }
  if (response.status === 204) return null;
  const text = await response.text();
  const json = text ? JSON.parse(text) : null;
  if (!response.ok) {
    const error = new ApiError(response.status, json?.code ?? response.status, json?.detail ?? `The server answered ${response.status}.`);
    if (response.status === 401 && !path.startsWith('/v1/console/sign-in') && !path.startsWith('/v1/console/enrolment')) onSessionEnded(error);
    throw error;
  }
  return json;
}

/** Encodes a path segment (tenant ids, user ids and credential ids come from data). */
export const seg = encodeURIComponent;
