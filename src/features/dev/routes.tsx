// Development-only routes: the mailbox at /dev/mail (HTML) and /dev/mail.json (for scripts and browser
// tests). They show mailed secrets (confirm and reset links), so outside development they do not exist.
import { desc } from "drizzle-orm";
import { Hono } from "hono";
import { mailOutbox } from "../../db/schema";
import type { WebEnv } from "../../env";
import { renderPage } from "../../views/render";
import { MailboxPage } from "./views";

const MAILBOX_LIMIT = 100;

export const devRoutes = new Hono<WebEnv>();

devRoutes.use("*", async (c, next) => {
  if (!c.get("config").isDevelopment) return c.notFound();
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
