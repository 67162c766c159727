// The report's settings forms beyond the name: the site's time zone. Each is its own component, so htmx
// gets just the form back, and the report page shows it with its errors when JavaScript is off.
import type { FieldErrors } from "../../lib/forms";
import { TIME_ZONES } from "../../lib/zoned-days";
import { FormError, HxForm, Select } from "../../views/form";

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
        label="Time zone"
        hint="Days, hours and “today” in the report; applies to past visits too."
        options={zoneOptions}
        value={props.values?.time_zone ?? props.timeZone}
        error={errors.time_zone}
      />
      <button type="submit">Save time zone</button>
    </HxForm>
  );
}
