import type { Db } from '../../app/db.js';
import type { AllocationKind } from './billing.tables.js';
import { listMemberInvoices, outstandingOre, type Invoice } from './invoices.repository.js';

// One member's account: invoices, credit notes, payments, where the money went, and the
// running balance. Shared by the treasurer's statement and the member's own page.

export type AccountAllocation = {
  id: string;
  paymentId: string | null;
  invoiceId: string | null;
  invoiceNumber: number | null;
  amountOre: number;
  kind: AllocationKind;
  /** The payment's booking date, or the day the allocation was made. */
  date: string;
};

export type AccountPayment = {
  id: string;
  bookingDate: string;
  source: string;
  kind: 'credit' | 'reversal';
  amountOre: number;
  kid: string | null;
  payerName: string | null;
  status: string;
  /** What of it went to this member: to invoices and to the credit balance. */
  toMemberOre: number;
  invoiceNumbers: number[];
  toCreditOre: number;
};

export type BalanceEntryKind = 'invoice' | 'credit_note' | 'payment' | 'reversal' | 'adjustment';

export type BalanceEntry = {
  date: string;
  kind: BalanceEntryKind;
  invoiceNumber: number | null;
  paymentId: string | null;
  /** What the member owes more (invoice, reversal) … */
  debitOre: number;
  /** … or less (payment, credit note). */
  creditOre: number;
  /** Positive: the member owes; negative: money in the member's favour. */
  balanceOre: number;
};

export type MemberAccount = {
  invoices: Invoice[];
  payments: AccountPayment[];
  allocations: AccountAllocation[];
  /** Money on the member's account, not tied to an invoice. */
  creditBalanceOre: number;
  /** Left to pay on open invoices. */
  outstandingOre: number;
  balanceOre: number;
  entries: BalanceEntry[];
};

const RANK: Record<BalanceEntryKind, number> = {
  invoice: 0,
  credit_note: 1,
  payment: 2,
  reversal: 3,
  adjustment: 4,
};

export async function memberAccount(db: Db, memberId: string): Promise<MemberAccount> {
  const invoices = await listMemberInvoices(db, memberId);
  const allocationRows = await db
    .selectFrom('payment_allocations')
    .leftJoin('payments', 'payments.id', 'payment_allocations.payment_id')
    .leftJoin('invoices', 'invoices.id', 'payment_allocations.invoice_id')
    .select([
      'payment_allocations.id',
      'payment_allocations.payment_id',
      'payment_allocations.invoice_id',
      'payment_allocations.amount_ore',
      'payment_allocations.kind',
      'payment_allocations.created_at',
      'payments.booking_date',
      'invoices.number as invoice_number',
    ])
    .where('payment_allocations.member_id', '=', memberId)
    .orderBy('payment_allocations.created_at')
    .orderBy('payment_allocations.id')
    .execute();
  const allocations: AccountAllocation[] = allocationRows.map((r) => ({
    id: r.id,
    paymentId: r.payment_id,
    invoiceId: r.invoice_id,
    invoiceNumber: r.invoice_number,
    amountOre: r.amount_ore,
    kind: r.kind,
    date: r.booking_date ?? r.created_at.slice(0, 10),
  }));

  const paymentRows = await db
    .selectFrom('payments')
    .selectAll()
    .where((eb) =>
      eb.or([
        eb('payments.member_id', '=', memberId),
        eb(
          'payments.id',
          'in',
          eb
            .selectFrom('payment_allocations')
            .select('payment_allocations.payment_id')
            .where('payment_allocations.member_id', '=', memberId)
            .where('payment_allocations.payment_id', 'is not', null),
        ),
      ]),
    )
    .orderBy('booking_date')
    .orderBy('id')
    .execute();
  const payments: AccountPayment[] = paymentRows.map((p) => {
    const mine = allocations.filter((a) => a.paymentId === p.id);
    return {
      id: p.id,
      bookingDate: p.booking_date,
      source: p.source,
      kind: p.kind,
      amountOre: p.amount_ore,
      kid: p.kid,
      payerName: p.payer_name,
      status: p.status,
      toMemberOre: mine.reduce((s, a) => s + a.amountOre, 0),
      invoiceNumbers: [
        ...new Set(mine.flatMap((a) => (a.invoiceNumber === null ? [] : [a.invoiceNumber]))),
      ],
      toCreditOre: mine.filter((a) => a.invoiceId === null).reduce((s, a) => s + a.amountOre, 0),
    };
  });

  const creditBalanceOre = allocations
    .filter((a) => a.invoiceId === null)
    .reduce((s, a) => s + a.amountOre, 0);
  return {
    invoices,
    payments,
    allocations,
    creditBalanceOre,
    outstandingOre: invoices.reduce((s, i) => s + outstandingOre(i), 0),
    ...runningBalance(invoices, payments, allocations),
  };
}

/** The account as a ledger: what was charged, what was paid, and the balance after each. */
export function runningBalance(
  invoices: Invoice[],
  payments: AccountPayment[],
  allocations: AccountAllocation[],
): { entries: BalanceEntry[]; balanceOre: number } {
  type Raw = Omit<BalanceEntry, 'balanceOre'> & { order: string };
  const raw: Raw[] = [];
  for (const i of invoices) {
    const credit = i.kind === 'credit_note';
    raw.push({
      date: i.issueDate,
      kind: credit ? 'credit_note' : 'invoice',
      invoiceNumber: i.number,
      paymentId: null,
      debitOre: credit ? 0 : i.totalOre,
      creditOre: credit ? -i.totalOre : 0,
      order: String(i.number).padStart(12, '0'),
    });
  }
  for (const p of payments) {
    if (p.toMemberOre === 0) continue;
    raw.push({
      date: p.bookingDate,
      kind: p.toMemberOre > 0 ? 'payment' : 'reversal',
      invoiceNumber: null,
      paymentId: p.id,
      debitOre: p.toMemberOre < 0 ? -p.toMemberOre : 0,
      creditOre: p.toMemberOre > 0 ? p.toMemberOre : 0,
      order: p.id,
    });
  }
  // Moves without a payment (credit used on an invoice) net to zero; anything else shows.
  const adjustments = new Map<string, number>();
  for (const a of allocations.filter((x) => x.paymentId === null))
    adjustments.set(a.date, (adjustments.get(a.date) ?? 0) + a.amountOre);
  for (const [date, sum] of adjustments) {
    if (sum === 0) continue;
    raw.push({
      date,
      kind: 'adjustment',
      invoiceNumber: null,
      paymentId: null,
      debitOre: sum < 0 ? -sum : 0,
      creditOre: sum > 0 ? sum : 0,
      order: date,
    });
  }
  raw.sort(
    (a, b) =>
      a.date.localeCompare(b.date) || RANK[a.kind] - RANK[b.kind] || a.order.localeCompare(b.order),
  );
  let balance = 0;
  const entries = raw.map(({ order: _order, ...e }) => {
    balance += e.debitOre - e.creditOre;
    return { ...e, balanceOre: balance };
  });
  return { entries, balanceOre: balance };
}
