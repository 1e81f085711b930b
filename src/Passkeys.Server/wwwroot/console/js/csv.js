// CSV export of any table view, made in the browser from the rows the page shows (RFC 4180).

/**
 * One CSV cell: quoted when it holds a comma, quote, CR or LF (quotes doubled). A cell that a
 * spreadsheet would run as a formula (starting with = + - @, or tab or CR) gets a leading apostrophe,
 * so a user name like "=HYPERLINK(…)" stays text (OWASP CSV injection).
 */
export function csvCell(value) {
  let text = value === null || value === undefined ? '' : String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** The CSV text of a header row and data rows (arrays of plain values), CRLF line ends. */
export function toCsv(headers, rows) {
  return [headers, ...rows].map((row) => row.map(csvCell).join(',')).join('\r\n') + '\r\n';
}

/** Offers the CSV as a download named <name>.csv. */
export function downloadCsv(name, headers, rows) {
  const blob = new Blob([toCsv(headers, rows)], { type: 'text/csv;charset=utf-8' });
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = `${name}.csv`;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
