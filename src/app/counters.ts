import { sql } from 'kysely';
import type { Db } from './db.js';

/**
 * Reserves `count` consecutive numbers of a gapless series (member numbers, later
 * invoice numbers) and returns the first. Must run inside the caller's transaction: the
 * upsert takes a row lock on PostgreSQL (and SQLite's writer lock), so two transactions
 * never get the same number, and a rollback gives the numbers back.
 */
export async function nextNumbers(db: Db, name: string, count = 1, start = 1): Promise<number> {
  const row = await db
    .insertInto('counters')
    .values({ name, value: start + count - 1 })
    .onConflict((oc) => oc.column('name').doUpdateSet({ value: sql`counters.value + ${count}` }))
    .returning('value')
    .executeTakeFirstOrThrow();
  return row.value - count + 1;
}

export async function nextNumber(db: Db, name: string, start = 1): Promise<number> {
  return nextNumbers(db, name, 1, start);
}

/** Makes sure a counter is at least `value` (after an import with given numbers). */
export async function raiseCounter(db: Db, name: string, value: number): Promise<void> {
  await db
    .insertInto('counters')
    .values({ name, value })
    .onConflict((oc) =>
      oc.column('name').doUpdateSet({
        value: sql`case when counters.value < ${value} then ${value} else counters.value end`,
      }),
    )
    .execute();
}
