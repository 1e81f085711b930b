// The analytics pages' window: a period picker (24 h / 7 d / 30 d) kept in the address, and the
// from/to it stands for. The window ends now; the API takes and answers UTC.
import { el } from './dom.js';

export const PERIODS = {
  '24h': { label: 'Last 24 hours', ms: 24 * 3600e3, bucket: 'hour' },
  '7d': { label: 'Last 7 days', ms: 7 * 24 * 3600e3, bucket: 'day' },
  '30d': { label: 'Last 30 days', ms: 30 * 24 * 3600e3, bucket: 'day' },
};

/** The chosen period key from the address (default 7 d). */
export const periodOf = (params) => (PERIODS[params.get('period')] ? params.get('period') : '7d');

/** { from, to } as ISO strings for a period ending now. */
export function windowOf(period, now = new Date()) {
  return { from: new Date(now.getTime() - PERIODS[period].ms).toISOString(), to: now.toISOString() };
}

/**
 * A labelled select that switches the page to another period (the tenant and `keep` parameters
 * stay in the address).
 */
export function periodPicker(page, tenant, period, keep = {}) {
  const select = el('select', { id: 'period-picker', name: 'period' },
    Object.entries(PERIODS).map(([key, p]) => el('option', { value: key, selected: key === period }, p.label)));
  select.addEventListener('change', () => {
    const q = new URLSearchParams({ tenant, period: select.value, ...keep });
    location.hash = `#/${page}?${q}`;
  });
  return el('div', { class: 'narrow picker' }, el('label', { htmlFor: 'period-picker' }, 'Period'), select);
}
