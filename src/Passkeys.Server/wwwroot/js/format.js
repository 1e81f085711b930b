// Words and times for lists people read: what kind of passkey, where it is kept, how long ago.

const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const relative = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });

/** An exact date and time, for a tooltip-free fact list. */
export const when = (iso) => dateFormat.format(new Date(iso));

/** "just now", "5 minutes ago", "yesterday", "3 weeks ago": how people say when something happened. */
export function ago(iso, now = Date.now()) {
  const seconds = Math.round((new Date(iso).getTime() - now) / 1000);
  const abs = Math.abs(seconds);
  if (abs < 60) return 'just now';
  const steps = [[3600, 60, 'minute'], [86400, 3600, 'hour'], [604800, 86400, 'day'], [2629800, 604800, 'week'], [31557600, 2629800, 'month']];
  for (const [limit, unit, name] of steps) {
    if (abs < limit) return relative.format(Math.round(seconds / unit), name);
  }
  return relative.format(Math.round(seconds / 31557600), 'year');
}

/** What kind of authenticator holds the passkey, from its transports and backup state. */
export function kindOf(c) {
  const t = c.transports ?? [];
  if (t.includes('hybrid')) return 'phone';
  if (t.some((x) => x === 'usb' || x === 'nfc' || x === 'ble' || x === 'smart-card')) return 'security-key';
  if (t.includes('internal')) return 'device';
  return 'unknown';
}

/** A name people recognize: theirs, else the provider's (from the AAGUID), else what kind of device it is. */
export function displayName(c) {
  if (c.name) return c.name;
  if (c.authenticatorName) return c.authenticatorName;
  switch (kindOf(c)) {
    case 'phone': return 'Passkey on a phone';
    case 'security-key': return 'Security key';
    case 'device': return c.synced ? 'Synced passkey' : 'Passkey on this device';
    default: return c.synced ? 'Synced passkey' : 'Passkey';
  }
}

/**
 * Where the passkey is kept, from the backup flags (BE/BS) and the kind: a synced passkey is in a
 * password manager on all the user's devices; one that is not synced stays on the one
 * authenticator that made it, which is not necessarily the device reading this.
 */
export function keptWhere(c) {
  if (c.synced) return 'Synced across your devices by your password manager';
  const later = c.backupEligible ? ' (it can be synced later)' : '';
  switch (kindOf(c)) {
    case 'security-key': return `Only on this security key${later}`;
    case 'phone': return `Only on the phone that made it${later}`;
    case 'device': return `Only on the device that made it${later}`;
    default: return `Only on the authenticator that made it${later}`;
  }
}
