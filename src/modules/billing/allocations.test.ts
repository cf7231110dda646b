import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Running } from '../../app/bootstrap.js';
import { fixedClock } from '../../app/clock.js';
import { AppError } from '../../app/errors.js';
import { setUpAssociation, startTestApp } from '../../../test/helpers/app.js';
import { describeEachDialect } from '../../../test/helpers/db.js';
import { createMember } from '../../../test/helpers/fixtures.js';
import { makeKid } from './bank-files/kid.js';
import { ocrGiroLines, type PaymentSpec } from './bank-files/generate.js';
import { importBankFile } from './bank-import.usecases.js';
import { memberCreditOre, planAllocation } from './allocations.js';
import { invoiceKid } from './invoice-issue.js';
import { DEFAULT_BILLING_SETTINGS } from './billing-settings.repository.js';
import { registerPayment } from './payments.usecases.js';
import {
  chunksOf,
  creditInvoice,
  invoiceNow,
  memberWithInvoice,
  setUpBilling,
} from './payments.test-support.js';

const actor = { userId: null, label: 'test' };

it('splits an amount: up to what is outstanding, the rest to credit; "or more" takes all', () => {
  const invoice = {
    kind: 'invoice' as const,
    totalOre: 60000,
    paidOre: 20000,
    creditedOre: 0,
    orMore: false,
    settledAt: null,
  };
  expect(planAllocation(invoice, 10000)).toEqual({
    toInvoiceOre: 10000,
    toCreditOre: 0,
    invoiceCredited: false,
  });
  expect(planAllocation(invoice, 50000)).toEqual({
    toInvoiceOre: 40000,
    toCreditOre: 10000,
    invoiceCredited: false,
  });
  expect(planAllocation({ ...invoice, orMore: true }, 90000)).toEqual({
    toInvoiceOre: 90000,
    toCreditOre: 0,
    invoiceCredited: false,
  });
  expect(planAllocation({ ...invoice, creditedOre: 60000 }, 5000)).toEqual({
    toInvoiceOre: 0,
    toCreditOre: 5000,
    invoiceCredited: true,
  });
  expect(planAllocation(null, 5000)).toEqual({
    toInvoiceOre: 0,
    toCreditOre: 5000,
    invoiceCredited: false,
  });
});

/** An OCR file of the given payments (dates in March 2025). */
function ocrFile(payments: Partial<PaymentSpec>[], transmissionNo: string): string {
  const spec = (i: number): PaymentSpec => ({
    kind: 'credit',
    amountOre: 60000,
    kid: null,
    date: '2025-03-05',
    paidDate: '2025-03-05',
    payerName: null,
    payerAccount: '12345678903',
    message: null,
    reference: String(500000 + Number(transmissionNo) * 100 + i),
    ...payments[i],
  });
  return [
    ...ocrGiroLines({
      count: payments.length,
      payment: spec,
      transmissionNo: transmissionNo.padStart(7, '0'),
      date: '2025-03-05',
    }),
  ].join('');
}

describeEachDialect('allocating payments and membership following payment', (h) => {
  let app: Running;
  beforeAll(async () => {
    app = await startTestApp({ database: h.database(), clock: fixedClock('2025-03-06T10:00:00Z') });
    await setUpAssociation(app);
    await setUpBilling(app.ctx.db, app.ctx.clock.now());
  });
  afterAll(async () => app.close());

  const register = (input: {
    invoice_number?: number;
    member_number?: number;
    amount: number;
    reference?: string;
  }) =>
    registerPayment(app.ctx, {
      actor,
      payment: {
        invoice_number: input.invoice_number,
        kid: undefined,
        member_number: input.member_number,
        amount: input.amount,
        booking_date: '2025-03-05',
        payer_name: null,
        reference: input.reference ?? null,
        note: null,
      },
    });

  it('leaves a part-paid invoice open, and settles it with the rest', async () => {
    const { invoice, memberId } = await memberWithInvoice(app, { amountOre: 60000 });
    const first = await register({ invoice_number: invoice.number, amount: 20000 });
    expect(first.plan).toEqual({ toInvoiceOre: 20000, toCreditOre: 0, invoiceCredited: false });
    expect(await invoiceNow(h.db(), invoice.id)).toMatchObject({ paidOre: 20000, settledAt: null });
    await register({ invoice_number: invoice.number, amount: 40000 });
    expect((await invoiceNow(h.db(), invoice.id)).settledAt).not.toBeNull();
    expect(await memberCreditOre(h.db(), memberId)).toBe(0);
  });

  it('puts an overpayment on the member\'s credit, and takes all of an "or more" amount', async () => {
    const { invoice, memberId } = await memberWithInvoice(app, { amountOre: 60000 });
    const { plan } = await register({ invoice_number: invoice.number, amount: 80000 });
    expect(plan).toMatchObject({ toInvoiceOre: 60000, toCreditOre: 20000 });
    expect(await memberCreditOre(h.db(), memberId)).toBe(20000);
    const orMore = await memberWithInvoice(app, { amountOre: 60000, orMore: true });
    await register({ invoice_number: orMore.invoice.number, amount: 100000 });
    expect(await invoiceNow(h.db(), orMore.invoice.id)).toMatchObject({ paidOre: 100000 });
    expect(await memberCreditOre(h.db(), orMore.memberId)).toBe(0);
  });

  it('refuses a payment by hand for a credited invoice, and says to register it as credit', async () => {
    const { invoice, memberNumber, memberId } = await memberWithInvoice(app, { amountOre: 60000 });
    await creditInvoice(app, invoice.id);
    const error = await register({ invoice_number: invoice.number, amount: 60000 }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('billing.payments.invoice_credited');
    expect((error as AppError).message_('nb')).toContain(`medlemsnummer ${memberNumber}`);
    await register({ member_number: memberNumber, amount: 60000 });
    expect(await memberCreditOre(h.db(), memberId)).toBe(60000);
  });

  it('imports a KID payment for a credited invoice to the credit, with a note', async () => {
    const { invoice, memberId } = await memberWithInvoice(app, { amountOre: 60000 });
    await creditInvoice(app, invoice.id);
    const report = await importBankFile(app.ctx, {
      input: chunksOf(ocrFile([{ kid: invoice.kid }], '1')),
      fileName: null,
      dryRun: false,
      actor,
    });
    expect(report.rows[0]).toMatchObject({
      outcome: 'matched',
      rule: 'invoice_credited',
      toCreditOre: 60000,
    });
    expect(await memberCreditOre(h.db(), memberId)).toBe(60000);
    expect((await invoiceNow(h.db(), invoice.id)).paidOre).toBe(0);
  });

  it('reactivates a lapsed member whose dues invoice is paid, and marks the period paid', async () => {
    const { invoice, memberId } = await memberWithInvoice(app, {
      amountOre: 60000,
      status: 'lapsed',
      year: 2025,
    });
    await register({ invoice_number: invoice.number, amount: 60000 });
    const member = await h
      .db()
      .selectFrom('members')
      .selectAll()
      .where('id', '=', memberId)
      .executeTakeFirstOrThrow();
    expect(member.status).toBe('active');
    const period = await h
      .db()
      .selectFrom('membership_periods')
      .selectAll()
      .where('member_id', '=', memberId)
      .where('year', '=', 2025)
      .executeTakeFirstOrThrow();
    expect(period).toMatchObject({ starts_on: '2025-01-01', ends_on: '2025-12-31' });
    expect(period.paid_at).not.toBeNull();
    const audit = await h
      .db()
      .selectFrom('audit_log')
      .select(['action', 'after'])
      .where('entity_id', '=', memberId)
      .execute();
    expect(audit.map((a) => a.action)).toEqual(
      expect.arrayContaining(['billing.membership_paid', 'members.status_changed']),
    );
  });

  it('opens an invoice again when its payment is reversed; the member stays active for now', async () => {
    const { invoice, memberId } = await memberWithInvoice(app, { amountOre: 60000 });
    await importBankFile(app.ctx, {
      input: chunksOf(ocrFile([{ kid: invoice.kid }], '2')),
      fileName: null,
      dryRun: false,
      actor,
    });
    expect((await invoiceNow(h.db(), invoice.id)).settledAt).not.toBeNull();
    const report = await importBankFile(app.ctx, {
      input: chunksOf(ocrFile([{ kind: 'reversal', kid: invoice.kid }], '3')),
      fileName: null,
      dryRun: false,
      actor,
    });
    expect(report).toMatchObject({ reversed: 1, unmatched: 0 });
    expect(await invoiceNow(h.db(), invoice.id)).toMatchObject({ paidOre: 0, settledAt: null });
    const period = await h
      .db()
      .selectFrom('membership_periods')
      .select('paid_at')
      .where('member_id', '=', memberId)
      .where('year', '=', 2025)
      .executeTakeFirstOrThrow();
    expect(period.paid_at).toBeNull();
    const member = await h
      .db()
      .selectFrom('members')
      .select('status')
      .where('id', '=', memberId)
      .executeTakeFirstOrThrow();
    expect(member.status).toBe('active');
    // A second reversal finds nothing left to take back: it waits in the queue.
    const again = await importBankFile(app.ctx, {
      input: chunksOf(ocrFile([{ kind: 'reversal', kid: invoice.kid }], '4')),
      fileName: null,
      dryRun: false,
      actor,
    });
    expect(again.rows[0]).toMatchObject({ outcome: 'unmatched', reason: 'no_original' });
  });

  it("matches an unknown KID of our shape to the member's oldest open invoice, else to credit", async () => {
    const older = await memberWithInvoice(app, { amountOre: 30000 });
    const member = { id: older.memberId, memberNumber: older.memberNumber };
    // A KID for an invoice number that does not exist, with the member's number in front.
    const unknownKid = invoiceKid(member.memberNumber, 999_999, DEFAULT_BILLING_SETTINGS);
    const lone = await createMember(h.db());
    const loneKid = invoiceKid(lone.memberNumber, 999_998, DEFAULT_BILLING_SETTINGS);
    const good = makeKid('99999999999');
    const badCheckDigit = good.slice(0, -1) + String((Number(good.slice(-1)) + 1) % 10);
    const report = await importBankFile(app.ctx, {
      input: chunksOf(
        ocrFile(
          [
            { kid: unknownKid, amountOre: 30000 },
            { kid: loneKid, amountOre: 12345 },
            { kid: badCheckDigit, amountOre: 77700 },
          ],
          '5',
        ),
      ),
      fileName: null,
      dryRun: false,
      actor,
    });
    expect(
      report.rows.map((r) => [r.outcome, r.rule ?? r.reason, r.invoiceNumber, r.toCreditOre]),
    ).toEqual([
      ['matched', 'kid_member', older.invoice.number, 0],
      ['matched', 'kid_member', null, 12345],
      ['unmatched', 'kid_check_digit', null, 0],
    ]);
    expect((await invoiceNow(h.db(), older.invoice.id)).settledAt).not.toBeNull();
    expect(await memberCreditOre(h.db(), lone.id)).toBe(12345);
  });

  it('sends a payment without KID to the queue when several open invoices have its amount', async () => {
    await memberWithInvoice(app, { amountOre: 33300 });
    await memberWithInvoice(app, { amountOre: 33300 });
    const report = await importBankFile(app.ctx, {
      input: chunksOf(ocrFile([{ amountOre: 33300, message: 'Kontingent' }], '6')),
      fileName: null,
      dryRun: false,
      actor,
    });
    expect(report.rows[0]).toMatchObject({ outcome: 'unmatched', reason: 'amount_ambiguous' });
  });
});
