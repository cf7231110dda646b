// What the benchmarks share: the PostgreSQL admin URL, a fresh database per run (a SQLite
// file in the run's temp dir, or a PostgreSQL database created and dropped again), the
// row every benchmark reports, the setup form they start from, and the formatters.
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import pg from 'pg';
import { openDatabase, type Database, type Dialect } from '../src/app/db.js';
import { setupSchema, type SetupInput } from '../src/modules/association/association.schemas.js';

/** Where new PostgreSQL databases are created from (BENCH_DATABASE_URL, TEST_DATABASE_URL). */
export const PG_ADMIN_URL =
  process.env['BENCH_DATABASE_URL'] ??
  process.env['TEST_DATABASE_URL'] ??
  'postgres://postgres@127.0.0.1:5432/postgres';

/** One line of a benchmark's table. `target: '(info)'` marks a figure without a target. */
export type BenchRow = {
  metric: string;
  median: string;
  p95: string;
  target: string;
  pass: boolean;
};

/**
 * A fresh database; `env` points a child process at the same one (DATABASE_FILE or
 * DATABASE_URL); `drop` removes a PostgreSQL database again (the caller closes it first).
 */
export type Fresh = { database: Database; env: Record<string, string>; drop: () => Promise<void> };

export const ms = (v: number) => `${v.toFixed(1)} ms`;
export const secs = (v: number) => `${(v / 1000).toFixed(2)} s`;

/** The benchmarks' default log: a line to stderr (stdout is for the figures). */
export const logLine = (line: string) => {
  process.stderr.write(`${line}\n`);
};

/**
 * An empty database of the dialect (not migrated): on SQLite the file `file` (default
 * `<prefix>.sqlite`) in `dir`, on PostgreSQL a new database `alm_bench_<prefix>_<random>`.
 * `open` opens the PostgreSQL URL another way (e.g. with a query log); `keep` leaves the
 * PostgreSQL database in place instead of dropping it (its name goes to stderr).
 */
export async function freshDatabase(opts: {
  dialect: Dialect;
  dir: string;
  prefix: string;
  file?: string;
  open?: (url: string) => Database;
  keep?: boolean;
}): Promise<Fresh> {
  if (opts.dialect === 'sqlite') {
    const file = join(opts.dir, opts.file ?? `${opts.prefix}.sqlite`);
    return { database: openDatabase({ file }), env: { DATABASE_FILE: file }, drop: async () => {} };
  }
  const name = `alm_bench_${opts.prefix}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(PG_ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    database: opts.open ? opts.open(url.toString()) : openDatabase({ url: url.toString() }),
    env: { DATABASE_URL: url.toString() },
    drop: async () => {
      if (opts.keep) {
        logLine(`  kept database ${name}`);
        return;
      }
      const a = new pg.Client({ connectionString: PG_ADMIN_URL });
      await a.connect();
      try {
        // The pool's sockets close a moment after pool.end(); dropping earlier kills them loudly.
        for (let i = 0; i < 100; i++) {
          const { rows } = await a.query<{ n: number }>(
            'select count(*)::int as n from pg_stat_activity where datname = $1',
            [name],
          );
          if (!rows[0]?.n) break;
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
        await a.query(`drop database if exists ${name} with (force)`);
      } finally {
        await a.end();
      }
    },
  };
}

/** Whether PostgreSQL answers at PG_ADMIN_URL within 2 s. */
export async function postgresReachable(): Promise<boolean> {
  const client = new pg.Client({ connectionString: PG_ADMIN_URL, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * The dialects BENCH_DB asks for (both by default); PostgreSQL only when it answers
 * (otherwise a line says it was skipped).
 */
export async function benchDialects(log: (line: string) => void = logLine): Promise<Dialect[]> {
  const only = process.env['BENCH_DB'];
  const dialects: Dialect[] = [];
  if (!only || only === 'sqlite') dialects.push('sqlite');
  if (!only || only === 'postgres') {
    if (await postgresReachable()) dialects.push('postgres');
    else log(`PostgreSQL not reachable at ${PG_ADMIN_URL}: skipped`);
  }
  return dialects;
}

/** The administrator every benchmark's association is set up with. */
export const BENCH_ADMIN = {
  email: 'admin@example.org',
  password: 'correct horse battery',
  handle: 'ada',
};

/** The setup form of the benchmark association (July year start), with `fields` over it. */
export function benchSetup(fields: Record<string, string> = {}): SetupInput {
  return setupSchema.parse({
    name: 'Benchmark Datafellesskap',
    year_start_month: '7',
    time_zone: 'Europe/Oslo',
    default_locale: 'nb',
    admin_name: 'Ada Admin',
    admin_handle: BENCH_ADMIN.handle,
    admin_email: BENCH_ADMIN.email,
    admin_password: BENCH_ADMIN.password,
    admin_is_member: 'on',
    ...fields,
  });
}

/** Prints rows as an aligned table under a title; `(info)` rows have no result. */
export function printTable(title: string, rows: BenchRow[]): void {
  const all = [
    ['metric', 'median', 'p95', 'target', 'result'],
    ...rows.map((r) => [
      r.metric,
      r.median,
      r.p95,
      r.target,
      r.target === '(info)' ? '' : r.pass ? 'pass' : 'FAIL',
    ]),
  ];
  const widths = all[0]!.map((_, i) => Math.max(...all.map((c) => c[i]!.length)));
  const line = (c: string[]) =>
    c
      .map((v, i) => v.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  console.log(`\n${title}`);
  console.log(line(all[0]!));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const c of all.slice(1)) console.log(line(c));
}
