// The finance benchmark: the journal and the year-end reports for 100 000 members'
// invoices and payments (target ≤ 10 s for the posting run + income statement + balance
// sheet + GBAT10 export), on SQLite (a temp file) or PostgreSQL (a fresh database).
// Run alone: `npx tsx bench/finance.ts` (BENCH_MEMBERS=10000 scales it, BENCH_DB=sqlite|postgres).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pino from 'pino';
import { systemActor } from '../src/app/audit.js';
import { systemClock } from '../src/app/clock.js';
import { associationYear, todayIn } from '../src/app/dates.js';
import { migrateToLatest, type Database, type Dialect } from '../src/app/db.js';
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
  secs,
  type BenchRow,
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

/**
 * Seeds `members` members with the year's invoices and payments, then times the posting
 * run, the income statement + balance sheet, and the GBAT10 export of the year.
 */
export async function benchFinance(opts: {
  dialect: Dialect;
  members?: number;
  log?: (line: string) => void;
}): Promise<FinanceBenchResult> {
  const count = opts.members ?? 100_000;
  const log = opts.log ?? logLine;
  const dir = mkdtempSync(join(tmpdir(), 'allmenning-finance-'));
  const fresh = await freshDatabase({ dialect: opts.dialect, dir, prefix: 'finance' });
  const { db } = fresh.database;
  const deps = { db, clock: systemClock, logger: pino({ level: 'silent' }) };
  try {
    await migrateToLatest(db);
    await runSetup(
      { db, clock: systemClock, kickOutbox: () => undefined },
      benchSetup({ org_number: '974760673', year_start_month: '1', vat_registered: 'on' }),
    );
    let t = performance.now();
    await seedMembers(db, count);
    const { year } = await seedDues(fresh.database, count);
    const seedMs = performance.now() - t;
    log(`  ${opts.dialect}: seeded ${count} members' invoices and payments in ${secs(seedMs)}`);

    t = performance.now();
    const posted = await postAll(deps, { actor: systemActor });
    const postingMs = performance.now() - t;
    log(`  ${opts.dialect}: posting run, ${posted.total} entries in ${secs(postingMs)}`);

    t = performance.now();
    const report = await getAnnualReport(db, { year });
    const reportsMs = performance.now() - t;
    const balanced =
      report.balanceSheet.balanced &&
      report.trialBalance.totalDebitOre === report.trialBalance.totalCreditOre;
    log(
      `  ${opts.dialect}: income statement + balance sheet in ${secs(reportsMs)} (balanced: ${balanced})`,
    );

    t = performance.now();
    const { text } = await exportJournalText(deps, {
      actor: systemActor,
      range: { year },
      format: 'gbat10',
    });
    const gbat10Ms = performance.now() - t;
    const gbat10Records = parseGbat10(text).length;
    log(
      `  ${opts.dialect}: GBAT10 export, ${gbat10Records} records (${(text.length / 1e6).toFixed(1)} MB) in ${secs(gbat10Ms)}`,
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
      gbat10Records,
      totalMs,
      balanced,
      rows,
    };
  } finally {
    await fresh.database.close();
    await fresh.drop();
    rmSync(dir, { recursive: true, force: true });
  }
}

// Run directly: both databases, figures to stdout.
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const members = Number(process.env['BENCH_MEMBERS'] ?? 100_000);
  let failed = false;
  for (const dialect of await benchDialects()) {
    const r = await benchFinance({ dialect, members });
    for (const row of r.rows)
      process.stdout.write(
        `${dialect}\t${row.metric}\t${row.median}\t${row.target}\t${row.pass ? 'ok' : 'FAIL'}\n`,
      );
    if (r.rows.some((row) => !row.pass)) failed = true;
  }
  process.exitCode = failed ? 1 : 0;
}
