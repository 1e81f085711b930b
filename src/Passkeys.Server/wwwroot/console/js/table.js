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
  const table = el('table', {},
    el('caption', {}, caption),
    el('thead', {}, el('tr', {}, columns.map((c) => el('th', { scope: 'col' }, c.label)))),
    el('tbody', {}, rows.length === 0
      ? el('tr', {}, el('td', { colSpan: columns.length, class: 'muted' }, empty))
      : rows.map((r) => el('tr', {}, columns.map((c) => el('td', { class: c.num ? 'num' : c.id ? 'id' : undefined }, (c.cell ?? c.value)(r) ?? ''))))));
  return el('div', {},
    el('div', { class: 'table-tools' }, el('span', { class: 'muted' }, `${rows.length} ${rows.length === 1 ? 'row' : 'rows'}`), exportButton),
    el('div', { class: 'table-wrap', tabIndex: 0, role: 'region', 'aria-label': caption }, table));
}
