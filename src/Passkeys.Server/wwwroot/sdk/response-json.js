// response-json.js — the PublicKeyCredential the browser returns → the RegistrationResponseJSON or
// AuthenticationResponseJSON a server verifies: credential.toJSON() where the browser has it,
// otherwise the same shape built here.

import { bufferToBase64url } from './base64url.js';

// Client extension results may hold ArrayBuffers (prf.results, largeBlob.blob): base64url them.
function jsonifyExtensionResults(value) {
  if (value instanceof ArrayBuffer || ArrayBuffer.isView(value)) return bufferToBase64url(value);
  if (Array.isArray(value)) return value.map(jsonifyExtensionResults);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, jsonifyExtensionResults(v)]));
  }
  return value;
}

function callOptional(obj, method) {
  try {
    return typeof obj[method] === 'function' ? obj[method]() : undefined;
  } catch {
    return undefined; // e.g. getPublicKey() throws for algorithms the browser can't express in SPKI
  }
}

/**
 * A PublicKeyCredential → RegistrationResponseJSON or AuthenticationResponseJSON, using
 * credential.toJSON() when the browser has it and building the same shape otherwise.
 * @param {PublicKeyCredential} credential
 */
export function credentialToJSON(credential) {
  if (typeof credential.toJSON === 'function') return credential.toJSON();
  const r = credential.response;
  const common = {
    id: credential.id,
    rawId: bufferToBase64url(credential.rawId),
    type: credential.type,
    authenticatorAttachment: credential.authenticatorAttachment ?? undefined,
    clientExtensionResults: jsonifyExtensionResults(callOptional(credential, 'getClientExtensionResults') ?? {}),
  };
  if ('attestationObject' in r) {
    const publicKey = callOptional(r, 'getPublicKey');
    const authenticatorData = callOptional(r, 'getAuthenticatorData');
    return {
      ...common,
      response: {
        clientDataJSON: bufferToBase64url(r.clientDataJSON),
        attestationObject: bufferToBase64url(r.attestationObject),
        transports: callOptional(r, 'getTransports') ?? [],
        ...(authenticatorData ? { authenticatorData: bufferToBase64url(authenticatorData) } : {}),
        ...(publicKey ? { publicKey: bufferToBase64url(publicKey) } : {}),
        ...(typeof r.getPublicKeyAlgorithm === 'function' ? { publicKeyAlgorithm: r.getPublicKeyAlgorithm() } : {}),
      },
    };
  }
  return {
    ...common,
    response: {
      clientDataJSON: bufferToBase64url(r.clientDataJSON),
      authenticatorData: bufferToBase64url(r.authenticatorData),
      signature: bufferToBase64url(r.signature),
      ...(r.userHandle ? { userHandle: bufferToBase64url(r.userHandle) } : {}),
    },
  };
}
