// A card: a bordered panel that groups one thing (a settings section, a site, a stranger's welcome).
import type { Child } from "hono/jsx";

export function Card(props: { children: Child; label?: string; class?: string }) {
  const cls = props.class ? `card ${props.class}` : "card";
  return props.label ? (
    <section class={cls} aria-label={props.label}>
      {props.children}
    </section>
  ) : (
    <div class={cls}>{props.children}</div>
  );
}
