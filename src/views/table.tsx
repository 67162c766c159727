// A data table: column headers (scoped for screen readers) and one row per item. The page gives each
// row's cells, either all at once (`cells`) or column by column (each column's `cell`, put in a `<td>`
// right-aligned when the column is `num`); the header row, the scopes and the numeric alignment are
// written here once.
import type { Child } from "hono/jsx";

/** A column's header; `num` right-aligns it, as its cells of numbers are. */
export type Column = { header: Child; num?: boolean };
/** A column that also says what its cell holds for each row. */
export type CellColumn<T> = Column & { cell: (item: T) => Child };

type DataTableProps<T> = { class?: string; rows: T[] } & ({ columns: Column[]; cells: (item: T) => Child } | { columns: CellColumn<T>[]; cells?: undefined });

const numClass = (c: Column) => (c.num ? "num" : undefined);

export function DataTable<T>(props: DataTableProps<T>) {
  const row = (item: T): Child => {
    if (props.cells) return props.cells(item);
    return props.columns.map((c) => <td class={numClass(c)}>{c.cell(item)}</td>);
  };
  return (
    <table class={props.class}>
      <thead>
        <tr>
          {props.columns.map((c) => (
            <th scope="col" class={numClass(c)}>
              {c.header}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {props.rows.map((item) => (
          <tr>{row(item)}</tr>
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
