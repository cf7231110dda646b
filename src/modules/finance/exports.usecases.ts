import { recordAudit, type Actor } from '../../app/audit.js';
import type { AppContext } from '../../app/context.js';
import { guardCell, UTF8_BOM } from '../members/csv-export.js';
import { kronerText } from '../billing/overview.usecases.js';
import { associationYearBounds } from '../../app/dates.js';
import {
  countExportEntries,
  exportLinesPage,
  loadExportLookup,
  type ExportCursor,
  type ExportLookup,
  type ExportLine,
  type ExportRange,
} from './exports.repository.js';
import { gbat10Records } from './gbat10.js';
import { ensureFinanceSettings } from './finance-settings.repository.js';

// The journal as files for the accountant and the auditor: CSV (UTF-8 with a byte order
// mark, for spreadsheets) and GBAT10 (for import into an accounting system). Both are
// produced a page of vouchers at a time and streamed; each export is audited.

export const JOURNAL_CSV_COLUMNS = [
  'fiscal_year',
  'voucher_number',
  'date',
  'account',
  'description',
  'debit',
  'credit',
  'vat_code',
  'source',
  'source_id',
  'member_number',
  'invoice_number',
] as const;

function csvCells(l: ExportLine): (string | number | null)[] {
  const e = l.entry;
  return [
    e.fiscalYear,
    e.voucherNumber,
    e.postedOn,
    l.account,
    l.lineDescription ?? e.entryDescription,
    l.debitOre ? kronerText(l.debitOre) : '',
    l.creditOre ? kronerText(l.creditOre) : '',
    l.vatCode,
    e.sourceKind,
    e.sourceId,
    l.memberNumber,
    e.invoiceNumber,
  ];
}

/** A CSV field: quoted when it holds a comma, a quote or a line break (RFC 4180). */
function csvField(v: string | number | null): string {
  if (v === null) return '';
  const s = guardCell(String(v));
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

/** Rows as CSV records (comma, CRLF), in one flat string. */
function csv(rows: (string | number | null)[][]): string {
  const out: string[] = [];
  for (const r of rows) out.push(`${r.map(csvField).join(',')}\r\n`);
  return out.join('');
}

export type JournalExportFormat = 'csv' | 'gbat10';

type Deps = Pick<AppContext, 'db' | 'clock'>;

const PAGE = 5000;

/** From this many vouchers on, an export reads members and invoices up front (loadExportLookup). */
const LOOKUP_FROM = 20 * PAGE;

async function* pages(
  deps: Deps,
  range: ExportRange,
  fiscalStartMonth: number,
): AsyncGenerator<ExportLine[]> {
  let lookup: ExportLookup | undefined;
  if ((await countExportEntries(deps.db, range)) >= LOOKUP_FROM) {
    let span = { from: '', to: '' };
    if ('year' in range) {
      const bounds = associationYearBounds(range.year, fiscalStartMonth);
      span = { from: bounds.startsOn, to: bounds.endsOn };
    } else span = { from: range.from, to: range.to };
    lookup = await loadExportLookup(deps.db, span);
  }
  // One page read ahead: on PostgreSQL the database reads the next page while this one
  // is formatted and sent (SQLite answers synchronously, so it changes nothing there).
  type Page = Awaited<ReturnType<typeof exportLinesPage>>;
  const read = (cursor: ExportCursor): Promise<Page> =>
    exportLinesPage(deps.db, { range, after: cursor, limit: PAGE, lookup });
  let ahead: Promise<Page> | null = read(null);
  try {
    while (ahead) {
      const { lines, next }: Page = await ahead;
      ahead = next ? read(next) : null;
      // Settled when awaited next; a consumer that stops early must not leave it unhandled.
      ahead?.catch(() => undefined);
      if (lines.length > 0) yield lines;
    }
  } finally {
    await ahead?.catch(() => undefined);
  }
}

/** A file name for the range: journal-2026.csv, journal-2026-01-01_2026-03-31.gbat10.txt. */
export function exportFilename(range: ExportRange, format: JournalExportFormat): string {
  const stem = 'year' in range ? `journal-${range.year}` : `journal-${range.from}_${range.to}`;
  return format === 'csv' ? `${stem}.csv` : `${stem}.gbat10.txt`;
}

/**
 * The journal in the range as text chunks: for CSV the BOM and header first; for GBAT10
 * one record per line, CRLF. Records the export in the audit log before the first byte.
 */
export async function exportJournal(
  deps: Deps,
  opts: { actor: Actor; range: ExportRange; format: JournalExportFormat },
): Promise<{ filename: string; chunks: AsyncGenerator<string> }> {
  const { range, format } = opts;
  await recordAudit(deps.db, {
    actor: opts.actor,
    action: 'finance.exported',
    entityType: 'journal',
    entityId: null,
    after: { format, ...range },
    at: deps.clock.now(),
  });
  const settings = await ensureFinanceSettings(deps.db, deps.clock.now());
  const gbat10 = {
    fiscalStartMonth: settings.fiscalYearStartMonth,
    customerAccounts: new Set([settings.accounts.receivables, settings.accounts.prepayments]),
    supplierAccounts: new Set([settings.accounts.expenses_payable]),
  };
  async function* chunks(): AsyncGenerator<string> {
    if (format === 'csv') yield UTF8_BOM + csv([[...JOURNAL_CSV_COLUMNS]]);
    for await (const lines of pages(deps, range, settings.fiscalYearStartMonth)) {
      if (format === 'csv') yield csv(lines.map(csvCells));
      else yield gbat10Records(lines, gbat10);
    }
  }
  return { filename: exportFilename(range, format), chunks: chunks() };
}

/** The whole export as one string (CLI, tests, benchmark). */
export async function exportJournalText(
  deps: Deps,
  opts: { actor: Actor; range: ExportRange; format: JournalExportFormat },
): Promise<{ filename: string; text: string }> {
  const { filename, chunks } = await exportJournal(deps, opts);
  const parts: string[] = [];
  for await (const c of chunks) parts.push(c);
  return { filename, text: parts.join('') };
}
