// Views of the development mailbox: every captured or sent mail with its text body, links clickable, so
// confirm / reset flows can be followed locally without a mail server. JSX escapes everything else.
import type { Child } from "hono/jsx";

export type MailboxEntry = {
  id: number;
  to: string;
  kind: string;
  subject: string;
  text: string;
  status: string;
  attempts: number;
  lastError: string | null;
  createdAt: number;
};

const URL_PATTERN = /https?:\/\/[^\s<>"']+/g;
/** Sentence punctuation that follows a link in prose is not part of it. */
const TRAILING_PUNCTUATION = /[.,;:!?)\]]+$/;

/** Text with its http(s) URLs as links; only the URL scheme check lets anything become an href. */
export function linkify(text: string): Child[] {
  const parts: Child[] = [];
  let last = 0;
  for (const match of text.matchAll(URL_PATTERN)) {
    const url = match[0].replace(TRAILING_PUNCTUATION, "");
    const start = match.index;
    if (start > last) parts.push(text.slice(last, start));
    parts.push(
      <a href={url} rel="noreferrer">
        {url}
      </a>,
    );
    last = start + url.length;
  }
  if (last < text.length) parts.push(text.slice(last));
  return parts;
}

function MailItem(props: { mail: MailboxEntry }) {
  const { mail } = props;
  const iso = new Date(mail.createdAt).toISOString();
  return (
    <article class="dev-mail" id={`mail-${mail.id}`}>
      <header>
        <h2>{mail.subject}</h2>
        <dl>
          <dt>To</dt>
          <dd>{mail.to}</dd>
          <dt>Kind</dt>
          <dd>{mail.kind}</dd>
          <dt>Status</dt>
          <dd class={`mail-status mail-status-${mail.status}`}>
            {mail.status}
            {mail.attempts > 1 ? ` (${mail.attempts} attempts)` : ""}
          </dd>
          <dt>Queued</dt>
          <dd>
            <time datetime={iso}>{iso.replace("T", " ").replace(/\.\d+Z$/, " UTC")}</time>
          </dd>
          {mail.lastError && (
            <>
              <dt>Last error</dt>
              <dd>{mail.lastError}</dd>
            </>
          )}
        </dl>
      </header>
      <pre class="mail-text">{linkify(mail.text)}</pre>
    </article>
  );
}

export function MailboxPage(props: { mails: MailboxEntry[]; limit: number }) {
  return (
    <section class="dev-mailbox">
      <h1>Development mailbox</h1>
      <p>
        Mail is captured here instead of being sent while <code>MAIL_API_URL</code> is unset. The newest {props.limit} mails, newest first (also as{" "}
        <a href="/dev/mail.json">JSON</a>).
      </p>
      {props.mails.length === 0 ? <p>No mail yet.</p> : props.mails.map((mail) => <MailItem mail={mail} />)}
    </section>
  );
}
