// Bank file import and reconciliation at 100 000 payments, on SQLite and PostgreSQL:
// a camt.053 (target ≤ 15 s) and an OCR giro file (target ≤ 10 s), each into fresh data
// (members with one open dues invoice each, KIDs of our shape). Peak RSS is sampled.
// Run alone: npx tsx bench/payments.ts  (BENCH_PAYMENTS=10000, BENCH_DB=sqlite|postgres)
import { createReadStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { systemClock } from '../src/app/clock.js';
import type { DB } from '../src/app/database.js';
import { associationYear, todayIn } from '../src/app/dates.js';
import { migrateToLatest, type Database, type Dialect } from '../src/app/db.js';
import { raiseCounter } from '../src/app/counters.js';
import { newId } from '../src/app/ids.js';
import { runSetup } from '../src/modules/association/association.usecases.js';
import { findAssociation } from '../src/modules/association/association.repository.js';
import {
  camtXmlChunks,
  ocrGiroLines,
  writeGenerated,
  type PaymentSpec,
} from '../src/modules/billing/bank-files/generate.js';
import { importBankFile, type ImportReport } from '../src/modules/billing/bank-import.usecases.js';
import {
  DEFAULT_BILLING_SETTINGS,
  saveBillingSettings,
} from '../src/modules/billing/billing-settings.repository.js';
import { invoiceKid, INVOICE_SERIES } from '../src/modules/billing/invoice-issue.js';
import { seedMembers } from './data.js';
import {
  benchDialects,
  benchSetup,
  freshDatabase,
  logLine as log,
  secs,
  type BenchRow,
} from './support.js';

export type { BenchRow } from './support.js';

const KID_SHAPE = { kidMemberDigits: 6, kidInvoiceDigits: 7 };

// BENCH_PROFILE=1: time per statement shape during the import (PostgreSQL), printed after it.
const PROFILE = process.env['BENCH_PROFILE'] === '1';
const profile = new Map<string, { count: number; ms: number }>();
let profiling = false;
function profiled(url: string): Database {
  pg.types.setTypeParser(20, (v) => Number.parseInt(v, 10));
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  const db = new Kysely<DB>({
    dialect: new PostgresDialect({ pool }),
    log: (event) => {
      if (!profiling) return;
      const key = event.query.sql
        .replace(/\$\d+/g, '?')
        .replace(/(\(\?(, \?)*\),? ?)+/g, '(…) ')
        .replace(/(\?, )+\?/g, '…')
        .slice(0, 150);
      const entry = profile.get(key) ?? { count: 0, ms: 0 };
      entry.count++;
      entry.ms += event.queryDurationMillis;
      profile.set(key, entry);
    },
  });
  return { db, dialect: 'postgres', close: () => db.destroy() };
}
function printProfile(totalMs: number): void {
  const rows = [...profile].sort((a, b) => b[1].ms - a[1].ms);
  const sum = rows.reduce((n, [, e]) => n + e.ms, 0);
  log(`  profile: ${sum.toFixed(0)} ms in SQL of ${totalMs.toFixed(0)} ms`);
  for (const [key, e] of rows.slice(0, 25))
    log(`  ${e.ms.toFixed(0).padStart(7)} ms ${String(e.count).padStart(7)}×  ${key}`);
  profile.clear();
}

/** Members (through the register benchmark's seeding) with one open dues invoice each. */
async function seed(database: Database, count: number): Promise<{ kids: string[]; year: number }> {
  const { db } = database;
  await migrateToLatest(db);
  await runSetup({ db, clock: systemClock, kickOutbox: () => undefined }, benchSetup());
  const now = new Date();
  await saveBillingSettings(
    db,
    { ...DEFAULT_BILLING_SETTINGS, ...KID_SHAPE, bankAccount: '86011117947' },
    now,
  );
  await seedMembers(db, count);
  // Dues go to members: all active but 1 % lapsed (late payers the import brings back).
  await db
    .updateTable('members')
    .set({ status: 'active' })
    .where('status', '!=', 'active')
    .execute();
  await db
    .updateTable('members')
    .set({ status: 'lapsed' })
    .where(sql<boolean>`member_number % 100 = 0`)
    .execute();
  const association = (await findAssociation(db))!;
  const year = associationYear(todayIn(association.timeZone, now), association.yearStartMonth).year;
  const members = await db
    .selectFrom('members')
    .select(['id', 'member_number', 'name'])
    .where('member_number', '>', 1)
    .orderBy('member_number')
    .limit(count)
    .execute();
  const kids: string[] = [];
  const seller = JSON.stringify({
    name: association.name,
    addressLine: null,
    postalCode: null,
    city: null,
    orgNumber: null,
  });
  const issueDate = todayIn(association.timeZone, now);
  await db.transaction().execute(async (tx) => {
    for (let start = 0; start < members.length; start += 500) {
      const rows = members.slice(start, start + 500).map((m, k) => {
        const number = start + k + 1;
        const kid = invoiceKid(m.member_number, number, KID_SHAPE);
        kids.push(kid);
        return {
          id: newId(now.getTime()),
          number,
          kind: 'invoice' as const,
          credited_invoice_id: null,
          member_id: m.id,
          purpose: 'dues' as const,
          year,
          dues_key: `dues:${year}:${m.id}:1`,
          dues_run_id: null,
          issue_date: issueDate,
          due_date: issueDate,
          kid,
          bank_account: '86011117947',
          seller,
          buyer: JSON.stringify({
            name: m.name,
            memberNumber: m.member_number,
            addressLine: null,
            postalCode: null,
            city: null,
            orgNumber: null,
          }),
          vat_registered: 0,
          or_more: 0,
          net_ore: 60000,
          vat_ore: 0,
          total_ore: 60000,
          paid_ore: 0,
          settled_at: null,
          credited_ore: 0,
          created_at: now.toISOString(),
          created_by: null,
        };
      });
      await tx.insertInto('invoices').values(rows).execute();
    }
    await raiseCounter(tx, INVOICE_SERIES, members.length);
  });
  return { kids, year };
}

/**
 * The i-th payment of the bank file: mostly the full amount by KID; every 100th a part
 * payment, every 100th an overpayment, every 1000th without KID (to the queue: all
 * invoices are of the same amount), every 500th a reversal of the payment before it.
 */
function paymentOf(kids: string[], i: number): PaymentSpec {
  const base = {
    date: '2025-09-02',
    paidDate: '2025-09-01',
    payerName: `Betaler ${i}`,
    payerAccount: '12345678903',
    message: null,
    reference: String(300_000_000 + i),
  };
  if (i % 500 === 499)
    return { ...base, kind: 'reversal', amountOre: 60000, kid: kids[i - 1] ?? null };
  if (i % 1000 === 7)
    return { ...base, kind: 'credit', amountOre: 60000, kid: null, message: 'Kontingent' };
  const amountOre = i % 100 === 1 ? 30000 : i % 100 === 2 ? 90000 : 60000;
  return { ...base, kind: 'credit', amountOre, kid: kids[i] ?? null };
}

async function importFile(
  database: Database,
  path: string,
  dryRun = false,
): Promise<{ ms: number; peakRssMb: number; rssBeforeMb: number; report: ImportReport }> {
  global.gc?.();
  const before = process.memoryUsage().rss;
  let peak = before;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 20);
  const started = performance.now();
  profiling = PROFILE;
  try {
    const report = await importBankFile(
      { db: database.db, clock: systemClock },
      {
        input: createReadStream(path, { highWaterMark: 64 * 1024 }),
        fileName: path,
        dryRun,
        actor: { userId: null, label: 'bench' },
      },
    );
    return {
      ms: performance.now() - started,
      peakRssMb: Math.max(peak, process.memoryUsage().rss) / 2 ** 20,
      rssBeforeMb: before / 2 ** 20,
      report,
    };
  } finally {
    clearInterval(sampler);
    if (profiling) printProfile(performance.now() - started);
    profiling = false;
  }
}

/** Import and reconcile a camt.053 and an OCR giro file of `count` payments, each on fresh data. */
export async function benchPayments(opts: {
  dialect: Dialect;
  count?: number;
}): Promise<BenchRow[]> {
  const count = opts.count ?? Number(process.env['BENCH_PAYMENTS'] ?? 100_000);
  const dir = mkdtempSync(join(tmpdir(), 'allmenning-bench-payments-'));
  const rows: BenchRow[] = [];
  try {
    const formats = (process.env['BENCH_FORMATS'] ?? 'camt.053,ocr').split(',') as (
      'camt.053' | 'ocr'
    )[];
    for (const format of formats) {
      const fresh = await freshDatabase({
        dialect: opts.dialect,
        dir,
        prefix: 'pay',
        file: `${format}.sqlite`,
        ...(PROFILE ? { open: profiled } : {}),
        keep: process.env['BENCH_KEEP'] === '1',
      });
      try {
        let t = performance.now();
        const { kids } = await seed(fresh.database, count);
        log(
          `  ${format}: seeded ${count} members with open invoices in ${secs(performance.now() - t)}`,
        );
        const path = join(dir, format === 'ocr' ? 'ocr.txt' : 'camt053.xml');
        const payment = (i: number) => paymentOf(kids, i);
        t = performance.now();
        if (format === 'ocr') {
          await writeGenerated(
            path,
            ocrGiroLines({ count, payment, perAssignment: 10_000, date: '2025-09-02' }),
            'latin1',
          );
        } else {
          await writeGenerated(path, camtXmlChunks({ format: 'camt.053', count, payment }), 'utf8');
        }
        const mb = statSync(path).size / 1e6;
        log(`  ${format}: wrote ${mb.toFixed(1)} MB in ${secs(performance.now() - t)}`);
        // BENCH_DRY_RUNS=n: n dry runs first (the same work, rolled back), each timed.
        const dryRuns = Number(process.env['BENCH_DRY_RUNS'] ?? 0);
        for (let k = 0; k < dryRuns; k++) {
          if (opts.dialect === 'postgres') await sql`vacuum`.execute(fresh.database.db);
          const dry = await importFile(fresh.database, path, true);
          log(`  ${format}: dry run ${k + 1} in ${secs(dry.ms)}`);
        }
        if (dryRuns > 0 && opts.dialect === 'postgres')
          await sql`vacuum`.execute(fresh.database.db);
        const { ms, peakRssMb, rssBeforeMb, report } = await importFile(fresh.database, path);
        const expectedMatched = count - Math.floor((count + 992) / 1000);
        log(
          `  ${format}: ${report.matched} matched, ${report.unmatched} unmatched, ${report.reversed} reversed, ` +
            `${report.invoicesSettled} invoices settled, ${report.periodsPaid} periods paid, ${report.reactivated} reactivated`,
        );
        const target = format === 'ocr' ? 10_000 : 15_000;
        rows.push({
          metric: `${format === 'ocr' ? 'OCR giro' : 'camt.053'} import + reconcile, ${count} payments (${mb.toFixed(0)} MB)`,
          median: secs(ms),
          p95: '',
          target: `≤ ${target / 1000} s`,
          pass: ms <= target && report.matched >= expectedMatched * 0.99,
        });
        rows.push({
          metric: `  peak RSS during the ${format === 'ocr' ? 'OCR' : 'camt.053'} import`,
          median: `${peakRssMb.toFixed(0)} MB (${rssBeforeMb.toFixed(0)} MB before)`,
          p95: '',
          target: '(info)',
          pass: true,
        });
      } finally {
        await fresh.database.close();
        await fresh.drop();
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return rows;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  for (const dialect of await benchDialects()) {
    log(`${dialect}: bank file import …`);
    const result = await benchPayments({ dialect });
    for (const r of result)
      console.log(
        `${dialect}\t${r.metric}\t${r.median}\t${r.target}\t${r.target === '(info)' ? '' : r.pass ? 'pass' : 'FAIL'}`,
      );
  }
}
