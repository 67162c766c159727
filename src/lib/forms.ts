// Form parsing and validation: a zod schema per form, errors keyed by field name, and the values the
// user typed (never passwords) to put back in the form.
import type { Context } from "hono";
import type { z } from "zod";

export type FieldErrors = Record<string, string>;
export type FormResult<T> = { ok: true; data: T } | { ok: false; errors: FieldErrors; values: Record<string, string> };

const SECRET_FIELDS = new Set(["password", "password2", "old_password"]);

/** Reads a urlencoded or multipart body; anything that is not a plain string (a file) becomes "". */
export async function readForm(c: Context): Promise<Record<string, string>> {
  const type = c.req.header("Content-Type") ?? "";
  if (!type.startsWith("application/x-www-form-urlencoded") && !type.startsWith("multipart/form-data")) return {};
  const body = await c.req.parseBody();
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(body)) out[k] = typeof v === "string" ? v : "";
  return out;
}

export function validate<S extends z.ZodType>(schema: S, raw: Record<string, string>): FormResult<z.output<S>> {
  const values: Record<string, string> = {};
  for (const [k, v] of Object.entries(raw)) if (!SECRET_FIELDS.has(k)) values[k] = v;
  // A missing field is an empty one, so it gets its own "required" message, not a type error.
  const shape = (schema as unknown as { shape?: Record<string, unknown> }).shape ?? {};
  const input: Record<string, string> = { ...raw };
  for (const key of Object.keys(shape)) input[key] ??= "";
  const parsed = schema.safeParse(input);
  if (parsed.success) return { ok: true, data: parsed.data };
  const errors: FieldErrors = {};
  for (const issue of parsed.error.issues) {
    const field = String(issue.path[0] ?? "_form");
    errors[field] ??= issue.message;
  }
  return { ok: false, errors, values };
}
