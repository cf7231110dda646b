import type { AppContext } from '../../app/context.js';
import { recordAudit, type Actor } from '../../app/audit.js';
import { todayIn } from '../../app/dates.js';
import type { Db } from '../../app/db.js';
import { CommonErrors } from '../../app/errors.js';
import { newId } from '../../app/ids.js';
import { formatOre } from '../../app/money.js';
import { findAssociation } from '../association/association.repository.js';
import { findMemberByNumber } from '../members/members.repository.js';
import { isValidKid } from './bank-files/kid.js';
import { PaymentErrors } from './billing.errors.js';
import {
  allocatePayment,
  isCredited,
  reverseAllocations,
  type AllocationPlan,
} from './allocations.js';
import { findInvoiceByKid, findInvoiceByNumber, type Invoice } from './invoices.repository.js';
import {
  findPaymentById,
  findPaymentBySourceRef,
  findReversalOf,
  findReversibleCredit,
  insertPayment,
  isUniqueViolation,
  resolveQueuedPayment,
  type Payment,
} from './payments.repository.js';
import type {
  MatchPaymentInput,
  RegisterPaymentInput,
  ReversePaymentInput,
} from './payments.schemas.js';

type Deps = Pick<AppContext, 'db' | 'clock'>;

const FIELD = {
  kidCheckDigit: {
    nb: 'Kontrollsifferet stemmer ikke.',
    en: 'The check digit does not match.',
  },
  notFound: { nb: 'Finnes ikke.', en: 'Does not exist.' },
  credited: { nb: 'Fakturaen er kreditert.', en: 'The invoice has been credited.' },
  future: { nb: 'Datoen er fram i tid.', en: 'The date is in the future.' },
};

/** Where a payment by hand goes: an invoice (given by number or KID), or a member's credit. */
type Target =
  | { invoice: Invoice; memberId: string }
  | { invoice: null; memberId: string; memberNumber: number };

async function resolveTarget(
  db: Db,
  by: {
    invoiceNumber?: number | undefined;
    kid?: string | undefined;
    memberNumber?: number | undefined;
  },
): Promise<Target> {
  let invoice: Invoice | null = null;
  if (by.kid !== undefined) {
    if (!isValidKid(by.kid))
      throw PaymentErrors.kidCheckDigit({ kid: by.kid }, { kid: FIELD.kidCheckDigit });
    invoice = await findInvoiceByKid(db, by.kid);
    if (!invoice) throw PaymentErrors.kidUnknown({ kid: by.kid }, { kid: FIELD.notFound });
  } else if (by.invoiceNumber !== undefined) {
    invoice = await findInvoiceByNumber(db, by.invoiceNumber);
    if (!invoice)
      throw PaymentErrors.invoiceNotFound(
        { number: by.invoiceNumber },
        { invoice_number: FIELD.notFound },
      );
    if (invoice.kind !== 'invoice')
      throw PaymentErrors.creditNote(
        { number: invoice.number },
        { invoice_number: FIELD.notFound },
      );
  }
  if (invoice) {
    // A payment for a credited invoice would vanish into nothing: say where it belongs.
    if (isCredited(invoice)) {
      const field = by.kid !== undefined ? 'kid' : 'invoice_number';
      throw PaymentErrors.invoiceCredited(
        { number: invoice.number, memberNumber: invoice.buyer.memberNumber ?? '' },
        { [field]: FIELD.credited },
      );
    }
    return { invoice, memberId: invoice.memberId };
  }
  const number = by.memberNumber ?? 0;
  const member = await findMemberByNumber(db, number);
  if (!member) throw PaymentErrors.memberNotFound({ number }, { member_number: FIELD.notFound });
  return { invoice: null, memberId: member.id, memberNumber: member.memberNumber };
}

/**
 * The idempotency key of a payment registered by hand. The same payment registered
 * twice (a double click, two treasurers at once) gets the same key, and the unique
 * constraint on payments.source_ref lets only one of them in.
 */
export function manualSourceRef(input: {
  target: Target;
  bookingDate: string;
  amountOre: number;
  reference: string | null;
}): string {
  const target = input.target.invoice
    ? `invoice:${input.target.invoice.number}`
    : `member:${input.target.memberNumber}`;
  return `manual:${target}:${input.bookingDate}:${input.amountOre}:${input.reference ?? ''}`;
}

function alreadyRegistered(target: Target, input: { amountOre: number; bookingDate: string }) {
  const params = { amount: formatOre(input.amountOre, 'nb'), date: input.bookingDate };
  return target.invoice
    ? PaymentErrors.alreadyRegisteredInvoice({ ...params, number: target.invoice.number })
    : PaymentErrors.alreadyRegisteredMember({ ...params, number: target.memberNumber });
}

/** A payment the treasurer registers by hand, allocated at once. */
export async function registerPayment(
  deps: Deps,
  input: { actor: Actor; payment: RegisterPaymentInput },
): Promise<{ payment: Payment; plan: AllocationPlan; invoice: Invoice | null }> {
  const now = deps.clock.now();
  const p = input.payment;
  const association = await findAssociation(deps.db);
  if (!association) throw CommonErrors.setupRequired();
  if (p.booking_date > todayIn(association.timeZone, now))
    throw CommonErrors.validation(undefined, { booking_date: FIELD.future });
  // Set inside the transaction; the cast keeps TypeScript from narrowing it to null.
  let target = null as Target | null;
  try {
    return await deps.db.transaction().execute(async (tx) => {
      target = await resolveTarget(tx, {
        invoiceNumber: p.invoice_number,
        kid: p.kid,
        memberNumber: p.member_number,
      });
      const sourceRef = manualSourceRef({
        target,
        bookingDate: p.booking_date,
        amountOre: p.amount,
        reference: p.reference,
      });
      // The friendly check; the unique constraint below is what actually decides.
      if (await findPaymentBySourceRef(tx, sourceRef))
        throw alreadyRegistered(target, { amountOre: p.amount, bookingDate: p.booking_date });
      const id = newId(now.getTime());
      await insertPayment(tx, {
        id,
        source: 'manual',
        source_ref: sourceRef,
        bank_import_id: null,
        kind: 'credit',
        amount_ore: p.amount,
        kid: target.invoice?.kid ?? null,
        booking_date: p.booking_date,
        payer_name: p.payer_name,
        payer_account: null,
        message: null,
        bank_reference: p.reference,
        status: 'matched',
        member_id: target.memberId,
        invoice_id: target.invoice?.id ?? null,
        match_rule: 'manual',
        reverses_payment_id: null,
        note: p.note,
        created_at: now.toISOString(),
        created_by: input.actor.userId,
      });
      const allocated = await allocatePayment(tx, {
        payment: { id, amountOre: p.amount },
        invoice: target.invoice,
        memberId: target.memberId,
        now,
        actor: input.actor,
      });
      await recordAudit(tx, {
        actor: input.actor,
        action: 'billing.payment_registered',
        entityType: 'payment',
        entityId: id,
        after: {
          amountOre: p.amount,
          bookingDate: p.booking_date,
          invoice: target.invoice?.number ?? null,
          memberId: target.memberId,
          toInvoiceOre: allocated.plan.toInvoiceOre,
          toCreditOre: allocated.plan.toCreditOre,
          settled: allocated.settledNow,
        },
        at: now,
      });
      const payment = (await findPaymentById(tx, id))!;
      return { payment, plan: allocated.plan, invoice: allocated.invoice };
    });
  } catch (err) {
    if (target && isUniqueViolation(err))
      throw alreadyRegistered(target, { amountOre: p.amount, bookingDate: p.booking_date });
    throw err;
  }
}

/**
 * The treasurer matches a queued payment by hand: a credit to an invoice (or a member's
 * credit); a reversal to the invoice or member whose payment it takes back.
 */
export async function matchQueuedPayment(
  deps: Deps,
  input: { actor: Actor; paymentId: string; match: MatchPaymentInput },
): Promise<{ payment: Payment }> {
  const now = deps.clock.now();
  return deps.db.transaction().execute(async (tx) => {
    const payment = await findPaymentById(tx, input.paymentId);
    if (!payment) throw PaymentErrors.paymentNotFound();
    if (payment.status !== 'unmatched') throw PaymentErrors.alreadyHandled();
    let after: Record<string, unknown>;
    if (payment.kind === 'credit') {
      const target = await resolveTarget(tx, {
        invoiceNumber: input.match.invoice_number,
        memberNumber: input.match.member_number,
      });
      const done = await resolveQueuedPayment(tx, {
        id: payment.id,
        status: 'matched',
        memberId: target.memberId,
        invoiceId: target.invoice?.id ?? null,
        matchRule: 'manual',
        note: payment.note,
      });
      if (!done) throw PaymentErrors.alreadyHandled();
      const { plan } = await allocatePayment(tx, {
        payment,
        invoice: target.invoice,
        memberId: target.memberId,
        now,
        actor: input.actor,
      });
      after = {
        status: 'matched',
        invoice: target.invoice?.number ?? null,
        memberId: target.memberId,
        toInvoiceOre: plan.toInvoiceOre,
        toCreditOre: plan.toCreditOre,
      };
    } else {
      const invoice =
        input.match.invoice_number !== undefined
          ? await findInvoiceByNumber(tx, input.match.invoice_number)
          : null;
      const member =
        input.match.member_number !== undefined
          ? await findMemberByNumber(tx, input.match.member_number)
          : null;
      if (input.match.invoice_number !== undefined && !invoice)
        throw PaymentErrors.invoiceNotFound({ number: input.match.invoice_number });
      if (input.match.member_number !== undefined && !member)
        throw PaymentErrors.memberNotFound({ number: input.match.member_number });
      const original = invoice
        ? await findReversibleCredit(tx, { amountOre: payment.amountOre, invoiceId: invoice.id })
        : member
          ? await findReversibleCredit(tx, { amountOre: payment.amountOre, memberId: member.id })
          : null;
      if (!original)
        throw PaymentErrors.nothingToReverse({ amount: formatOre(payment.amountOre, 'nb') });
      const done = await resolveQueuedPayment(tx, {
        id: payment.id,
        status: 'matched',
        memberId: original.memberId,
        invoiceId: original.invoiceId,
        matchRule: 'reversal',
        reversesPaymentId: original.id,
        note: payment.note,
      });
      if (!done) throw PaymentErrors.alreadyHandled();
      await reverseAllocations(tx, { reversal: payment, original, now, actor: input.actor });
      after = { status: 'matched', reverses: original.id, memberId: original.memberId };
    }
    await recordAudit(tx, {
      actor: input.actor,
      action: 'billing.payment_matched',
      entityType: 'payment',
      entityId: payment.id,
      before: { status: 'unmatched' },
      after,
      at: now,
    });
    return { payment: (await findPaymentById(tx, payment.id))! };
  });
}

/** Not a membership payment (a gift, a refund of an expense …): out of the queue, with why. */
export async function ignorePayment(
  deps: Deps,
  input: { actor: Actor; paymentId: string; reason: string },
): Promise<{ payment: Payment }> {
  const now = deps.clock.now();
  return deps.db.transaction().execute(async (tx) => {
    const payment = await findPaymentById(tx, input.paymentId);
    if (!payment) throw PaymentErrors.paymentNotFound();
    const done = await resolveQueuedPayment(tx, {
      id: payment.id,
      status: 'ignored',
      memberId: null,
      invoiceId: null,
      matchRule: null,
      note: input.reason,
    });
    if (!done) throw PaymentErrors.alreadyHandled();
    await recordAudit(tx, {
      actor: input.actor,
      action: 'billing.payment_ignored',
      entityType: 'payment',
      entityId: payment.id,
      before: { status: 'unmatched' },
      after: { status: 'ignored', reason: input.reason },
      at: now,
    });
    return { payment: (await findPaymentById(tx, payment.id))! };
  });
}

/** A set-aside payment goes back to the queue, to be matched after all. */
export async function restorePayment(
  deps: Deps,
  input: { actor: Actor; paymentId: string },
): Promise<{ payment: Payment }> {
  const now = deps.clock.now();
  return deps.db.transaction().execute(async (tx) => {
    const payment = await findPaymentById(tx, input.paymentId);
    if (!payment) throw PaymentErrors.paymentNotFound();
    if (payment.status !== 'ignored') throw PaymentErrors.notSetAside();
    // Only while still set aside: two treasurers at once bring it back once.
    const res = await tx
      .updateTable('payments')
      .set({ status: 'unmatched', note: null })
      .where('id', '=', payment.id)
      .where('status', '=', 'ignored')
      .executeTakeFirst();
    if (Number(res.numUpdatedRows) !== 1) throw PaymentErrors.notSetAside();
    await recordAudit(tx, {
      actor: input.actor,
      action: 'billing.payment_restored',
      entityType: 'payment',
      entityId: payment.id,
      before: { status: 'ignored', reason: payment.note },
      after: { status: 'unmatched' },
      at: now,
    });
    return { payment: (await findPaymentById(tx, payment.id))! };
  });
}

/** The idempotency key of a reversal registered by hand: one per payment, ever. */
export function manualReversalRef(paymentId: string): string {
  return `manual:reversal:${paymentId}`;
}

/**
 * The treasurer registers that the bank returned a matched payment (when no bank file
 * carries the reversal): a reversal payment like an imported one, with the same effects
 * (negative allocations, the invoice opened again, its membership period no longer paid;
 * the lapse job decides on the status). Refused for a payment already reversed.
 */
export async function registerReversal(
  deps: Deps,
  input: { actor: Actor; paymentId: string; reversal: ReversePaymentInput },
): Promise<{ reversal: Payment; original: Payment; reopened: number[] }> {
  const now = deps.clock.now();
  const association = await findAssociation(deps.db);
  if (!association) throw CommonErrors.setupRequired();
  const today = todayIn(association.timeZone, now);
  const bookingDate = input.reversal.booking_date ?? today;
  if (bookingDate > today) throw CommonErrors.validation(undefined, { booking_date: FIELD.future });
  const reason = input.reversal.reason.trim();
  try {
    return await deps.db.transaction().execute(async (tx) => {
      const original = await findPaymentById(tx, input.paymentId);
      if (!original) throw PaymentErrors.paymentNotFound();
      if (original.kind !== 'credit' || original.status !== 'matched')
        throw PaymentErrors.notReversible();
      if (await findReversalOf(tx, original.id)) throw PaymentErrors.alreadyReversed();
      if (bookingDate < original.bookingDate)
        throw PaymentErrors.reversalBeforePayment(
          { date: original.bookingDate },
          { booking_date: { nb: 'For tidlig.', en: 'Too early.' } },
        );
      const id = newId(now.getTime());
      // The unique source ref lets only one of two simultaneous registrations in.
      await insertPayment(tx, {
        id,
        source: 'manual',
        source_ref: manualReversalRef(original.id),
        bank_import_id: null,
        kind: 'reversal',
        amount_ore: original.amountOre,
        kid: original.kid,
        booking_date: bookingDate,
        payer_name: original.payerName,
        payer_account: original.payerAccount,
        message: null,
        bank_reference: null,
        status: 'matched',
        member_id: original.memberId,
        invoice_id: original.invoiceId,
        match_rule: 'reversal',
        reverses_payment_id: original.id,
        note: reason,
        created_at: now.toISOString(),
        created_by: input.actor.userId,
      });
      const { reopened } = await reverseAllocations(tx, {
        reversal: { id },
        original,
        now,
        actor: input.actor,
      });
      await recordAudit(tx, {
        actor: input.actor,
        action: 'billing.payment_reversed',
        entityType: 'payment',
        entityId: original.id,
        after: {
          reversal: id,
          amountOre: original.amountOre,
          bookingDate,
          reason,
          memberId: original.memberId,
          reopenedInvoices: reopened.map((i) => i.number),
        },
        at: now,
      });
      return {
        reversal: (await findPaymentById(tx, id))!,
        original,
        reopened: reopened.map((i) => i.number),
      };
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw PaymentErrors.alreadyReversed();
    throw err;
  }
}
