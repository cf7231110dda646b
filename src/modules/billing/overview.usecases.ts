import { csvStringify as stringify } from '../../app/lazy.js';
import { invoiceState, outstandingOre } from './invoices.repository.js';
import { recordAudit, type Actor } from '../../app/audit.js';
import type { AppContext } from '../../app/context.js';
import { associationYear, associationYearBounds, todayIn } from '../../app/dates.js';
import type { Db } from '../../app/db.js';
import { CommonErrors } from '../../app/errors.js';
import { findAssociation } from '../association/association.repository.js';
import { guardCell, UTF8_BOM } from '../members/csv-export.js';
import { findMemberById, type Member } from '../members/members.repository.js';
import { memberAccount, type MemberAccount } from './member-account.repository.js';
import {
  exportInvoicesPage,
  exportPaymentsPage,
  listInvoiceYears,
  paymentsByDay,
  yearFigures,
  type ExportInvoice,
  type ExportPayment,
  type YearBounds,
  type YearFigures,
} from './overview.repository.js';

export type Overview = {
  bounds: YearBounds;
  today: string;
  currentYear: number;
  years: number[];
  figures: YearFigures;
  byDay: { date: string; amountOre: number }[];
};

async function yearContext(db: Db, now: Date, year?: number) {
  const association = await findAssociation(db);
  if (!association) throw CommonErrors.setupRequired();
  const today = todayIn(association.timeZone, now);
  const current = associationYear(today, association.yearStartMonth);
  const bounds = year ? associationYearBounds(year, association.yearStartMonth) : current;
  return { today, current: current.year, bounds };
}

/** The treasurer's figures for one association year (the current one by default). */
export async function getOverview(db: Db, opts: { now: Date; year?: number }): Promise<Overview> {
  const { today, current, bounds } = await yearContext(db, opts.now, opts.year);
  const [figures, byDay, invoiceYears] = await Promise.all([
    yearFigures(db, { bounds, today }),
    paymentsByDay(db, bounds),
    listInvoiceYears(db),
  ]);
  const years = [...new Set([current, bounds.year, ...invoiceYears])].sort((a, b) => b - a);
  return { bounds, today, currentYear: current, years, figures, byDay };
}

export async function getMemberStatement(
  db: Db,
  memberId: string,
): Promise<{ member: Member; account: MemberAccount }> {
  const member = await findMemberById(db, memberId);
  if (!member) throw CommonErrors.notFound();
  return { member, account: await memberAccount(db, memberId) };
}

// --- CSV ----------------------------------------------------------------------------

/** Øre as kroner with two decimals and a point: 123456 → "1234.56", -5 → "-0.05". */
export function kronerText(ore: number): string {
  const sign = ore < 0 ? '-' : '';
  const abs = Math.abs(ore);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

export const INVOICE_CSV_COLUMNS = [
  'number',
  'kind',
  'credits_invoice',
  'issue_date',
  'due_date',
  'member_number',
  'buyer_name',
  'buyer_org_number',
  'purpose',
  'year',
  'kid',
  'net_kr',
  'vat_kr',
  'total_kr',
  'paid_kr',
  'credited_kr',
  'outstanding_kr',
  'net_ore',
  'vat_ore',
  'total_ore',
  'paid_ore',
  'credited_ore',
  'outstanding_ore',
  'status',
  'settled_at',
] as const;

export const PAYMENT_CSV_COLUMNS = [
  'booking_date',
  'kind',
  'source',
  'amount_kr',
  'amount_ore',
  'kid',
  'payer_name',
  'payer_account',
  'message',
  'bank_reference',
  'status',
  'member_number',
  'invoice_numbers',
  'to_credit_kr',
  'to_credit_ore',
  'source_ref',
] as const;

function invoiceCells(inv: ExportInvoice, today: string): (string | number | null)[] {
  const open = outstandingOre(inv);
  return [
    inv.number,
    inv.kind,
    inv.creditedInvoiceNumber,
    inv.issueDate,
    inv.dueDate,
    inv.memberNumber,
    inv.buyer.name,
    inv.buyer.orgNumber,
    inv.purpose,
    inv.year,
    inv.kid,
    kronerText(inv.netOre),
    kronerText(inv.vatOre),
    kronerText(inv.totalOre),
    kronerText(inv.paidOre),
    kronerText(inv.creditedOre),
    kronerText(open),
    inv.netOre,
    inv.vatOre,
    inv.totalOre,
    inv.paidOre,
    inv.creditedOre,
    open,
    invoiceState(inv, today),
    inv.settledAt,
  ];
}

function paymentCells(p: ExportPayment): (string | number | null)[] {
  return [
    p.bookingDate,
    p.kind,
    p.source,
    kronerText(p.amountOre),
    p.amountOre,
    p.kid,
    p.payerName,
    p.payerAccount,
    p.message,
    p.bankReference,
    p.status,
    p.memberNumber,
    p.invoiceNumbers.join(' '),
    kronerText(p.toCreditOre),
    p.toCreditOre,
    p.sourceRef,
  ];
}

/** RFC 4180 rows (CRLF, quoted where needed), every text cell guarded against formulas. */
function csv(rows: (string | number | null)[][]): string {
  if (rows.length === 0) return '';
  const cells = rows.map((r) => r.map((v) => (v === null ? '' : guardCell(String(v)))));
  return stringify(cells, { record_delimiter: '\r\n', quoted_match: /[\r\n]/ });
}

const PAGE = 1000;

type ExportDeps = Pick<AppContext, 'db' | 'clock'>;

async function auditExport(deps: ExportDeps, actor: Actor, what: string, year: number) {
  await recordAudit(deps.db, {
    actor,
    action: 'billing.exported',
    entityType: 'billing',
    entityId: null,
    after: { what, year },
    at: deps.clock.now(),
  });
}

/** The year's invoices and credit notes as CSV, a page at a time (never all in memory). */
export async function exportInvoicesCsv(
  deps: ExportDeps,
  opts: { actor: Actor; year?: number },
): Promise<{ year: number; chunks: AsyncGenerator<string> }> {
  const { today, bounds } = await yearContext(deps.db, deps.clock.now(), opts.year);
  await auditExport(deps, opts.actor, 'invoices', bounds.year);
  async function* chunks() {
    yield UTF8_BOM + csv([[...INVOICE_CSV_COLUMNS]]);
    let after = 0;
    for (;;) {
      const page = await exportInvoicesPage(deps.db, { bounds, afterNumber: after, limit: PAGE });
      if (page.length === 0) return;
      yield csv(page.map((inv) => invoiceCells(inv, today)));
      after = page[page.length - 1]!.number;
    }
  }
  return { year: bounds.year, chunks: chunks() };
}

/** Payments booked within the year's dates as CSV, with the invoices they went to. */
export async function exportPaymentsCsv(
  deps: ExportDeps,
  opts: { actor: Actor; year?: number },
): Promise<{ year: number; chunks: AsyncGenerator<string> }> {
  const { bounds } = await yearContext(deps.db, deps.clock.now(), opts.year);
  await auditExport(deps, opts.actor, 'payments', bounds.year);
  async function* chunks() {
    yield UTF8_BOM + csv([[...PAYMENT_CSV_COLUMNS]]);
    let after: { date: string; id: string } | null = null;
    for (;;) {
      const page = await exportPaymentsPage(deps.db, { bounds, after, limit: PAGE });
      if (page.length === 0) return;
      yield csv(page.map(paymentCells));
      const last = page[page.length - 1]!;
      after = { date: last.bookingDate, id: last.id };
    }
  }
  return { year: bounds.year, chunks: chunks() };
}

/** Collects an export into one string (the API and tests). */
export async function collect(chunks: AsyncGenerator<string>): Promise<string> {
  let out = '';
  for await (const chunk of chunks) out += chunk;
  return out;
}
