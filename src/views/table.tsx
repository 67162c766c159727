// A data table: column headers (scoped for screen readers) and one row per item. The page gives each
// row's cells; the header row, the scopes and the numeric alignment are written here once.
import type { Child } from "hono/jsx";

/** A column's header; `num` right-aligns it, as its cells of numbers are. */
export type Column = { header: Child; num?: boolean };

type DataTableProps<T> = { class?: string; columns: Column[]; rows: T[]; cells: (item: T) => Child };

export function DataTable<T>(props: DataTableProps<T>) {
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

/**
 * A list that may be empty: its empty-state line, or its table in a box of its own that scrolls sideways
 * (focusable, named by `label`) when the columns are wider than a phone.
 */
export function ScrollTable<T>(props: DataTableProps<T> & { label: string; empty: Child }) {
  const { label, empty, ...table } = props;
  if (table.rows.length === 0) return <p class="empty-state">{empty}</p>;
  return (
    <section class="table-scroll" tabindex={0} aria-label={label}>
      <DataTable {...table} />
    </section>
  );
}
