import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { migrateDownAll, migrateToLatest } from '../app/db.js';
import { describeEachDialect } from '../../test/helpers/db.js';
import { migrations } from './index.js';

async function tableNames(
  h: Parameters<Parameters<typeof describeEachDialect>[1]>[0],
): Promise<string[]> {
  const tables = await h.db().introspection.getTables();
  return tables
    .map((t) => t.name)
    .filter((n) => !n.startsWith('schema_migrations'))
    .sort();
}

describeEachDialect(
  'migrations',
  (h) => {
    it('migrate an empty database up, all the way down, and up again', async () => {
      const { applied } = await migrateToLatest(h.db());
      expect(applied).toEqual(Object.keys(migrations).sort());
      const up = await tableNames(h);
      expect(up).toContain('members');
      expect(up).toContain('audit_log');

      await migrateDownAll(h.db());
      expect(await tableNames(h)).toEqual([]);

      const again = await migrateToLatest(h.db());
      expect(again.applied.length).toBe(Object.keys(migrations).length);
      expect(await tableNames(h)).toEqual(up);
      // Running again is a no-op.
      expect((await migrateToLatest(h.db())).applied).toEqual([]);
      await sql`select 1`.execute(h.db());
    });

    it('names migrations so they sort in the order they run', () => {
      const names = Object.keys(migrations);
      expect([...names].sort()).toEqual(names);
      for (const n of names) expect(n).toMatch(/^\d{4}-\d{2}-\d{2}-\d{4}-[a-z0-9-]+$/);
    });
  },
  { migrate: false },
);
