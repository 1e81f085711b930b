// server-client.js — createPasskeysClient, the client for Passkeys.Server's browser-facing API
// (docs/api.md): begin → browser → finish for each ceremony, account calls, and problem details
// turned into PasskeyErrors.

import { ErrorCode, Reason } from './error-codes.js';
import { PasskeyError, isUnknownCredentialError } from './passkey-error.js';
import { deprecated } from './deprecation.js';
import { requireConditionalCreate, createCredential, getCredential } from './ceremonies.js';
import { signalUnknownCredential, signalAllAcceptedCredentials, signalCurrentUserDetails } from './signals.js';
import { ceremonyReporter } from './report.js';

/**
 * A small client for Passkeys.Server's browser-facing API (docs/api.md): it runs begin → browser →
 * finish for each ceremony and turns problem details into PasskeyErrors. Apps with their own
 * backend can ignore it and call startRegistration/startAuthentication directly.
 * @param {{baseUrl?: string, tenant?: string, fetch?: typeof fetch}} [config]
 */
export function createPasskeysClient(config = {}) {
  const baseUrl = (config.baseUrl ?? '').replace(/\/$/, '');
  const tenant = encodeURIComponent(config.tenant ?? 'default');
  const doFetch = config.fetch ?? ((...a) => globalThis.fetch(...a));
  const root = `${baseUrl}/v1/tenants/${tenant}`;

  async function request(method, path, { body, token } = {}) {
    const headers = { Accept: 'application/json, application/problem+json' };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    if (token) headers.Authorization = `Bearer ${token}`;
    let res;
    try {
      res = await doFetch(root + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    } catch (e) {
      throw new PasskeyError(ErrorCode.NetworkError, "We couldn't reach the server. Check your connection and try again.", { cause: e });
    }
    const text = await res.text();
    let json;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    if (!res.ok) throw PasskeyError.fromProblem(json, res.status);
    return json;
  }

  const rpIdOf = (options) => options?.rp?.id ?? options?.rpId ?? globalThis.location?.hostname;
  // Counts the browser side of each ceremony (report.js, docs/analytics.md).
  const reporterFor = (begin) => ceremonyReporter(`${root}/ceremonies/${encodeURIComponent(begin.ceremonyId)}/client-events`, doFetch);

  return {
    request,

    /**
     * Creates a passkey: self sign-up ({user:{name, displayName}}), another passkey for a signed-in
     * user ({token}), or a new passkey after a recovery code ({recoveryGrant}). For a signed-in user,
     * `mediation: 'conditional'` makes it quietly, without a dialog (a passkey upgrade); where the
     * browser can't, it throws conditional_create_unsupported before anything starts.
     * Returns the finish response plus `userHandle` and `rpId` (needed for signals).
     */
    async register({ user, token, recoveryGrant, authenticatorAttachment, name, mediation, conditional, signal } = {}) {
      if (conditional !== undefined) deprecated("register({ conditional })", "register({ mediation: 'conditional' })");
      const quiet = mediation === 'conditional' || conditional === true;
      // Said before the server begins anything: no ceremony, no prompt where the browser can't.
      if (quiet) await requireConditionalCreate();
      const begin = await request('POST', '/registration/begin', {
        token,
        body: {
          ...(user ? { user } : {}), ...(recoveryGrant ? { recoveryGrant } : {}), ...(authenticatorAttachment ? { authenticatorAttachment } : {}),
          // The server keeps it in the ceremony and accepts a response without user presence only then.
          ...(quiet ? { mediation: 'conditional' } : mediation ? { mediation } : {}),
        },
      });
      const response = await createCredential(begin.options, { conditional: quiet, signal, report: reporterFor(begin) });
      const result = await request('POST', '/registration/finish', {
        body: { ceremonyId: begin.ceremonyId, response, ...(name ? { name } : {}) },
      });
      return { ...result, userHandle: begin.options.user?.id, rpId: rpIdOf(begin.options), authenticatorAttachment: response.authenticatorAttachment ?? null };
    },

    /**
     * Signs in: usernameless (no username), with a username (allowCredentials), or through
     * autofill ({autofill: true}). When the server doesn't know the passkey used, tells the
     * browser (signalUnknownCredential) before throwing.
     */
    async signIn({ username, autofill, signal, root: domRoot } = {}) {
      // Autofill offered on page load is its own funnel on the server, never a started sign-in.
      const begin = await request('POST', '/authentication/begin', { body: { ...(username ? { username } : {}), ...(autofill ? { mediation: 'conditional' } : {}) } });
      const response = await getCredential(begin.options, { autofill, signal, root: domRoot, report: reporterFor(begin) });
      const rpId = rpIdOf(begin.options);
      try {
        const result = await request('POST', '/authentication/finish', { body: { ceremonyId: begin.ceremonyId, response } });
        return { ...result, userHandle: response.response.userHandle, rpId, authenticatorAttachment: response.authenticatorAttachment ?? null };
      } catch (e) {
        if (!isUnknownCredentialError(e)) throw e;
        // The server doesn't know this passkey (deleted elsewhere): ask the browser to forget it, so
        // it is not offered again, and say whether that worked.
        const forgotten = await signalUnknownCredential({ rpId, credentialId: response.id });
        const error = new PasskeyError(e.code, forgotten
          ? 'This passkey was removed from your account, so we asked your browser to forget it. Sign in with another passkey, or use a recovery code.'
          : 'This passkey was removed from your account. Remove it from your passwords or security key settings, then sign in with another passkey or use a recovery code.',
        { status: e.status, problem: e.problem, errorNumber: e.errorNumber, detail: e.detail, reason: Reason.PasskeyRemoved });
        error.browserForgot = forgotten;
        throw error;
      }
    },

    /** Confirms a transaction with user verification; the token's `txn` claim binds its hash. */
    async stepUp({ token, transaction, signal }) {
      const begin = await request('POST', '/step-up/begin', { token, body: { transaction } });
      const response = await getCredential(begin.options, { signal, purpose: 'step-up', report: reporterFor(begin) });
      return request('POST', '/step-up/finish', { body: { ceremonyId: begin.ceremonyId, response } });
    },

    async listCredentials(token) {
      return (await request('GET', '/me/credentials', { token })).credentials;
    },

    /** Renames a passkey; then sends the user's current details to the provider (signalCurrentUserDetails). */
    async renameCredential(token, credentialId, name, session) {
      const credential = await request('PATCH', `/me/credentials/${encodeURIComponent(credentialId)}`, { token, body: { name } });
      if (session?.userHandle && session.user) {
        await signalCurrentUserDetails({ rpId: session.rpId ?? globalThis.location?.hostname, userId: session.userHandle, name: session.user.name, displayName: session.user.displayName ?? session.user.name });
      }
      return credential;
    },

    /** Deletes a passkey; then tells the provider which passkeys still work (signalAllAcceptedCredentials). */
    async deleteCredential(token, credentialId, session) {
      await request('DELETE', `/me/credentials/${encodeURIComponent(credentialId)}`, { token });
      const remaining = await request('GET', '/me/credentials', { token });
      if (session?.userHandle) {
        await signalAllAcceptedCredentials({ rpId: session.rpId ?? globalThis.location?.hostname, userId: session.userHandle, allAcceptedCredentialIds: remaining.credentials.map((c) => c.id) });
      }
      return remaining.credentials;
    },

    setDefaultCredential(token, credentialId) {
      return request('POST', `/me/credentials/${encodeURIComponent(credentialId)}/default`, { token });
    },

    async generateRecoveryCodes(token) {
      return (await request('POST', '/me/recovery-codes', { token, body: {} })).codes;
    },

    /** How many of the signed-in user's recovery codes are unused, and when the set was made ({ remaining: 0, generatedAt: null } when none). */
    recoveryCodeStatus(token) {
      return request('GET', '/me/recovery-codes', { token });
    },

    /** Spends a recovery code; returns { recoveryGrant, expiresAt } for register({ recoveryGrant }). */
    redeemRecoveryCode(username, code) {
      return request('POST', '/recovery/redeem', { body: { username, code } });
    },

    /** Exchanges a refresh token for { token, tokenExpiresAt, refreshToken, refreshTokenExpiresAt, sessionId, sessionExpiresAt }; the old one is spent. */
    refreshSession(refreshToken) {
      return request('POST', '/sessions/refresh', { body: { refreshToken } });
    },

    /** Signs out: revokes the session of the refresh token (idempotent). */
    async revokeSession(refreshToken) {
      await request('POST', '/sessions/revoke', { body: { refreshToken } });
    },

    /** The signed-in user's active sessions (created, last used, browser, OS; `current` marks this one). */
    async listSessions(token) {
      return (await request('GET', '/me/sessions', { token })).sessions;
    },

    /** Revokes one of the signed-in user's sessions (another device, or this one). */
    async deleteSession(token, sessionId) {
      await request('DELETE', `/me/sessions/${encodeURIComponent(sessionId)}`, { token });
    },
  };
}
