import { sql, type Kysely } from 'kysely';
import { beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../../test/helpers/db.js';
import type { DB } from './database.js';
import type { Db } from './db.js';
import { reusableQuery, type Arg } from './reusable-query.js';

type Scratch = { reuse_t: { id: number; label: string; status: string } };
const scratch = (db: Db) => db as unknown as Kysely<DB & Scratch>;

describeEachDialect('reusable queries', (h) => {
  beforeAll(async () => {
    const db = scratch(h.db());
    await sql`create table reuse_t (id integer primary key, label text not null, status text not null)`.execute(
      db,
    );
    await db
      .insertInto('reuse_t')
      .values([
        { id: 1, label: 'one', status: 'active' },
        { id: 2, label: 'two', status: 'lapsed' },
      ])
      .execute();
  });

  const byId = reusableQuery(
    (db: Db, shape: { withLabel: boolean }, arg: Arg<{ id: number; status: string }>) =>
      scratch(db)
        .selectFrom('reuse_t')
        .select(['id', 'status'])
        .$if(shape.withLabel, (q) => q.select('label'))
        .where('id', '=', arg('id'))
        .where('status', '=', arg('status')),
  );

  it('binds each call’s values to the statement compiled once per shape', async () => {
    const db = h.db();
    const plain = { withLabel: false };
    expect(await byId.rows(db, plain, { id: 1, status: 'active' })).toEqual([
      { id: 1, status: 'active' },
    ]);
    expect(await byId.rows(db, plain, { id: 2, status: 'lapsed' })).toEqual([
      { id: 2, status: 'lapsed' },
    ]);
    expect(await byId.rows(db, plain, { id: 2, status: 'active' })).toEqual([]);
    expect(await byId.rows(db, { withLabel: true }, { id: 1, status: 'active' })).toEqual([
      { id: 1, status: 'active', label: 'one' },
    ]);
    expect(byId.sqlOf(db, plain)).not.toContain('label');
    expect(byId.sqlOf(db, { withLabel: true })).toContain('label');
  });

  it('counts the rows an update changed', async () => {
    const db = h.db();
    const rename = reusableQuery((d: Db, _shape: null, arg: Arg<{ label: string; id: number }>) =>
      scratch(d)
        .updateTable('reuse_t')
        .set({ label: arg('label') })
        .where('id', '=', arg('id')),
    );
    expect(await rename.affected(db, null, { label: 'uno', id: 1 })).toBe(1);
    expect(await rename.affected(db, null, { label: 'nobody', id: 999 })).toBe(0);
    const row = await scratch(db)
      .selectFrom('reuse_t')
      .select('label')
      .where('id', '=', 1)
      .executeTakeFirstOrThrow();
    expect(row.label).toBe('uno');
  });

  it('refuses a builder that inlines a value or steers by it', () => {
    const db = h.db();
    const inlined = reusableQuery((d: Db, _shape: null, arg: Arg<{ label: string }>) =>
      scratch(d)
        .selectFrom('reuse_t')
        .select('id')
        .where(sql.lit(arg('label')), '=', 'x'),
    );
    expect(() => inlined.sqlOf(db, null)).toThrow(/inlined/);
    const steered = reusableQuery((d: Db, _shape: null, arg: Arg<{ limit: number }>) =>
      scratch(d)
        .selectFrom('reuse_t')
        .select('id')
        .limit(arg('limit') > 5 ? 5 : 1),
    );
    expect(() => steered.sqlOf(db, null)).toThrow(/did not reach/);
  });
});
