import { sql } from 'kysely';
import type { Db } from '../../app/db.js';
import type {
  CreditTransferSource,
  ExpenseSource,
  InvoiceSource,
  PaymentSource,
} from './posting.js';

// The sources not yet posted, read set-based: one query per batch for the sources (an
// anti-join on journal_entries' unique (source_kind, source_id)), one for their lines.
// Each read goes forward from a cursor, so a run reads every source once however long.

export type Page<T> = { items: T[]; cursor: string | null };

const notPosted = (kind: string, idColumn: string) =>
  sql<boolean>`not exists (select 1 from journal_entries je where je.source_kind = ${kind} and je.source_id = ${sql.ref(idColumn)})`;

export async function unpostedInvoices(
  db: Db,
  opts: { after: number; limit: number; from: string | null },
): Promise<InvoiceSource[]> {
  let q = db
    .selectFrom('invoices as i')
    .leftJoin('invoices as o', 'o.id', 'i.credited_invoice_id')
    .select([
      'i.id',
      'i.number',
      'i.kind',
      'i.purpose',
      'i.member_id',
      'i.issue_date',
      'i.total_ore',
      'i.vat_registered',
      'o.number as credited_number',
    ])
    .where('i.number', '>', opts.after)
    .where(
      sql<boolean>`not exists (select 1 from journal_entries je where je.source_kind = i.kind and je.source_id = i.id)`,
    );
  if (opts.from) q = q.where('i.issue_date', '>=', opts.from);
  const rows = await q.orderBy('i.number').limit(opts.limit).execute();
  if (rows.length === 0) return [];
  const lines = await db
    .selectFrom('invoice_lines')
    .select(['invoice_id', 'position', 'description', 'vat_rate_bp', 'net_ore', 'vat_ore'])
    .where(
      'invoice_id',
      'in',
      rows.map((r) => r.id),
    )
    .orderBy('invoice_id')
    .orderBy('position')
    .execute();
  const byInvoice = new Map<string, InvoiceSource['lines']>();
  for (const l of lines) {
    const list = byInvoice.get(l.invoice_id) ?? [];
    list.push({
      description: l.description,
      vatRateBp: l.vat_rate_bp,
      netOre: l.net_ore,
      vatOre: l.vat_ore,
    });
    byInvoice.set(l.invoice_id, list);
  }
  return rows.map((r) => ({
    id: r.id,
    number: r.number,
    kind: r.kind,
    purpose: r.purpose,
    creditedNumber: r.credited_number ?? null,
    memberId: r.member_id,
    issueDate: r.issue_date,
    totalOre: r.total_ore,
    vatRegistered: r.vat_registered === 1,
    lines: byInvoice.get(r.id) ?? [],
  }));
}

/** Matched payments (or reversals) of one kind; what they put on invoices summed per payment. */
export async function unpostedPayments(
  db: Db,
  opts: { kind: 'credit' | 'reversal'; after: string; limit: number; from: string | null },
): Promise<PaymentSource[]> {
  let q = db
    .selectFrom('payments as p')
    .select([
      'p.id',
      'p.kind',
      'p.amount_ore',
      'p.booking_date',
      'p.kid',
      'p.member_id',
      sql<number>`(select coalesce(sum(a.amount_ore), 0) from payment_allocations a where a.payment_id = p.id and a.invoice_id is not null)`.as(
        'to_invoices',
      ),
    ])
    .where('p.id', '>', opts.after)
    // Not indexable on purpose: SQLite would otherwise pick the status index, read every
    // matched payment and sort them for each batch (quadratic over a run); walking the
    // primary key from the cursor reads each payment once.
    .where(sql`${sql.ref('p.kind')} || ''`, '=', opts.kind)
    .where(sql`${sql.ref('p.status')} || ''`, '=', 'matched')
    .where(notPosted(opts.kind === 'credit' ? 'payment' : 'payment_reversal', 'p.id'));
  if (opts.from) q = q.where('p.booking_date', '>=', opts.from);
  const rows = await q.orderBy('p.id').limit(opts.limit).execute();
  return rows.map((r) => ({
    id: r.id,
    kind: r.kind,
    amountOre: r.amount_ore,
    bookingDate: r.booking_date,
    kid: r.kid,
    memberId: r.member_id,
    toInvoicesOre: Number(r.to_invoices),
  }));
}

/**
 * Allocations without a payment on an invoice: credit used for it, or what was paid on
 * it moved to the member's credit when it was credited. Their counterpart (the row
 * without an invoice) is the member's credit, which the posting itself moves.
 */
export async function unpostedCreditTransfers(
  db: Db,
  opts: { after: string; limit: number },
): Promise<(Omit<CreditTransferSource, 'date'> & { createdAt: string })[]> {
  const rows = await db
    .selectFrom('payment_allocations as a')
    .innerJoin('invoices as i', 'i.id', 'a.invoice_id')
    .select(['a.id', 'a.member_id', 'a.amount_ore', 'a.created_at', 'i.number'])
    .where('a.id', '>', opts.after)
    .where('a.payment_id', 'is', null)
    .where('a.kind', 'in', ['overpayment', 'credit_used'])
    .where(notPosted('credit_transfer', 'a.id'))
    .orderBy('a.id')
    .limit(opts.limit)
    .execute();
  return rows.map((r) => ({
    id: r.id,
    invoiceNumber: r.number,
    memberId: r.member_id,
    amountOre: r.amount_ore,
    createdAt: r.created_at,
  }));
}

/** Approved (or since paid) claims not yet posted as a cost, or paid claims not yet as paid. */
export async function unpostedExpenses(
  db: Db,
  opts: { kind: 'expense' | 'expense_payment'; after: string; limit: number },
): Promise<(Omit<ExpenseSource, 'date'> & { approvedAt: string | null; paidOn: string | null })[]> {
  let q = db
    .selectFrom('expense_claims as c')
    .select([
      'c.id',
      'c.number',
      'c.member_id',
      'c.category',
      'c.amount_ore',
      'c.vat_ore',
      'c.approved_at',
      'c.paid_on',
    ])
    .where('c.id', '>', opts.after)
    .where(notPosted(opts.kind, 'c.id'));
  q =
    opts.kind === 'expense'
      ? q.where('c.status', 'in', ['approved', 'paid']).where('c.approved_at', 'is not', null)
      : q.where('c.status', '=', 'paid').where('c.paid_on', 'is not', null);
  const rows = await q.orderBy('c.id').limit(opts.limit).execute();
  return rows.map((r) => ({
    id: r.id,
    number: r.number,
    memberId: r.member_id,
    category: r.category,
    amountOre: r.amount_ore,
    vatOre: r.vat_ore,
    approvedAt: r.approved_at,
    paidOn: r.paid_on,
  }));
}
