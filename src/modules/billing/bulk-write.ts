import { sql, type RawBuilder, type SqlBool } from 'kysely';
import { isPostgres, type Db } from '../../app/db.js';

// Many rows in one statement, the way each database takes them fastest. PostgreSQL
// parses, binds and plans every parameter of a multi-row VALUES list (500 rows × 20
// columns is 10 000 of them); with one array per column (unnest) it binds 20 and plans
// once. SQLite binds parameters for free and keeps its VALUES lists.

export type ColumnType = 'text' | 'integer' | 'bigint';

/**
 * `select * from unnest($1::text[], $2::integer[], …)`: the rows as a relation with
 * the columns in the given order (PostgreSQL only).
 */
export function unnestRows<R extends object>(
  columns: readonly (readonly [keyof R & string, ColumnType])[],
  rows: readonly R[],
): RawBuilder<unknown> {
  const arrays = columns.map(([name, type]) => {
    const values = rows.map((r) => (r[name] as unknown) ?? null);
    return sql`${values}::${sql.raw(type)}[]`;
  });
  return sql`select * from unnest(${sql.join(arrays)})`;
}

/** Inserts rows into a table through unnest (PostgreSQL only). */
export async function insertUnnest<R extends object>(
  db: Db,
  table: string,
  columns: readonly (readonly [keyof R & string, ColumnType])[],
  rows: readonly R[],
): Promise<void> {
  if (rows.length === 0) return;
  const names = sql.join(columns.map(([name]) => sql.ref(name)));
  await sql`insert into ${sql.table(table)} (${names}) ${unnestRows(columns, rows)}`.execute(db);
}

/**
 * `column in (…)` for a list of keys: on PostgreSQL one array parameter
 * (`column = any($1::text[])`) instead of one parameter per key.
 */
export function inList(
  db: Db,
  column: string,
  values: readonly (string | number)[],
  type: ColumnType,
): RawBuilder<SqlBool> {
  if (isPostgres(db)) return sql<SqlBool>`${sql.ref(column)} = any(${values}::${sql.raw(type)}[])`;
  return sql<SqlBool>`${sql.ref(column)} in (${sql.join(values)})`;
}
