import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import type SQLiteModule from 'better-sqlite3';
import {
  Kysely,
  Migrator,
  PostgresAdapter,
  PostgresDialect,
  sql,
  SqliteDialect,
  type SqliteDatabase,
  type SqliteStatement,
  type Transaction,
} from 'kysely';
import type PgModule from 'pg';
import { migrations } from '../migrations/index.js';
import type { DB } from './database.js';
import { namingRepeatedStatements } from './pg-statements.js';

export type Dialect = 'sqlite' | 'postgres';
/** Repositories take either the database or an open transaction as their first argument. */
export type Db = Kysely<DB> | Transaction<DB>;

// Only the driver in use is loaded: each costs 5–15 MB of memory on a small machine.
const require = createRequire(import.meta.url);
let pgModule: typeof PgModule | undefined;
function loadPg(): typeof PgModule {
  if (!pgModule) {
    pgModule = require('pg') as typeof PgModule;
    // COUNT(*) and SUM() come back from PostgreSQL as int8, which node-postgres gives as a
    // string. Our numbers (øre, counts) stay far below 2^53, so read them as numbers.
    pgModule.types.setTypeParser(20, (v) => Number.parseInt(v, 10));
  }
  return pgModule;
}

export type Database = { db: Kysely<DB>; dialect: Dialect; close: () => Promise<void> };

/** The dialect of a database or open transaction, from its Kysely adapter. */
export function dialectOf(db: Db): Dialect {
  return db.getExecutor().adapter instanceof PostgresAdapter ? 'postgres' : 'sqlite';
}

export function isPostgres(db: Db): boolean {
  return dialectOf(db) === 'postgres';
}

export function openDatabase(opts: { url?: string | undefined; file?: string }): Database {
  if (opts.url) {
    const pool = new (loadPg().Pool)({ connectionString: opts.url, max: 10 });
    // An idle connection the server closes (a restart, a failover) must not take the
    // process down: the pool drops it and opens a new one on the next query.
    pool.on('error', (err) => {
      process.stderr.write(`postgres: idle connection lost: ${err.message}\n`);
    });
    namingRepeatedStatements(pool);
    const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
    return { db, dialect: 'postgres', close: () => db.destroy() };
  }
  const file = opts.file ?? ':memory:';
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const SQLite = require('better-sqlite3') as typeof SQLiteModule;
  const sqlite = new SQLite(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  // SQLite's default 2 MiB page cache, not more: a page it misses comes from the operating
  // system's file cache (member list and search take about a millisecond longer at 200 000
  // members), while a 32 MiB cache filled up to 32 MiB after a few hundred list pages and
  // stayed resident; the member import ran no faster with it. The bulk jobs that do gain
  // from a larger one take it while they run (withBulkPageCache).
  sqlite.pragma(`cache_size = ${PAGE_CACHE_KIB}`);
  const db = new Kysely<DB>({
    dialect: new SqliteDialect({ database: cachingStatements(sqlite) }),
  });
  return { db, dialect: 'sqlite', close: () => db.destroy() };
}

/** SQLite's page cache (negative: KiB) for the web process, and for a bulk job. */
const PAGE_CACHE_KIB = -2000;
const BULK_PAGE_CACHE_KIB = -32768;
let bulkJobs = 0;

/**
 * Runs a bulk job (a bank import, a dues run, a posting run: 100 000 rows whose indexes
 * outgrow 2 MiB) with a 32 MiB SQLite page cache, given back when the last such job ends:
 * the camt.053 and OCR imports of 100 000 payments took 15 % longer with the small one.
 * Nothing on PostgreSQL.
 */
export async function withBulkPageCache<T>(db: Db, job: () => Promise<T>): Promise<T> {
  if (isPostgres(db)) return job();
  if (bulkJobs++ === 0) await sql.raw(`pragma cache_size = ${BULK_PAGE_CACHE_KIB}`).execute(db);
  try {
    return await job();
  } finally {
    if (--bulkJobs === 0) await sql.raw(`pragma cache_size = ${PAGE_CACHE_KIB}`).execute(db);
  }
}

/** Prepared statements kept per SQL text (least recently used dropped first). */
const STATEMENT_CACHE_SIZE = 256;
/** Longer statements (bulk inserts with long VALUES lists) are prepared every time. */
const CACHED_SQL_MAX_LENGTH = 4096;

/**
 * better-sqlite3 with its prepared statements reused: Kysely's SQLite driver prepares
 * every query anew (a parse and plan each time, a few per cent of a request's CPU).
 * A statement is reset after all() and run(), so one statement serves every call with
 * the same SQL; iterate() (streaming) keeps its statement busy while the caller reads,
 * so it gets its own. SQLite re-prepares a cached statement itself after a schema change.
 */
function cachingStatements(sqlite: SQLiteModule.Database): SqliteDatabase {
  const cache = new Map<string, SQLiteModule.Statement>();
  const statement = (text: string): SQLiteModule.Statement => {
    if (text.length > CACHED_SQL_MAX_LENGTH) return sqlite.prepare(text);
    let stmt = cache.get(text);
    if (stmt) {
      cache.delete(text);
    } else {
      stmt = sqlite.prepare(text);
      if (cache.size >= STATEMENT_CACHE_SIZE) cache.delete(cache.keys().next().value!);
    }
    cache.set(text, stmt);
    return stmt;
  };
  return {
    close: () => {
      cache.clear();
      sqlite.close();
    },
    prepare(text: string): SqliteStatement {
      const stmt = statement(text);
      return {
        reader: stmt.reader,
        all: (parameters) => stmt.all(parameters),
        run: (parameters) => stmt.run(parameters),
        iterate: (parameters) => sqlite.prepare(text).iterate(parameters),
      };
    },
  };
}

function migrator(db: Kysely<DB>): Migrator {
  return new Migrator({
    db,
    provider: { getMigrations: () => Promise.resolve(migrations) },
    migrationTableName: 'schema_migrations',
    migrationLockTableName: 'schema_migrations_lock',
  });
}

export async function migrateToLatest(db: Kysely<DB>): Promise<{ applied: string[] }> {
  const { error, results } = await migrator(db).migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error('migration failed', { cause: error });
  return {
    applied: (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName),
  };
}

export async function migrateDownAll(db: Kysely<DB>): Promise<void> {
  const m = migrator(db);
  for (;;) {
    const { error, results } = await m.migrateDown();
    if (error)
      throw error instanceof Error ? error : new Error('migration failed', { cause: error });
    if (!results || results.length === 0) return;
  }
}
