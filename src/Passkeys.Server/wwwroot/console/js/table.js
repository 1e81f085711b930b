// A data table with a caption and an "Export CSV" button; the CSV holds exactly the rows shown.
import { el } from './dom.js';
import { downloadCsv } from './csv.js';

/**
 * columns: [{ label, value: row => plain value for CSV, cell?: row => Node|string for the page, num?, id? (may break anywhere) }]
 * Returns the element (tools + table).
 */
export function dataTable({ caption, name, columns, rows, empty = 'Nothing to show.' }) {
  const exportButton = el('button', { type: 'button', class: 'secondary', 'data-export': name }, 'Export CSV');
  exportButton.addEventListener('click', () => downloadCsv(name, columns.map((c) => c.label), rows.map((r) => columns.map((c) => c.value(r)))));
  // On a phone the rows become cards (console.css, table.stack): each cell shows its column's name
  // (data-label), and the explicit roles keep it a table for screen readers once CSS makes it blocks.
  const table = el('table', { class: 'stack', role: 'table' },
    el('caption', {}, caption),
    el('thead', { role: 'rowgroup' }, el('tr', { role: 'row' }, columns.map((c) => el('th', { scope: 'col', role: 'columnheader' }, c.label)))),
    el('tbody', { role: 'rowgroup' }, rows.length === 0
      ? el('tr', { role: 'row' }, el('td', { colSpan: columns.length, class: 'muted', role: 'cell' }, empty))
      : rows.map((r) => el('tr', { role: 'row' }, columns.map((c) =>
        el('td', { class: c.num ? 'num' : c.id ? 'id' : undefined, role: 'cell', 'data-label': c.label }, (c.cell ?? c.value)(r) ?? ''))))));
  return el('div', {},
    el('div', { class: 'table-tools' }, el('span', { class: 'muted' }, `${rows.length} ${rows.length === 1 ? 'row' : 'rows'}`), exportButton),
    el('div', { class: 'table-wrap', tabIndex: 0, role: 'region', 'aria-label': caption }, table));
}
