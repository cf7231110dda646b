import { sql } from 'kysely';
import pg from 'pg';
import { expect, it } from 'vitest';
import { describeEachDialect, PG_ADMIN_URL } from '../../test/helpers/db.js';

// Repeated statements go to PostgreSQL as named prepared statements (pg-statements.ts);
// these tests hold the database to what that must not change: results, and schema
// changes made by this process or by another one.

type Row = Record<string, unknown>;

describeEachDialect(
  'repeated statements',
  (h) => {
    it('prepares a statement the process repeats, once per connection, and not a one-off', async () => {
      const db = h.db();
      await sql`create table prep_a (id integer primary key, label text)`.execute(db);
      await sql`insert into prep_a values (1, 'one'), (2, 'two')`.execute(db);
      const seen = await db.transaction().execute(async (tx) => {
        const labels: unknown[] = [];
        for (let i = 0; i < 6; i++) {
          const r = await sql<Row>`select label from prep_a where id = ${1 + (i % 2)}`.execute(tx);
          labels.push(r.rows[0]!['label']);
        }
        await sql`select label from prep_a where id = ${2} and label <> 'once only'`.execute(tx);
        if (h.dialect !== 'postgres') return { labels, prepared: [] as string[] };
        const prepared = await sql<{
          statement: string;
        }>`select statement from pg_prepared_statements where statement like '%prep_a%'`.execute(
          tx,
        );
        return { labels, prepared: prepared.rows.map((r) => r.statement) };
      });
      expect(seen.labels).toEqual(['one', 'two', 'one', 'two', 'one', 'two']);
      if (h.dialect === 'postgres') {
        expect(seen.prepared).toEqual(['select label from prep_a where id = $1']);
      }
    });

    it('answers with the new columns after a migration through the same pool', async () => {
      const db = h.db();
      await sql`create table prep_b (id integer primary key)`.execute(db);
      await sql`insert into prep_b values (1)`.execute(db);
      for (let i = 0; i < 5; i++) {
        const r = await sql<Row>`select * from prep_b`.execute(db);
        expect(r.rows).toEqual([{ id: 1 }]);
      }
      await sql`alter table prep_b add column note text`.execute(db);
      await sql`update prep_b set note = 'added'`.execute(db);
      const after = await sql<Row>`select * from prep_b`.execute(db);
      expect(after.rows).toEqual([{ id: 1, note: 'added' }]);
    });

    it('answers with the new columns after another process changed the table', async () => {
      if (h.dialect !== 'postgres') return;
      const db = h.db();
      await sql`create table prep_c (id integer primary key)`.execute(db);
      await sql`insert into prep_c values (7)`.execute(db);
      // Sent one after another, the queries take the same idle connection (the pool
      // hands out the most recently returned one), where the statement is prepared.
      for (let i = 0; i < 5; i++) {
        const r = await sql<Row>`select * from prep_c`.execute(db);
        expect(r.rows).toEqual([{ id: 7 }]);
      }
      // The change comes over a plain connection, as from another instance's migration.
      const name = (await sql<{ db: string }>`select current_database() as db`.execute(db)).rows[0]!
        .db;
      const url = new URL(PG_ADMIN_URL);
      url.pathname = `/${name}`;
      const other = new pg.Client({ connectionString: url.toString() });
      await other.connect();
      try {
        await other.query(`alter table prep_c add column extra text default 'x'`);
      } finally {
        await other.end();
      }
      const after = await sql<Row>`select * from prep_c`.execute(db);
      expect(after.rows).toEqual([{ id: 7, extra: 'x' }]);
      const again = await sql<Row>`select * from prep_c`.execute(db);
      expect(again.rows).toEqual([{ id: 7, extra: 'x' }]);
    });
  },
  { migrate: false },
);
