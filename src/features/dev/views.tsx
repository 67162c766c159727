// Views of the development mailbox: every captured or sent mail with its text body, links clickable, so
// confirm / reset flows can be followed locally without a mail server. JSX escapes everything else.
import type { Child } from "hono/jsx";
import { t } from "../../i18n";
import { LinkedText, SLOT } from "../../views/linked-text";

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
          <dt>{t("dev.to")}</dt>
          <dd>{mail.to}</dd>
          <dt>{t("dev.kind")}</dt>
          <dd>{mail.kind}</dd>
          <dt>{t("dev.status")}</dt>
          <dd class={`mail-status mail-status-${mail.status}`}>
            {mail.status}
            {mail.attempts > 1 ? t("dev.attempts", { count: mail.attempts }) : ""}
          </dd>
          <dt>{t("dev.queued")}</dt>
          <dd>
            <time datetime={iso}>{iso.replace("T", " ").replace(/\.\d+Z$/, " UTC")}</time>
          </dd>
          {mail.lastError && (
            <>
              <dt>{t("dev.lastError")}</dt>
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
      <h1>{t("dev.title")}</h1>
      <p>
        <LinkedText text={t("dev.captured", { link: SLOT })} link={<code>MAIL_API_URL</code>} />{" "}
        <LinkedText text={t("dev.newest", { limit: props.limit, link: SLOT })} link={<a href="/dev/mail.json">JSON</a>} />
      </p>
      {props.mails.length === 0 ? <p>{t("dev.empty")}</p> : props.mails.map((mail) => <MailItem mail={mail} />)}
    </section>
  );
}
