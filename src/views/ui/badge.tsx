// A badge: a short status word beside a name ("Follows you", "Disabled", an HTTP method).
import type { Child } from "hono/jsx";

export type BadgeTone = "neutral" | "bad" | "ok";

export function Badge(props: { tone?: BadgeTone; strong?: boolean; children: Child }) {
  const cls = props.tone && props.tone !== "neutral" ? `badge badge-${props.tone}` : "badge";
  return props.strong ? <strong class={cls}>{props.children}</strong> : <span class={cls}>{props.children}</span>;
}
