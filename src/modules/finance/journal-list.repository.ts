import { sql } from 'kysely';
import type { Db } from '../../app/db.js';
import type { JournalSourceKind } from './finance.tables.js';

// The journal read for people: the list with filters, an account's statement with its
// running balance, and the trial balance. Sums are integer øre computed in SQL.

export type EntryListItem = {
  id: string;
  fiscalYear: number;
  number: number;
  postedOn: string;
  description: string;
  sourceKind: JournalSourceKind;
  sourceId: string | null;
  reversesEntryId: string | null;
  amountOre: number;
  reversed: boolean;
};

export type EntryFilter = {
  year?: number | undefined;
  account?: string | undefined;
  kind?: JournalSourceKind | undefined;
  q?: string | undefined;
};

function filtered(db: Db, f: EntryFilter) {
  let q = db.selectFrom('journal_entries as e');
  if (f.year !== undefined) q = q.where('e.fiscal_year', '=', f.year);
  if (f.kind) q = q.where('e.source_kind', '=', f.kind);
  if (f.account) {
    const account = f.account;
    q = q.where((eb) =>
      eb.exists(
        eb
          .selectFrom('journal_lines as l')
          .select('l.position')
          .whereRef('l.entry_id', '=', 'e.id')
          .where('l.account', '=', account),
      ),
    );
  }
  if (f.q) {
    const like = `%${f.q.toLowerCase().replace(/[\\%_]/g, (m) => `\\${m}`)}%`;
    const n = /^\d{1,9}$/.test(f.q) ? Number(f.q) : null;
    q = q.where((eb) =>
      eb.or([
        eb(sql`lower(e.description)`, 'like', sql`${like} escape '\\'`),
        ...(n !== null ? [eb('e.number', '=', n)] : []),
      ]),
    );
  }
  return q;
}

export async function listEntries(
  db: Db,
  opts: { filter: EntryFilter; offset: number; limit: number },
): Promise<{ entries: EntryListItem[]; total: number }> {
  const count = await filtered(db, opts.filter)
    .select(sql<number>`count(*)`.as('n'))
    .executeTakeFirstOrThrow();
  const rows = await filtered(db, opts.filter)
    .select([
      'e.id',
      'e.fiscal_year',
      'e.number',
      'e.posted_on',
      'e.description',
      'e.source_kind',
      'e.source_id',
      'e.reverses_entry_id',
      sql<number>`(select coalesce(sum(l.debit_ore), 0) from journal_lines l where l.entry_id = e.id)`.as(
        'amount',
      ),
      sql<number>`(select count(*) from journal_entries r where r.source_kind = 'reversal' and r.source_id = e.id)`.as(
        'reversed',
      ),
    ])
    .orderBy('e.fiscal_year', 'desc')
    .orderBy('e.number', 'desc')
    .limit(opts.limit)
    .offset(opts.offset)
    .execute();
  return {
    total: Number(count.n),
    entries: rows.map((r) => ({
      id: r.id,
      fiscalYear: r.fiscal_year,
      number: r.number,
      postedOn: r.posted_on,
      description: r.description,
      sourceKind: r.source_kind,
      sourceId: r.source_id,
      reversesEntryId: r.reverses_entry_id,
      amountOre: Number(r.amount),
      reversed: Number(r.reversed) > 0,
    })),
  };
}

export type LedgerRow = {
  entryId: string;
  number: number;
  postedOn: string;
  description: string;
  lineDescription: string | null;
  debitOre: number;
  creditOre: number;
  balanceOre: number;
};

/** Balance-sheet accounts (1xxx, 2xxx) carry their balance into the next year. */
export const carriesOver = (account: string) => account.startsWith('1') || account.startsWith('2');

/**
 * An account's statement for a fiscal year: the opening balance (earlier years, for a
 * balance-sheet account), then every line in posting order with the running balance.
 */
export async function accountStatement(
  db: Db,
  opts: { account: string; year: number; offset: number; limit: number },
): Promise<{ openingOre: number; rows: LedgerRow[]; total: number; closingOre: number }> {
  const sumOf = async (where: 'before' | 'year') => {
    const row = await db
      .selectFrom('journal_lines as l')
      .innerJoin('journal_entries as e', 'e.id', 'l.entry_id')
      .select([
        sql<number>`coalesce(sum(l.debit_ore - l.credit_ore), 0)`.as('balance'),
        sql<number>`count(*)`.as('n'),
      ])
      .where('l.account', '=', opts.account)
      .where('e.fiscal_year', where === 'before' ? '<' : '=', opts.year)
      .executeTakeFirstOrThrow();
    return { balance: Number(row.balance), n: Number(row.n) };
  };
  const openingOre = carriesOver(opts.account) ? (await sumOf('before')).balance : 0;
  const year = await sumOf('year');
  const ordered = db
    .selectFrom('journal_lines as l')
    .innerJoin('journal_entries as e', 'e.id', 'l.entry_id')
    .where('l.account', '=', opts.account)
    .where('e.fiscal_year', '=', opts.year);
  // The balance before this page: the lines of the pages before it, summed in SQL.
  let before = 0;
  if (opts.offset > 0) {
    const row = await db
      .selectFrom(
        ordered
          .select(sql<number>`l.debit_ore - l.credit_ore`.as('d'))
          .orderBy('e.posted_on')
          .orderBy('e.number')
          .orderBy('l.position')
          .limit(opts.offset)
          .as('p'),
      )
      .select(sql<number>`coalesce(sum(p.d), 0)`.as('s'))
      .executeTakeFirstOrThrow();
    before = Number(row.s);
  }
  const rows = await ordered
    .select([
      'e.id',
      'e.number',
      'e.posted_on',
      'e.description',
      'l.description as line_description',
      'l.debit_ore',
      'l.credit_ore',
    ])
    .orderBy('e.posted_on')
    .orderBy('e.number')
    .orderBy('l.position')
    .limit(opts.limit)
    .offset(opts.offset)
    .execute();
  let balance = openingOre + before;
  return {
    openingOre,
    total: year.n,
    closingOre: openingOre + year.balance,
    rows: rows.map((r) => {
      balance += r.debit_ore - r.credit_ore;
      return {
        entryId: r.id,
        number: r.number,
        postedOn: r.posted_on,
        description: r.description,
        lineDescription: r.line_description,
        debitOre: r.debit_ore,
        creditOre: r.credit_ore,
        balanceOre: balance,
      };
    }),
  };
}

export type TrialBalanceRow = {
  account: string;
  nameNb: string | null;
  nameEn: string | null;
  debitOre: number;
  creditOre: number;
  balanceOre: number;
};

/** Per account: the year's debits and credits and their difference; totals must agree. */
export async function trialBalance(
  db: Db,
  year: number,
): Promise<{ rows: TrialBalanceRow[]; debitOre: number; creditOre: number }> {
  const rows = await db
    .selectFrom('journal_lines as l')
    .innerJoin('journal_entries as e', 'e.id', 'l.entry_id')
    .leftJoin('ledger_accounts as a', 'a.number', 'l.account')
    .select([
      'l.account',
      'a.name_nb',
      'a.name_en',
      sql<number>`sum(l.debit_ore)`.as('debit'),
      sql<number>`sum(l.credit_ore)`.as('credit'),
    ])
    .where('e.fiscal_year', '=', year)
    .groupBy(['l.account', 'a.name_nb', 'a.name_en'])
    .orderBy('l.account')
    .execute();
  const out = rows.map((r) => ({
    account: r.account,
    nameNb: r.name_nb,
    nameEn: r.name_en,
    debitOre: Number(r.debit),
    creditOre: Number(r.credit),
    balanceOre: Number(r.debit) - Number(r.credit),
  }));
  return {
    rows: out,
    debitOre: out.reduce((s, r) => s + r.debitOre, 0),
    creditOre: out.reduce((s, r) => s + r.creditOre, 0),
  };
}

/** The fiscal years that have entries, newest first. */
export async function journalYears(db: Db): Promise<number[]> {
  const rows = await db
    .selectFrom('journal_entries')
    .select('fiscal_year')
    .distinct()
    .orderBy('fiscal_year', 'desc')
    .execute();
  return rows.map((r) => r.fiscal_year);
}
