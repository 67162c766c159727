// A disclosure menu (details/summary): a button that opens a list of links and forms. It works without
// JavaScript, screen readers announce the summary as a button with its expanded state, Tab walks the items,
// and /ui.js adds Escape and click-outside to close. public/app.css anchors the list to the summary's right
// edge and caps its width at the viewport, so it never opens off screen (issue 15, item 1).
import type { Child } from "hono/jsx";

export function Menu(props: { label: string; class?: string; children: Child }) {
  return (
    <details class={props.class ? `menu ${props.class}` : "menu"}>
      <summary>{props.label}</summary>
      <ul class="menu-items">{props.children}</ul>
    </details>
  );
}
