// INSERT … SELECT <values> FROM <table> WHERE <condition> LIMIT 1: a row that is written only while a
// condition holds at its place in a db.batch(), e.g. "this single-use token is still unused", so a link
// used twice at once cannot leave a second mail or token behind. Drizzle's insert-select wants every
// column of the table in order; columns not given are NULL (an INTEGER PRIMARY KEY then numbers itself).
import { getTableColumns, type SQL, sql } from "drizzle-orm";
import type { SQLiteTable } from "drizzle-orm/sqlite-core";
import type { Db } from ".";

export function insertWhere<T extends SQLiteTable>(db: Db, table: T, values: Partial<T["$inferInsert"]>, from: SQLiteTable, where: SQL | undefined) {
  const given: Record<string, unknown> = values;
  // Every column, in the table's order, as a bound value; the SELECT is plain SQL so its shape needs no cast.
  const columns = sql.join(
    Object.keys(getTableColumns(table)).map((key) => sql`${given[key] ?? null}`),
    sql`, `,
  );
  return db.insert(table).select(sql`SELECT ${columns} FROM ${from} WHERE ${where ?? sql`1 = 1`} LIMIT 1`);
}
