// Sharing pages: the owner's list of read-only links (create, revoke, last use) with the public switch, the
// new link shown once (only its hash is stored), and the password form a protected link opens with.
import { t } from "../../i18n";
import type { FieldErrors } from "../../lib/forms";
import { Field, FormError } from "../../views/form";
import { LinkedText, SLOT } from "../../views/linked-text";
import { ScrollTable } from "../../views/table";
import { RelTime } from "../../views/time";
import { Button } from "../../views/ui/button";
import { SiteCrumbs } from "./crumbs";
import { SHARE_LABEL_MAX, SHARE_PASSWORD_MAX } from "./schemas";
import type { ShareItem, SharingSite } from "./sharing";

type FormState = { values?: Record<string, string>; errors?: FieldErrors };

export function SharingPage(props: { site: SharingSite; shares: ShareItem[]; publicUrl: string; newLink?: string; form?: FormState; tz: string }) {
  const { site, shares, form = {} } = props;
  const base = `/sites/${site.id}`;
  const errors = form.errors ?? {};
  return (
    <article class="site-sharing">
      <SiteCrumbs name={site.name} href={base} />
      <h1>{t("sites.share.title", { site: site.name })}</h1>
      {props.newLink ? (
        <section class="flash flash-success" role="status" aria-labelledby="new-link-title">
          <h2 id="new-link-title">{t("sites.share.newLink")}</h2>
          <p>{t("sites.share.copyNow")}</p>
          <p>
            <input class="copy-field" type="text" readonly value={props.newLink} aria-label={t("sites.share.newLinkLabel")} />
          </p>
        </section>
      ) : null}

      <section aria-labelledby="public-title">
        <h2 id="public-title">{t("sites.share.public")}</h2>
        <p>
          {site.isPublic ? (
            <LinkedText text={t("sites.share.publicAt", { url: SLOT })} link={<a href={props.publicUrl}>{props.publicUrl}</a>} />
          ) : (
            t("sites.share.private")
          )}
        </p>
        <form method="post" action={`${base}/public`} class="stack-form inline-form">
          <input type="hidden" name="public" value={site.isPublic ? "" : "y"} />
          <Button variant={site.isPublic ? "secondary" : "primary"}>{site.isPublic ? t("sites.share.makePrivate") : t("sites.share.makePublic")}</Button>
        </form>
      </section>

      <section aria-labelledby="links-title">
        <h2 id="links-title">{t("sites.share.links")}</h2>
        <p class="hint">{t("sites.share.linksHint")}</p>
        {/* Five columns are wider than a phone: the table scrolls in its own (focusable) box, as the visits do. */}
        <ScrollTable
          label={t("sites.share.links")}
          empty={t("sites.share.none")}
          class="shares-table"
          rows={shares}
          columns={[
            { header: t("sites.share.label"), cell: (s) => s.label },
            { header: t("sites.share.password"), cell: (s) => (s.hasPassword ? t("sites.share.yes") : t("sites.share.no")) },
            { header: t("sites.share.created"), cell: (s) => <RelTime ts={s.createdAt} tz={props.tz} /> },
            { header: t("sites.share.lastUsed"), cell: (s) => (s.lastUsedAt ? <RelTime ts={s.lastUsedAt} tz={props.tz} /> : t("sites.share.never")) },
            {
              header: <span class="visually-hidden">{t("sites.share.revoke")}</span>,
              cell: (s) => (
                <form method="post" action={`${base}/shares/${s.id}/revoke`}>
                  <Button variant="danger" label={t("sites.share.revokeLabel", { label: s.label })}>
                    {t("sites.share.revoke")}
                  </Button>
                </form>
              ),
            },
          ]}
        />
        <form method="post" action={`${base}/shares`} class="stack-form" novalidate>
          <FormError error={errors._form} />
          <Field form="share" name="label" label={t("sites.share.labelField")} value={form.values?.label} error={errors.label} maxlength={SHARE_LABEL_MAX} />
          <Field
            form="share"
            name="password"
            label={t("sites.share.passwordField")}
            type="password"
            autocomplete="new-password"
            hint={t("sites.share.passwordHint")}
            error={errors.password}
            maxlength={SHARE_PASSWORD_MAX}
          />
          <Button>{t("sites.share.create")}</Button>
        </form>
      </section>
    </article>
  );
}

/** What a password-protected link shows until the password is given. */
export function SharePasswordPage(props: { action: string; error?: string }) {
  return (
    <article class="narrow">
      <h1>{t("sites.share.protected")}</h1>
      <form method="post" action={props.action} class="stack-form" novalidate>
        <FormError error={props.error} />
        <Field
          form="unlock"
          name="password"
          label={t("sites.share.password")}
          type="password"
          autocomplete="current-password"
          required
          maxlength={SHARE_PASSWORD_MAX}
        />
        <Button>{t("sites.share.show")}</Button>
      </form>
    </article>
  );
}
