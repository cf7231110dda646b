// The finance benchmark: the journal and the year-end reports for 100 000 members'
// invoices and payments (target ≤ 10 s for the posting run + income statement + balance
// sheet + GBAT10 export), on SQLite (a temp file) or PostgreSQL (a fresh database).
// Run alone: `npx tsx bench/finance.ts` (BENCH_MEMBERS=10000 scales it, BENCH_DB=sqlite|postgres).
// BENCH_FINANCE_REUSE=1 seeds once per dialect and member count and starts every run from a
// copy of that (a SQLite file in the temp dir; a PostgreSQL template database
// alm_bench_finance_seed_<members>, vacuumed and analysed as autovacuum would): seeding takes longer than the
// figures. BENCH_RUNS=3 repeats the run (direct runs only) and prints each phase's median.
import {
  copyFileSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import pg from 'pg';
import pino from 'pino';
import { systemActor } from '../src/app/audit.js';
import { systemClock } from '../src/app/clock.js';
import { associationYear, todayIn } from '../src/app/dates.js';
import { migrateToLatest, openDatabase, type Database, type Dialect } from '../src/app/db.js';
import { newIds } from '../src/app/ids.js';
import { runSetup } from '../src/modules/association/association.usecases.js';
import { exportJournalText } from '../src/modules/finance/exports.usecases.js';
import { parseGbat10 } from '../src/modules/finance/gbat10.js';
import { postAll } from '../src/modules/finance/posting.usecases.js';
import { getAnnualReport } from '../src/modules/finance/reports.usecases.js';
import { seedMembers } from './data.js';
import {
  benchDialects,
  benchSetup,
  freshDatabase,
  logLine,
  PG_ADMIN_URL,
  secs,
  type BenchRow,
  type Fresh,
} from './support.js';

export const FINANCE_TARGET_MS = 10_000;

/** The finance benchmark's rows (the shared row). */
export type FinanceBenchRow = BenchRow;

export type FinanceBenchResult = {
  dialect: Dialect;
  members: number;
  seedMs: number;
  postingMs: number;
  entries: number;
  reportsMs: number;
  gbat10Ms: number;
  csvMs: number;
  /** CPU seconds per phase (this process + the database's server processes): steadier than wall time on a busy machine. */
  cpuMs: { posting: number; reports: number; gbat10: number; csv: number };
  gbat10Records: number;
  totalMs: number;
  balanced: boolean;
  rows: FinanceBenchRow[];
};

/**
 * Seeds the year's dues straight into the tables, as a dues run and a bank import leave
 * them: one invoice per member (150 kr outside VAT + 450 kr incl. 25 % VAT), paid in full
 * by 90 %, one in 20 paying 100 kr too much (the rest to the member's credit).
 */
export async function seedDues(database: Database, count: number): Promise<{ year: number }> {
  const { db } = database;
  const now = new Date();
  const year = associationYear(todayIn('Europe/Oslo', now), 1).year;
  const issueDate = `${year}-01-15`;
  const bookingDate = `${year}-02-01`;
  const members = await db
    .selectFrom('members')
    .select(['id', 'member_number', 'name'])
    .orderBy('member_number')
    .limit(count)
    .execute();
  const seller = JSON.stringify({ name: 'Benchmark Datafellesskap', orgNumber: '974760673' });
  await db.transaction().execute(async (tx) => {
    for (let start = 0; start < members.length; start += 400) {
      const chunk = members.slice(start, start + 400);
      const at = now.toISOString();
      const invoiceIds = newIds(chunk.length, now.getTime());
      const paymentIds = newIds(chunk.length, now.getTime());
      const lineIds = newIds(chunk.length * 2, now.getTime());
      const allocIds = newIds(chunk.length * 2, now.getTime());
      const paid = (k: number) => (start + k) % 10 !== 9;
      const over = (k: number) => (start + k) % 20 === 3;
      await tx
        .insertInto('invoices')
        .values(
          chunk.map((m, k) => ({
            id: invoiceIds[k]!,
            number: start + k + 1,
            kind: 'invoice' as const,
            credited_invoice_id: null,
            member_id: m.id,
            purpose: 'dues' as const,
            year,
            dues_key: `dues:${year}:${m.id}:1`,
            dues_run_id: null,
            issue_date: issueDate,
            due_date: `${year}-02-15`,
            kid: null,
            bank_account: '86011117947',
            seller,
            buyer: JSON.stringify({ name: m.name, memberNumber: m.member_number }),
            vat_registered: 1,
            or_more: 0,
            net_ore: 51000,
            vat_ore: 9000,
            total_ore: 60000,
            paid_ore: paid(k) ? 60000 : 0,
            settled_at: paid(k) ? at : null,
            credited_ore: 0,
            created_at: at,
            created_by: null,
          })),
        )
        .execute();
      await tx
        .insertInto('invoice_lines')
        .values(
          chunk.flatMap((_, k) => [
            {
              id: lineIds[2 * k]!,
              invoice_id: invoiceIds[k]!,
              position: 0,
              description: 'Medlemskontingent',
              gross_ore: 15000,
              vat_rate_bp: 0,
              vat_ore: 0,
              net_ore: 15000,
            },
            {
              id: lineIds[2 * k + 1]!,
              invoice_id: invoiceIds[k]!,
              position: 1,
              description: 'Tjenesteavgift',
              gross_ore: 45000,
              vat_rate_bp: 2500,
              vat_ore: 9000,
              net_ore: 36000,
            },
          ]),
        )
        .execute();
      const payers = chunk.map((m, k) => ({ m, k })).filter(({ k }) => paid(k));
      if (payers.length === 0) continue;
      await tx
        .insertInto('payments')
        .values(
          payers.map(({ m, k }) => ({
            id: paymentIds[k]!,
            source: 'manual' as const,
            source_ref: `bench:${start + k}`,
            bank_import_id: null,
            kind: 'credit' as const,
            amount_ore: over(k) ? 70000 : 60000,
            kid: null,
            booking_date: bookingDate,
            payer_name: null,
            payer_account: null,
            message: null,
            bank_reference: null,
            status: 'matched' as const,
            member_id: m.id,
            reverses_payment_id: null,
            note: null,
            created_at: at,
            created_by: null,
          })),
        )
        .execute();
      await tx
        .insertInto('payment_allocations')
        .values(
          payers.flatMap(({ m, k }) => [
            {
              id: allocIds[2 * k]!,
              payment_id: paymentIds[k]!,
              invoice_id: invoiceIds[k]!,
              member_id: m.id,
              amount_ore: 60000,
              kind: 'payment' as const,
              created_at: at,
              created_by: null,
            },
            ...(over(k)
              ? [
                  {
                    id: allocIds[2 * k + 1]!,
                    payment_id: paymentIds[k]!,
                    invoice_id: null,
                    member_id: m.id,
                    amount_ore: 10000,
                    kind: 'overpayment' as const,
                    created_at: at,
                    created_by: null,
                  },
                ]
              : []),
          ]),
        )
        .execute();
    }
  });
  return { year };
}

/** A migrated, set-up database with `count` members' dues seeded (untimed). */
async function seed(database: Database, count: number): Promise<{ year: number }> {
  const { db } = database;
  await migrateToLatest(db);
  await runSetup(
    { db, clock: systemClock, kickOutbox: () => undefined },
    benchSetup({ org_number: '974760673', year_start_month: '1', vat_registered: 'on' }),
  );
  await seedMembers(db, count);
  return seedDues(database, count);
}

async function adminQuery(text: string): Promise<pg.QueryResult> {
  const client = new pg.Client({ connectionString: PG_ADMIN_URL });
  await client.connect();
  try {
    return await client.query(text);
  } finally {
    await client.end();
  }
}

function pgUrl(name: string): string {
  const url = new URL(PG_ADMIN_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

/**
 * A copy of the seeded database for `count` members, seeding it first when there is
 * none yet. Migrations newer than the seed are applied to the copy (untimed).
 */
async function seededCopy(opts: {
  dialect: Dialect;
  dir: string;
  count: number;
  log: (line: string) => void;
}): Promise<{ fresh: Fresh; year: number }> {
  const { dialect, dir, count, log } = opts;
  let database: Database;
  let fresh: Fresh;
  if (dialect === 'sqlite') {
    const seedFile = join(tmpdir(), `allmenning-finance-seed-${count}.sqlite`);
    if (!existsSync(seedFile)) {
      const t = performance.now();
      const building = openDatabase({ file: join(dir, 'seed.sqlite') });
      await seed(building, count);
      await building.close();
      renameSync(join(dir, 'seed.sqlite'), seedFile);
      log(`  sqlite: seeded ${seedFile} in ${secs(performance.now() - t)}`);
    }
    const file = join(dir, 'finance.sqlite');
    copyFileSync(seedFile, file);
    database = openDatabase({ file });
    fresh = { database, env: { DATABASE_FILE: file }, drop: async () => {} };
  } else {
    const template = `alm_bench_finance_seed_${count}`;
    const exists = await adminQuery(`select 1 from pg_database where datname = '${template}'`);
    if (exists.rowCount === 0) {
      const t = performance.now();
      await adminQuery(`create database ${template}`);
      const building = openDatabase({ url: pgUrl(template) });
      try {
        await seed(building, count);
        await sql`vacuum analyze`.execute(building.db);
      } catch (err) {
        await building.close();
        await adminQuery(`drop database ${template} with (force)`);
        throw err;
      }
      await building.close();
      log(`  postgres: seeded template database ${template} in ${secs(performance.now() - t)}`);
    }
    const name = `alm_bench_finance_${Math.random().toString(16).slice(2, 10)}`;
    await adminQuery(`create database ${name} template ${template} strategy file_copy`);
    database = openDatabase({ url: pgUrl(name) });
    fresh = {
      database,
      env: { DATABASE_URL: pgUrl(name) },
      drop: () => adminQuery(`drop database if exists ${name} with (force)`).then(() => undefined),
    };
  }
  await migrateToLatest(database.db);
  const row = await database.db
    .selectFrom('invoices')
    .select(sql<number>`max(year)`.as('year'))
    .executeTakeFirstOrThrow();
  return { fresh, year: Number(row.year) };
}

/**
 * CPU time used since the meter started, in ms: this process's, plus on PostgreSQL that
 * of the server processes serving `database` (from /proc, Linux only; sampled every
 * 200 ms so a connection that closes keeps what it used). On a machine shared with other
 * work, wall time swings with the load; CPU time much less.
 */
export function cpuMeter(database: string | null): { stop: () => number } {
  const startNode = process.cpuUsage();
  const tick = 1000 / 100; // USER_HZ
  const backends = new Map<string, { first: number; last: number }>();
  const sample = () => {
    if (database === null) return;
    let pids: string[] = [];
    try {
      pids = readdirSync('/proc').filter((d) => /^\d+$/.test(d));
    } catch {
      return;
    }
    for (const pid of pids) {
      try {
        const cmd = readFileSync(`/proc/${pid}/cmdline`, 'latin1');
        // A backend names its database; a parallel worker its leader's process id.
        const leader = /parallel worker for PID (\d+)/.exec(cmd)?.[1];
        const ours = leader ? backends.has(leader) : cmd.includes(` ${database} `);
        if (!cmd.startsWith('postgres: ') || !ours) continue;
        const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
        const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        const used = (Number(fields[11]) + Number(fields[12])) * tick;
        const seen = backends.get(pid);
        if (seen) seen.last = used;
        else backends.set(pid, { first: used, last: used });
      } catch {
        // gone meanwhile
      }
    }
  };
  sample();
  const timer = setInterval(sample, 200);
  return {
    stop: () => {
      clearInterval(timer);
      sample();
      const node = process.cpuUsage(startNode);
      let db = 0;
      for (const b of backends.values()) db += b.last - b.first;
      return (node.user + node.system) / 1000 + db;
    },
  };
}

/**
 * Seeds `members` members with the year's invoices and payments, then times the posting
 * run, the income statement + balance sheet, and the GBAT10 export of the year.
 */
export async function benchFinance(opts: {
  dialect: Dialect;
  members?: number;
  log?: (line: string) => void;
  /** Start from a copy of a seeded database kept between runs (BENCH_FINANCE_REUSE=1). */
  reuse?: boolean;
}): Promise<FinanceBenchResult> {
  const count = opts.members ?? 100_000;
  const log = opts.log ?? logLine;
  const dir = mkdtempSync(join(tmpdir(), 'allmenning-finance-'));
  const reuse = opts.reuse ?? process.env['BENCH_FINANCE_REUSE'] === '1';
  let seedMs = 0;
  let fresh: Fresh;
  let year: number;
  let t = performance.now();
  if (reuse) {
    ({ fresh, year } = await seededCopy({ dialect: opts.dialect, dir, count, log }));
    log(`  ${opts.dialect}: copied the seeded database in ${secs(performance.now() - t)}`);
  } else {
    fresh = await freshDatabase({ dialect: opts.dialect, dir, prefix: 'finance' });
    ({ year } = await seed(fresh.database, count));
    seedMs = performance.now() - t;
    log(`  ${opts.dialect}: seeded ${count} members' invoices and payments in ${secs(seedMs)}`);
  }
  const { db } = fresh.database;
  const deps = { db, clock: systemClock, logger: pino({ level: 'silent' }) };
  const dbName =
    opts.dialect === 'postgres' ? new URL(fresh.env['DATABASE_URL']!).pathname.slice(1) : null;
  try {
    let cpu = cpuMeter(dbName);
    t = performance.now();
    const posted = await postAll(deps, { actor: systemActor });
    const postingMs = performance.now() - t;
    const postingCpu = cpu.stop();
    log(
      `  ${opts.dialect}: posting run, ${posted.total} entries in ${secs(postingMs)} (cpu ${secs(postingCpu)})`,
    );

    cpu = cpuMeter(dbName);
    t = performance.now();
    const report = await getAnnualReport(db, { year });
    const reportsMs = performance.now() - t;
    const reportsCpu = cpu.stop();
    const balanced =
      report.balanceSheet.balanced &&
      report.trialBalance.totalDebitOre === report.trialBalance.totalCreditOre;
    log(
      `  ${opts.dialect}: income statement + balance sheet in ${secs(reportsMs)} (cpu ${secs(reportsCpu)}, balanced: ${balanced})`,
    );

    cpu = cpuMeter(dbName);
    t = performance.now();
    const { text } = await exportJournalText(deps, {
      actor: systemActor,
      range: { year },
      format: 'gbat10',
    });
    const gbat10Ms = performance.now() - t;
    const gbat10Cpu = cpu.stop();
    // Records counted by their line ends, and the format checked on the first thousand:
    // parsing all 585 000 (thirty fields each) left hundreds of megabytes of garbage that
    // the next measured phase, or the next run's export, paid for in collections.
    let gbat10Records = 0;
    let headEnd = 0;
    for (let at = text.indexOf('\r\n'); at >= 0; at = text.indexOf('\r\n', at + 2))
      if (++gbat10Records === 1000) headEnd = at + 2;
    const head = headEnd > 0 ? text.slice(0, headEnd) : text;
    if (parseGbat10(head).length !== Math.min(1000, gbat10Records))
      throw new Error('the GBAT10 export does not parse');
    log(
      `  ${opts.dialect}: GBAT10 export, ${gbat10Records} records (${(text.length / 1e6).toFixed(1)} MB) in ${secs(gbat10Ms)} (cpu ${secs(gbat10Cpu)})`,
    );
    cpu = cpuMeter(dbName);
    t = performance.now();
    const csvText = (
      await exportJournalText(deps, { actor: systemActor, range: { year }, format: 'csv' })
    ).text;
    const csvMs = performance.now() - t;
    const csvCpu = cpu.stop();
    log(
      `  ${opts.dialect}: CSV export (${(csvText.length / 1e6).toFixed(1)} MB) in ${secs(csvMs)} (cpu ${secs(csvCpu)})`,
    );
    const totalMs = postingMs + reportsMs + gbat10Ms;
    const rows: FinanceBenchRow[] = [
      {
        metric: `journal posting run, ${posted.total} entries`,
        median: secs(postingMs),
        p95: '',
        target: '(part of ≤ 10 s)',
        pass: true,
      },
      {
        metric: 'income statement + balance sheet',
        median: secs(reportsMs),
        p95: '',
        target: '(part of ≤ 10 s)',
        pass: balanced,
      },
      {
        metric: `GBAT10 export, ${gbat10Records} lines`,
        median: secs(gbat10Ms),
        p95: '',
        target: '(part of ≤ 10 s)',
        pass: true,
      },
      {
        metric: 'CSV export of the year',
        median: secs(csvMs),
        p95: '',
        target: '(info)',
        pass: true,
      },
      {
        metric: `journal + year-end reports, ${count} members`,
        median: secs(totalMs),
        p95: '',
        target: '≤ 10 s',
        pass: totalMs <= FINANCE_TARGET_MS && balanced,
      },
    ];
    return {
      dialect: opts.dialect,
      members: count,
      seedMs,
      postingMs,
      entries: posted.total,
      reportsMs,
      gbat10Ms,
      csvMs,
      cpuMs: { posting: postingCpu, reports: reportsCpu, gbat10: gbat10Cpu, csv: csvCpu },
      gbat10Records,
      totalMs,
      balanced,
      rows,
    };
  } finally {
    await fresh.database.close();
    // BENCH_KEEP=1 keeps the posted database for a look at its plans (its name is printed).
    if (process.env['BENCH_KEEP'] === '1') log(`  kept: ${JSON.stringify(fresh.env)}`);
    else await fresh.drop();
    rmSync(dir, { recursive: true, force: true });
  }
}

// Run directly: both databases, figures to stdout (BENCH_RUNS times, then the medians).
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const members = Number(process.env['BENCH_MEMBERS'] ?? 100_000);
  const runs = Math.max(1, Number(process.env['BENCH_RUNS'] ?? 1));
  const median = (xs: number[]) => {
    const s = [...xs].sort((a, b) => a - b);
    const mid = Math.floor(s.length / 2);
    return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
  };
  let failed = false;
  for (const dialect of await benchDialects()) {
    const results: FinanceBenchResult[] = [];
    for (let i = 0; i < runs; i++) {
      const r = await benchFinance({ dialect, members });
      results.push(r);
      for (const row of r.rows)
        process.stdout.write(
          `${dialect}\t${row.metric}\t${row.median}\t${row.target}\t${row.pass ? 'ok' : 'FAIL'}\n`,
        );
      if (r.rows.some((row) => !row.pass)) failed = true;
    }
    if (runs > 1) {
      const phases = ['postingMs', 'reportsMs', 'gbat10Ms', 'csvMs', 'totalMs'] as const;
      const line = phases
        .map(
          (p) =>
            `${p} ${secs(median(results.map((r) => r[p])))} [${results.map((r) => secs(r[p])).join(', ')}]`,
        )
        .join('; ');
      const cpuPhases = ['posting', 'reports', 'gbat10', 'csv'] as const;
      const cpuLine = cpuPhases
        .map((p) => `${p} ${secs(median(results.map((r) => r.cpuMs[p])))}`)
        .join('; ');
      process.stdout.write(`${dialect}\tmedians of ${runs}: ${line}\n`);
      process.stdout.write(`${dialect}\tcpu medians: ${cpuLine}\n`);
    }
  }
  process.exitCode = failed ? 1 : 0;
}
