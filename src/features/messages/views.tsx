// The conversations list, a conversation's page, one message and the reply form. Pure components.
import { raw } from "hono/html";
import { t } from "../../i18n";
import { renderPlainTextWithLinks } from "../../lib/markdown";
import { FormError, HxForm } from "../../views/form";
import { RelTime } from "../../views/time";
import type { ConversationItem, MessageItem } from "./queries";
import { MAX_MESSAGE_LENGTH } from "./schemas";

const threadPath = (username: string) => `/messages/${encodeURIComponent(username)}`;

export function MessageEntry(props: { m: MessageItem; me: number; otherName: string; tz: string; now: number }) {
  const { m } = props;
  const mine = m.senderId === props.me;
  return (
    <li class={mine ? "message mine" : "message"} id={`message-${m.id}`}>
      <p class="message-meta">
        <strong>{mine ? t("messages.you") : props.otherName}</strong> <RelTime ts={m.createdAt} tz={props.tz} now={props.now} />
      </p>
      {/* Escaped text whose only markup is links made from bare URLs (lib/markdown.ts). */}
      <p class="message-body">{raw(renderPlainTextWithLinks(m.body))}</p>
    </li>
  );
}

/**
 * The reply form: without JavaScript a POST and a redirect back; with htmx the new message is appended to
 * the thread and the form comes back empty (out of band). An error replaces the form.
 */
export function MessageForm(props: { username: string; body?: string; error?: string; oob?: boolean }) {
  const action = threadPath(props.username);
  return (
    <HxForm id="message-form" action={action} target="#messages" swap="beforeend" swapOob={props.oob ? "outerHTML" : undefined}>
      <FormError error={props.error} />
      <label for="message-body">{t("messages.label")}</label>
      <textarea id="message-body" name="body" rows={3} maxlength={MAX_MESSAGE_LENGTH} required aria-invalid={props.error ? "true" : undefined}>
        {props.body ?? ""}
      </textarea>
      <button type="submit">{t("messages.send")}</button>
    </HxForm>
  );
}

export function ThreadPage(props: { otherName: string; me: number; items: MessageItem[]; tz: string; now: number; form?: unknown }) {
  return (
    <section class="narrow">
      <p>
        <a href="/messages">{t("messages.allMessages")}</a>
      </p>
      <h1>
        {t("messages.withPrefix")} <a href={`/user/${encodeURIComponent(props.otherName)}`}>{props.otherName}</a>
      </h1>
      <p class="muted">{t("messages.private", { username: props.otherName })}</p>
      <ol id="messages" class="messages">
        {props.items.map((m) => (
          <MessageEntry m={m} me={props.me} otherName={props.otherName} tz={props.tz} now={props.now} />
        ))}
      </ol>
      {props.form ?? <MessageForm username={props.otherName} />}
    </section>
  );
}

export function ConversationsPage(props: { items: ConversationItem[]; tz: string; now: number }) {
  return (
    <section class="narrow">
      <h1>{t("messages.title")}</h1>
      {props.items.length === 0 ? (
        <p class="muted">{t("messages.empty")}</p>
      ) : (
        <ul class="conversations">
          {props.items.map((c) => (
            <li class={c.unread ? "conversation unread" : "conversation"}>
              {c.unread && <span class="visually-hidden">{t("messages.unread")}</span>}
              <a href={threadPath(c.username)}>{c.username}</a> <RelTime ts={c.lastAt} tz={props.tz} now={props.now} />
              {c.lastBody !== null && (
                <p class="muted">
                  {c.lastFromMe ? t("messages.youPrefix") : ""}
                  {c.lastBody.length > 80 ? `${c.lastBody.slice(0, 79)}…` : c.lastBody}
                </p>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
