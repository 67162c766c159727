// Reads the form body of every unsafe web request before its route runs, so a body that is not a UTF-8
// web form (JSON, a multipart body without boundary or cut short, bad percent-encoding, another charset)
// answers 400 with a plain message on every POST route — also on those that never look at their body —
// instead of a 500 or half-read fields. Routes get the parsed fields from readForm.
import type { Context, MiddlewareHandler } from "hono";
import type { WebEnv } from "../env";
import { parseFormBody } from "../lib/forms";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);
const parsed = new WeakMap<Request, Promise<Record<string, string>>>();

/**
 * The request's form fields, parsed once per request (later calls get the same fields). Throws the 400
 * AppError for a body that is not a UTF-8 web form (lib/forms.ts).
 */
export function readForm(c: Context): Promise<Record<string, string>> {
  let form = parsed.get(c.req.raw);
  if (!form) {
    form = c.req.arrayBuffer().then((buf) => parseFormBody(c.req.header("Content-Type") ?? "", new Uint8Array(buf)));
    parsed.set(c.req.raw, form);
  }
  return form;
}

export const formBody: MiddlewareHandler<WebEnv> = async (c, next) => {
  if (!SAFE_METHODS.has(c.req.method)) await readForm(c); // throws the 400
  await next();
};

/**
 * The bytes of the file sent in multipart field `name` (after formBody accepted the body), or null when
 * the field is missing or not a file. The body is already buffered by readForm (Hono caches it).
 */
export async function readFile(c: Context, name: string): Promise<Uint8Array | null> {
  await readForm(c);
  const type = c.req.header("Content-Type") ?? "";
  if (!type.toLowerCase().startsWith("multipart/form-data")) return null;
  const data = await new Response(await c.req.arrayBuffer(), { headers: { "Content-Type": type } }).formData();
  const file: unknown = data.get(name);
  return file instanceof File ? new Uint8Array(await file.arrayBuffer()) : null;
}
