// An empty state: what would be here, and (when there is one) the next step to fill it.
import type { Child } from "hono/jsx";

export function EmptyState(props: { children: Child; id?: string }) {
  return (
    <div class="empty-state" id={props.id}>
      {props.children}
    </div>
  );
}
