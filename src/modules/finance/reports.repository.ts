import { sql } from 'kysely';
import { associationYear, associationYearBounds, todayIn } from '../../app/dates.js';
import type { Db } from '../../app/db.js';
import { findAssociation } from '../association/association.repository.js';

// Reads for the year-end reports, the budget comparison and the overview: the journal
// summed per fiscal year and account, in one grouped query (no rows leave the database).

/** Debits and credits of one account in one fiscal year, in øre. */
export type AccountYearTotal = {
  fiscalYear: number;
  account: string;
  debitOre: number;
  creditOre: number;
};

export type FiscalYearBounds = { year: number; startsOn: string; endsOn: string };

/**
 * The month the fiscal year starts in, from the finance settings; January until they
 * exist (the same default the posting run seeds them with).
 */
export async function fiscalYearStartMonth(db: Db): Promise<number> {
  const row = await db
    .selectFrom('finance_settings')
    .select('fiscal_year_start_month')
    .executeTakeFirst();
  return row?.fiscal_year_start_month ?? 1;
}

export async function fiscalYearBounds(db: Db, year: number): Promise<FiscalYearBounds> {
  return associationYearBounds(year, await fiscalYearStartMonth(db));
}

/** The fiscal year that contains today in the association's time zone. */
export async function currentFiscalYear(db: Db, now: Date): Promise<FiscalYearBounds> {
  const association = await findAssociation(db);
  const today = todayIn(association?.timeZone ?? 'Europe/Oslo', now);
  return associationYear(today, await fiscalYearStartMonth(db));
}

/** Every account's debits and credits per fiscal year, for the years up to `upToYear`. */
export async function accountTotalsByYear(
  db: Db,
  opts: { upToYear: number },
): Promise<AccountYearTotal[]> {
  const rows = await db
    .selectFrom('journal_lines')
    .innerJoin('journal_entries', 'journal_entries.id', 'journal_lines.entry_id')
    .select([
      'journal_entries.fiscal_year as fiscal_year',
      'journal_lines.account as account',
      sql<number>`sum(journal_lines.debit_ore)`.as('debit'),
      sql<number>`sum(journal_lines.credit_ore)`.as('credit'),
    ])
    .where('journal_entries.fiscal_year', '<=', opts.upToYear)
    .groupBy(['journal_entries.fiscal_year', 'journal_lines.account'])
    .execute();
  return rows.map((r) => ({
    fiscalYear: Number(r.fiscal_year),
    account: r.account,
    debitOre: Number(r.debit),
    creditOre: Number(r.credit),
  }));
}

/** The fiscal years the journal has entries in, newest first. */
export async function listJournalYears(db: Db): Promise<number[]> {
  const rows = await db
    .selectFrom('journal_entries')
    .select('fiscal_year')
    .distinct()
    .orderBy('fiscal_year', 'desc')
    .execute();
  return rows.map((r) => Number(r.fiscal_year));
}

export type AccountName = { nb: string; en: string };

/** The chart of accounts' names by number (accounts not in it show their number only). */
export async function accountNames(db: Db): Promise<Map<string, AccountName>> {
  const rows = await db
    .selectFrom('ledger_accounts')
    .select(['number', 'name_nb', 'name_en'])
    .execute();
  return new Map(rows.map((r) => [r.number, { nb: r.name_nb, en: r.name_en }]));
}

/** How many entries and lines a fiscal year has (the overview's counts). */
export async function journalYearCounts(
  db: Db,
  year: number,
): Promise<{ entries: number; lines: number; lastPostedOn: string | null }> {
  const row = await db
    .selectFrom('journal_entries')
    .select([sql<number>`count(*)`.as('entries'), sql<string | null>`max(posted_on)`.as('last')])
    .where('fiscal_year', '=', year)
    .executeTakeFirstOrThrow();
  const lines = await db
    .selectFrom('journal_lines')
    .innerJoin('journal_entries', 'journal_entries.id', 'journal_lines.entry_id')
    .select(sql<number>`count(*)`.as('n'))
    .where('journal_entries.fiscal_year', '=', year)
    .executeTakeFirstOrThrow();
  return { entries: Number(row.entries), lines: Number(lines.n), lastPostedOn: row.last ?? null };
}
