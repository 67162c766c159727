// Structured logs: one JSON object per line, so Workers Logs (and `wrangler tail`) can filter on fields.

export type LogLevel = "info" | "warn" | "error";

/** Writes `{level, msg, ...fields}` as one line; errors and warnings go to stderr. */
export function log(level: LogLevel, msg: string, fields: Record<string, unknown> = {}): void {
  const line = JSON.stringify({ level, msg, ...fields });
  if (level === "error") console.error(line);
  else if (level === "warn") console.warn(line);
  else console.log(line);
}
