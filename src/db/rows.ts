// Rows of one statement of a raw D1 batch (`db.$client.batch`, used where one round trip mixes statements
// Drizzle's batch cannot take), typed as that statement's SQL selects them.

/** The rows of `result`, typed as the caller's SQL selects them (none for a missing result). */
export function rowsOf<T>(result: D1Result | undefined): T[] {
  // Cast: D1's batch() types every statement alike (rows as unknown); the row shape is fixed by the caller's SQL.
  return (result?.results ?? []) as T[];
}
