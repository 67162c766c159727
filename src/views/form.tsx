// Accessible form parts: labelled fields with their error text tied to the input, and forms that
// submit in place with htmx (the server answers with the form fragment) and work without JavaScript.
import type { Child } from "hono/jsx";

export function HxForm(props: { id: string; action: string; children: Child; class?: string }) {
  return (
    <form id={props.id} class={props.class ?? "stack-form"} method="post" action={props.action} hx-post={props.action} hx-target="this" hx-swap="outerHTML" novalidate>
      {props.children}
    </form>
  );
}

export function FormError(props: { error?: string }) {
  return props.error ? (
    <p class="form-error" role="alert">
      {props.error}
    </p>
  ) : null;
}

type FieldProps = {
  form: string;
  name: string;
  label: string;
  type?: string;
  value?: string;
  error?: string;
  hint?: string;
  autocomplete?: string;
  required?: boolean;
  maxlength?: number;
  minlength?: number;
  autofocus?: boolean;
};

export function Field(p: FieldProps) {
  const id = `${p.form}-${p.name}`;
  const described = [p.hint ? `${id}-hint` : "", p.error ? `${id}-error` : ""].filter(Boolean).join(" ") || undefined;
  return (
    <div class={p.error ? "field field-invalid" : "field"}>
      <label for={id}>{p.label}</label>
      <input
        id={id}
        name={p.name}
        type={p.type ?? "text"}
        value={p.type === "password" ? undefined : p.value}
        autocomplete={p.autocomplete}
        required={p.required}
        maxlength={p.maxlength}
        minlength={p.minlength}
        autofocus={p.autofocus}
        aria-invalid={p.error ? "true" : undefined}
        aria-describedby={described}
      />
      {p.hint && (
        <small id={`${id}-hint`} class="hint">
          {p.hint}
        </small>
      )}
      {p.error && (
        <small id={`${id}-error`} class="error">
          {p.error}
        </small>
      )}
    </div>
  );
}

export function Checkbox(p: { form: string; name: string; label: string; checked?: boolean }) {
  const id = `${p.form}-${p.name}`;
  return (
    <div class="field field-checkbox">
      <input id={id} name={p.name} type="checkbox" value="y" checked={p.checked} />
      <label for={id}>{p.label}</label>
    </div>
  );
}
