// The report's settings forms beyond the name: the site's time zone and its reports by mail. Each is its own component, so htmx
// gets just the form back, and the report page shows it with its errors when JavaScript is off.
import { t } from "../../i18n";
import type { FieldErrors } from "../../lib/forms";
import { TIME_ZONES } from "../../lib/zoned-days";
import { Checkbox, FormError, HxForm, Select } from "../../views/form";
import { Button } from "../../views/ui/button";

type FormState = { values?: Record<string, string>; errors?: FieldErrors };

const zoneOptions = TIME_ZONES.map((z) => ({ value: z, label: z.replaceAll("_", " ") }));

export function TimeZoneForm(props: { siteId: number; timeZone: string } & FormState) {
  const { errors = {} } = props;
  return (
    <HxForm id="site-zone-form" action={`/sites/${props.siteId}/time-zone`} class="stack-form inline-form">
      <FormError error={errors._form} />
      <Select
        form="site-zone"
        name="time_zone"
        label={t("sites.zone.label")}
        hint={t("sites.zone.hint")}
        options={zoneOptions}
        value={props.values?.time_zone ?? props.timeZone}
        error={errors.time_zone}
      />
      <Button>{t("sites.zone.save")}</Button>
    </HxForm>
  );
}

/** Weekly and monthly summary mails to the owner (features/sites/mail-report.ts); both off by default. */
export function MailReportsForm(props: { siteId: number; weekly: boolean; monthly: boolean }) {
  return (
    <HxForm id="site-mail-form" action={`/sites/${props.siteId}/mail-reports`} class="stack-form inline-form">
      <fieldset>
        <legend>{t("sites.mail.legend")}</legend>
        <Checkbox form="site-mail" name="weekly" label={t("sites.mail.weekly")} checked={props.weekly} />
        <Checkbox form="site-mail" name="monthly" label={t("sites.mail.monthly")} checked={props.monthly} />
      </fieldset>
      <Button>{t("sites.mail.save")}</Button>
    </HxForm>
  );
}
