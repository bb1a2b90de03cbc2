/** CSV cells that are safe to open in a spreadsheet. */

/**
 * One CSV cell: formula-looking text (`=`, `+`, `-`, `@`, tab, CR first) gets a leading `'` so a
 * spreadsheet shows it instead of running it; cells with a comma, quote or line break are quoted.
 *
 * @example csvCell('=HYPERLINK("x")') // "'=HYPERLINK(""x"")" quoted
 */
export function csvCell(v: unknown): string {
  if (v === null || v === undefined) return '';
  let s = typeof v === 'string' ? v : typeof v === 'object' ? JSON.stringify(v) : String(v);
  if (typeof v !== 'number' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** One CSV line (CRLF, as RFC 4180 says). */
export const csvLine = (cells: unknown[]) => `${cells.map(csvCell).join(',')}\r\n`;
