import { nextNumbers } from '../../app/counters.js';
import type { Db } from '../../app/db.js';
import { newIds } from '../../app/ids.js';
import type { JournalSourceKind } from './finance.tables.js';
import { FinanceErrors } from './finance.errors.js';

// The journal's one way in. Every posting — automatic from dues and expenses, manual,
// or a reversal — goes through insertJournalEntries, which refuses an unbalanced entry,
// numbers entries gaplessly per fiscal year and never updates an entry afterwards.

export type JournalLineInput = {
  account: string;
  debitOre?: number;
  creditOre?: number;
  vatCode?: string | null;
  memberId?: string | null;
  description?: string | null;
};

export type JournalEntryInput = {
  fiscalYear: number;
  postedOn: string;
  description: string;
  sourceKind: JournalSourceKind;
  /** The invoice, payment, claim … posted; null for manual entries. Unique per kind. */
  sourceId: string | null;
  reversesEntryId?: string | null;
  lines: JournalLineInput[];
};

export type JournalLine = {
  id: string;
  position: number;
  account: string;
  debitOre: number;
  creditOre: number;
  vatCode: string | null;
  memberId: string | null;
  description: string | null;
};

export type JournalEntry = {
  id: string;
  fiscalYear: number;
  number: number;
  postedOn: string;
  description: string;
  sourceKind: JournalSourceKind;
  sourceId: string | null;
  reversesEntryId: string | null;
  createdAt: string;
  createdBy: string | null;
};

/** Throws unless the lines are whole øre, one-sided, at least two and debit = credit. */
export function checkBalanced(lines: readonly JournalLineInput[]): void {
  let debit = 0;
  let credit = 0;
  for (const l of lines) {
    const d = l.debitOre ?? 0;
    const c = l.creditOre ?? 0;
    if (!Number.isSafeInteger(d) || !Number.isSafeInteger(c) || d < 0 || c < 0)
      throw FinanceErrors.badAmount();
    if ((d === 0) === (c === 0)) throw FinanceErrors.lineOneSided();
    if (!/^\d{4,6}$/.test(l.account)) throw FinanceErrors.badAccount();
    debit += d;
    credit += c;
  }
  if (lines.length < 2 || debit !== credit) throw FinanceErrors.unbalanced();
}

/**
 * Inserts entries with their lines in the caller's transaction, numbering them gaplessly
 * per fiscal year (counter `journal:<year>`), with multi-row inserts so that posting a
 * year's 100 000 invoices is a few hundred statements. Returns the entries' ids in order.
 */
export async function insertJournalEntries(
  tx: Db,
  opts: { entries: readonly JournalEntryInput[]; now: Date; createdBy: string | null },
): Promise<{ ids: string[] }> {
  const { entries, now } = opts;
  if (entries.length === 0) return { ids: [] };
  for (const e of entries) checkBalanced(e.lines);

  // Numbers: one reservation per fiscal year present, in input order.
  const countByYear = new Map<number, number>();
  for (const e of entries) countByYear.set(e.fiscalYear, (countByYear.get(e.fiscalYear) ?? 0) + 1);
  const nextByYear = new Map<number, number>();
  for (const [year, count] of [...countByYear].sort((a, b) => a[0] - b[0]))
    nextByYear.set(year, await nextNumbers(tx, `journal:${year}`, count));

  const ids = newIds(entries.length, now.getTime());
  const lineCount = entries.reduce((n, e) => n + e.lines.length, 0);
  const lineIds = newIds(lineCount, now.getTime());
  const at = now.toISOString();
  const entryRows = entries.map((e, i) => {
    const number = nextByYear.get(e.fiscalYear)!;
    nextByYear.set(e.fiscalYear, number + 1);
    return {
      id: ids[i]!,
      fiscal_year: e.fiscalYear,
      number,
      posted_on: e.postedOn,
      description: e.description,
      source_kind: e.sourceKind,
      source_id: e.sourceId,
      reverses_entry_id: e.reversesEntryId ?? null,
      created_at: at,
      created_by: opts.createdBy,
    };
  });
  let k = 0;
  const lineRows = entries.flatMap((e, i) =>
    e.lines.map((l, position) => ({
      id: lineIds[k++]!,
      entry_id: ids[i]!,
      position,
      account: l.account,
      debit_ore: l.debitOre ?? 0,
      credit_ore: l.creditOre ?? 0,
      vat_code: l.vatCode ?? null,
      member_id: l.memberId ?? null,
      description: l.description ?? null,
    })),
  );
  for (let i = 0; i < entryRows.length; i += 500)
    await tx
      .insertInto('journal_entries')
      .values(entryRows.slice(i, i + 500))
      .execute();
  for (let i = 0; i < lineRows.length; i += 500)
    await tx
      .insertInto('journal_lines')
      .values(lineRows.slice(i, i + 500))
      .execute();
  return { ids };
}

function toEntry(r: {
  id: string;
  fiscal_year: number;
  number: number;
  posted_on: string;
  description: string;
  source_kind: JournalSourceKind;
  source_id: string | null;
  reverses_entry_id: string | null;
  created_at: string;
  created_by: string | null;
}): JournalEntry {
  return {
    id: r.id,
    fiscalYear: r.fiscal_year,
    number: r.number,
    postedOn: r.posted_on,
    description: r.description,
    sourceKind: r.source_kind,
    sourceId: r.source_id,
    reversesEntryId: r.reverses_entry_id,
    createdAt: r.created_at,
    createdBy: r.created_by,
  };
}

export async function findJournalEntry(
  db: Db,
  id: string,
): Promise<{ entry: JournalEntry; lines: JournalLine[] } | null> {
  const row = await db
    .selectFrom('journal_entries')
    .selectAll()
    .where('id', '=', id)
    .executeTakeFirst();
  if (!row) return null;
  const lines = await db
    .selectFrom('journal_lines')
    .selectAll()
    .where('entry_id', '=', id)
    .orderBy('position')
    .execute();
  return {
    entry: toEntry(row),
    lines: lines.map((l) => ({
      id: l.id,
      position: l.position,
      account: l.account,
      debitOre: l.debit_ore,
      creditOre: l.credit_ore,
      vatCode: l.vat_code,
      memberId: l.member_id,
      description: l.description,
    })),
  };
}

/** The entry that reverses `id`, if any: an entry is reversed at most once. */
export async function findReversalOf(db: Db, id: string): Promise<JournalEntry | null> {
  const row = await db
    .selectFrom('journal_entries')
    .selectAll()
    .where('source_kind', '=', 'reversal')
    .where('source_id', '=', id)
    .executeTakeFirst();
  return row ? toEntry(row) : null;
}
