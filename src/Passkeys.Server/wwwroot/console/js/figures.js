// Number formatting for the analytics pages: counts, rates (fractions from the API) and changes.
const count = new Intl.NumberFormat(undefined);
const percent = new Intl.NumberFormat(undefined, { style: 'percent', maximumFractionDigits: 1 });

export const num = (n) => (n === null || n === undefined ? '—' : count.format(n));
export const pct = (fraction) => (fraction === null || fraction === undefined ? '—' : percent.format(fraction));

/** A duration in milliseconds as "850 ms", "4.2 s" or "2.5 min". */
export function duration(ms) {
  if (ms === null || ms === undefined) return '—';
  if (Math.abs(ms) < 1000) return `${Math.round(ms)} ms`;
  if (Math.abs(ms) < 120000) return `${(ms / 1000).toFixed(1)} s`;
  return `${(ms / 60000).toFixed(1)} min`;
}

/** A change since the previous period with its sign: "+3", "−2.5 pts", "no change", "—" when unknown. */
export function change(value, kind) {
  if (value === null || value === undefined) return '—';
  if (value === 0) return 'no change';
  const sign = value > 0 ? '+' : '−';
  const abs = Math.abs(value);
  if (kind === 'rate') return `${sign}${(abs * 100).toFixed(1)} pts`;
  if (kind === 'ms') return `${sign}${duration(abs)}`;
  return `${sign}${count.format(abs)}`;
}
