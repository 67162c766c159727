// Development-only routes: the mailbox at /dev/mail (HTML) and /dev/mail.json (for scripts and browser
// tests). They show mailed secrets (confirm and reset links), so outside development, or when reached
// through any host but loopback, they do not exist.
import { desc } from "drizzle-orm";
import { Hono } from "hono";
import { mailOutbox } from "../../db/schema";
import type { WebEnv } from "../../env";
import { renderPage } from "../../views/render";
import { MailboxPage } from "./views";

const MAILBOX_LIMIT = 100;

export const devRoutes = new Hono<WebEnv>();

const LOOPBACK = new Set(["127.0.0.1", "localhost", "[::1]"]);

/** "127.0.0.1:8787" → true; a missing or unparsable host is not loopback. */
function isLoopback(host: string | undefined): boolean {
  if (!host) return false;
  try {
    return LOOPBACK.has(new URL(`http://${host}`).hostname);
  } catch {
    return false;
  }
}

// Both the environment and the host: `wrangler deploy` without --env production ships
// ENVIRONMENT=development, and the mailbox must still not exist on a public host.
devRoutes.use("*", async (c, next) => {
  const url = new URL(c.req.url);
  const host = c.req.header("Host") ?? url.host;
  if (!c.get("config").isDevelopment || !isLoopback(url.host) || !isLoopback(host)) return c.notFound();
  await next();
  // Mailed tokens must not linger in any cache.
  c.header("Cache-Control", "no-store");
});

devRoutes.get("/mail", async (c) => {
  const db = c.get("db");
  const mails = await db
    .select({
      id: mailOutbox.id,
      to: mailOutbox.to,
      kind: mailOutbox.kind,
      subject: mailOutbox.subject,
      text: mailOutbox.text,
      status: mailOutbox.status,
      attempts: mailOutbox.attempts,
      lastError: mailOutbox.lastError,
      createdAt: mailOutbox.createdAt,
    })
    .from(mailOutbox)
    .orderBy(desc(mailOutbox.createdAt), desc(mailOutbox.id))
    .limit(MAILBOX_LIMIT)
    .all();
  return renderPage(c, { title: "Development mailbox" }, <MailboxPage mails={mails} limit={MAILBOX_LIMIT} />);
});

devRoutes.get("/mail.json", async (c) => {
  const db = c.get("db");
  const rows = await db
    .select({
      id: mailOutbox.id,
      to: mailOutbox.to,
      subject: mailOutbox.subject,
      text: mailOutbox.text,
      html: mailOutbox.html,
      status: mailOutbox.status,
      createdAt: mailOutbox.createdAt,
    })
    .from(mailOutbox)
    .orderBy(desc(mailOutbox.createdAt), desc(mailOutbox.id))
    .limit(MAILBOX_LIMIT)
    .all();
  return c.json(rows.map(({ createdAt, ...mail }) => ({ ...mail, created_at: new Date(createdAt).toISOString() })));
});
