import type { Logger } from 'pino';
import { recordAudit, systemActor, type Actor } from '../../app/audit.js';
import type { AppContext } from '../../app/context.js';
import type { Db } from '../../app/db.js';
import { findAssociation } from '../association/association.repository.js';
import { isUniqueViolation } from '../billing/payments.repository.js';
import { ensureFinanceSettings } from './finance-settings.repository.js';
import {
  checkBalanced,
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

export const BATCH_SIZE = 1000;

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
 * Posts everything not yet posted. `onBatch` runs inside each batch's transaction just
 * before it commits; a throw there rolls that batch back (the tests simulate a crash so).
 */
export async function postAll(
  deps: Deps,
  opts: {
    actor?: Actor;
    batchSize?: number;
    onBatch?: (info: { kind: PassKind; batch: number; entries: number }) => void | Promise<void>;
  } = {},
): Promise<PostingCounts> {
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

  for (const kind of POSTING_KINDS) {
    let cursor: string | number = kind === 'invoice' ? 0 : '';
    for (;;) {
      let attempt = 0;
      let done = false;
      for (;;) {
        try {
          const result = await deps.db.transaction().execute(async (tx) => {
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
            return { batch, posted: good.length };
          });
          if (!result) done = true;
          else {
            counts.posted[kind] += result.posted;
            counts.total += result.posted;
            counts.skipped += result.batch.entries.length - result.posted;
            counts.batches++;
            cursor = result.batch.cursor ?? cursor;
          }
          break;
        } catch (err) {
          // Another run posted some of the same sources first: read the batch again.
          if (isUniqueViolation(err) && attempt++ < 3) continue;
          throw err;
        }
      }
      if (done) break;
    }
  }
  return counts;
}
