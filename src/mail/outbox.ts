// Producer side of mail: a mail is a `mail_outbox` row written in the caller's D1 batch, then its id is
// enqueued. If the enqueue is lost, the scheduled sweeper (mail/sweeper.ts) re-enqueues pending rows.
import type { Db } from "../db";
import { mailOutbox } from "../db/schema";
import { log } from "../lib/log";

export type RenderedMail = { subject: string; text: string; html: string };
export type OutgoingMail = RenderedMail & { to: string; kind: string };
export type MailMessage = { outboxId: number };

/** The INSERT for one mail, to put in the same db.batch() as the change that causes it. */
export function outboxInsert(db: Db, mail: OutgoingMail, now = Date.now()) {
  return db
    .insert(mailOutbox)
    .values({ to: mail.to, kind: mail.kind, subject: mail.subject, text: mail.text, html: mail.html, status: "pending", createdAt: now })
    .returning({ id: mailOutbox.id });
}

/** Enqueue committed outbox rows. Failures are logged, not thrown: the sweeper retries them. */
export async function enqueueMail(queue: Queue, outboxIds: number[]): Promise<void> {
  if (outboxIds.length === 0) return;
  try {
    await queue.sendBatch(outboxIds.map((outboxId) => ({ body: { outboxId } satisfies MailMessage })));
  } catch (err) {
    log("error", "mail enqueue failed; sweeper will retry", { outboxIds, error: String(err) });
  }
}
