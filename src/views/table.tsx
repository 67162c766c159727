// A data table: column headers (scoped for screen readers) and one row per item. The page gives each
// row's cells; the header row, the scopes and the numeric alignment are written here once.
import type { Child } from "hono/jsx";

/** A column's header; `num` right-aligns it, as its cells of numbers are. */
export type Column = { header: Child; num?: boolean };

export function DataTable<T>(props: { class?: string; columns: Column[]; rows: T[]; cells: (item: T) => Child }) {
  return (
    <table class={props.class}>
      <thead>
        <tr>
          {props.columns.map((c) => (
            <th scope="col" class={c.num ? "num" : undefined}>
              {c.header}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {props.rows.map((item) => (
          <tr>{props.cells(item)}</tr>
        ))}
      </tbody>
    </table>
  );
}
