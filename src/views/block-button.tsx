// Block / Unblock as a one-button form (features/blocks): without JavaScript a POST and a redirect back (to
// `next`, else the profile); with htmx it replaces itself with the new state and says what happened in place.
// Shared UI because both the profile (users) and the blocks feature's own answers render it.
import { t } from "../i18n";
import { Button } from "./ui/button";

/** `reload`: a plain form even with htmx, for a page the change redraws (a blocked post's notice). */
export function BlockButton(props: { username: string; blocked: boolean; next?: string; message?: string; error?: boolean; reload?: boolean }) {
  const action = `/${props.blocked ? "unblock" : "block"}/${encodeURIComponent(props.username)}`;
  const inPlace = props.reload ? {} : { "hx-post": action, "hx-target": "this", "hx-swap": "outerHTML" };
  return (
    <form class="block-form" method="post" action={action} {...inPlace}>
      {props.next && <input type="hidden" name="next" value={props.next} />}
      <Button variant={props.blocked ? "secondary" : "danger"}>
        {props.blocked ? t("blocks.unblockUser", { username: props.username }) : t("blocks.block")}
      </Button>
      {props.message && (
        <span class={props.error ? "follow-message error" : "follow-message"} role={props.error ? "alert" : "status"}>
          {props.message}
        </span>
      )}
    </form>
  );
}
