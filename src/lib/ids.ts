// Row ids in URLs: positive integers of at most 15 digits (safe as JS numbers). Anything else names no row,
// so handlers answer 404 without asking the database.

export const ID_PATTERN = /^[1-9]\d{0,14}$/;

export function parseId(raw: string | undefined): number | null {
  return raw !== undefined && ID_PATTERN.test(raw) ? Number(raw) : null;
}
