import { sql } from 'kysely';
import type { Actor } from '../../app/audit.js';
import { isPostgres, type Db } from '../../app/db.js';
import { newId } from '../../app/ids.js';
import { outstandingOre, refreshInvoiceState, type Invoice } from './invoices.repository.js';
import { membershipFollowsPayment, membershipPaymentReversed } from './membership-payment.js';
import { insertAllocations, type AllocationRow } from './payments.repository.js';

// Where a payment's money goes: to an invoice up to what is outstanding, the rest to the
// member's credit balance (an allocation without invoice). Reversals mirror them.

export type InvoiceState = Pick<
  Invoice,
  'kind' | 'totalOre' | 'paidOre' | 'creditedOre' | 'orMore' | 'settledAt'
>;

export type AllocationPlan = {
  toInvoiceOre: number;
  toCreditOre: number;
  /** The invoice was credited in full: nothing can be paid on it. */
  invoiceCredited: boolean;
};

/** A credit note, or an invoice a credit note has cancelled in full, takes no payment. */
export function isCredited(invoice: Pick<Invoice, 'kind' | 'totalOre' | 'creditedOre'>): boolean {
  return invoice.kind !== 'invoice' || invoice.creditedOre >= invoice.totalOre;
}

/**
 * How an amount splits: on the invoice up to its outstanding amount (the whole amount
 * when the invoice is "or more"), the remainder to the member's credit.
 */
export function planAllocation(invoice: InvoiceState | null, amountOre: number): AllocationPlan {
  if (!invoice) return { toInvoiceOre: 0, toCreditOre: amountOre, invoiceCredited: false };
  if (isCredited(invoice))
    return { toInvoiceOre: 0, toCreditOre: amountOre, invoiceCredited: true };
  const toInvoiceOre = invoice.orMore ? amountOre : Math.min(amountOre, outstandingOre(invoice));
  return { toInvoiceOre, toCreditOre: amountOre - toInvoiceOre, invoiceCredited: false };
}

/** The allocation rows of a plan. */
export function allocationRows(input: {
  paymentId: string;
  invoiceId: string | null;
  memberId: string;
  plan: AllocationPlan;
  now: Date;
  actor: Actor;
  nextId?: () => string;
}): AllocationRow[] {
  const rows: AllocationRow[] = [];
  const id = input.nextId ?? (() => newId(input.now.getTime()));
  const base = {
    payment_id: input.paymentId,
    member_id: input.memberId,
    created_at: input.now.toISOString(),
    created_by: input.actor.userId,
  };
  if (input.plan.toInvoiceOre > 0 && input.invoiceId) {
    rows.push({
      ...base,
      id: id(),
      invoice_id: input.invoiceId,
      amount_ore: input.plan.toInvoiceOre,
      kind: 'payment',
    });
  }
  if (input.plan.toCreditOre > 0) {
    rows.push({
      ...base,
      id: id(),
      invoice_id: null,
      amount_ore: input.plan.toCreditOre,
      kind: 'overpayment',
    });
  }
  return rows;
}

/**
 * Allocates one payment inside the caller's transaction, refreshes the invoice's state,
 * and lets membership follow when a dues invoice became settled.
 */
export async function allocatePayment(
  tx: Db,
  input: {
    payment: { id: string; amountOre: number };
    invoice: Invoice | null;
    memberId: string;
    now: Date;
    actor: Actor;
  },
): Promise<{ plan: AllocationPlan; invoice: Invoice | null; settledNow: boolean }> {
  const plan = planAllocation(input.invoice, input.payment.amountOre);
  await insertAllocations(
    tx,
    allocationRows({
      paymentId: input.payment.id,
      invoiceId: input.invoice?.id ?? null,
      memberId: input.memberId,
      plan,
      now: input.now,
      actor: input.actor,
    }),
  );
  if (!input.invoice || plan.toInvoiceOre === 0) {
    return { plan, invoice: input.invoice, settledNow: false };
  }
  const wasSettled = input.invoice.settledAt !== null;
  const invoice = await refreshInvoiceState(tx, input.invoice.id, input.now);
  const settledNow = !wasSettled && invoice.settledAt !== null;
  if (settledNow) {
    await membershipFollowsPayment(tx, {
      invoices: [invoice],
      now: input.now,
      actor: input.actor,
      auditEach: true,
    });
  }
  return { plan, invoice, settledNow };
}

/** The member's credit balance: overpayments less credit used and reversed. */
export async function memberCreditOre(db: Db, memberId: string): Promise<number> {
  const row = await db
    .selectFrom('payment_allocations')
    .select(sql<number>`coalesce(sum(amount_ore), 0)`.as('sum'))
    .where('member_id', '=', memberId)
    .where('invoice_id', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(row.sum);
}

/**
 * Takes a payment back: negative allocations mirroring the original's, invoices
 * refreshed (a settled one opens again, its period is no longer paid). The membership
 * itself is not lapsed here; the lapse job does that after the due date and grace.
 */
export async function reverseAllocations(
  tx: Db,
  input: {
    reversal: { id: string };
    original: { id: string };
    now: Date;
    actor: Actor;
  },
): Promise<{
  reopened: Invoice[];
  invoiceIds: string[];
  /** Each invoice's payment state before and after (a bank import keeps count by amount). */
  changes: { before: InvoiceState; after: Invoice }[];
}> {
  const originals = await tx
    .selectFrom('payment_allocations')
    .selectAll()
    .where('payment_id', '=', input.original.id)
    .where('amount_ore', '>', 0)
    .execute();
  await insertAllocations(
    tx,
    originals.map((a) => ({
      id: newId(input.now.getTime()),
      payment_id: input.reversal.id,
      invoice_id: a.invoice_id,
      member_id: a.member_id,
      amount_ore: -a.amount_ore,
      kind: 'reversal' as const,
      created_at: input.now.toISOString(),
      created_by: input.actor.userId,
    })),
  );
  const invoiceIds = [...new Set(originals.flatMap((a) => (a.invoice_id ? [a.invoice_id] : [])))];
  const reopened: Invoice[] = [];
  const changes: { before: InvoiceState; after: Invoice }[] = [];
  for (const id of invoiceIds) {
    const row = await tx
      .selectFrom('invoices')
      .select(['kind', 'total_ore', 'paid_ore', 'credited_ore', 'or_more', 'settled_at'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    const before: InvoiceState = {
      kind: row.kind,
      totalOre: row.total_ore,
      paidOre: row.paid_ore,
      creditedOre: row.credited_ore,
      orMore: row.or_more === 1,
      settledAt: row.settled_at,
    };
    const after = await refreshInvoiceState(tx, id, input.now);
    changes.push({ before, after });
    if (before.settledAt !== null && after.settledAt === null) reopened.push(after);
  }
  if (reopened.length > 0) {
    await membershipPaymentReversed(tx, { invoices: reopened, now: input.now, actor: input.actor });
  }
  return { reopened, invoiceIds, changes };
}

/**
 * Adds what a batch put on each invoice to its paid amount and settles those now paid
 * up, in one statement per chunk. Relative (paid_ore + delta, row by row), so a payment
 * registered at the same time by someone else is never overwritten; the same state
 * refreshInvoiceState would compute from the allocations.
 */
export async function addToPaidStates(
  tx: Db,
  deltas: Map<string, number>,
  now: Date,
): Promise<void> {
  const entries = [...deltas];
  const nowIso = now.toISOString();
  if (isPostgres(tx)) {
    // One array per column instead of two parameters per invoice (see bulk-write.ts).
    for (let i = 0; i < entries.length; i += 2000) {
      const chunk = entries.slice(i, i + 2000);
      const ids = chunk.map(([id]) => id);
      const ores = chunk.map(([, ore]) => ore);
      await sql`update invoices set paid_ore = invoices.paid_ore + v.ore, settled_at = case when invoices.paid_ore + v.ore + invoices.credited_ore >= invoices.total_ore then coalesce(invoices.settled_at, ${nowIso}) else invoices.settled_at end from unnest(${ids}::text[], ${ores}::integer[]) as v(id, ore) where invoices.id = v.id`.execute(
        tx,
      );
    }
    return;
  }
  for (let i = 0; i < entries.length; i += 500) {
    const chunk = entries.slice(i, i + 500);
    // update … from (values …): one statement, joined by id; both databases name the
    // columns of a VALUES list column1, column2.
    const values = sql.join(chunk.map(([id, ore]) => sql`(${id}, cast(${ore} as integer))`));
    await sql`update invoices set paid_ore = invoices.paid_ore + v.column2, settled_at = case when invoices.paid_ore + v.column2 + invoices.credited_ore >= invoices.total_ore then coalesce(invoices.settled_at, ${nowIso}) else invoices.settled_at end from (values ${values}) as v where invoices.id = v.column1`.execute(
      tx,
    );
  }
}
