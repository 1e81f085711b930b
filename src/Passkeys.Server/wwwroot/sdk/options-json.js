// options-json.js — the server's options JSON (PublicKeyCredentialCreationOptionsJSON,
// PublicKeyCredentialRequestOptionsJSON) → the options navigator.credentials takes: the browser's
// own parser where it has one, otherwise base64url decoding of every binary member.

import { ErrorCode } from './error-codes.js';
import { PasskeyError } from './passkey-error.js';
import { base64urlToBuffer } from './base64url.js';
import { hasNative } from './capabilities.js';

function decodeDescriptor(d) {
  return { ...d, id: base64urlToBuffer(d.id) };
}

// PRF inputs (and largeBlob.write) are base64url in JSON and BufferSource for the browser.
function decodeExtensionInputs(ext) {
  if (!ext || typeof ext !== 'object') return ext;
  const out = { ...ext };
  if (ext.prf && typeof ext.prf === 'object') {
    const decodeValues = (v) => v && { first: base64urlToBuffer(v.first), ...(v.second !== undefined ? { second: base64urlToBuffer(v.second) } : {}) };
    out.prf = { ...ext.prf };
    if (ext.prf.eval) out.prf.eval = decodeValues(ext.prf.eval);
    if (ext.prf.evalByCredential) {
      out.prf.evalByCredential = Object.fromEntries(Object.entries(ext.prf.evalByCredential).map(([k, v]) => [k, decodeValues(v)]));
    }
  }
  if (ext.largeBlob && typeof ext.largeBlob.write === 'string') {
    out.largeBlob = { ...ext.largeBlob, write: base64urlToBuffer(ext.largeBlob.write) };
  }
  return out;
}

function requireMember(obj, name) {
  if (!obj || obj[name] === undefined || obj[name] === null) {
    throw new PasskeyError(ErrorCode.InvalidOptions, 'The passkey request from the server was not valid. Reload the page and try again.',
      { detail: `options JSON is missing "${name}"` });
  }
  return obj[name];
}

/**
 * PublicKeyCredentialCreationOptionsJSON → PublicKeyCredentialCreationOptions, using the
 * browser's own parser when it has one and a base64url fallback otherwise.
 * @param {object} json
 */
export function parseCreationOptions(json) {
  if (hasNative('parseCreationOptionsFromJSON')) return PublicKeyCredential.parseCreationOptionsFromJSON(json);
  const user = requireMember(json, 'user');
  return {
    ...json,
    challenge: base64urlToBuffer(requireMember(json, 'challenge')),
    user: { ...user, id: base64urlToBuffer(requireMember(user, 'id')) },
    excludeCredentials: (json.excludeCredentials ?? []).map(decodeDescriptor),
    ...(json.extensions ? { extensions: decodeExtensionInputs(json.extensions) } : {}),
  };
}

/**
 * PublicKeyCredentialRequestOptionsJSON → PublicKeyCredentialRequestOptions (native or fallback).
 * @param {object} json
 */
export function parseRequestOptions(json) {
  if (hasNative('parseRequestOptionsFromJSON')) return PublicKeyCredential.parseRequestOptionsFromJSON(json);
  return {
    ...json,
    challenge: base64urlToBuffer(requireMember(json, 'challenge')),
    allowCredentials: (json.allowCredentials ?? []).map(decodeDescriptor),
    ...(json.extensions ? { extensions: decodeExtensionInputs(json.extensions) } : {}),
  };
}
