import { CompiledQuery, type Compilable } from 'kysely';
import { dialectOf, type Db } from './db.js';

// A query built and compiled once per dialect and shape, then run with new values.
//
// Building a Kysely query and compiling it to SQL costs JavaScript time at every call:
// for the statement behind the SSO gate (a dozen subqueries) more than the database
// takes to answer it. The statements of the hot paths (the gate, the OIDC adapter) are
// therefore written as a builder that puts each variable value in through `arg(name)`;
// the builder runs once, and each later call binds the values to the compiled SQL in
// place of the markers. What changes the statement's SQL (how many session ids, which
// columns) is the `shape`, part of the cache key; values never are.
//
// The builder is held to this: every value it was given must reach the parameters (not
// be inlined into the SQL, not steer the builder in JavaScript), or compiling throws.

const MARK = '\u0000arg:';
/** Shapes kept per query; a query with more shapes than this is a programming error. */
const MAX_SHAPES = 64;

type Slot = { arg: string } | { value: unknown };
type Template = { sql: string; slots: Slot[] };

export type Arg<A> = <K extends keyof A & string>(name: K) => A[K];

export type ReusableQuery<S, A, R> = {
  /** The rows of a select (or of an insert/update with returning). */
  rows(db: Db, shape: S, args: A): Promise<R[]>;
  /** Rows inserted, updated or deleted. */
  affected(db: Db, shape: S, args: A): Promise<number>;
  /** The compiled SQL of a shape (for tests and the query counter). */
  sqlOf(db: Db, shape: S): string;
};

export function reusableQuery<S, A extends Record<string, unknown>, R = unknown>(
  build: (db: Db, shape: S, arg: Arg<A>) => Compilable<R>,
): ReusableQuery<S, A, R> {
  const templates = new Map<string, Template>();

  const templateFor = (db: Db, shape: S): Template => {
    const key = `${dialectOf(db)}:${JSON.stringify(shape) ?? ''}`;
    const known = templates.get(key);
    if (known) return known;
    const used = new Set<string>();
    const arg = ((name: string) => {
      used.add(name);
      return `${MARK}${name}`;
    }) as Arg<A>;
    const compiled = build(db, shape, arg).compile();
    if (compiled.sql.includes(MARK))
      throw new Error('reusableQuery: a value was inlined into the SQL, not bound');
    const reached = new Set<string>();
    const slots = compiled.parameters.map((p): Slot => {
      if (typeof p === 'string' && p.startsWith(MARK)) {
        const name = p.slice(MARK.length);
        reached.add(name);
        return { arg: name };
      }
      return { value: p };
    });
    for (const name of used)
      if (!reached.has(name))
        throw new Error(`reusableQuery: the value ${name} did not reach the statement`);
    const template = { sql: compiled.sql, slots };
    if (templates.size < MAX_SHAPES) templates.set(key, template);
    return template;
  };

  const run = (db: Db, shape: S, args: A) => {
    const t = templateFor(db, shape);
    const parameters = t.slots.map((s) => ('arg' in s ? args[s.arg] : s.value));
    return db.executeQuery<R>(CompiledQuery.raw(t.sql, parameters));
  };

  return {
    rows: async (db, shape, args) => (await run(db, shape, args)).rows,
    affected: async (db, shape, args) => Number((await run(db, shape, args)).numAffectedRows ?? 0n),
    sqlOf: (db, shape) => templateFor(db, shape).sql,
  };
}
