// The notifications page, its mail settings form and the nav's badge. Pure components: props in, JSX out.
import { t } from "../../i18n";
import type { KeysetPage } from "../../lib/pagination";
import { Avatar } from "../../views/avatar";
import { Checkbox, FormError, HxForm } from "../../views/form";
import { Pager } from "../../views/pager";
import { RelTime } from "../../views/time";
import { excerptOf, KIND_NAMES, KINDS, type NotificationKind, sentenceOf } from "./kinds";
import type { NotificationItem } from "./queries";

const linkOf = (n: NotificationItem) =>
  n.url ?? (n.kind === "follow" ? (n.remoteProfile ? null : `/user/${encodeURIComponent(n.actor)}`) : n.postId ? `/post/${n.postId}#comments` : null);

/** Where the actor's name sits in a sentence: a character no name or translation contains. */
const ACTOR_MARK = "\u0000";

/**
 * A line whose latest actor is on another server (issue 13): Roost's generated picture for their handle (a
 * remote picture would be a hotlink), the handle linking to their profile there, and the rest of the sentence
 * linking to what it is about (the post, or a mention's note).
 */
function RemoteSentence(props: { n: NotificationItem; profile: string; href: string | null }) {
  const { n } = props;
  const [before = "", after = ""] = sentenceOf(n.kind, { actor: ACTOR_MARK, others: n.actors - 1, excerpt: excerptOf(n.excerpt) }).split(ACTOR_MARK);
  const rel = n.url && props.href === n.url ? "nofollow noopener" : undefined;
  return (
    <>
      <Avatar user={{ id: 0, username: n.actor, avatar: null }} size={24} /> {before}
      <a href={props.profile} class="remote-author" rel="nofollow noopener">
        {n.actor}
      </a>
      {props.href ? (
        <a href={props.href} rel={rel}>
          {after}
        </a>
      ) : (
        after
      )}
    </>
  );
}

export function NotificationEntry(props: { n: NotificationItem; tz: string; now: number }) {
  const { n } = props;
  const href = linkOf(n);
  const text = sentenceOf(n.kind, { actor: n.actor, others: n.actors - 1, excerpt: excerptOf(n.excerpt) });
  return (
    <li class={n.unread ? "notification unread" : "notification"}>
      {n.unread && <span class="visually-hidden">{t("notifications.new")}</span>}
      {n.remoteProfile ? <RemoteSentence n={n} profile={n.remoteProfile} href={href} /> : href ? <a href={href}>{text}</a> : text}{" "}
      <RelTime ts={n.createdAt} tz={props.tz} now={props.now} />
    </li>
  );
}

export function NotificationsPage(props: { page: KeysetPage<NotificationItem>; tz: string; now: number }) {
  const { page } = props;
  return (
    <section>
      <h1>{t("notifications.title")}</h1>
      <p>
        <a href="/notifications/settings">{t("notifications.mailLink")}</a>
      </p>
      {page.items.length === 0 ? (
        <p class="muted">{page.page === 1 ? t("notifications.empty") : t("notifications.noMore")}</p>
      ) : (
        <ul class="notifications">
          {page.items.map((n) => (
            <NotificationEntry n={n} tz={props.tz} now={props.now} />
          ))}
        </ul>
      )}
      <Pager basePath="/notifications" page={page} />
    </section>
  );
}

export function MailSettingsForm(props: { chosen: NotificationKind[]; error?: string; saved?: boolean }) {
  return (
    <HxForm id="notification-mail-form" action="/notifications/settings">
      <FormError error={props.error} />
      {props.saved && (
        <p class="flash flash-success" role="status">
          {t("notifications.saved")}
        </p>
      )}
      <fieldset>
        <legend>{t("notifications.mailLegend")}</legend>
        {KIND_NAMES.map((k) => (
          <Checkbox form="notification-mail" name={`mail_${k}`} label={KINDS[k].label()} checked={props.chosen.includes(k)} />
        ))}
      </fieldset>
      <button type="submit">{t("notifications.save")}</button>
    </HxForm>
  );
}

export function MailSettingsPage(props: { chosen: NotificationKind[]; error?: string }) {
  return (
    <section class="narrow">
      <h1>{t("notifications.mailTitle")}</h1>
      <p>{t("notifications.mailIntro")}</p>
      <MailSettingsForm chosen={props.chosen} error={props.error} />
    </section>
  );
}
