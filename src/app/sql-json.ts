import { sql, type Expression, type RawBuilder } from 'kysely';
import { isPostgres, type Db } from './db.js';

// JSON built by the database, for statements that bring several kinds of row back in
// one round trip (the gate's standing, a client row beside OIDC artefacts): PostgreSQL's
// json_build_object and SQLite's json_object take the same key/value pairs.
//
// A JSON value nests inside another as JSON (not as a string holding JSON) when it is
// json on PostgreSQL and carries SQLite's JSON subtype; a subtype does not survive a
// subquery, so a subquery's JSON is nested through `nestedJson`. The outermost value is
// turned into text with `jsonText` and parsed once in JavaScript.

/** An object of the named expressions (json on PostgreSQL, JSON text on SQLite). */
export function jsonObject(
  db: Db,
  entries: readonly (readonly [string, Expression<unknown>])[],
): RawBuilder<unknown> {
  const pairs = sql.join(entries.map(([key, value]) => sql`${sql.lit(key)}, ${value}`));
  return isPostgres(db) ? sql`json_build_object(${pairs})` : sql`json_object(${pairs})`;
}

/** JSON from a subquery, such that it nests as JSON inside jsonObject. */
export function nestedJson(db: Db, value: Expression<unknown>): RawBuilder<unknown> {
  return isPostgres(db) ? sql`${value}` : sql`json(${value})`;
}

/** A JSON value as text (what every dialect returns alike, and a union can carry). */
export function jsonText(db: Db, value: Expression<unknown>): RawBuilder<string> {
  return isPostgres(db) ? sql<string>`cast(${value} as text)` : sql<string>`${value}`;
}
