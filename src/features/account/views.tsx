// The "Your data" page: download everything, the members you blocked (features/blocks), or delete the account
// after typing the password.
import type { Child } from "hono/jsx";
import { t } from "../../i18n";
import { Field, FormError, HxForm } from "../../views/form";
import { Button, ButtonLink } from "../../views/ui/button";

export function DeleteForm(props: { error?: string }) {
  return (
    <HxForm id="delete-account-form" action="/account/delete">
      <FormError error={props.error} />
      <Field form="delete-account" name="password" label={t("account.yourPassword")} type="password" autocomplete="current-password" required maxlength={128} />
      <Button variant="danger">{t("account.deleteMine")}</Button>
    </HxForm>
  );
}

export function AccountPage(props: { error?: string; blocked: Child; fediverse: Child }) {
  return (
    <section class="narrow">
      <h1>{t("account.title")}</h1>
      <h2>{t("account.download")}</h2>
      <p>{t("account.downloadLead")}</p>
      <p>
        <ButtonLink href="/account/export.json" download>
          {t("account.downloadButton")}
        </ButtonLink>
      </p>
      {props.blocked}
      {props.fediverse}
      <h2>{t("account.deleteTitle")}</h2>
      <p>{t("account.deleteLead")}</p>
      <DeleteForm error={props.error} />
    </section>
  );
}
