import { sql, type SqlBool } from 'kysely';
import type { Db } from '../../app/db.js';
import { toInvoice, type Invoice } from './invoices.repository.js';

// The treasurer's figures, read straight from invoices, lines and allocations. Every sum
// is integer øre computed in SQL; nothing here goes through floating point.

export type YearBounds = { year: number; startsOn: string; endsOn: string };

/**
 * An invoice belongs to the association year it was issued for (`year`); one without a
 * year (a one-off invoice) to the year its issue date falls in. Credit notes carry the
 * year of the invoice they credit.
 */
function inYear(y: YearBounds) {
  return sql<SqlBool>`(invoices.year = ${y.year} or (invoices.year is null and invoices.issue_date >= ${y.startsOn} and invoices.issue_date <= ${y.endsOn}))`;
}

const num = (v: unknown) => Number(v ?? 0);

export type VatByRate = { rateBp: number; netOre: number; vatOre: number; grossOre: number };

export type YearFigures = {
  invoiceCount: number;
  invoicedOre: number;
  creditNoteCount: number;
  /** The credit notes' total, as a positive amount. */
  creditNotesOre: number;
  /** Allocations to the year's invoices (payments less reversals, plus credit used). */
  paidOre: number;
  outstandingOre: number;
  overdueOre: number;
  overdueCount: number;
  vat: VatByRate[];
  vatOre: number;
  /** Money held for members on their accounts (overpayments less credit used), all years. */
  creditBalanceOre: number;
  membersWithCredit: number;
  membersPaid: number;
  membersUnpaid: number;
};

export async function yearFigures(
  db: Db,
  opts: { bounds: YearBounds; today: string },
): Promise<YearFigures> {
  const { bounds, today } = opts;
  const open = sql`invoices.total_ore - invoices.paid_ore - invoices.credited_ore`;
  const totals = await db
    .selectFrom('invoices')
    .select([
      sql<number>`coalesce(sum(case when invoices.kind = 'invoice' then 1 else 0 end), 0)`.as(
        'invoice_count',
      ),
      sql<number>`coalesce(sum(case when invoices.kind = 'invoice' then invoices.total_ore else 0 end), 0)`.as(
        'invoiced',
      ),
      sql<number>`coalesce(sum(case when invoices.kind = 'credit_note' then 1 else 0 end), 0)`.as(
        'credit_count',
      ),
      sql<number>`coalesce(sum(case when invoices.kind = 'credit_note' then -invoices.total_ore else 0 end), 0)`.as(
        'credited',
      ),
      sql<number>`coalesce(sum(case when invoices.kind = 'invoice' and ${open} > 0 then ${open} else 0 end), 0)`.as(
        'outstanding',
      ),
      sql<number>`coalesce(sum(case when invoices.kind = 'invoice' and ${open} > 0 and invoices.due_date < ${today} then ${open} else 0 end), 0)`.as(
        'overdue',
      ),
      sql<number>`coalesce(sum(case when invoices.kind = 'invoice' and ${open} > 0 and invoices.due_date < ${today} then 1 else 0 end), 0)`.as(
        'overdue_count',
      ),
    ])
    .where(inYear(bounds))
    .executeTakeFirstOrThrow();

  const paid = await db
    .selectFrom('payment_allocations')
    .innerJoin('invoices', 'invoices.id', 'payment_allocations.invoice_id')
    .select(sql<number>`coalesce(sum(payment_allocations.amount_ore), 0)`.as('sum'))
    .where(inYear(bounds))
    .executeTakeFirstOrThrow();

  const vat = await db
    .selectFrom('invoice_lines')
    .innerJoin('invoices', 'invoices.id', 'invoice_lines.invoice_id')
    .select([
      'invoice_lines.vat_rate_bp as rate',
      sql<number>`coalesce(sum(invoice_lines.net_ore), 0)`.as('net'),
      sql<number>`coalesce(sum(invoice_lines.vat_ore), 0)`.as('vat'),
      sql<number>`coalesce(sum(invoice_lines.gross_ore), 0)`.as('gross'),
    ])
    .where(inYear(bounds))
    .groupBy('invoice_lines.vat_rate_bp')
    .orderBy('invoice_lines.vat_rate_bp', 'desc')
    .execute();

  const balances = await db
    .selectFrom(
      db
        .selectFrom('payment_allocations')
        .select([
          'payment_allocations.member_id',
          sql<number>`sum(payment_allocations.amount_ore)`.as('balance'),
        ])
        .where('payment_allocations.invoice_id', 'is', null)
        .groupBy('payment_allocations.member_id')
        .as('b'),
    )
    .select([
      sql<number>`coalesce(sum(b.balance), 0)`.as('total'),
      sql<number>`coalesce(sum(case when b.balance <> 0 then 1 else 0 end), 0)`.as('members'),
    ])
    .executeTakeFirstOrThrow();

  // Paid or unpaid per member, by their dues invoices of the year that were not credited.
  const members = await db
    .selectFrom(
      db
        .selectFrom('invoices')
        .select([
          'invoices.member_id',
          sql<number>`sum(case when invoices.settled_at is null then 1 else 0 end)`.as('open'),
        ])
        .where('invoices.kind', '=', 'invoice')
        .where('invoices.purpose', '=', 'dues')
        .where('invoices.year', '=', bounds.year)
        .where(sql<SqlBool>`invoices.credited_ore < invoices.total_ore`)
        .groupBy('invoices.member_id')
        .as('m'),
    )
    .select([
      sql<number>`coalesce(sum(case when m.open = 0 then 1 else 0 end), 0)`.as('paid'),
      sql<number>`coalesce(sum(case when m.open > 0 then 1 else 0 end), 0)`.as('unpaid'),
    ])
    .executeTakeFirstOrThrow();

  const vatRows = vat.map((r) => ({
    rateBp: r.rate,
    netOre: num(r.net),
    vatOre: num(r.vat),
    grossOre: num(r.gross),
  }));
  return {
    invoiceCount: num(totals.invoice_count),
    invoicedOre: num(totals.invoiced),
    creditNoteCount: num(totals.credit_count),
    creditNotesOre: num(totals.credited),
    paidOre: num(paid.sum),
    outstandingOre: num(totals.outstanding),
    overdueOre: num(totals.overdue),
    overdueCount: num(totals.overdue_count),
    vat: vatRows,
    vatOre: vatRows.reduce((s, r) => s + r.vatOre, 0),
    creditBalanceOre: num(balances.total),
    membersWithCredit: num(balances.members),
    membersPaid: num(members.paid),
    membersUnpaid: num(members.unpaid),
  };
}

/**
 * Money received on the year's invoices per day: allocations by the booking date of
 * their payment (credit used from a member's balance by the day it was used).
 */
export async function paymentsByDay(
  db: Db,
  bounds: YearBounds,
): Promise<{ date: string; amountOre: number }[]> {
  const day = sql<string>`coalesce(payments.booking_date, substr(payment_allocations.created_at, 1, 10))`;
  const rows = await db
    .selectFrom('payment_allocations')
    .innerJoin('invoices', 'invoices.id', 'payment_allocations.invoice_id')
    .leftJoin('payments', 'payments.id', 'payment_allocations.payment_id')
    .select([day.as('day'), sql<number>`sum(payment_allocations.amount_ore)`.as('amount')])
    .where(inYear(bounds))
    .groupBy(day)
    .orderBy(day)
    .execute();
  return rows.map((r) => ({ date: r.day, amountOre: num(r.amount) }));
}

/** The association years that have invoices, newest first. */
export async function listInvoiceYears(db: Db): Promise<number[]> {
  const rows = await db
    .selectFrom('invoices')
    .select('year')
    .distinct()
    .where('year', 'is not', null)
    .execute();
  return rows.map((r) => Number(r.year)).sort((a, b) => b - a);
}

export type ExportInvoice = Invoice & {
  memberNumber: number;
  creditedInvoiceNumber: number | null;
};

/** One page of the year's invoices and credit notes, by number (keyset). */
export async function exportInvoicesPage(
  db: Db,
  opts: { bounds: YearBounds; afterNumber: number; limit: number },
): Promise<ExportInvoice[]> {
  const rows = await db
    .selectFrom('invoices')
    .innerJoin('members', 'members.id', 'invoices.member_id')
    .leftJoin('invoices as credited', 'credited.id', 'invoices.credited_invoice_id')
    .selectAll('invoices')
    .select(['members.member_number as member_number', 'credited.number as credited_number'])
    .where(inYear(opts.bounds))
    .where('invoices.number', '>', opts.afterNumber)
    .orderBy('invoices.number')
    .limit(opts.limit)
    .execute();
  return rows.map((r) => ({
    ...toInvoice(r),
    memberNumber: r.member_number,
    creditedInvoiceNumber: r.credited_number,
  }));
}

export type ExportPayment = {
  id: string;
  bookingDate: string;
  source: string;
  sourceRef: string;
  kind: string;
  amountOre: number;
  kid: string | null;
  payerName: string | null;
  payerAccount: string | null;
  message: string | null;
  bankReference: string | null;
  status: string;
  memberNumber: number | null;
  invoiceNumbers: number[];
  toCreditOre: number;
};

/** One page of the payments booked within the year's dates, by date and id (keyset). */
export async function exportPaymentsPage(
  db: Db,
  opts: { bounds: YearBounds; after: { date: string; id: string } | null; limit: number },
): Promise<ExportPayment[]> {
  let q = db
    .selectFrom('payments')
    .leftJoin('members', 'members.id', 'payments.member_id')
    .selectAll('payments')
    .select('members.member_number as member_number')
    .where('payments.booking_date', '>=', opts.bounds.startsOn)
    .where('payments.booking_date', '<=', opts.bounds.endsOn);
  const after = opts.after;
  if (after)
    q = q.where((eb) =>
      eb.or([
        eb('payments.booking_date', '>', after.date),
        eb.and([eb('payments.booking_date', '=', after.date), eb('payments.id', '>', after.id)]),
      ]),
    );
  const rows = await q
    .orderBy('payments.booking_date')
    .orderBy('payments.id')
    .limit(opts.limit)
    .execute();
  const ids = rows.map((r) => r.id);
  const allocations =
    ids.length === 0
      ? []
      : await db
          .selectFrom('payment_allocations')
          .leftJoin('invoices', 'invoices.id', 'payment_allocations.invoice_id')
          .select([
            'payment_allocations.payment_id',
            'payment_allocations.amount_ore',
            'invoices.number',
          ])
          .where('payment_allocations.payment_id', 'in', ids)
          .orderBy('invoices.number')
          .execute();
  return rows.map((r) => {
    const mine = allocations.filter((a) => a.payment_id === r.id);
    return {
      id: r.id,
      bookingDate: r.booking_date,
      source: r.source,
      sourceRef: r.source_ref,
      kind: r.kind,
      amountOre: r.amount_ore,
      kid: r.kid,
      payerName: r.payer_name,
      payerAccount: r.payer_account,
      message: r.message,
      bankReference: r.bank_reference,
      status: r.status,
      memberNumber: r.member_number,
      invoiceNumbers: [...new Set(mine.flatMap((a) => (a.number === null ? [] : [a.number])))],
      toCreditOre: mine.filter((a) => a.number === null).reduce((s, a) => s + a.amount_ore, 0),
    };
  });
}

export type OverdueInvoice = {
  invoice: Invoice;
  memberId: string;
  memberNumber: number;
  memberName: string;
};

/** The year's overdue invoices, oldest due date first. */
export async function listOverdueInvoices(
  db: Db,
  opts: { bounds: YearBounds; today: string; limit: number },
): Promise<OverdueInvoice[]> {
  const rows = await db
    .selectFrom('invoices')
    .innerJoin('members', 'members.id', 'invoices.member_id')
    .selectAll('invoices')
    .select(['members.member_number as member_number', 'members.name as member_name'])
    .where(inYear(opts.bounds))
    .where('invoices.kind', '=', 'invoice')
    .where('invoices.settled_at', 'is', null)
    .where(sql<SqlBool>`invoices.total_ore - invoices.paid_ore - invoices.credited_ore > 0`)
    .where('invoices.due_date', '<', opts.today)
    .orderBy('invoices.due_date')
    .orderBy('invoices.number')
    .limit(opts.limit)
    .execute();
  return rows.map((r) => ({
    invoice: toInvoice(r),
    memberId: r.member_id,
    memberNumber: r.member_number,
    memberName: r.member_name,
  }));
}
