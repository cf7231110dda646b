import { sql } from 'kysely';
import type { Logger } from 'pino';
import { recordAudit, systemActor, type Actor } from '../../app/audit.js';
import type { AppContext } from '../../app/context.js';
import { isPostgres, withBulkPageCache, type Db } from '../../app/db.js';
import { findAssociation } from '../association/association.repository.js';
import { isUniqueViolation } from '../billing/payments.repository.js';
import { ensureFinanceSettings } from './finance-settings.repository.js';
import { nextNumbers } from '../../app/counters.js';
import {
  BatchRaceError,
  postInvoiceBatch,
  postInvoiceWindow,
  postPaymentBatch,
  postPaymentWindow,
  readInvoiceBatch,
  readPaymentBatch,
  UnbalancedBatchError,
  type BulkBatch,
} from './posting-bulk.repository.js';
import {
  checkBalanced,
  idTimePrefix,
  insertJournalEntries,
  type JournalEntryInput,
} from './journal.repository.js';
import {
  creditTransferEntry,
  expenseEntry,
  expensePaymentEntry,
  invoiceEntry,
  paymentEntry,
  type PostingContext,
} from './posting.js';
import {
  unpostedCreditTransfers,
  unpostedExpenses,
  unpostedInvoices,
  unpostedPayments,
} from './posting.repository.js';

// The posting run: finds every source not yet in the journal and posts it, in batches
// of BATCH_SIZE sources, each batch one transaction. A crash keeps the batches already
// committed and a re-run continues after them; the unique (source_kind, source_id) of
// journal_entries makes posting a source twice impossible even for two runs at once.

export const BATCH_SIZE = 5000;

export const POSTING_KINDS = [
  'invoice',
  'payment',
  'payment_reversal',
  'credit_transfer',
  'expense',
  'expense_payment',
] as const;
type PassKind = (typeof POSTING_KINDS)[number];

export type PostingCounts = {
  /** Entries made per kind (invoices and credit notes both count under `invoice`). */
  posted: Record<PassKind, number>;
  total: number;
  batches: number;
  /** Sources left out because they could not be posted (see the log). */
  skipped: number;
};

type Deps = Pick<AppContext, 'db' | 'clock'> & { logger?: Pick<Logger, 'warn'> };

const dateFormats = new Map<string, Intl.DateTimeFormat>();
/** The calendar date of an instant in the association's zone (formatter cached: 100 000 rows). */
function localDate(iso: string, timeZone: string): string {
  let f = dateFormats.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
    });
    dateFormats.set(timeZone, f);
  }
  return f.format(new Date(iso));
}

type Batch = { entries: JournalEntryInput[]; cursor: string | number | null; read: number };

/** Reads the next batch of one kind from the cursor and builds its entries. */
async function readBatch(
  tx: Db,
  kind: PassKind,
  opts: {
    cursor: string | number;
    limit: number;
    ctx: PostingContext;
    timeZone: string;
    from: string | null;
  },
): Promise<Batch> {
  const { ctx, limit, from } = opts;
  const inRange = (date: string) => from === null || date >= from;
  switch (kind) {
    case 'invoice': {
      const rows = await unpostedInvoices(tx, { after: Number(opts.cursor), limit, from });
      return {
        entries: rows.map((r) => invoiceEntry(ctx, r)),
        cursor: rows.at(-1)?.number ?? null,
        read: rows.length,
      };
    }
    case 'payment':
    case 'payment_reversal': {
      const rows = await unpostedPayments(tx, {
        kind: kind === 'payment' ? 'credit' : 'reversal',
        after: String(opts.cursor),
        limit,
        from,
      });
      return {
        entries: rows.map((r) => paymentEntry(ctx, r)),
        cursor: rows.at(-1)?.id ?? null,
        read: rows.length,
      };
    }
    case 'credit_transfer': {
      const rows = await unpostedCreditTransfers(tx, { after: String(opts.cursor), limit });
      return {
        entries: rows
          .map((r) => ({ ...r, date: localDate(r.createdAt, opts.timeZone) }))
          .filter((r) => inRange(r.date))
          .map((r) => creditTransferEntry(ctx, r)),
        cursor: rows.at(-1)?.id ?? null,
        read: rows.length,
      };
    }
    case 'expense':
    case 'expense_payment': {
      const rows = await unpostedExpenses(tx, { kind, after: String(opts.cursor), limit });
      const dated = rows.map((r) => ({
        ...r,
        date: kind === 'expense' ? localDate(r.approvedAt!, opts.timeZone) : r.paidOn!.slice(0, 10),
      }));
      const build = kind === 'expense' ? expenseEntry : expensePaymentEntry;
      return {
        entries: dated.filter((r) => inRange(r.date)).map((r) => build(ctx, r)),
        cursor: rows.at(-1)?.id ?? null,
        read: rows.length,
      };
    }
  }
}

/**
 * PostgreSQL plans by the statistics of the journal, which a run of a year's dues changes
 * from nothing to hundreds of thousands of rows faster than autovacuum looks (and it may
 * be off): plans made for an empty journal scan all of it per batch and per export page.
 * So a run that posts many entries analyses the journal as it grows (after ANALYZE_FROM
 * entries, then at four times as many, …) and at the end, outside the batches.
 */
const ANALYZE_FROM = 2000;

async function analyzeJournal(db: Db, opts: { lines: boolean }): Promise<void> {
  await sql`analyze journal_entries`.execute(db);
  // The run's own statements find lines by key only; the exports after it join them.
  if (opts.lines) await sql`analyze journal_lines`.execute(db);
}

/**
 * The set-based fast path (posting-bulk.repository.ts) for invoices and payments: posts
 * the next batch if every source in it is plain and says how many; 'empty' when nothing
 * is left; null when the batch needs the row-by-row path.
 */
async function postBulkBatch(
  tx: Db,
  kind: PassKind,
  opts: {
    cursor: string | number;
    limit: number;
    ctx: PostingContext;
    from: string | null;
    now: Date;
    createdBy: string | null;
  },
): Promise<{ posted: number; cursor: string | number } | 'empty' | null> {
  if (kind !== 'invoice' && kind !== 'payment' && kind !== 'payment_reversal') return null;
  const { ctx, from, limit } = opts;
  const startMonth = ctx.fiscalYearStartMonth;
  const paymentKind = kind === 'payment' ? 'credit' : 'reversal';
  const prefix = idTimePrefix(opts.now);
  const at = opts.now.toISOString();
  let after = opts.cursor;
  if (isPostgres(tx)) {
    // One statement per window (posting-bulk.repository.ts); windows posted before (a
    // re-run) are passed over in place.
    const common = { ctx, limit, from, prefix, at, createdBy: opts.createdBy };
    for (;;) {
      const result =
        kind === 'invoice'
          ? await postInvoiceWindow(tx, { ...common, after: Number(after) })
          : await postPaymentWindow(tx, { ...common, kind: paymentKind, after: String(after) });
      if (result === 'empty') return 'empty';
      if (result === 'irregular') return null;
      if (result.posted > 0) return result;
      after = result.cursor;
    }
  }
  // SQLite: the window read, its numbers reserved, then posted; windows whose sources are
  // all posted already (a re-run) are passed over in place.
  let sources: BulkBatch['sources'] = [];
  for (;;) {
    const window =
      kind === 'invoice'
        ? await readInvoiceBatch(tx, { after: Number(after), limit, from, startMonth })
        : await readPaymentBatch(tx, {
            kind: paymentKind,
            after: String(after),
            limit,
            from,
            startMonth,
          });
    if (window.windowLast === null) return 'empty';
    sources = window.sources;
    if (sources.length > 0) break;
    after = window.windowLast;
  }
  if (sources.some((s) => !s.plain)) return null;
  const countByYear = new Map<number, number>();
  for (const s of sources) countByYear.set(s.fiscalYear, (countByYear.get(s.fiscalYear) ?? 0) + 1);
  const reserved = [];
  for (const [year, count] of [...countByYear].sort((a, b) => a[0] - b[0])) {
    const first = await nextNumbers(tx, `journal:${year}`, count);
    reserved.push({ year, first, last: first + count - 1 });
  }
  const last = sources.at(-1)!.key;
  const common = {
    ctx,
    from,
    reserved,
    expected: sources.length,
    prefix,
    at,
    createdBy: opts.createdBy,
  };
  if (kind === 'invoice')
    await postInvoiceBatch(tx, { ...common, after: Number(after), last: Number(last) });
  else
    await postPaymentBatch(tx, {
      ...common,
      kind: paymentKind,
      after: String(after),
      last: String(last),
    });
  return { posted: sources.length, cursor: last };
}

/**
 * Posts everything not yet posted. `onBatch` runs inside each batch's transaction just
 * before it commits; a throw there rolls that batch back (the tests simulate a crash so).
 */
export async function postAll(deps: Deps, opts: PostAllOptions = {}): Promise<PostingCounts> {
  return withBulkPageCache(deps.db, () => postEverything(deps, opts));
}

type PostAllOptions = {
  actor?: Actor;
  batchSize?: number;
  /** false: every batch row by row (the tests compare both paths); default true. */
  setBased?: boolean;
  onBatch?: (info: { kind: PassKind; batch: number; entries: number }) => void | Promise<void>;
};

async function postEverything(deps: Deps, opts: PostAllOptions): Promise<PostingCounts> {
  const now = deps.clock.now();
  const actor = opts.actor ?? systemActor;
  const limit = opts.batchSize ?? BATCH_SIZE;
  const counts: PostingCounts = {
    posted: {
      invoice: 0,
      payment: 0,
      payment_reversal: 0,
      credit_transfer: 0,
      expense: 0,
      expense_payment: 0,
    },
    total: 0,
    batches: 0,
    skipped: 0,
  };
  const association = await findAssociation(deps.db);
  if (!association) return counts;
  const settings = await ensureFinanceSettings(deps.db, now);
  const ctx: PostingContext = {
    accounts: settings.accounts,
    fiscalYearStartMonth: settings.fiscalYearStartMonth,
    locale: association.defaultLocale,
    vatRegistered: association.vatRegistered,
  };

  const pg = isPostgres(deps.db);
  let analyzeAt = ANALYZE_FROM;
  for (const kind of POSTING_KINDS) {
    let cursor: string | number = kind === 'invoice' ? 0 : '';
    for (;;) {
      let attempt = 0;
      let done = false;
      // Set when the set-based post of this batch found an invoice that does not add up.
      let rowByRow = opts.setBased === false;
      for (;;) {
        try {
          const result = await deps.db.transaction().execute(async (tx) => {
            // PostgreSQL: no JIT compilation of the batch's statements, and the commit does
            // not wait for its WAL to reach the disk. A crash within the moment after a
            // commit (up to three times wal_writer_delay) may lose the last batches whole,
            // their reserved numbers and audit record with them, never part of one: the
            // next run posts them again, numbers still gapless.
            if (pg)
              await sql`select set_config('jit', 'off', true), set_config('synchronous_commit', 'off', true)`.execute(
                tx,
              );
            const bulk = rowByRow
              ? null
              : await postBulkBatch(tx, kind, {
                  cursor,
                  limit,
                  ctx,
                  from: settings.postedFrom,
                  now,
                  createdBy: actor.userId,
                });
            if (bulk === 'empty') return null;
            if (bulk) {
              await recordAudit(tx, {
                actor,
                action: 'finance.journal_posted',
                entityType: 'journal',
                entityId: null,
                after: { kind, entries: bulk.posted },
                at: now,
              });
              await opts.onBatch?.({ kind, batch: counts.batches + 1, entries: bulk.posted });
              return { cursor: bulk.cursor, posted: bulk.posted, skipped: 0 };
            }
            const batch = await readBatch(tx, kind, {
              cursor,
              limit,
              ctx,
              timeZone: association.timeZone,
              from: settings.postedFrom,
            });
            if (batch.read === 0) return null;
            // One bad source must not stop the journal: it is left out and logged.
            const good = batch.entries.filter((e) => {
              try {
                checkBalanced(e.lines);
                return true;
              } catch {
                deps.logger?.warn(
                  { sourceKind: e.sourceKind, sourceId: e.sourceId },
                  'journal: source could not be posted',
                );
                return false;
              }
            });
            await insertJournalEntries(tx, { entries: good, now, createdBy: actor.userId });
            if (good.length > 0)
              await recordAudit(tx, {
                actor,
                action: 'finance.journal_posted',
                entityType: 'journal',
                entityId: null,
                after: { kind, entries: good.length },
                at: now,
              });
            await opts.onBatch?.({ kind, batch: counts.batches + 1, entries: good.length });
            return {
              cursor: batch.cursor,
              posted: good.length,
              skipped: batch.entries.length - good.length,
            };
          });
          if (!result) done = true;
          else {
            counts.posted[kind] += result.posted;
            counts.total += result.posted;
            counts.skipped += result.skipped;
            counts.batches++;
            cursor = result.cursor ?? cursor;
            if (pg && counts.total >= analyzeAt) {
              await analyzeJournal(deps.db, { lines: false });
              analyzeAt = counts.total * 4;
            }
          }
          break;
        } catch (err) {
          // Another run posted some of the same sources first: read the batch again.
          if ((isUniqueViolation(err) || err instanceof BatchRaceError) && attempt++ < 3) continue;
          // Rolled back: the same window again, row by row (which leaves the invoice out).
          if (err instanceof UnbalancedBatchError && !rowByRow) {
            rowByRow = true;
            continue;
          }
          throw err;
        }
      }
      if (done) break;
    }
  }
  if (pg && counts.total >= ANALYZE_FROM) await analyzeJournal(deps.db, { lines: true });
  return counts;
}
