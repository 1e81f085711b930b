// session.js — createSession, staying signed in: holds the tokens of a sign-in, refreshes the access
// token before it expires (one refresh at a time, across tabs), and ends the session when the
// server says it is over.

import { PasskeyError, isSessionEndedError } from './passkey-error.js';
import { SERVER_MESSAGES, REFRESHABLE_CODES, normalizeCode } from './server-problems.js';
import { base64urlToBuffer } from './base64url.js';

// The access token's own lifetime (exp − iat) measured on this device's clock from when it arrived,
// so a device whose clock is off still refreshes on time.
function localExpiry(token, fallbackIso, receivedAt) {
  try {
    const payload = JSON.parse(new TextDecoder().decode(base64urlToBuffer(String(token).split('.')[1])));
    if (typeof payload.exp === 'number' && typeof payload.iat === 'number' && payload.exp > payload.iat) {
      return receivedAt + (payload.exp - payload.iat) * 1000;
    }
  } catch { /* not a JWT we can read: use the server's time */ }
  const t = Date.parse(fallbackIso);
  return Number.isNaN(t) ? receivedAt : t;
}

/**
 * Keeps a user signed in: holds the access token and refresh token from a sign-in (or sign-up),
 * refreshes shortly before the access token expires and, once, when the server answers 401
 * TokenExpired; concurrent callers share one refresh (the server treats a second use of a refresh
 * token as theft and ends the session). `signOut()` revokes the session on the server.
 *
 * Storage: sessionStorage by default (this tab only, gone when it closes). Anything script on the
 * page can read — an XSS bug can steal the refresh token; see docs/sdk.md for keeping it in an
 * HttpOnly cookie held by your backend instead.
 * @param {ReturnType<typeof createPasskeysClient>} client
 * @param {{storage?: Storage, key?: string, refreshMarginMs?: number, onEnd?: (error: PasskeyError) => void, now?: () => number}} [options]
 */
export function createSession(client, options = {}) {
  const storage = options.storage ?? globalThis.sessionStorage;
  const key = options.key ?? 'passkeys-session';
  const margin = options.refreshMarginMs ?? 60_000;
  const now = options.now ?? (() => Date.now());
  let inflight = null;

  const read = () => {
    try {
      return JSON.parse(storage.getItem(key) ?? 'null');
    } catch {
      return null;
    }
  };
  const write = (state) => {
    storage.setItem(key, JSON.stringify(state));
    return state;
  };
  const fromTokens = (result, previous) => ({
    ...previous,
    accessToken: result.token,
    accessTokenExpiresAt: localExpiry(result.token, result.tokenExpiresAt, now()),
    refreshToken: result.refreshToken,
    refreshTokenExpiresAt: result.refreshTokenExpiresAt,
    sessionId: result.sessionId,
    sessionExpiresAt: result.sessionExpiresAt,
  });

  function end(error) {
    storage.removeItem(key);
    if (options.onEnd) {
      try { options.onEnd(error); } catch { /* the page's handler must not break the caller */ }
    }
  }

  async function rotate(presented) {
    const current = read();
    if (!current?.refreshToken) {
      throw new PasskeyError('SessionExpired', SERVER_MESSAGES.sessionexpired, { status: 401, detail: 'no session stored' });
    }
    // Another tab sharing this storage may have rotated it already (localStorage): use its result.
    if (presented && current.refreshToken !== presented && current.accessTokenExpiresAt - margin > now()) return current;
    try {
      return write(fromTokens(await client.refreshSession(current.refreshToken), current));
    } catch (e) {
      if (isSessionEndedError(e) || (e instanceof PasskeyError && (e.status === 400 || e.status === 401))) end(e);
      throw e;
    }
  }

  const session = {
    /** The stored state ({ accessToken, refreshToken, sessionId, …extra }) or null. */
    get: read,

    /** True when a session is stored (it may still turn out to be ended on the server). */
    get signedIn() {
      return !!read()?.refreshToken;
    },

    /**
     * Stores a sign-in or sign-up result (it must carry a refreshToken). `extra` is kept alongside
     * (user, userHandle, rpId, …); a result without session fields only replaces the access token.
     */
    save(result, extra = {}) {
      const previous = read() ?? {};
      if (!result?.refreshToken) {
        return write({ ...previous, ...extra, ...(result?.token ? { accessToken: result.token, accessTokenExpiresAt: localExpiry(result.token, result.tokenExpiresAt, now()) } : {}) });
      }
      return write(fromTokens(result, { ...previous, ...extra }));
    },

    /** Merges page data into the stored state (never the tokens). */
    update(extra) {
      const current = read();
      return current ? write({ ...current, ...extra, accessToken: current.accessToken, refreshToken: current.refreshToken }) : null;
    },

    /** Refreshes now; concurrent calls share one request. Ends the session (onEnd) when the server refuses. */
    refresh() {
      if (!inflight) {
        const presented = read()?.refreshToken;
        const run = () => rotate(presented);
        const locked = globalThis.navigator?.locks?.request ? globalThis.navigator.locks.request(`passkeys-refresh:${key}`, run) : run();
        inflight = Promise.resolve(locked).finally(() => { inflight = null; });
      }
      return inflight;
    },

    /** A usable access token, refreshed first when it expires within the margin (default 60 s). */
    async getAccessToken() {
      const current = read();
      if (!current?.refreshToken && !current?.accessToken) {
        throw new PasskeyError('SessionExpired', SERVER_MESSAGES.sessionexpired, { status: 401, detail: 'no session stored' });
      }
      if (current.refreshToken && !(current.accessTokenExpiresAt - margin > now())) {
        return (await session.refresh()).accessToken;
      }
      return current.accessToken;
    },

    /**
     * Runs `call(accessToken)`; when the server answers 401 TokenExpired (or Unauthorized), refreshes
     * once and runs it again with the new token. Use it around every call that needs the user.
     * @template T
     * @param {(token: string) => Promise<T>} call
     * @returns {Promise<T>}
     */
    async withToken(call) {
      const token = await session.getAccessToken();
      try {
        return await call(token);
      } catch (e) {
        if (!(e instanceof PasskeyError) || e.status !== 401 || !REFRESHABLE_CODES.has(normalizeCode(e.code)) || !read()?.refreshToken) throw e;
        const fresh = read()?.accessToken !== token ? read() : await session.refresh();
        return call(fresh.accessToken);
      }
    },

    /** Signs out: revokes the session on the server (best effort) and forgets it here. */
    async signOut() {
      const current = read();
      storage.removeItem(key);
      if (current?.refreshToken) {
        try {
          await client.revokeSession(current.refreshToken);
        } catch { /* offline: the session still ends at its idle lifetime */ }
      }
    },
  };
  return session;
}
