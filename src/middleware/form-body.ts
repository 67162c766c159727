// Reads the form body of every unsafe web request before its route runs, so a body that is not a UTF-8
// web form (JSON, a multipart body without boundary or cut short, bad percent-encoding, another charset)
// answers 400 with a plain message on every POST route — also on those that never look at their body —
// instead of a 500 or half-read fields. Routes get the parsed fields from readForm (lib/forms.ts).
import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "../env";
import { readForm } from "../lib/forms";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

export const formBody: MiddlewareHandler<AppEnv> = async (c, next) => {
  if (!SAFE_METHODS.has(c.req.method)) await readForm(c); // throws the 400
  await next();
};
