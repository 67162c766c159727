// Error reports for the operator: an unexpected 500 is mailed to ADMIN_EMAIL through the mail queue,
// at most once per error kind per hour (an exact D1 window), so a failing deploy does not flood a mailbox.

import { getConfig, HOUR } from "../config";
import { getDb } from "../db";
import { reserve } from "../lib/rate-limit";
import { sha256Hex } from "../lib/tokens";
import { enqueueMail, outboxInsert } from "./outbox";
import { renderMail } from "./render";

export type ErrorContext = { requestId: string; method: string; path: string };

/** The same error thrown from the same place is one kind: its name, message shape and top stack frame. */
export function errorKind(err: unknown): string {
  const e = err instanceof Error ? err : new Error(String(err));
  const frame = e.stack?.split("\n").find((line) => line.trim().startsWith("at ")) ?? "";
  const message = e.message.replace(/\d+/g, "N").slice(0, 200);
  return sha256Hex(`${e.name}|${message}|${frame.trim()}`).slice(0, 16);
}

export async function reportError(env: Env, err: unknown, ctx: ErrorContext, now = Date.now()): Promise<boolean> {
  const cfg = getConfig(env);
  if (!cfg.adminEmail) return false;
  const db = getDb(env.DB);
  const kind = errorKind(err);
  const slot = await reserve(db, "error-mail", kind, { max: 1, windowMs: HOUR }, now);
  if (!slot.ok) return false;
  const e = err instanceof Error ? err : new Error(String(err));
  const mail = renderMail(cfg.appName, {
    subject: `Error: ${e.name}: ${e.message}`.slice(0, 150),
    greeting: "An unexpected error reached a visitor as a 500 page.",
    paragraphs: [
      `Request: ${ctx.method} ${ctx.path} (request id ${ctx.requestId}) at ${new Date(now).toISOString()}.`,
      `Error kind ${kind}. Further errors of this kind are not mailed for an hour; they are all in the logs.`,
      e.stack ?? String(err),
    ],
    closing: [],
  });
  const [rows] = await db.batch([outboxInsert(db, { ...mail, to: cfg.adminEmail, kind: "error_report" }, now)]);
  await enqueueMail(
    env.MAIL_QUEUE,
    rows.map((r) => r.id),
  );
  return true;
}
