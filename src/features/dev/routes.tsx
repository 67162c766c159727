// Development-only routes: the mailbox at /dev/mail (HTML) and /dev/mail.json (for scripts and browser
// tests). They show mailed secrets (confirm and reset links), so outside development, or when reached
// through any host but loopback, they do not exist.
import { desc } from "drizzle-orm";
import { Hono } from "hono";
import type { Db } from "../../db";
import { mailOutbox } from "../../db/schema";
import type { WebEnv } from "../../env";
import { t } from "../../i18n";
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

/** The newest mails, newest first, with every column either view shows. */
function latestMails(db: Db) {
  return db.select().from(mailOutbox).orderBy(desc(mailOutbox.createdAt), desc(mailOutbox.id)).limit(MAILBOX_LIMIT).all();
}

devRoutes.get("/mail", async (c) => {
  const mails = await latestMails(c.get("db"));
  return renderPage(c, { title: t("dev.title") }, <MailboxPage mails={mails} limit={MAILBOX_LIMIT} />);
});

devRoutes.get("/mail.json", async (c) => {
  const rows = await latestMails(c.get("db"));
  return c.json(
    rows.map(({ id, to, subject, text, html, status, createdAt }) => ({ id, to, subject, text, html, status, created_at: new Date(createdAt).toISOString() })),
  );
});
