// The account page's list of blocked members, each with an Unblock button (works without JavaScript; htmx
// swaps the button in place). Only the blocker ever sees it.
import { Avatar } from "../../views/avatar";
import { BlockButton } from "../../views/block-button";
import { RelTime } from "../../views/time";
import { EmptyState } from "../../views/ui/empty-state";
import type { BlockedItem } from "./queries";

export function BlockedList(props: { items: BlockedItem[]; tz: string; now: number }) {
  const { items, tz, now } = props;
  return (
    <section id="blocked-members" aria-labelledby="blocked-heading">
      <h2 id="blocked-heading">Blocked members</h2>
      <p>
        They cannot follow you, comment on your posts, message you or find you in search, and you no longer see their posts, comments or notifications. Nobody
        is told.
      </p>
      {items.length === 0 ? (
        <EmptyState>You have not blocked anyone. To block someone, use the Block button on their profile.</EmptyState>
      ) : (
        <ul class="blocked-list">
          {items.map((b) => (
            <li>
              <a class="user-chip" href={`/user/${encodeURIComponent(b.username)}`}>
                <Avatar user={b} size={32} alt="" />
                {b.username}
              </a>{" "}
              <span class="muted">
                blocked <RelTime ts={b.since} tz={tz} now={now} />
              </span>{" "}
              <BlockButton username={b.username} blocked next="/account" />
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
