// The dues benchmark: a dues run for 100 000 members (target ≤ 30 s) and the invoice PDF
// rendering rate, on SQLite (a temp file) or PostgreSQL (a fresh database).
// Run alone: `npx tsx bench/dues.ts` (BENCH_MEMBERS=10000 scales it, BENCH_DB=sqlite|postgres).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pino from 'pino';
import { systemActor } from '../src/app/audit.js';
import { systemClock } from '../src/app/clock.js';
import { loadConfig } from '../src/app/config.js';
import { associationYear, todayIn } from '../src/app/dates.js';
import { migrateToLatest, type Dialect } from '../src/app/db.js';
import { runSetup } from '../src/modules/association/association.usecases.js';
import {
  DEFAULT_BILLING_SETTINGS,
  saveBillingSettings,
} from '../src/modules/billing/billing-settings.repository.js';
import { runDues } from '../src/modules/billing/dues-run.usecases.js';
import { setFees } from '../src/modules/billing/fees.usecases.js';
import { renderInvoicePdf } from '../src/modules/billing/invoice-pdf.js';
import { toInvoice } from '../src/modules/billing/invoices.repository.js';
import { loadInvoiceDetail } from '../src/modules/billing/invoices.usecases.js';
import { seedMembers } from './data.js';
import { benchDialects, benchSetup, freshDatabase, logLine } from './support.js';

export type DuesBenchResult = {
  dialect: Dialect;
  members: number;
  seedMs: number;
  duesRunMs: number;
  invoices: number;
  pdfCount: number;
  pdfMs: number;
  pdfPerSecond: number;
  passed: boolean;
};

const component = (nameNb: string, nameEn: string, amountOre: number, vatRateBp: number) => ({
  nameNb,
  nameEn,
  amountOre,
  vatRateBp,
  orMore: false,
});

/**
 * Seeds `members` active members (default 100 000), sets fees and a bank account, times
 * the dues run and the PDF rendering of ~200 invoices, prints the figures and returns them.
 */
export async function benchDues(opts: {
  dialect: Dialect;
  members?: number;
  log?: (line: string) => void;
}): Promise<DuesBenchResult> {
  const count = opts.members ?? 100_000;
  const log = opts.log ?? logLine;
  const dir = mkdtempSync(join(tmpdir(), 'allmenning-dues-'));
  const fresh = await freshDatabase({ dialect: opts.dialect, dir, prefix: 'dues' });
  const { db } = fresh.database;
  const deps = {
    db,
    clock: systemClock,
    config: loadConfig({ WORKER: 'false', LOG_LEVEL: 'silent' }),
    logger: pino({ level: 'silent' }),
    kickOutbox: () => undefined,
  };
  try {
    await migrateToLatest(db);
    await runSetup(deps, benchSetup({ org_number: '974760673', vat_registered: 'on' }));
    let t = performance.now();
    await seedMembers(db, count);
    // Everyone active and joined before the year: every member is due the full fee.
    await db.updateTable('members').set({ status: 'active', joined_on: '2020-01-01' }).execute();
    const seedMs = performance.now() - t;
    log(`  ${opts.dialect}: seeded ${count} active members in ${(seedMs / 1000).toFixed(1)} s`);

    const now = new Date();
    const year = associationYear(todayIn('Europe/Oslo', now), 7).year;
    // Member numbers reach six digits: the KID needs room for them.
    await saveBillingSettings(
      db,
      { ...DEFAULT_BILLING_SETTINGS, bankAccount: '86011117947', kidMemberDigits: 7 },
      now,
    );
    const fees: Record<string, ReturnType<typeof component>[]> = {
      ordinary: [
        component('Medlemskontingent', 'Membership fee', 15000, 0),
        component('Tjenesteavgift', 'Service fee', 45000, 2500),
      ],
      reduced: [
        component('Medlemskontingent', 'Membership fee', 5000, 0),
        component('Tjenesteavgift', 'Service fee', 5000, 2500),
      ],
      supporter: [component('Støttekontingent', 'Supporting fee', 30000, 0)],
      organisation: [
        component('Medlemskontingent', 'Membership fee', 50000, 0),
        component('Tjenesteavgift', 'Service fee', 100000, 2500),
      ],
    };
    for (const [typeCode, components] of Object.entries(fees))
      await setFees(deps, { actor: systemActor, year, typeCode, components });

    t = performance.now();
    const run = await runDues(deps, { actor: systemActor, year });
    const duesRunMs = performance.now() - t;
    if (run.createdCount !== count + 1)
      throw new Error(`dues run created ${run.createdCount} of ${count + 1} invoices`);
    log(
      `  ${opts.dialect}: dues run, ${run.createdCount} invoices in ${(duesRunMs / 1000).toFixed(1)} s (target ≤ 30 s)`,
    );

    const rows = await db.selectFrom('invoices').selectAll().orderBy('number').limit(200).execute();
    const details = await Promise.all(rows.map((r) => loadInvoiceDetail(db, toInvoice(r))));
    t = performance.now();
    for (const detail of details) await renderInvoicePdf(detail, 'nb');
    const pdfMs = performance.now() - t;
    const pdfPerSecond = (details.length / pdfMs) * 1000;
    log(
      `  ${opts.dialect}: ${details.length} invoice PDFs in ${(pdfMs / 1000).toFixed(2)} s = ${pdfPerSecond.toFixed(0)} PDFs/s`,
    );
    return {
      dialect: opts.dialect,
      members: count,
      seedMs,
      duesRunMs,
      invoices: run.createdCount,
      pdfCount: details.length,
      pdfMs,
      pdfPerSecond,
      passed: duesRunMs <= 30_000,
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
    const r = await benchDues({ dialect, members });
    console.log(
      `${dialect}: dues run ${r.invoices} invoices ${(r.duesRunMs / 1000).toFixed(1)} s (≤ 30 s: ${r.passed ? 'pass' : 'FAIL'}); PDF ${r.pdfPerSecond.toFixed(0)}/s`,
    );
    if (!r.passed) failed = true;
  }
  process.exitCode = failed ? 1 : 0;
}
