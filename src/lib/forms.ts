// Form parsing and validation: a zod schema per form, errors keyed by field name, and the values the
// user typed (never passwords) to put back in the form.
import type { z } from "zod";
import { type PlainKey, t } from "../i18n";
import { AppError } from "./errors";

export type FieldErrors = Record<string, string>;
export type FormResult<T> = { ok: true; data: T } | { ok: false; errors: FieldErrors; values: Record<string, string> };

const SECRET_FIELDS = new Set(["password", "password2", "old_password"]);

// Browsers send our forms as UTF-8 urlencoded (or multipart with a file input); anything else is a
// client's mistake or a probe. Each is a 400 with a plain message (an AppError, so the error handler
// renders it and never reports it): never a 500, never half-read fields reaching a handler. In the reader's
// language (only web forms are parsed here).
const FORM_ERRORS = {
  notAForm: "error.notAForm",
  notUtf8: "error.notUtf8",
  malformed: "error.malformed",
} as const satisfies Record<string, PlainKey>;

const FORM_TYPES = new Set(["application/x-www-form-urlencoded", "multipart/form-data"]);
/**
 * Parses a urlencoded or multipart body. An empty body is an empty form; a file becomes "". Throws a 400
 * AppError for a body that is not a UTF-8 web form.
 */
export async function parseFormBody(contentType: string, bytes: Uint8Array): Promise<Record<string, string>> {
  if (bytes.length === 0) return {};
  const [media = "", ...params] = contentType.split(";").map((p) => p.trim());
  if (!FORM_TYPES.has(media.toLowerCase())) throw badForm(FORM_ERRORS.notAForm);
  const charset = params.find((p) => /^charset\s*=/i.test(p))?.replace(/^charset\s*=\s*"?([^"]*)"?$/i, "$1");
  if (charset !== undefined && !/^utf-?8$/i.test(charset)) throw badForm(FORM_ERRORS.notUtf8);
  const fields = media.toLowerCase() === "multipart/form-data" ? await parseMultipart(contentType, bytes) : parseUrlEncoded(bytes);
  if (!fields) throw badForm(FORM_ERRORS.malformed);
  return fields;
}

/** Strict application/x-www-form-urlencoded: UTF-8 only, every % followed by a valid UTF-8 escape. */
export function parseUrlEncoded(bytes: Uint8Array): Record<string, string> | null {
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    return null;
  }
  // (URLSearchParams would silently keep "%ZZ" and turn bad bytes into U+FFFD.)
  const decode = (s: string) => decodeURIComponent(s.replaceAll("+", " "));
  const fields = new Map<string, string>();
  try {
    for (const pair of text.split("&")) {
      if (pair === "") continue;
      const eq = pair.indexOf("=");
      fields.set(decode(eq < 0 ? pair : pair.slice(0, eq)), eq < 0 ? "" : decode(pair.slice(eq + 1)));
    }
  } catch {
    return null; // URIError: a bad escape, or escapes that are not UTF-8
  }
  return Object.fromEntries(fields);
}

async function parseMultipart(contentType: string, bytes: Uint8Array): Promise<Record<string, string> | null> {
  let data: FormData;
  try {
    // workerd's parser refuses a missing boundary and a truncated body (TypeError).
    data = await new Response(bytes, { headers: { "Content-Type": contentType } }).formData();
  } catch {
    return null;
  }
  const fields = new Map<string, string>();
  data.forEach((v, k) => {
    fields.set(k, typeof v === "string" ? v : "");
  });
  return Object.fromEntries(fields);
}

const badForm = (message: PlainKey) => new AppError(400, t(message));

export function validate<S extends z.ZodType>(schema: S, raw: Record<string, string>): FormResult<z.output<S>> {
  const values: Record<string, string> = {};
  for (const [k, v] of Object.entries(raw)) if (!SECRET_FIELDS.has(k)) values[k] = v;
  // A missing field is an empty one, so it gets its own "required" message, not a type error.
  const shape = "shape" in schema && typeof schema.shape === "object" && schema.shape !== null ? schema.shape : {};
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
