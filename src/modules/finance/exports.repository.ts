import { sql, type Expression, type SelectQueryBuilder } from 'kysely';
import type { DB } from '../../app/database.js';
import { isPostgres, type Db } from '../../app/db.js';
import type { JournalEntriesTable, JournalSourceKind } from './finance.tables.js';

// The journal line by line for the exports, a page at a time in voucher order
// (fiscal year, voucher number, line position), with what the formats quote beside a
// line: the member's number, and for an invoice or credit note its number, KID and due
// date. Keyset paging, so a year of 100 000 members never sits in memory at once.

/** A voucher as the formats quote it; its lines share one. */
export type ExportEntry = {
  fiscalYear: number;
  voucherNumber: number;
  postedOn: string;
  entryDescription: string;
  sourceKind: JournalSourceKind;
  sourceId: string | null;
  invoiceNumber: number | null;
  kid: string | null;
  dueDate: string | null;
};

export type ExportLine = {
  entry: ExportEntry;
  position: number;
  account: string;
  debitOre: number;
  creditOre: number;
  vatCode: string | null;
  lineDescription: string | null;
  memberNumber: number | null;
};

/** A fiscal year, or posting dates from–to (inclusive). */
export type ExportRange = { year: number } | { from: string; to: string };

export type ExportCursor = { fiscalYear: number; number: number } | null;

/** What the exports read of a line, beside its voucher's key (fiscal year, number). */
const LINE_COLUMNS = [
  'je.fiscal_year',
  'je.number',
  'jl.position',
  'jl.account',
  'jl.debit_ore',
  'jl.credit_ore',
  'jl.vat_code',
  'jl.description',
  'jl.member_id',
] as const;

/**
 * A page's lines column by column, in voucher and line order (fiscal year, number,
 * position): line i is element i of each array. PostgreSQL sends a page so, as one JSON
 * value of nine arrays: node-postgres decodes each row of a result field by field (a
 * year's export is 585 000 lines) where V8 parses one JSON value at once, and arrays of
 * numbers and short strings leave far less for the garbage collector than an array per
 * line. Nor does the database build a JSON array per line.
 */
type LineColumns = [
  fiscalYear: number[],
  number: number[],
  position: number[],
  account: string[],
  debitOre: number[],
  creditOre: number[],
  vatCode: (string | null)[],
  description: (string | null)[],
  memberId: (string | null)[],
];

const noLines = (): LineColumns => [[], [], [], [], [], [], [], [], []];

const linesOfPage = (db: Db) =>
  db.selectFrom('journal_entries as je').innerJoin('journal_lines as jl', 'jl.entry_id', 'je.id');

/**
 * PostgreSQL: the rows of `ordered` (sorted) as one JSON value of their `columns`, an
 * array per column (null when there are none). Each column is aggregated from the sorted
 * subquery in its order, which PostgreSQL keeps (its manual on aggregate expressions);
 * exportLinesPage checks the order it receives all the same.
 */
async function columnsAsJson<T extends unknown[][]>(
  db: Db,
  ordered: Expression<unknown>,
  columns: readonly string[],
): Promise<T | null> {
  const res = await sql<{ columns: T }>`select json_build_array(${sql.join(
    columns.map((c) => sql`json_agg(${sql.ref(`s.${c}`)})`),
  )}) as columns from (${ordered}) s`.execute(db);
  const row = res.rows[0]?.columns;
  return row?.[0] ? row : null;
}

/** PostgreSQL: lines (LINE_COLUMNS, sorted) as LineColumns. */
async function linesAsJson(db: Db, ordered: Expression<unknown>): Promise<LineColumns> {
  const names = LINE_COLUMNS.map((c) => c.slice(3));
  return (await columnsAsJson<LineColumns>(db, ordered, names)) ?? noLines();
}

/** PostgreSQL: the lines of a page (`inPage`) as LineColumns. */
async function pageAsJson(
  db: Db,
  inPage: (q: ReturnType<typeof linesOfPage>) => ReturnType<typeof linesOfPage>,
): Promise<LineColumns> {
  return linesAsJson(
    db,
    inPage(linesOfPage(db))
      .select(LINE_COLUMNS)
      .orderBy('je.fiscal_year')
      .orderBy('je.number')
      .orderBy('jl.position'),
  );
}

/**
 * PostgreSQL: the lines of the `limit` vouchers of `year` after number `after`, as
 * LineColumns. The vouchers are found by the (fiscal_year, number) index and
 * each one's lines by the lines' key, one index lookup per voucher: the subquery with an
 * offset is not flattened into a join, which PostgreSQL otherwise plans as a scan of all
 * the year's vouchers (with the page's end unknown when it plans) or a hash join over all
 * its lines, each three to four times slower than the page.
 */
async function yearPageAsJson(
  db: Db,
  page: { year: number; after: number; limit: number },
): Promise<LineColumns> {
  const vouchers = db
    .selectFrom('journal_entries')
    .select(['journal_entries.id', 'journal_entries.fiscal_year', 'journal_entries.number'])
    .where('journal_entries.fiscal_year', '=', page.year)
    .where('journal_entries.number', '>', page.after)
    .orderBy('journal_entries.number')
    // The page's size is a constant of the export: as a literal, a generic plan knows it.
    .limit(sql.lit(page.limit));
  return linesAsJson(
    db,
    db
      .selectFrom(vouchers.as('je'))
      .innerJoinLateral(
        (eb) =>
          eb
            .selectFrom('journal_lines as l')
            .selectAll('l')
            .whereRef('l.entry_id', '=', 'je.id')
            .offset(sql.lit(0))
            .as('jl'),
        (join) => join.onTrue(),
      )
      .select(LINE_COLUMNS)
      .orderBy('je.number')
      .orderBy('jl.position'),
  );
}

/** What the exports read of a voucher. */
const ENTRY_COLUMNS = [
  'fiscal_year',
  'number',
  'posted_on',
  'description',
  'source_kind',
  'source_id',
] as const;

type EntryRow = Pick<JournalEntriesTable, (typeof ENTRY_COLUMNS)[number]>;

/** PostgreSQL: a page of vouchers (`entries`, sorted) as one JSON value of its columns. */
async function entriesAsJson(
  db: Db,
  entries: SelectQueryBuilder<DB, 'journal_entries', EntryRow>,
): Promise<EntryRow[]> {
  const columns = await columnsAsJson<
    [number[], number[], string[], string[], JournalSourceKind[], (string | null)[]]
  >(db, entries, ENTRY_COLUMNS);
  if (!columns) return [];
  const [years, numbers, dates, texts, kinds, sources] = columns;
  return years.map((fiscalYear, i) => ({
    fiscal_year: fiscalYear,
    number: numbers[i]!,
    posted_on: dates[i]!,
    description: texts[i]!,
    source_kind: kinds[i]!,
    source_id: sources[i] ?? null,
  }));
}

/**
 * One page of whole vouchers (up to `limit` entries) after `cursor`. The entries' own
 * columns are read once per entry and the lines carry only theirs (a voucher's date and
 * text repeated on each of its lines were a third of what a year's export read).
 */
export async function exportLinesPage(
  db: Db,
  opts: { range: ExportRange; after: ExportCursor; limit: number; lookup?: ExportLookup },
): Promise<{ lines: ExportLine[]; next: ExportCursor }> {
  const { range, after } = opts;
  // The page's vouchers: keyset on (fiscal_year, number), which the unique index walks
  // from the cursor (`fiscal_year = ? and (fiscal_year > ? or …)` made SQLite start every
  // page at the beginning of the year: quadratic over a year of 100 000 members).
  let entries = db
    .selectFrom('journal_entries')
    .select(ENTRY_COLUMNS)
    .orderBy('fiscal_year')
    .orderBy('number')
    .limit(opts.limit);
  if ('year' in range) {
    entries = entries.where('fiscal_year', '=', range.year);
    if (after && after.fiscalYear > range.year) return { lines: [], next: null };
    if (after && after.fiscalYear === range.year)
      entries = entries.where('number', '>', after.number);
  } else {
    entries = entries.where('posted_on', '>=', range.from).where('posted_on', '<=', range.to);
    if (after)
      entries = entries.where(
        sql<boolean>`(fiscal_year, number) > (${after.fiscalYear}, ${after.number})`,
      );
  }
  // A year's page on PostgreSQL: its lines are read at the same time as its vouchers, on
  // a second connection, by the same keyset, instead of after them.
  let early: Promise<LineColumns> | null = null;
  if (isPostgres(db) && 'year' in range) {
    early = yearPageAsJson(db, {
      year: range.year,
      after: after && after.fiscalYear === range.year ? after.number : 0,
      limit: opts.limit,
    });
    // Awaited below, or dropped with the page; never left to reject unhandled.
    early.catch(() => undefined);
  }
  const page = isPostgres(db) ? await entriesAsJson(db, entries) : await entries.execute();
  if (page.length === 0) {
    await early?.catch(() => undefined);
    return { lines: [], next: null };
  }
  const first = page[0]!;
  const last = page[page.length - 1]!;
  const firstKey = { fiscalYear: Number(first.fiscal_year), number: Number(first.number) };
  const lastKey = { fiscalYear: Number(last.fiscal_year), number: Number(last.number) };

  // The lines of those vouchers in one read: the page is the key range first..last (of
  // the range's entries), which the index walks in order.
  const inPage = (q: ReturnType<typeof linesOfPage>) => {
    q =
      firstKey.fiscalYear === lastKey.fiscalYear
        ? q
            .where('je.fiscal_year', '=', firstKey.fiscalYear)
            .where('je.number', '>=', firstKey.number)
            .where('je.number', '<=', lastKey.number)
        : q.where(
            sql<boolean>`(je.fiscal_year, je.number) >= (${firstKey.fiscalYear}, ${firstKey.number}) and (je.fiscal_year, je.number) <= (${lastKey.fiscalYear}, ${lastKey.number})`,
          );
    if (!('year' in range))
      q = q.where('je.posted_on', '>=', range.from).where('je.posted_on', '<=', range.to);
    return q;
  };
  let columns: LineColumns;
  if (early) columns = await early;
  else if (isPostgres(db)) columns = await pageAsJson(db, inPage);
  else {
    columns = noLines();
    const rows = await inPage(linesOfPage(db))
      .select(LINE_COLUMNS)
      .orderBy('je.fiscal_year')
      .orderBy('je.number')
      .orderBy('jl.position')
      .execute();
    for (const r of rows) {
      columns[0].push(r.fiscal_year);
      columns[1].push(r.number);
      columns[2].push(r.position);
      columns[3].push(r.account);
      columns[4].push(r.debit_ore);
      columns[5].push(r.credit_ore);
      columns[6].push(r.vat_code);
      columns[7].push(r.description);
      columns[8].push(r.member_id);
    }
  }
  const [years, numbers, positions, accounts, debits, credits, vatCodes, texts, memberIds] =
    columns;

  // Members' numbers and invoices' figures: from the export's lookup when it has them,
  // else looked up once per page (rather than joined on every line).
  const lookup = opts.lookup ?? emptyLookup();
  const missingMembers = new Set<string>();
  const missingInvoices = new Set<string>();
  for (const e of page)
    if (
      e.source_id &&
      (e.source_kind === 'invoice' || e.source_kind === 'credit_note') &&
      !lookup.invoices.has(e.source_id)
    )
      missingInvoices.add(e.source_id);
  for (const m of memberIds) if (m && !lookup.members.has(m)) missingMembers.add(m);
  await lookUp(db, lookup, [...missingMembers], [...missingInvoices]);

  // Each voucher's part, made once and shared by its lines.
  const vouchers = page.map((e): ExportEntry => {
    const inv =
      e.source_id && (e.source_kind === 'invoice' || e.source_kind === 'credit_note')
        ? lookup.invoices.get(e.source_id)
        : undefined;
    return {
      fiscalYear: Number(e.fiscal_year),
      voucherNumber: Number(e.number),
      postedOn: e.posted_on,
      entryDescription: e.description,
      sourceKind: e.source_kind,
      sourceId: e.source_id,
      invoiceNumber: inv ? inv.number : null,
      kid: inv?.kid ?? null,
      dueDate: inv?.dueDate ?? null,
    };
  });
  for (let k = 1; k < vouchers.length; k++)
    if (voucherKeyOf(vouchers[k - 1]!) >= voucherKeyOf(vouchers[k]!))
      throw new Error('journal export: vouchers out of order');
  // Lines and vouchers are both in voucher order: one walk pairs them.
  const lines: ExportLine[] = [];
  let at = 0;
  let previous = { key: -1, position: -1 };
  for (let i = 0; i < numbers.length; i++) {
    const key = voucherKey(years[i]!, numbers[i]!);
    const position = positions[i]!;
    if (key < previous.key || (key === previous.key && position <= previous.position))
      throw new Error('journal export: lines out of voucher and line order');
    previous = { key, position };
    while (at < vouchers.length && voucherKeyOf(vouchers[at]!) < key) at++;
    const entry = vouchers[at];
    // A line of a voucher the page does not hold: on PostgreSQL a year's lines are read
    // beside its vouchers, and a voucher committed in between is in the next page.
    if (!entry || voucherKeyOf(entry) !== key) continue;
    const memberId = memberIds[i];
    lines.push({
      entry,
      position,
      account: accounts[i]!,
      debitOre: Number(debits[i]),
      creditOre: Number(credits[i]),
      vatCode: vatCodes[i] ?? null,
      lineDescription: texts[i] ?? null,
      memberNumber: memberId ? (lookup.members.get(memberId) ?? null) : null,
    });
  }
  return { lines, next: page.length < opts.limit ? null : lastKey };
}

/** A voucher's (fiscal year, number) as one number that sorts as the pair does. */
const voucherKey = (fiscalYear: number, number: number) =>
  Number(fiscalYear) * 1_000_000_000 + Number(number);

const voucherKeyOf = (e: ExportEntry) => voucherKey(e.fiscalYear, e.voucherNumber);

/** What the export quotes beside a line, by member id and invoice id. */
export type ExportLookup = {
  members: Map<string, number>;
  invoices: Map<string, { number: number; kid: string | null; dueDate: string | null }>;
};

const emptyLookup = (): ExportLookup => ({ members: new Map(), invoices: new Map() });

async function lookUp(
  db: Db,
  lookup: ExportLookup,
  memberIds: string[],
  invoiceIds: string[],
): Promise<void> {
  const [members, invoices] = await Promise.all([
    memberIds.length
      ? db
          .selectFrom('members')
          .select(['id', 'member_number'])
          .where('id', 'in', memberIds)
          .execute()
      : [],
    invoiceIds.length
      ? db
          .selectFrom('invoices')
          .select(['id', 'number', 'kid', 'due_date'])
          .where('id', 'in', invoiceIds)
          .execute()
      : [],
  ]);
  for (const m of members) lookup.members.set(m.id, Number(m.member_number));
  for (const i of invoices)
    lookup.invoices.set(i.id, { number: Number(i.number), kid: i.kid, dueDate: i.due_date });
}

/**
 * For a large export (a year of a big register): every member's number and the figures
 * of the invoices issued in the dates' span, each read in one sequential pass, so the
 * pages look nothing up (looking up 100 000 members and invoices by id, page by page, is
 * a random read each, and was most of a year's export). Invoices posted outside the span
 * (none: an invoice is posted on its issue date) would still be looked up per page.
 */
export async function loadExportLookup(
  db: Db,
  span: { from: string; to: string },
): Promise<ExportLookup> {
  const lookup = emptyLookup();
  const [members, invoices] = await Promise.all([
    db.selectFrom('members').select(['id', 'member_number']).execute(),
    db
      .selectFrom('invoices')
      .select(['id', 'number', 'kid', 'due_date'])
      .where('issue_date', '>=', span.from)
      .where('issue_date', '<=', span.to)
      .execute(),
  ]);
  for (const m of members) lookup.members.set(m.id, Number(m.member_number));
  for (const i of invoices)
    lookup.invoices.set(i.id, { number: Number(i.number), kid: i.kid, dueDate: i.due_date });
  return lookup;
}

/** Whether anything was posted in the range (the export page says so before a download). */
export async function countExportEntries(db: Db, range: ExportRange): Promise<number> {
  let q = db.selectFrom('journal_entries').select(sql<number>`count(*)`.as('n'));
  q =
    'year' in range
      ? q.where('fiscal_year', '=', range.year)
      : q.where('posted_on', '>=', range.from).where('posted_on', '<=', range.to);
  return Number((await q.executeTakeFirstOrThrow()).n);
}
