// Accessible form parts: labelled fields with their error text tied to the input, and forms that
// submit in place with htmx (the server answers with the form fragment) and work without JavaScript.
import type { Child } from "hono/jsx";

/**
 * A form that posts to `action` with or without JavaScript. With htmx the answer replaces the form itself, or,
 * given `target` and `swap`, goes there (a new comment appended to the list); `swapOob` when the form is itself
 * sent out of band (an emptied form after a success).
 */
export function HxForm(props: { id: string; action: string; children: Child; class?: string; target?: string; swap?: string; swapOob?: string }) {
  return (
    <form
      id={props.id}
      hx-swap-oob={props.swapOob}
      class={props.class ?? "stack-form"}
      method="post"
      action={props.action}
      hx-post={props.action}
      hx-target={props.target ?? "this"}
      hx-swap={props.swap ?? "outerHTML"}
      novalidate
    >
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

type Described = { form: string; name: string; label: string; error?: string; hint?: string };

function ids(p: Described) {
  const id = `${p.form}-${p.name}`;
  const describedBy = [p.hint ? `${id}-hint` : "", p.error ? `${id}-error` : ""].filter(Boolean).join(" ") || undefined;
  return { id, describedBy, invalid: p.error ? ("true" as const) : undefined };
}

/** Label, control, hint and error text, tied together with for/id and aria-describedby. */
function FieldShell(p: Described & { children: Child }) {
  const { id } = ids(p);
  return (
    <div class={p.error ? "field field-invalid" : "field"}>
      <label for={id}>{p.label}</label>
      {p.children}
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

type FieldProps = Described & {
  type?: string;
  value?: string;
  autocomplete?: string;
  required?: boolean;
  maxlength?: number;
  minlength?: number;
  autofocus?: boolean;
};

export function Field(p: FieldProps) {
  const { id, describedBy, invalid } = ids(p);
  return (
    <FieldShell {...p}>
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
        aria-invalid={invalid}
        aria-describedby={describedBy}
      />
    </FieldShell>
  );
}

export function TextArea(p: Described & { value?: string; maxlength?: number; rows?: number }) {
  const { id, describedBy, invalid } = ids(p);
  return (
    <FieldShell {...p}>
      <textarea id={id} name={p.name} rows={p.rows ?? 5} maxlength={p.maxlength} aria-invalid={invalid} aria-describedby={describedBy}>
        {p.value ?? ""}
      </textarea>
    </FieldShell>
  );
}

export function Select(p: Described & { options: { value: string; label: string }[]; value?: string }) {
  const { id, describedBy, invalid } = ids(p);
  return (
    <FieldShell {...p}>
      <select id={id} name={p.name} aria-invalid={invalid} aria-describedby={describedBy}>
        {p.options.map((o) => (
          <option value={o.value} selected={o.value === p.value}>
            {o.label}
          </option>
        ))}
      </select>
    </FieldShell>
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
