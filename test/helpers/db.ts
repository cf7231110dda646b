import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe } from 'vitest';
import type { DB } from '../../src/app/database.js';
import { migrateToLatest, openDatabase, type Database, type Dialect } from '../../src/app/db.js';

/**
 * Every database test runs on in-memory SQLite and on a fresh PostgreSQL database.
 * With CI=true a missing PostgreSQL fails the run; elsewhere it is skipped with a note.
 */
export const PG_ADMIN_URL =
  process.env['TEST_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres';

async function postgresReachable(): Promise<boolean> {
  const client = new pg.Client({ connectionString: PG_ADMIN_URL, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.query('select 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

const pgAvailable = await postgresReachable();
if (!pgAvailable && process.env['CI'] === 'true') {
  throw new Error(`PostgreSQL is required when CI=true, but ${PG_ADMIN_URL} is not reachable`);
}
if (!pgAvailable)
  console.warn(`PostgreSQL not reachable at ${PG_ADMIN_URL}: PostgreSQL tests are skipped`);

function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

/** Creates an empty database of the dialect (not migrated). */
export async function createTestDatabase(dialect: Dialect): Promise<Database> {
  if (dialect === 'sqlite') return openDatabase({ file: ':memory:' });
  const name = `alm_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const database = openDatabase({ url: withDatabase(PG_ADMIN_URL, name) });
  return {
    ...database,
    async close() {
      await database.close();
      const a = new pg.Client({ connectionString: PG_ADMIN_URL });
      await a.connect();
      // pg's pool.end() resolves before its clients' sockets have closed; a forced drop
      // while a backend is still saying goodbye surfaces as an unhandled FATAL 57P01.
      for (let i = 0; i < 100; i++) {
        const { rows } = await a.query<{ n: number }>(
          'select count(*)::int as n from pg_stat_activity where datname = $1',
          [name],
        );
        if (!rows[0]?.n) break;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      await a.query(`drop database if exists ${name} with (force)`);
      await a.end();
    },
  };
}

export const DIALECTS: Dialect[] = ['sqlite', 'postgres'];

export type DbHandle = { db: () => Kysely<DB>; database: () => Database; dialect: Dialect };

/** Runs the suite once per dialect, each against its own migrated database. */
export function describeEachDialect(
  name: string,
  suite: (h: DbHandle) => void,
  opts: { migrate?: boolean } = {},
): void {
  for (const dialect of DIALECTS) {
    const run = dialect === 'postgres' && !pgAvailable ? describe.skip : describe;
    run(`${name} [${dialect}]`, () => {
      let database: Database | undefined;
      beforeAll(async () => {
        database = await createTestDatabase(dialect);
        if (opts.migrate !== false) await migrateToLatest(database.db);
      });
      afterAll(async () => {
        await database?.close();
      });
      suite({
        dialect,
        db: () => {
          if (!database) throw new Error('database not ready');
          return database.db;
        },
        database: () => {
          if (!database) throw new Error('database not ready');
          return database;
        },
      });
    });
  }
}
