// Buttons and links that look like buttons (the .button component in public/app.css): one primary action per
// view, secondary for the rest, danger for what cannot be undone. All are at least 44 px tall.
import type { Child } from "hono/jsx";

export type ButtonVariant = "primary" | "secondary" | "danger";

const CLASSES: Record<ButtonVariant, string> = { primary: "button", secondary: "button button-secondary", danger: "button button-danger" };

export function buttonClass(variant: ButtonVariant = "primary"): string {
  return CLASSES[variant];
}

/** A link styled as a button (navigation, downloads): never a state change, those are forms. */
export function ButtonLink(props: { href: string; variant?: ButtonVariant; download?: boolean; children: Child }) {
  return (
    <a class={buttonClass(props.variant)} href={props.href} download={props.download}>
      {props.children}
    </a>
  );
}

/** A submit button for a form; a state change is always a POST. `label` names it for screen readers when the
 * visible text needs its context (a "Revoke" in each table row). */
export function Button(props: { variant?: ButtonVariant; name?: string; value?: string; label?: string; children: Child }) {
  return (
    <button type="submit" class={buttonClass(props.variant)} name={props.name} value={props.value} aria-label={props.label}>
      {props.children}
    </button>
  );
}
