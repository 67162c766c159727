// The account page's list of blocked members, each with an Unblock button (works without JavaScript; htmx
// swaps the button in place). Only the blocker ever sees it.
import { t } from "../../i18n";
import { Avatar } from "../../views/avatar";
import { BlockButton } from "../../views/block-button";
import { RelTime } from "../../views/time";
import { EmptyState } from "../../views/ui/empty-state";
import type { BlockedItem } from "./queries";

export function BlockedList(props: { items: BlockedItem[]; tz: string; now: number }) {
  const { items, tz, now } = props;
  return (
    <section id="blocked-members" aria-labelledby="blocked-heading">
      <h2 id="blocked-heading">{t("blocks.heading")}</h2>
      <p>{t("blocks.explain")}</p>
      {items.length === 0 ? (
        <EmptyState>{t("blocks.empty")}</EmptyState>
      ) : (
        <ul class="blocked-list">
          {items.map((b) => (
            <li>
              <a class="user-chip" href={`/user/${encodeURIComponent(b.username)}`}>
                <Avatar user={b} size={32} alt="" />
                {b.username}
              </a>{" "}
              <span class="muted">
                {t("blocks.since")} <RelTime ts={b.since} tz={tz} now={now} />
              </span>{" "}
              <BlockButton username={b.username} blocked next="/account" />
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
