// `npm run bench`: every figure the issues name, at 100 000 members, on SQLite and PostgreSQL.
// BENCH_MEMBERS=10000 scales it down; BENCH_DB=sqlite|postgres runs one database only;
// BENCH_SUITE=register|dues|payments|sso|governance|finance runs one suite alone (on the
// database BENCH_DB names, SQLite if none).
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import pino from 'pino';
import { startServer } from '../src/app/bootstrap.js';
import { loadConfig } from '../src/app/config.js';
import type { Dialect } from '../src/app/db.js';
import { runSetup } from '../src/modules/association/association.usecases.js';
import { importMembers } from '../src/modules/members/register-import.usecases.js';
import { coldStart } from './cold-start.js';
import { benchDues } from './dues.js';
import { benchPayments } from './payments.js';
import { benchSso } from './sso.js';
import { benchFinance } from './finance.js';
import { benchGovernance } from './governance.js';
import { FIRST_NAMES, LAST_NAMES, memberCsv, random, seedMembers } from './data.js';
import { BenchClient, percentile } from './http.js';
import {
  BENCH_ADMIN,
  benchDialects,
  benchSetup,
  freshDatabase,
  logLine as log,
  ms,
  printTable,
  secs,
  type BenchRow,
} from './support.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const MEMBERS = Number(process.env['BENCH_MEMBERS'] ?? 100_000);
const REQUESTS = 200;

/** ~200 searches people would type: names, parts of names, emails, numbers, misses. */
function searchQueries(count: number, members: number): string[] {
  const next = random(99);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(next() * xs.length)]!;
  const kinds = [
    () => pick(FIRST_NAMES),
    () => pick(LAST_NAMES),
    () => `${pick(FIRST_NAMES)} ${pick(LAST_NAMES)}`,
    () => pick(LAST_NAMES).slice(0, 3),
    () => `${pick(FIRST_NAMES).toLowerCase()}.`,
    () => String(2 + Math.floor(next() * members)),
    () => String(Math.floor(next() * 999)),
    () => `s${Math.floor(next() * members)}@example`,
    () => pick(['zzqx', 'nobody here', 'Ødegård', 'data as', '@example.org']),
  ];
  return Array.from({ length: count }, (_, i) => kinds[i % kinds.length]!());
}

/** The list as people page through it: first page, any page, every sort, both ways. */
function listPaths(count: number, members: number): string[] {
  const next = random(5);
  const pages = Math.max(1, Math.ceil(members / 50));
  const sorts = ['number', 'name', 'joined_on', 'status'];
  return Array.from({ length: count }, (_, i) => {
    if (i % 10 === 0) return '/members';
    const params = new URLSearchParams({ sort: sorts[i % sorts.length]! });
    if (next() < 0.5) params.set('dir', 'desc');
    params.set('page', String(1 + Math.floor(next() * pages)));
    return `/members?${params.toString()}`;
  });
}

/** The filters: status, type, office, paid and unpaid, alone and with a search. */
function filteredPaths(count: number): string[] {
  const next = random(11);
  const filters = [
    'status=lapsed',
    'status=active',
    'type=reduced',
    'type=organisation',
    'office=board_member',
    'paid=paid',
    'paid=unpaid',
    'status=active&paid=unpaid',
    'status=active&q=hansen',
    'type=ordinary&q=kari',
  ];
  return Array.from({ length: count }, (_, i) => {
    const params = new URLSearchParams(filters[i % filters.length]);
    params.set('page', String(1 + Math.floor(next() * 5)));
    if (i % 3 === 0) params.set('sort', 'name');
    return `/members?${params.toString()}`;
  });
}

async function timeRequests(client: BenchClient, paths: string[]): Promise<number[]> {
  for (const path of paths.slice(0, 10)) await client.timedGet(path); // warm-up
  const times: number[] = [];
  for (const path of paths) {
    const { status, ms: t } = await client.timedGet(path);
    if (status !== 200) throw new Error(`${path} answered ${status}`);
    times.push(t);
  }
  const slowest = paths
    .map((path, i) => ({ path, ms: times[i]! }))
    .sort((a, b) => b.ms - a.ms)
    .slice(0, 3);
  log(`  slowest: ${slowest.map((x) => `${x.path} ${ms(x.ms)}`).join(', ')}`);
  return times;
}

function latencyRow(metric: string, times: number[], targetMs: number): BenchRow {
  const p95 = percentile(times, 95);
  return {
    metric,
    median: ms(percentile(times, 50)),
    p95: ms(p95),
    target: `p95 ≤ ${targetMs} ms`,
    pass: p95 <= targetMs,
  };
}

async function benchDialect(dialect: Dialect): Promise<BenchRow[]> {
  const dir = mkdtempSync(join(tmpdir(), 'allmenning-bench-'));
  const fresh = await freshDatabase({ dialect, dir, prefix: 'run', file: 'bench.sqlite' });
  const rows: BenchRow[] = [];
  try {
    const config = {
      ...loadConfig({ WORKER: 'false', LOG_LEVEL: 'silent' }),
      port: 0,
      host: '127.0.0.1',
    };
    const running = await startServer({
      config,
      database: fresh.database,
      logger: pino({ level: 'silent' }),
    });
    try {
      await runSetup(running.ctx, benchSetup());
      let t = performance.now();
      await seedMembers(fresh.database.db, MEMBERS);
      log(`  seeded ${MEMBERS} members in ${secs(performance.now() - t)}`);
      if (dialect === 'postgres') {
        // What autovacuum does within a minute of a bulk load: statistics for the planner
        // and the visibility map that lets index-only scans skip the table.
        await sql`vacuum analyze`.execute(fresh.database.db);
        log('  vacuum analyze done (steady state, as after autovacuum)');
      }

      const client = new BenchClient(running.url);
      await client.logIn(BENCH_ADMIN.email, BENCH_ADMIN.password);
      const search = await timeRequests(
        client,
        searchQueries(REQUESTS, MEMBERS).map((q) => `/members?q=${encodeURIComponent(q)}`),
      );
      rows.push(latencyRow(`member search (${REQUESTS} requests)`, search, 50));
      const list = await timeRequests(client, listPaths(REQUESTS, MEMBERS));
      rows.push(latencyRow(`member list pages (${REQUESTS} requests)`, list, 50));
      const filtered = await timeRequests(client, filteredPaths(REQUESTS));
      rows.push(latencyRow(`filtered list (${REQUESTS} requests)`, filtered, 50));

      const file = memberCsv(MEMBERS, 'imp', MEMBERS * 3);
      const actor = { userId: null, label: 'bench' };
      t = performance.now();
      const dry = await importMembers(running.ctx, { actor, bytes: file, commit: false });
      const dryMs = performance.now() - t;
      if (dry.badRows.length > 0) throw new Error(`import file has ${dry.badRows.length} bad rows`);
      rows.push({
        metric: `CSV import check, ${MEMBERS} rows`,
        median: secs(dryMs),
        p95: '',
        target: '(info)',
        pass: true,
      });
      t = performance.now();
      const report = await importMembers(running.ctx, { actor, bytes: file, commit: true });
      const importMs = performance.now() - t;
      if (report.imported !== MEMBERS) throw new Error(`imported ${report.imported} of ${MEMBERS}`);
      rows.push({
        metric: `CSV import commit, ${MEMBERS} rows`,
        median: secs(importMs),
        p95: '',
        target: '≤ 20 s',
        pass: importMs <= 20_000,
      });
    } finally {
      await running.close();
    }

    const samples = [];
    for (let i = 0; i < 5; i++) {
      samples.push(await coldStart({ root: ROOT, env: fresh.env, admin: BENCH_ADMIN }));
    }
    const start = percentile(
      samples.map((x) => x.startMs),
      50,
    );
    const rss = percentile(
      samples.map((x) => x.rssMb),
      50,
    );
    rows.push({
      metric: 'cold start to /healthz (5 runs)',
      median: secs(start),
      p95: '',
      target: '≤ 1.5 s',
      pass: start <= 1500,
    });
    rows.push({
      metric: 'resident memory after start',
      median: `${rss.toFixed(0)} MB`,
      p95: '',
      target: '≤ 120 MB',
      pass: rss <= 120,
    });
  } finally {
    await fresh.database.close();
    await fresh.drop();
    rmSync(dir, { recursive: true, force: true });
  }
  return rows;
}

// Each suite runs in a process of its own, as the server it measures would: what one
// suite leaves on the heap (100 000 members seeded, parsed bank files, an export's
// pages) is not carried into the next one's figures, whatever order they run in.
// BENCH_SUITE=<name> (with BENCH_DB) runs one suite in this process and hands its rows
// back on a line of their own; that is how the parent runs them.

// BENCH_BILLING=0 leaves out the dues benchmarks (issue 3) for a quicker run.
// BENCH_SSO=0, BENCH_GOVERNANCE=0 and BENCH_FINANCE=0 leave out single sign-on, the
// secret ballot and the books likewise.
const SUITES = ['register', 'dues', 'payments', 'sso', 'governance', 'finance'] as const;
type Suite = (typeof SUITES)[number];
const SKIPPED: Record<Suite, boolean> = {
  register: false,
  dues: process.env['BENCH_BILLING'] === '0',
  payments: process.env['BENCH_BILLING'] === '0',
  sso: process.env['BENCH_SSO'] === '0',
  governance: process.env['BENCH_GOVERNANCE'] === '0',
  finance: process.env['BENCH_FINANCE'] === '0',
};
const ROWS_MARK = '\u0000bench-rows ';

async function runSuite(suite: Suite, dialect: Dialect): Promise<BenchRow[]> {
  switch (suite) {
    case 'register':
      return benchDialect(dialect);
    case 'dues': {
      // Dues (issue 3): the dues run and invoice PDFs.
      const dues = await benchDues({ dialect, members: MEMBERS, log });
      return [
        {
          metric: `dues run, ${dues.invoices} invoices`,
          median: secs(dues.duesRunMs),
          p95: '',
          target: '≤ 30 s',
          pass: dues.duesRunMs <= 30_000,
        },
        {
          metric: `invoice PDF rendering (${dues.pdfCount})`,
          median: `${dues.pdfPerSecond.toFixed(0)} PDFs/s`,
          p95: '',
          target: '(info)',
          pass: true,
        },
      ];
    }
    case 'payments':
      // Bank files of 100 000 payments (issue 3).
      return benchPayments({ dialect, count: MEMBERS });
    case 'sso':
      // Single sign-on (issue 4): code flows against a bare oidc-provider, refresh and
      // userinfo latency, suspension to refusal.
      return benchSso({ dialect, members: MEMBERS, log });
    case 'governance':
      // Governance (issue 5): 5 000 voters casting a secret ballot on one item.
      return benchGovernance({ dialect, voters: Math.min(5000, MEMBERS), log });
    case 'finance':
      // Finance (issue 7): the journal posting run and the year-end reports.
      return (await benchFinance({ dialect, members: MEMBERS, log })).rows;
  }
}

/** Runs one suite in a child process (this script with BENCH_SUITE) and returns its rows. */
function runSuiteApart(suite: Suite, dialect: Dialect): Promise<BenchRow[]> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url)], {
      env: { ...process.env, BENCH_SUITE: suite, BENCH_DB: dialect },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let rows: BenchRow[] | null = null;
    const lines = createInterface({ input: child.stdout });
    lines.on('line', (line) => {
      if (line.startsWith(ROWS_MARK)) rows = JSON.parse(line.slice(ROWS_MARK.length)) as BenchRow[];
      else process.stdout.write(`${line}\n`);
    });
    child.on('close', (code) => {
      resolve(
        rows ?? [
          {
            metric: `${suite} benchmark`,
            median: `exited with ${code}`,
            p95: '',
            target: 'completes',
            pass: false,
          },
        ],
      );
    });
  });
}

const only = process.env['BENCH_SUITE'] as Suite | undefined;
if (only) {
  if (!SUITES.includes(only)) throw new Error(`BENCH_SUITE must be one of ${SUITES.join(', ')}`);
  const dialect = process.env['BENCH_DB'] === 'postgres' ? 'postgres' : 'sqlite';
  const rows = await runSuite(only, dialect);
  process.stdout.write(`${ROWS_MARK}${JSON.stringify(rows)}\n`);
} else {
  const dialects = await benchDialects(log);
  let failed = false;
  for (const dialect of dialects) {
    log(`${dialect}: ${MEMBERS} members …`);
    const started = performance.now();
    const rows: BenchRow[] = [];
    for (const suite of SUITES)
      if (!SKIPPED[suite]) rows.push(...(await runSuiteApart(suite, dialect)));
    printTable(
      `${dialect === 'sqlite' ? 'SQLite' : 'PostgreSQL'} — ${MEMBERS} members (${secs(performance.now() - started)} in all)`,
      rows,
    );
    if (rows.some((r) => !r.pass)) failed = true;
  }
  process.exitCode = failed ? 1 : 0;
}
