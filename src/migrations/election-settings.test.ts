import { Migrator, type Kysely } from 'kysely';
import { expect, it } from 'vitest';
import { migrateToLatest } from '../app/db.js';
import { describeEachDialect } from '../../test/helpers/db.js';
import { migrations } from './index.js';

// The election settings' migration fills the row an association already has with the
// defaults of data.coop's statutes.

describeEachDialect(
  'migration: election settings',
  (h) => {
    it('adds the election settings with their defaults to the existing row', async () => {
      const before = Object.fromEntries(
        Object.entries(migrations).filter(([name]) => name < '2026-11-27-0014'),
      );
      const db = h.db() as unknown as Kysely<any>;
      const { error } = await new Migrator({
        db,
        provider: { getMigrations: () => Promise.resolve(before) },
        migrationTableName: 'schema_migrations',
        migrationLockTableName: 'schema_migrations_lock',
      }).migrateToLatest();
      expect(error).toBeUndefined();
      await db
        .insertInto('governance_settings')
        .values({
          id: 'main',
          notice_days: 21,
          founding_notice_days: 14,
          proposal_deadline_days: 7,
          publication_days: 4,
          qualifying_days: 30,
          secret_ballot_threshold: 2,
          statute_majority_numerator: 3,
          statute_majority_denominator: 4,
          statute_majority_base: 'present',
          simple_majority_base: 'cast',
          proxies_enabled: 0,
          proxy_cap: 1,
          updated_at: '2026-11-27T00:00:00.000Z',
        })
        .execute();
      const { applied } = await migrateToLatest(h.db());
      expect(applied).toContain('2026-11-27-0014-election-settings');
      const row = await h
        .db()
        .selectFrom('governance_settings')
        .selectAll()
        .executeTakeFirstOrThrow();
      expect(row).toMatchObject({
        notice_days: 21,
        board_seats: 5,
        board_term_months: 24,
        alternate_seats: 2,
        alternate_term_months: 12,
        auditor_seats: 1,
        auditor_term_months: 12,
      });
    });
  },
  { migrate: false },
);
