// CSV for the visits export (RFC 4180: CRLF rows, fields quoted when they hold a quote, comma or line
// break). Text fields come from the public (any page can send any path or event name), so a text field
// that a spreadsheet would run as a formula (=, +, -, @, tab, CR) gets a leading apostrophe.
// Numbers we produced ourselves (coordinates) are written as numbers, so "-118.25" stays a number.

export type CsvCell = string | number | null | undefined;

const FORMULA_START = /^[=+\-@\t\r]/;

/** One text field: neutralised if it looks like a formula, then quoted if it needs to be. */
export function csvText(value: string | null | undefined): string {
  if (value === null || value === undefined) return "";
  const safe = FORMULA_START.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

function csvNumber(value: number | null | undefined): string {
  return value === null || value === undefined || !Number.isFinite(value) ? "" : String(value);
}

export function csvRow(cells: CsvCell[]): string {
  return `${cells.map((c) => (typeof c === "number" ? csvNumber(c) : csvText(c))).join(",")}\r\n`;
}
