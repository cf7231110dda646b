import { sql } from 'kysely';
import { nextNumbers } from '../../app/counters.js';
import { isPostgres, type Db } from '../../app/db.js';
import { newId } from '../../app/ids.js';
import { insertUnnest, type ColumnType } from '../billing/bulk-write.js';
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

// Ids of entries and lines: the shape of src/app/ids.ts (26 characters of Crockford
// base32, the first 10 the creation millisecond) but with a deterministic rest, made of
// decimal digits (a subset of the alphabet): the fiscal year (4) and the voucher number
// (12) for an entry; for a line the year (4), the number (9) and the position (3).
// (fiscal_year, number) is unique, so the ids are, and a posting run's ids ascend with
// the voucher numbers: inserts append to the primary-key indexes instead of landing on
// random pages (with random ids a run of 100 000 invoices rewrote most of the index
// pages in every batch). The set-based posting (posting.repository.ts) builds the same
// ids in SQL.

/** The first 10 characters of an id made at `now` (its millisecond, as in newId). */
export function idTimePrefix(now: Date): string {
  return newId(now.getTime()).slice(0, 10);
}

export function journalEntryId(prefix: string, fiscalYear: number, number: number): string {
  return `${prefix}${String(fiscalYear).padStart(4, '0')}${String(number).padStart(12, '0')}`;
}

const ENTRY_COLUMNS = [
  ['id', 'text'],
  ['fiscal_year', 'integer'],
  ['number', 'integer'],
  ['posted_on', 'text'],
  ['description', 'text'],
  ['source_kind', 'text'],
  ['source_id', 'text'],
  ['reverses_entry_id', 'text'],
  ['created_at', 'text'],
  ['created_by', 'text'],
] as const;

const LINE_COLUMNS = [
  ['entry_id', 'text'],
  ['position', 'integer'],
  ['account', 'text'],
  ['debit_ore', 'bigint'],
  ['credit_ore', 'bigint'],
  ['vat_code', 'text'],
  ['member_id', 'text'],
  ['description', 'text'],
] as const;

const ROWS_PER_STATEMENT = 5000;

/**
 * Many rows in few statements, each with a fixed text and few parameters: on PostgreSQL
 * one array per column (unnest), on SQLite one JSON array of rows (json_each). A
 * multi-row VALUES list costs a compile, a prepare and a bind per value (500 rows × 10
 * columns), which made up most of a posting run's time.
 */
async function insertRows<R extends object>(
  tx: Db,
  table: 'journal_entries' | 'journal_lines',
  columns: readonly (readonly [keyof R & string, ColumnType])[],
  rows: readonly R[],
): Promise<void> {
  const names = sql.join(columns.map(([name]) => sql.ref(name)));
  for (let i = 0; i < rows.length; i += ROWS_PER_STATEMENT) {
    const chunk = rows.slice(i, i + ROWS_PER_STATEMENT);
    if (isPostgres(tx)) {
      await insertUnnest(tx, table, columns, chunk);
      continue;
    }
    const json = JSON.stringify(chunk.map((r) => columns.map(([name]) => r[name] ?? null)));
    const values = sql.join(columns.map((_, k) => sql.raw(`json_extract(value, '$[${k}]')`)));
    await sql`insert into ${sql.table(table)} (${names}) select ${values} from json_each(${json}) order by key`.execute(
      tx,
    );
  }
}

/**
 * Inserts entries with their lines in the caller's transaction, numbering them gaplessly
 * per fiscal year (counter `journal:<year>`), a few statements per call however many
 * entries (see insertRows). Returns the entries' ids in order.
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

  const prefix = idTimePrefix(now);
  const ids: string[] = [];
  const at = now.toISOString();
  const entryRows = entries.map((e, i) => {
    const number = nextByYear.get(e.fiscalYear)!;
    nextByYear.set(e.fiscalYear, number + 1);
    ids.push(journalEntryId(prefix, e.fiscalYear, number));
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
  const lineRows = entries.flatMap((e, i) =>
    e.lines.map((l, position) => ({
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
  await insertRows(tx, 'journal_entries', ENTRY_COLUMNS, entryRows);
  await insertRows(tx, 'journal_lines', LINE_COLUMNS, lineRows);
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
