import type { AppContext } from '../../app/context.js';
import { associationYear, todayIn } from '../../app/dates.js';
import type { Db } from '../../app/db.js';
import { CommonErrors } from '../../app/errors.js';
import { findAssociation } from '../association/association.repository.js';
import { ensureFinanceSettings } from './finance-settings.repository.js';
import { JournalErrors } from './journal.errors.js';
import {
  accountStatement,
  journalYears,
  listEntries,
  trialBalance,
  type EntryFilter,
} from './journal-list.repository.js';
import {
  findJournalEntry,
  findReversalOf,
  type JournalEntry,
  type JournalLine,
} from './journal.repository.js';
import { findLedgerAccount, findLedgerAccounts, type LedgerAccount } from './ledger.repository.js';

// What the journal pages and the API read: one function per page, no writes except the
// lazy seeding of the settings.

type Deps = Pick<AppContext, 'db' | 'clock'>;

/** The fiscal year today is in, and the years that have entries (for the year choosers). */
export async function fiscalYears(deps: Deps): Promise<{ current: number; years: number[] }> {
  const now = deps.clock.now();
  const settings = await ensureFinanceSettings(deps.db, now);
  const association = await findAssociation(deps.db);
  const today = todayIn(association?.timeZone ?? 'Europe/Oslo', now);
  const current = associationYear(today, settings.fiscalYearStartMonth).year;
  const years = await journalYears(deps.db);
  if (!years.includes(current)) years.unshift(current);
  return { current, years: years.sort((a, b) => b - a) };
}

export async function journalPage(
  deps: Deps,
  opts: { filter: EntryFilter; page: number; pageSize: number },
) {
  const { entries, total } = await listEntries(deps.db, {
    filter: opts.filter,
    offset: (opts.page - 1) * opts.pageSize,
    limit: opts.pageSize,
  });
  const pages = Math.max(1, Math.ceil(total / opts.pageSize));
  return { entries, total, page: opts.page, pages };
}

/** Where an entry came from, for the link on its page. */
export type EntrySource =
  | { kind: 'invoice'; number: number }
  | { kind: 'payment'; id: string }
  | { kind: 'claim'; id: string; number: number }
  | { kind: 'entry'; id: string; label: string }
  | { kind: 'none' };

async function sourceOf(db: Db, entry: JournalEntry): Promise<EntrySource> {
  const id = entry.sourceId;
  if (!id) return { kind: 'none' };
  switch (entry.sourceKind) {
    case 'invoice':
    case 'credit_note': {
      const row = await db
        .selectFrom('invoices')
        .select('number')
        .where('id', '=', id)
        .executeTakeFirst();
      return row ? { kind: 'invoice', number: row.number } : { kind: 'none' };
    }
    case 'credit_transfer': {
      const row = await db
        .selectFrom('payment_allocations as a')
        .innerJoin('invoices as i', 'i.id', 'a.invoice_id')
        .select('i.number')
        .where('a.id', '=', id)
        .executeTakeFirst();
      return row ? { kind: 'invoice', number: row.number } : { kind: 'none' };
    }
    case 'payment':
    case 'payment_reversal':
      return { kind: 'payment', id };
    case 'expense':
    case 'expense_payment': {
      const row = await db
        .selectFrom('expense_claims')
        .select('number')
        .where('id', '=', id)
        .executeTakeFirst();
      return row ? { kind: 'claim', id, number: row.number } : { kind: 'none' };
    }
    case 'reversal': {
      const reversed = await findJournalEntry(db, id);
      return reversed
        ? {
            kind: 'entry',
            id,
            label: `${reversed.entry.fiscalYear}-${reversed.entry.number}`,
          }
        : { kind: 'none' };
    }
    case 'manual':
      return { kind: 'none' };
  }
}

export async function entryDetail(
  deps: Deps,
  id: string,
): Promise<{
  entry: JournalEntry;
  lines: JournalLine[];
  accounts: Map<string, LedgerAccount>;
  source: EntrySource;
  reversedBy: JournalEntry | null;
}> {
  const found = await findJournalEntry(deps.db, id);
  if (!found) throw JournalErrors.entryNotFound();
  const [accounts, source, reversedBy] = await Promise.all([
    findLedgerAccounts(
      deps.db,
      found.lines.map((l) => l.account),
    ),
    sourceOf(deps.db, found.entry),
    findReversalOf(deps.db, found.entry.id),
  ]);
  return { ...found, accounts, source, reversedBy };
}

export async function ledgerPage(
  deps: Deps,
  opts: { account: string; year: number; page: number; pageSize: number },
) {
  const account = await findLedgerAccount(deps.db, opts.account);
  const statement = await accountStatement(deps.db, {
    account: opts.account,
    year: opts.year,
    offset: (opts.page - 1) * opts.pageSize,
    limit: opts.pageSize,
  });
  if (!account && statement.total === 0 && statement.openingOre === 0)
    throw CommonErrors.notFound();
  const pages = Math.max(1, Math.ceil(statement.total / opts.pageSize));
  return { account, ...statement, page: opts.page, pages };
}

export async function trialBalancePage(deps: Deps, year: number) {
  return trialBalance(deps.db, year);
}
