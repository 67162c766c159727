// Recognising constraint failures in errors from D1 (through Drizzle, which wraps the driver's error as
// `cause`), so a race lost to a UNIQUE or FOREIGN KEY constraint can get its own answer instead of a 500.

function messages(err: unknown): string {
  const parts: string[] = [];
  for (let e: unknown = err, depth = 0; e !== undefined && e !== null && depth < 5; depth++) {
    parts.push(e instanceof Error ? e.message : String(e));
    e = e instanceof Error ? e.cause : undefined;
  }
  return parts.join("\n");
}

/** A FOREIGN KEY failure: the row referred to does not exist (any more). */
export function isForeignKeyViolation(err: unknown): boolean {
  return messages(err).includes("FOREIGN KEY constraint failed");
}

/** A UNIQUE failure, on `column` (e.g. "users.email") when given. */
export function isUniqueViolation(err: unknown, column?: string): boolean {
  const text = messages(err);
  return text.includes("UNIQUE constraint failed") && (column === undefined || text.includes(column));
}
