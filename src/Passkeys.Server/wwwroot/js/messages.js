// One message per failure reason (the SDK's PasskeyError.reason), each ending with what to do
// next, worded for the action the user was taking and, where it matters, for a phone or a desktop.
import { PasskeyError } from '/sdk/passkeys.js';

/** True on a phone or tablet: the advice about "another device" changes (a computer can scan nothing). */
export function onPhone() {
  if (navigator.userAgentData && typeof navigator.userAgentData.mobile === 'boolean') return navigator.userAgentData.mobile;
  return /Android|iPhone|iPad|iPod|Mobile/i.test(navigator.userAgent);
}

// "Another device": a desktop browser shows a QR code for a phone; a phone can use a security key
// or a passkey saved in its password manager.
const otherDevice = (phone) => (phone
  ? 'use a security key, or another passkey saved on this phone'
  : 'choose "Use a phone or tablet" in the prompt and scan the QR code with your phone, or use a security key');

const MESSAGES = {
  cancelled: ({ action, phone }) => {
    switch (action) {
      case 'sign-up': return `The passkey wasn't created because the prompt was closed. Try again, or ${otherDevice(phone)}.`;
      case 'add': return `No passkey was added because the prompt was closed. Try again, or ${otherDevice(phone)}.`;
      case 'recovery': return 'The new passkey wasn\'t created because the prompt was closed. Your recovery code is still valid for a few minutes: try again.';
      case 'step-up': return 'The transfer was not confirmed because the prompt was closed or your device could not verify you. Try again to confirm it.';
      case 'sign-in-username': return `Sign-in didn't finish because the prompt was closed. Try again, or ${otherDevice(phone)}. No account yet? Create an account. Lost your passkeys? Use a recovery code.`;
      default: return `Sign-in didn't finish because the prompt was closed. Try again, or ${otherDevice(phone)}. Lost your passkeys? Use a recovery code.`;
    }
  },
  'timed-out': ({ action }) => (action === 'sign-in' || action === 'sign-in-username'
    ? 'The sign-in prompt timed out before it was answered. Try again when your device is at hand.'
    : 'The passkey prompt timed out before it was answered. Try again when your device is at hand.'),
  'no-passkey-on-device': ({ phone }) => (phone
    ? 'This phone has no passkey for this site. Use a security key or a passkey in your password manager, create an account if you don\'t have one yet, or use a recovery code.'
    : 'This computer has no passkey for this site. Choose "Use a phone or tablet" and scan the QR code, use a security key, create an account if you don\'t have one yet, or use a recovery code.'),
  'unknown-account': () => 'There is no account with that username. Check the spelling, or create an account.',
  'passkey-removed': (_, error) => (error?.browserForgot
    ? 'This passkey was removed from your account, so we asked your browser to forget it. Sign in with another passkey, or use a recovery code.'
    : 'This passkey was removed from your account. Delete it from your password manager or security key, then sign in with another passkey or use a recovery code.'),
  // CredentialSuspended: the server's own message says why (a possible copy, or turned off by the
  // site); SignCountRegression (a tenant that refuses the sign-in without suspending) turned nothing off.
  'passkey-suspended': (_, error) => {
    if (error?.code === 'SignCountRegression') return 'For your safety this sign-in was refused because a copy of this passkey may exist. Sign in with another passkey or a recovery code.';
    if (error?.code === 'CredentialSuspended' && error.message) return error.message;
    return 'For your safety this passkey was turned off because a copy of it may exist. Sign in with another passkey or a recovery code.';
  },
  'server-unreachable': () => "We couldn't reach the server. Check your internet connection, then try again.",
  'unsupported-browser': () => "This browser can't use passkeys. Update it or open this page in Chrome, Edge, Firefox or Safari; or sign in with a recovery code.",
  'already-registered': ({ phone }) => (phone
    ? 'This phone already has a passkey for your account. To add another, choose "A phone, tablet or security key" and use a security key.'
    : 'This device already has a passkey for your account. To add another, choose "A phone, tablet or security key" and use your phone (scan the QR code) or a security key.'),
  // The site's attestation policy refused the authenticator: the server's message says why (no
  // attestation, a model not on its list, a model reported compromised) and what to use instead.
  'authenticator-not-accepted': (_, error) => (error?.problem && error.message)
    || 'This site accepts passkeys only from approved security keys or devices, and this one is not among them. Use another security key or device, or ask the site which ones it accepts.',
  'not-supported': ({ phone }) => `This device can't make this kind of passkey. Try again and ${otherDevice(phone)}.`,
  'no-user-verification': () => 'Your device has no screen lock, PIN, fingerprint or face set up, so it can\'t protect a passkey. Set one up in its settings, or use a security key.',
  'wrong-address': () => "Passkeys can't be used at this address. Open the site at its usual address and try again.",
  'username-taken': () => 'That username is already taken. Choose another one, or sign in if it is yours.',
  'recovery-code-invalid': () => "That recovery code didn't work. Check it and try again; each code works only once.",
  'rate-limited': () => 'Too many attempts. Wait a minute, then try again.',
  'request-expired': () => 'This request expired. Start again.',
  'session-ended': () => 'Your session has ended. Sign in again.',
  'server-error': () => 'Something went wrong on our side. Try again in a moment.',
};

/** The message for a failure during `action` ('sign-in', 'sign-in-username', 'sign-up', 'add', 'recovery', 'step-up', 'account'). */
export function messageFor(error, action = 'account') {
  const phone = onPhone();
  if (error instanceof PasskeyError) {
    const make = MESSAGES[error.reason];
    // Server input errors carry the server's own precise message ("name must be at most 64 characters").
    if (!make || error.reason === 'invalid-input') return error.message;
    return make({ action, phone }, error);
  }
  return 'Something went wrong. Try again.';
}
