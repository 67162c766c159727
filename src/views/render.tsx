// Response helpers shared by every feature: a full page through the layout, or just the fragment when
// htmx asks for a partial swap; redirects that also work for htmx partial requests.
import type { Context } from "hono";
import type { Child } from "hono/jsx";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { WebEnv } from "../env";
import { takeFlashes } from "../views/flash";
import { Layout } from "./layout";

/** htmx partial request: not boosted navigation (that targets <body>) and not a history restore. */
export function isPartial(c: Context): boolean {
  return c.req.header("HX-Request") === "true" && c.req.header("HX-Request-Type") === "partial" && c.req.header("HX-History-Restore-Request") !== "true";
}

export type PageOptions = {
  title: string;
  status?: ContentfulStatusCode;
  /** What htmx partial requests get instead of the whole page (defaults to the body itself). */
  fragment?: Child;
  /** Extra elements for <head> (feed links, meta tags); full pages only. */
  head?: Child;
};

export async function renderPage(c: Context<WebEnv>, opts: PageOptions, body: Child): Promise<Response> {
  c.header("Vary", "HX-Request, HX-Request-Type", { append: true });
  const status = opts.status ?? 200;
  if (isPartial(c)) return c.html(<>{opts.fragment ?? body}</>, status);
  const flashes = await takeFlashes(c);
  return c.html(
    <Layout c={c} title={opts.title} flashes={flashes} head={opts.head}>
      {body}
    </Layout>,
    status,
  );
}

/** Redirect after a POST (303). htmx partial requests get HX-Redirect so the whole page navigates. */
export function redirect(c: Context, location: string): Response {
  if (isPartial(c)) {
    c.header("HX-Redirect", location);
    return c.body(null, 200);
  }
  return c.redirect(location, 303);
}
