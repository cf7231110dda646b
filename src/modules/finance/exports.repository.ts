import { sql } from 'kysely';
import type { Db } from '../../app/db.js';
import type { JournalSourceKind } from './finance.tables.js';

// The journal line by line for the exports, a page at a time in voucher order
// (fiscal year, voucher number, line position), with what the formats quote beside a
// line: the member's number, and for an invoice or credit note its number, KID and due
// date. Keyset paging, so a year of 100 000 members never sits in memory at once.

export type ExportLine = {
  entryId: string;
  fiscalYear: number;
  voucherNumber: number;
  postedOn: string;
  entryDescription: string;
  sourceKind: JournalSourceKind;
  sourceId: string | null;
  position: number;
  account: string;
  debitOre: number;
  creditOre: number;
  vatCode: string | null;
  lineDescription: string | null;
  memberNumber: number | null;
  invoiceNumber: number | null;
  kid: string | null;
  dueDate: string | null;
};

/** A fiscal year, or posting dates from–to (inclusive). */
export type ExportRange = { year: number } | { from: string; to: string };

export type ExportCursor = { fiscalYear: number; number: number } | null;

/** One page of whole vouchers (up to `limit` entries) after `cursor`. */
export async function exportLinesPage(
  db: Db,
  opts: { range: ExportRange; after: ExportCursor; limit: number },
): Promise<{ lines: ExportLine[]; next: ExportCursor }> {
  const { range, after } = opts;
  let entries = db
    .selectFrom('journal_entries')
    .select(['id', 'fiscal_year', 'number', 'posted_on', 'description', 'source_kind', 'source_id'])
    .orderBy('fiscal_year')
    .orderBy('number')
    .limit(opts.limit);
  entries =
    'year' in range
      ? entries.where('fiscal_year', '=', range.year)
      : entries.where('posted_on', '>=', range.from).where('posted_on', '<=', range.to);
  if (after)
    entries = entries.where((eb) =>
      eb.or([
        eb('fiscal_year', '>', after.fiscalYear),
        eb.and([eb('fiscal_year', '=', after.fiscalYear), eb('number', '>', after.number)]),
      ]),
    );
  const page = await entries.execute();
  if (page.length === 0) return { lines: [], next: null };
  const last = page[page.length - 1]!;

  // The lines of exactly those entries, by their ids (an OR of ranges would make SQLite
  // scan the journal once per page); members and invoices are looked up once per page
  // rather than joined on every line.
  const byId = new Map(page.map((e) => [e.id, e]));
  const lines = await db
    .selectFrom('journal_lines')
    .select([
      'entry_id',
      'position',
      'account',
      'debit_ore',
      'credit_ore',
      'vat_code',
      'member_id',
      'description',
    ])
    .where('entry_id', 'in', [...byId.keys()])
    .execute();
  const memberIds = [...new Set(lines.map((l) => l.member_id).filter((m): m is string => !!m))];
  const invoiceIds = page
    .filter((e) => e.source_kind === 'invoice' || e.source_kind === 'credit_note')
    .map((e) => e.source_id)
    .filter((id): id is string => !!id);
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
  const memberNumber = new Map(members.map((m) => [m.id, Number(m.member_number)]));
  const invoice = new Map(invoices.map((i) => [i.id, i]));
  const order = new Map(page.map((e, i) => [e.id, i]));
  lines.sort((x, y) => order.get(x.entry_id)! - order.get(y.entry_id)! || x.position - y.position);
  return {
    lines: lines.map((l) => {
      const e = byId.get(l.entry_id)!;
      const inv = e.source_id ? invoice.get(e.source_id) : undefined;
      return {
        entryId: e.id,
        fiscalYear: Number(e.fiscal_year),
        voucherNumber: Number(e.number),
        postedOn: e.posted_on,
        entryDescription: e.description,
        sourceKind: e.source_kind,
        sourceId: e.source_id,
        position: l.position,
        account: l.account,
        debitOre: Number(l.debit_ore),
        creditOre: Number(l.credit_ore),
        vatCode: l.vat_code,
        lineDescription: l.description,
        memberNumber: l.member_id ? (memberNumber.get(l.member_id) ?? null) : null,
        invoiceNumber: inv ? Number(inv.number) : null,
        kid: inv?.kid ?? null,
        dueDate: inv?.due_date ?? null,
      };
    }),
    next:
      page.length < opts.limit
        ? null
        : { fiscalYear: Number(last.fiscal_year), number: Number(last.number) },
  };
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
