// Horizontal bar charts as plain SVG (no chart library; no inline style, so the CSP holds): one
// bar per row, scaled to the largest value. The numbers stay in the accompanying table; the chart
// is labelled as a whole for screen readers.
const SVG = 'http://www.w3.org/2000/svg';

function svg(tag, attrs = {}, ...children) {
  const node = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  node.append(...children);
  return node;
}

/** rows: [{ label, value, highlight? }] → an <svg> that stretches to its container's width. */
export function barChart(title, rows) {
  const rowHeight = 26;
  const labelWidth = 140;
  const width = 440;
  const max = Math.max(1, ...rows.map((r) => r.value));
  const chart = svg('svg', { viewBox: `0 0 ${width} ${rows.length * rowHeight + 4}`, role: 'img', 'aria-label': `${title}: ${rows.map((r) => `${r.label} ${r.value}`).join(', ')}`, class: 'bars' });
  rows.forEach((r, i) => {
    const y = i * rowHeight + 2;
    const w = Math.round(((width - labelWidth - 60) * r.value) / max);
    chart.append(
      svg('text', { x: labelWidth - 8, y: y + 17, 'text-anchor': 'end', class: 'bar-label' }, r.label),
      svg('rect', { x: labelWidth, y: y + 3, width: Math.max(w, r.value > 0 ? 2 : 0), height: rowHeight - 8, rx: 3, class: r.highlight ? 'bar hot' : 'bar' }),
      svg('text', { x: labelWidth + w + 6, y: y + 17, class: 'bar-value' }, String(r.value)));
  });
  return chart;
}
