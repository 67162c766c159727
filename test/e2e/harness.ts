// Plain helpers for the browser tests: the server under test (`baseUrl`, started by ./global-setup), the dev
// mailbox (`readMailbox()`, `waitForMail()`), mail-link helpers and unique test identities. Browser pages come
// from the fixtures in ./fixtures.

/** Origin of the wrangler dev server under test, e.g. http://127.0.0.1:41234; "" when the browser tests are skipped. */
export const baseUrl = process.env.ROOST_E2E_BASE_URL ?? "";

export interface Mail {
  id: number;
  to: string;
  subject: string;
  text: string;
  html: string;
  status: string;
  created_at: string | number;
}

/** Every captured mail, newest first (GET /dev/mail.json), on the server under test or the one at `origin`. */
export async function readMailbox(origin = baseUrl): Promise<Mail[]> {
  const response = await fetch(`${origin}/dev/mail.json`);
  if (!response.ok) throw new Error(`GET /dev/mail.json answered ${response.status}`);
  return (await response.json()) as Mail[];
}

/**
 * The newest mail to `to` (whose subject matches, if given). Mail goes through the Queue consumer, so it
 * appears a moment after the request that sent it: poll.
 */
export async function waitForMail(to: string, options: { subject?: string | RegExp; timeoutMs?: number; origin?: string } = {}): Promise<Mail> {
  const { subject, timeoutMs = 20_000, origin } = options;
  const wanted = to.toLowerCase();
  const matches = (mail: Mail) =>
    mail.to.toLowerCase().includes(wanted) &&
    (subject === undefined || (typeof subject === "string" ? mail.subject.startsWith(subject) : subject.test(mail.subject)));
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const mails = await readMailbox(origin);
    const found = mails.find(matches);
    if (found) return found;
    if (Date.now() > deadline) {
      const seen =
        mails
          .slice(0, 5)
          .map((m) => `${m.to}: ${m.subject}`)
          .join("; ") || "none";
      throw new Error(`no mail to ${to}${subject ? ` with subject ${subject}` : ""} within ${timeoutMs / 1000}s (newest: ${seen})`);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** The first http(s) link in a plain-text mail body. */
export function firstLink(text: string): string {
  const match = /https?:\/\/[^\s<>"')\]]+/.exec(text);
  if (!match) throw new Error(`no link in mail text:\n${text}`);
  return match[0];
}

/** The same path, query and fragment on the server under test, or at `origin` (mail links are built from BASE_URL). */
export function onTestServer(link: string, origin = baseUrl): string {
  const url = new URL(link);
  return new URL(url.pathname + url.search + url.hash, origin).toString();
}

/** A username no earlier run used: starts with a letter, then letters, digits and underscores. */
export function uniqueUsername(prefix = "user"): string {
  return `${prefix}_${Date.now().toString(36)}${Math.random().toString(36).slice(2, 7)}`;
}

export function uniqueEmail(username = uniqueUsername()): string {
  return `${username}@example.com`;
}
