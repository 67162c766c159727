// The notifications page, its mail settings form and the nav's badge. Pure components: props in, JSX out.
import { t } from "../../i18n";
import type { KeysetPage } from "../../lib/pagination";
import { Checkbox, FormError, HxForm } from "../../views/form";
import { Pager } from "../../views/pager";
import { RelTime } from "../../views/time";
import { excerptOf, KIND_NAMES, KINDS, type NotificationKind, sentenceOf } from "./kinds";
import type { NotificationItem } from "./queries";

const linkOf = (n: NotificationItem) => (n.kind === "follow" ? `/user/${encodeURIComponent(n.actor)}` : n.postId ? `/post/${n.postId}#comments` : null);

export function NotificationEntry(props: { n: NotificationItem; tz: string; now: number }) {
  const { n } = props;
  const text = sentenceOf(n.kind, { actor: n.actor, others: n.actors - 1, excerpt: excerptOf(n.excerpt) });
  const href = linkOf(n);
  return (
    <li class={n.unread ? "notification unread" : "notification"}>
      {n.unread && <span class="visually-hidden">{t("notifications.new")}</span>}
      {href ? <a href={href}>{text}</a> : text} <RelTime ts={n.createdAt} tz={props.tz} now={props.now} />
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
