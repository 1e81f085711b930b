// Type declarations for passkeys.js (served at /sdk/passkeys.js; the npm package @passkeys/browser).
// WebAuthn Level 3 JSON types are declared here so the file stands alone; they match the spec's
// *JSON dictionaries. The low-level calls match @simplewebauthn/browser's names and shapes.

export declare const VERSION: string;

export type Base64URLString = string;

export interface PublicKeyCredentialDescriptorJSON {
  type: 'public-key';
  id: Base64URLString;
  transports?: string[];
}

export interface PublicKeyCredentialCreationOptionsJSON {
  rp: { id?: string; name: string };
  user: { id: Base64URLString; name: string; displayName: string };
  challenge: Base64URLString;
  pubKeyCredParams: { type: 'public-key'; alg: number }[];
  timeout?: number;
  excludeCredentials?: PublicKeyCredentialDescriptorJSON[];
  authenticatorSelection?: {
    authenticatorAttachment?: 'platform' | 'cross-platform';
    residentKey?: 'discouraged' | 'preferred' | 'required';
    requireResidentKey?: boolean;
    userVerification?: 'discouraged' | 'preferred' | 'required';
  };
  hints?: string[];
  attestation?: 'none' | 'indirect' | 'direct' | 'enterprise';
  attestationFormats?: string[];
  extensions?: Record<string, unknown>;
}

export interface PublicKeyCredentialRequestOptionsJSON {
  challenge: Base64URLString;
  timeout?: number;
  rpId?: string;
  allowCredentials?: PublicKeyCredentialDescriptorJSON[];
  userVerification?: 'discouraged' | 'preferred' | 'required';
  hints?: string[];
  extensions?: Record<string, unknown>;
}

export interface RegistrationResponseJSON {
  id: Base64URLString;
  rawId: Base64URLString;
  type: 'public-key';
  authenticatorAttachment?: 'platform' | 'cross-platform';
  clientExtensionResults: Record<string, unknown>;
  response: {
    clientDataJSON: Base64URLString;
    attestationObject: Base64URLString;
    authenticatorData?: Base64URLString;
    transports?: string[];
    publicKeyAlgorithm?: number;
    publicKey?: Base64URLString;
  };
}

export interface AuthenticationResponseJSON {
  id: Base64URLString;
  rawId: Base64URLString;
  type: 'public-key';
  authenticatorAttachment?: 'platform' | 'cross-platform';
  clientExtensionResults: Record<string, unknown>;
  response: {
    clientDataJSON: Base64URLString;
    authenticatorData: Base64URLString;
    signature: Base64URLString;
    userHandle?: Base64URLString;
  };
}

/** Stable SDK error codes. Server problems keep the server's own name as `code`. */
export declare const ErrorCode: Readonly<{
  PasskeysUnsupported: 'passkeys_unsupported';
  AutofillUnsupported: 'autofill_unsupported';
  AutofillInputMissing: 'autofill_input_missing';
  ConditionalCreateUnsupported: 'conditional_create_unsupported';
  Cancelled: 'cancelled';
  Aborted: 'aborted';
  AlreadyRegistered: 'already_registered';
  NotSupported: 'not_supported';
  UserVerificationUnavailable: 'user_verification_unavailable';
  SecurityError: 'security_error';
  Timeout: 'timeout';
  AuthenticatorError: 'authenticator_error';
  InvalidOptions: 'invalid_options';
  NetworkError: 'network_error';
  ServerError: 'server_error';
  Unknown: 'unknown';
}>;

export type PasskeyErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** Why something failed, by cause: what a page chooses its message by (docs/sdk.md, "Error reasons"). */
export declare const Reason: Readonly<{
  Cancelled: 'cancelled';
  TimedOut: 'timed-out';
  NoPasskeyOnDevice: 'no-passkey-on-device';
  UnknownAccount: 'unknown-account';
  PasskeyRemoved: 'passkey-removed';
  PasskeySuspended: 'passkey-suspended';
  ServerUnreachable: 'server-unreachable';
  UnsupportedBrowser: 'unsupported-browser';
  AlreadyRegistered: 'already-registered';
  AuthenticatorNotAccepted: 'authenticator-not-accepted';
  NotSupported: 'not-supported';
  NoUserVerification: 'no-user-verification';
  WrongAddress: 'wrong-address';
  UsernameTaken: 'username-taken';
  InvalidInput: 'invalid-input';
  RecoveryCodeInvalid: 'recovery-code-invalid';
  RateLimited: 'rate-limited';
  RequestExpired: 'request-expired';
  SessionEnded: 'session-ended';
  Aborted: 'aborted';
  ServerError: 'server-error';
  Unknown: 'unknown';
}>;

export type PasskeyErrorReason = (typeof Reason)[keyof typeof Reason];

/** A NotAllowedError from a sign-in faster than this (ms) is read as "no passkey on this device". */
export declare const INSTANT_REFUSAL_MS: number;

/** RFC 9457 problem details as Passkeys.Server sends them. */
export interface ProblemDetails {
  type?: string;
  title?: string;
  status?: number;
  detail?: string;
  /** Passkeys.Server: the stable numeric code. */
  code?: number | string;
  /** Passkeys.Server: the stable error name (e.g. "CredentialNotFound"). */
  error?: string;
  message?: string;
  errorNumber?: number;
  traceId?: string;
  [key: string]: unknown;
}

export declare class PasskeyError extends Error {
  constructor(code: string, message: string, extra?: { cause?: unknown; status?: number; problem?: ProblemDetails; errorNumber?: number; detail?: string; reason?: PasskeyErrorReason });
  readonly name: 'PasskeyError';
  /** A PasskeyErrorCode, or the server's error name for server problems. */
  readonly code: PasskeyErrorCode | (string & {});
  /** Why it failed, by cause (stable). */
  readonly reason: PasskeyErrorReason;
  /** For `passkey-removed` from signIn(): whether the browser accepted signalUnknownCredential. */
  browserForgot?: boolean;
  /** Plain-language message for the user, with the next step. */
  readonly message: string;
  /** Technical detail for logs. */
  readonly detail?: string;
  /** HTTP status, for server problems. */
  readonly status?: number;
  /** The server's numeric error code, for server problems. */
  readonly errorNumber?: number;
  readonly problem?: ProblemDetails;
  /** The original DOMException / TypeError / fetch error. */
  readonly cause?: unknown;
  /** True when the page (or a newer ceremony) cancelled this one: nothing to show the user. */
  readonly isAbort: boolean;
  toJSON(): Record<string, unknown>;
  static fromProblem(problem: unknown, status?: number): PasskeyError;
}

export interface CeremonyContext {
  ceremony?: 'registration' | 'authentication';
  /** What the authentication was for; only a sign-in refused instantly reads as `no-passkey-on-device`. */
  purpose?: 'sign-in' | 'step-up' | 'autofill';
  platformAuthenticator?: boolean;
  /** How long the browser's prompt was open (ms). */
  elapsedMs?: number;
  /** The request's timeout (ms); a NotAllowedError at or after it is `timed-out`. */
  timeoutMs?: number;
}

export declare function toPasskeyError(error: unknown, context?: CeremonyContext): PasskeyError;
export declare function isUnknownCredentialError(error: unknown): boolean;

export declare function bufferToBase64url(bytes: ArrayBuffer | ArrayBufferView): Base64URLString;
export declare function base64urlToBuffer(text: Base64URLString): ArrayBuffer;
/** SimpleWebAuthn's name for bufferToBase64url. */
export declare function bufferToBase64URLString(bytes: ArrayBuffer | ArrayBufferView): Base64URLString;
/** SimpleWebAuthn's name for base64urlToBuffer. */
export declare function base64URLStringToBuffer(text: Base64URLString): ArrayBuffer;
export declare function parseCreationOptions(json: PublicKeyCredentialCreationOptionsJSON): PublicKeyCredentialCreationOptions;
export declare function parseRequestOptions(json: PublicKeyCredentialRequestOptionsJSON): PublicKeyCredentialRequestOptions;
export declare function credentialToJSON(credential: PublicKeyCredential): RegistrationResponseJSON | AuthenticationResponseJSON;

/** WebAuthn present in a secure context (sync). */
export declare function browserSupportsWebAuthn(): boolean;
/** Passkeys in a username field's autofill (conditional mediation). */
export declare function browserSupportsWebAuthnAutofill(): Promise<boolean>;
/** Creating a passkey with mediation 'conditional' (getClientCapabilities().conditionalCreate). */
export declare function browserSupportsConditionalCreate(): Promise<boolean>;
/** @deprecated Use browserSupportsWebAuthn() (SimpleWebAuthn's browserSupportsPasskeys is a different, async test). */
export declare function browserSupportsPasskeys(): boolean;
/** @deprecated Use browserSupportsWebAuthnAutofill(). */
export declare function browserSupportsAutofill(): Promise<boolean>;
export declare function platformAuthenticatorIsAvailable(): Promise<boolean>;
export declare function getClientCapabilities(): Promise<Record<string, boolean>>;

export type AutofillCheck =
  | { ok: true; input: HTMLInputElement }
  | { ok: false; code: 'autofill_input_missing'; message: string; input?: HTMLInputElement };
export declare function checkAutofillInput(root?: Document | Element): AutofillCheck;

export declare function cancelCeremony(reason?: string): boolean;
export declare function activeCeremony(): 'registration' | 'authentication' | 'autofill' | 'conditional-create' | null;

/** SimpleWebAuthn's code names (WebAuthnError.code). */
export type WebAuthnErrorCode =
  | 'ERROR_CEREMONY_ABORTED'
  | 'ERROR_INVALID_DOMAIN'
  | 'ERROR_INVALID_RP_ID'
  | 'ERROR_INVALID_USER_ID_LENGTH'
  | 'ERROR_MALFORMED_PUBKEYCREDPARAMS'
  | 'ERROR_AUTHENTICATOR_GENERAL_ERROR'
  | 'ERROR_AUTHENTICATOR_MISSING_DISCOVERABLE_CREDENTIAL_SUPPORT'
  | 'ERROR_AUTHENTICATOR_MISSING_USER_VERIFICATION_SUPPORT'
  | 'ERROR_AUTHENTICATOR_PREVIOUSLY_REGISTERED'
  | 'ERROR_AUTHENTICATOR_NO_SUPPORTED_PUBKEYCREDPARAMS_ALG'
  | 'ERROR_AUTO_REGISTER_USER_VERIFICATION_FAILURE'
  | 'ERROR_PASSTHROUGH_SEE_CAUSE_PROPERTY';

export declare const WebAuthnErrorCode: Readonly<{
  CeremonyAborted: 'ERROR_CEREMONY_ABORTED';
  InvalidDomain: 'ERROR_INVALID_DOMAIN';
  InvalidRpId: 'ERROR_INVALID_RP_ID';
  InvalidUserIdLength: 'ERROR_INVALID_USER_ID_LENGTH';
  MalformedPubKeyCredParams: 'ERROR_MALFORMED_PUBKEYCREDPARAMS';
  AuthenticatorGeneralError: 'ERROR_AUTHENTICATOR_GENERAL_ERROR';
  AuthenticatorMissingDiscoverableCredentialSupport: 'ERROR_AUTHENTICATOR_MISSING_DISCOVERABLE_CREDENTIAL_SUPPORT';
  AuthenticatorMissingUserVerificationSupport: 'ERROR_AUTHENTICATOR_MISSING_USER_VERIFICATION_SUPPORT';
  AuthenticatorPreviouslyRegistered: 'ERROR_AUTHENTICATOR_PREVIOUSLY_REGISTERED';
  AuthenticatorNoSupportedPubKeyCredParamsAlg: 'ERROR_AUTHENTICATOR_NO_SUPPORTED_PUBKEYCREDPARAMS_ALG';
  AutoRegisterUserVerificationFailure: 'ERROR_AUTO_REGISTER_USER_VERIFICATION_FAILURE';
  PassthroughSeeCauseProperty: 'ERROR_PASSTHROUGH_SEE_CAUSE_PROPERTY';
}>;

/** What startRegistration({ optionsJSON }) and startAuthentication({ optionsJSON }) throw. */
export declare class WebAuthnError extends Error {
  constructor(init: { message: string; code: WebAuthnErrorCode; cause?: unknown; name?: string; passkeyCode?: string; reason?: PasskeyErrorReason; detail?: string });
  /** SimpleWebAuthn's code. */
  readonly code: WebAuthnErrorCode;
  /** The browser error's name (e.g. 'InvalidStateError'), as in SimpleWebAuthn; 'WebAuthnError' when there was none. */
  readonly name: string;
  /** Plain-language message for the user, with the next step. */
  readonly message: string;
  /** This SDK's stable code (e.g. 'cancelled', 'conditional_create_unsupported'). */
  readonly passkeyCode?: PasskeyErrorCode | (string & {});
  /** This SDK's stable reason. */
  readonly reason?: PasskeyErrorReason;
  /** Technical detail for logs. */
  readonly detail?: string;
  /** The browser's error, or this SDK's PasskeyError when no browser call failed. */
  readonly cause?: unknown;
  readonly isAbort: boolean;
  toJSON(): Record<string, unknown>;
}

/** One controller shared by autofill and the modal ceremonies (SimpleWebAuthn's WebAuthnAbortService). */
export declare const WebAuthnAbortService: Readonly<{
  /** Cancels the ceremony in progress and returns a signal that the next cancelCeremony() aborts. */
  createNewAbortSignal(): AbortSignal;
  /** Cancels the ceremony in progress (it rejects with ERROR_CEREMONY_ABORTED). */
  cancelCeremony(): void;
}>;

export interface StartRegistrationOpts {
  optionsJSON: PublicKeyCredentialCreationOptionsJSON;
  /** Create the passkey without a dialog (mediation 'conditional'); throws at once where unsupported. */
  useAutoRegister?: boolean;
  signal?: AbortSignal;
  /** Reports the browser side of the ceremony to the server for analytics (report.js: ceremonyReporter). */
  report?: CeremonyReporter;
}

export interface StartAuthenticationOpts {
  optionsJSON: PublicKeyCredentialRequestOptionsJSON;
  /** Offer passkeys in the autofill of <input autocomplete="username webauthn"> (conditional mediation). */
  useBrowserAutofill?: boolean;
  /** Check that such an input exists first; default true. */
  verifyBrowserAutofillInput?: boolean;
  signal?: AbortSignal;
  /** Reports the browser side of the ceremony to the server for analytics (report.js: ceremonyReporter). */
  report?: CeremonyReporter;
}

/** Creates a passkey; throws WebAuthnError. */
export declare function startRegistration(args: StartRegistrationOpts): Promise<RegistrationResponseJSON>;
/** @deprecated Use startRegistration({ optionsJSON, useAutoRegister, signal }). Throws PasskeyError. */
export declare function startRegistration(
  optionsJSON: PublicKeyCredentialCreationOptionsJSON,
  opts?: { conditional?: boolean; signal?: AbortSignal; report?: CeremonyReporter },
): Promise<RegistrationResponseJSON>;

/** Signs in with a passkey; throws WebAuthnError. */
export declare function startAuthentication(args: StartAuthenticationOpts): Promise<AuthenticationResponseJSON>;
/** @deprecated Use startAuthentication({ optionsJSON, useBrowserAutofill, signal }). Throws PasskeyError. */
export declare function startAuthentication(
  optionsJSON: PublicKeyCredentialRequestOptionsJSON,
  opts?: { autofill?: boolean; signal?: AbortSignal; root?: Document | Element; purpose?: 'sign-in' | 'step-up'; report?: CeremonyReporter },
): Promise<AuthenticationResponseJSON>;

export declare function signalUnknownCredential(args: { rpId: string; credentialId: Base64URLString }): Promise<boolean>;
export declare function signalAllAcceptedCredentials(args: { rpId: string; userId: Base64URLString; allAcceptedCredentialIds: Base64URLString[] }): Promise<boolean>;
export declare function signalCurrentUserDetails(args: { rpId: string; userId: Base64URLString; name: string; displayName: string }): Promise<boolean>;

// ── Passkeys.Server client (docs/api.md) ──

export interface ServerUser { id: string; name: string; displayName?: string }

export interface ServerCredential {
  id: Base64URLString;
  name: string | null;
  authenticatorName: string | null;
  aaguid: string;
  createdAt: string;
  lastUsedAt: string | null;
  synced: boolean;
  backupEligible: boolean;
  transports: string[];
  isDefault: boolean;
  attestationFormat: string;
  attestationTrusted: boolean;
  /** The provider's icon from FIDO metadata (a checked data:image/… URI), null when there is none. */
  authenticatorIcon: string | null;
}

export interface Session { user?: ServerUser; userHandle?: Base64URLString | null; rpId?: string }

/** A session's tokens, as a sign-in, a sign-up or a refresh returns them (docs/api.md "Sessions"). */
export interface SessionTokens {
  /** Access token (JWT); send as `Authorization: Bearer`. */
  token: string;
  tokenExpiresAt: string;
  /** Opaque `pkr_…` token; works once. */
  refreshToken: string;
  /** When the session ends unless refreshed before (idle lifetime, capped by sessionExpiresAt). */
  refreshTokenExpiresAt: string;
  /** The access token's `sid` claim. */
  sessionId: string;
  /** The absolute end of the session. */
  sessionExpiresAt: string;
}

export interface SignInResult extends SessionTokens { user: ServerUser; credentialId: Base64URLString; userVerified: boolean; userHandle?: Base64URLString; rpId: string; authenticatorAttachment?: string | null }
/** Session fields are null when the registration was begun with a user token (the user keeps the session they have). */
export interface RegisterResult {
  user: ServerUser; credential: ServerCredential; token: string; tokenExpiresAt: string;
  refreshToken: string | null; refreshTokenExpiresAt: string | null; sessionId: string | null; sessionExpiresAt: string | null;
  userHandle?: Base64URLString; rpId: string;
  /** Where the new passkey lives, as the browser reported it. */
  authenticatorAttachment?: 'platform' | 'cross-platform' | null;
}

/** One of the user's active sessions. */
export interface ServerSession {
  id: string;
  createdAt: string;
  lastUsedAt: string;
  /** When it ends unless used again. */
  expiresAt: string;
  absoluteExpiresAt: string;
  credentialId: Base64URLString;
  userVerified: boolean;
  browser: string | null;
  os: string | null;
  clientAddress: string | null;
  /** The session of the access token that asked. */
  current: boolean;
}
export interface StepUpResult { user: ServerUser; credentialId: Base64URLString; userVerified: boolean; transactionHash: string; token: string; tokenExpiresAt: string }

export interface RecoveryCodeStatus {
  remaining: number;
  /** ISO time the current set was made; null when no unused code is left. */
  generatedAt: string | null;
}

export interface PasskeysClient {
  request<T = unknown>(method: string, path: string, init?: { body?: unknown; token?: string }): Promise<T>;
  register(args: {
    user?: { name: string; displayName?: string; id?: string };
    token?: string;
    recoveryGrant?: string;
    authenticatorAttachment?: 'platform' | 'cross-platform';
    name?: string;
    /** 'conditional': a quiet passkey upgrade for a signed-in user (no dialog); the server keeps it in the ceremony. */
    mediation?: 'conditional' | 'optional' | 'required';
    /** @deprecated Use mediation: 'conditional'. */
    conditional?: boolean;
    signal?: AbortSignal;
  }): Promise<RegisterResult>;
  signIn(args?: { username?: string; autofill?: boolean; signal?: AbortSignal; root?: Document | Element }): Promise<SignInResult>;
  stepUp(args: { token: string; transaction: string; signal?: AbortSignal }): Promise<StepUpResult>;
  listCredentials(token: string): Promise<ServerCredential[]>;
  renameCredential(token: string, credentialId: Base64URLString, name: string | null, session?: Session): Promise<ServerCredential>;
  deleteCredential(token: string, credentialId: Base64URLString, session?: Session): Promise<ServerCredential[]>;
  setDefaultCredential(token: string, credentialId: Base64URLString): Promise<ServerCredential>;
  generateRecoveryCodes(token: string): Promise<string[]>;
  /** Unused recovery codes left and when the set was made (GET …/me/recovery-codes). */
  recoveryCodeStatus(token: string): Promise<RecoveryCodeStatus>;
  redeemRecoveryCode(username: string, code: string): Promise<{ recoveryGrant: string; expiresAt: string }>;
  /** Spends the refresh token and returns the next pair. */
  refreshSession(refreshToken: string): Promise<SessionTokens>;
  /** Signs out (idempotent). */
  revokeSession(refreshToken: string): Promise<void>;
  listSessions(token: string): Promise<ServerSession[]>;
  deleteSession(token: string, sessionId: string): Promise<void>;
}

export declare function createPasskeysClient(config?: { baseUrl?: string; tenant?: string; fetch?: typeof fetch }): PasskeysClient;

// ── Staying signed in ──

/** What createSession stores: the tokens plus whatever the page saved with them. */
export interface StoredSession {
  accessToken: string;
  /** Milliseconds since the epoch on this device's clock (the token's own lifetime from its arrival). */
  accessTokenExpiresAt: number;
  refreshToken: string;
  refreshTokenExpiresAt: string;
  sessionId: string;
  sessionExpiresAt: string;
  [extra: string]: unknown;
}

export interface SessionOptions {
  /** Where the tokens live; default sessionStorage (see docs/sdk.md for the XSS trade-off). */
  storage?: Storage;
  /** Storage key; default 'passkeys-session'. */
  key?: string;
  /** Refresh when the access token expires within this many ms; default 60000. */
  refreshMarginMs?: number;
  /** Called once when the server refuses the session (expired, revoked, reused): show "sign in again". */
  onEnd?: (error: PasskeyError) => void;
  /** Clock, for tests. */
  now?: () => number;
}

export interface PasskeysSession {
  get(): StoredSession | null;
  readonly signedIn: boolean;
  /** Stores a sign-in / sign-up result; `extra` (user, rpId, …) is kept alongside. */
  save(result: SessionTokens | RegisterResult | SignInResult, extra?: Record<string, unknown>): StoredSession;
  /** Merges page data into the stored state (never the tokens). */
  update(extra: Record<string, unknown>): StoredSession | null;
  /** Refreshes now; concurrent calls share one request (and, where the Web Locks API exists, one across tabs). */
  refresh(): Promise<StoredSession>;
  /** A usable access token, refreshed first when it is about to expire. */
  getAccessToken(): Promise<string>;
  /** Runs the call with a token; on 401 TokenExpired/Unauthorized refreshes once and retries. */
  withToken<T>(call: (token: string) => Promise<T>): Promise<T>;
  /** Revokes the session on the server (best effort) and forgets it here. */
  signOut(): Promise<void>;
}

export declare function createSession(client: PasskeysClient, options?: SessionOptions): PasskeysSession;
/** True when a server error says the session is over (SessionExpired, SessionRevoked, RefreshTokenReused, RefreshTokenInvalid). */
export declare function isSessionEndedError(error: unknown): boolean;

/** Told when the browser is asked and when it throws (report.js: ceremonyReporter); never awaited. */
export interface CeremonyReporter {
  promptShown(): void;
  failed(error: unknown): void;
}
