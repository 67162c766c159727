// Sharing pages: the owner's list of read-only links (create, revoke, last use) with the public switch, the
// new link shown once (only its hash is stored), and the password form a protected link opens with.
import type { FieldErrors } from "../../lib/forms";
import { Field, FormError } from "../../views/form";
import { DataTable } from "../../views/table";
import { RelTime } from "../../views/time";
import { Button } from "../../views/ui/button";
import { SHARE_LABEL_MAX, SHARE_PASSWORD_MAX } from "./schemas";
import type { ShareItem, SharingSite } from "./sharing";

type FormState = { values?: Record<string, string>; errors?: FieldErrors };

export function SharingPage(props: { site: SharingSite; shares: ShareItem[]; publicUrl: string; newLink?: string; form?: FormState; tz: string }) {
  const { site, shares, form = {} } = props;
  const base = `/sites/${site.id}`;
  const errors = form.errors ?? {};
  return (
    <article class="site-sharing">
      <p class="breadcrumbs">
        <a href="/sites">Your sites</a> › <a href={base}>{site.name}</a>
      </p>
      <h1>Share {site.name}</h1>
      {props.newLink ? (
        <section class="flash flash-success" role="status" aria-labelledby="new-link-title">
          <h2 id="new-link-title">Your new link</h2>
          <p>Copy it now: for your safety Roost keeps only a fingerprint of it and cannot show it again.</p>
          <p>
            <input class="copy-field" type="text" readonly value={props.newLink} aria-label="The new read-only link" />
          </p>
        </section>
      ) : null}

      <section aria-labelledby="public-title">
        <h2 id="public-title">Public report</h2>
        <p>
          {site.isPublic ? (
            <>
              Anyone can read the report at <a href={props.publicUrl}>{props.publicUrl}</a>.
            </>
          ) : (
            "The report is private: only you and holders of a link below can read it."
          )}
        </p>
        <form method="post" action={`${base}/public`} class="stack-form inline-form">
          <input type="hidden" name="public" value={site.isPublic ? "" : "y"} />
          <Button variant={site.isPublic ? "secondary" : "primary"}>{site.isPublic ? "Make private" : "Make public"}</Button>
        </form>
      </section>

      <section aria-labelledby="links-title">
        <h2 id="links-title">Read-only links</h2>
        <p class="hint">A link shows the report (numbers, chart and top lists) and nothing else: no visits table, no settings, nothing of your account.</p>
        {shares.length === 0 ? (
          <p class="empty-state">No links yet.</p>
        ) : (
          // Five columns are wider than a phone: the table scrolls in its own (focusable) box, as the visits do.
          <section class="table-scroll" tabindex={0} aria-label="Share links">
            <DataTable
              class="shares-table"
              columns={[
                { header: "Label" },
                { header: "Password" },
                { header: "Created" },
                { header: "Last used" },
                { header: <span class="visually-hidden">Revoke</span> },
              ]}
              rows={shares}
              cells={(s) => (
                <>
                  <td>{s.label}</td>
                  <td>{s.hasPassword ? "Yes" : "No"}</td>
                  <td>
                    <RelTime ts={s.createdAt} tz={props.tz} />
                  </td>
                  <td>{s.lastUsedAt ? <RelTime ts={s.lastUsedAt} tz={props.tz} /> : "Never"}</td>
                  <td>
                    <form method="post" action={`${base}/shares/${s.id}/revoke`}>
                      <Button variant="danger" label={`Revoke ${s.label}`}>
                        Revoke
                      </Button>
                    </form>
                  </td>
                </>
              )}
            />
          </section>
        )}
        <form method="post" action={`${base}/shares`} class="stack-form" novalidate>
          <FormError error={errors._form} />
          <Field form="share" name="label" label="Label (who is it for?)" value={form.values?.label} error={errors.label} maxlength={SHARE_LABEL_MAX} />
          <Field
            form="share"
            name="password"
            label="Password (optional)"
            type="password"
            autocomplete="new-password"
            hint="Readers must enter it before they see the report."
            error={errors.password}
            maxlength={SHARE_PASSWORD_MAX}
          />
          <Button>Create link</Button>
        </form>
      </section>
    </article>
  );
}

/** What a password-protected link shows until the password is given. */
export function SharePasswordPage(props: { action: string; error?: string }) {
  return (
    <article class="narrow">
      <h1>This report is protected</h1>
      <form method="post" action={props.action} class="stack-form" novalidate>
        <FormError error={props.error} />
        <Field form="unlock" name="password" label="Password" type="password" autocomplete="current-password" required maxlength={SHARE_PASSWORD_MAX} />
        <Button>Show the report</Button>
      </form>
    </article>
  );
}
