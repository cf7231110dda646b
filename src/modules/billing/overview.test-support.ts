// Helpers for the overview, reminder and lapse tests (imported by *.test.ts only). They
// write invoices through issueInvoice and payments as rows + allocations, the way the
// payment use-cases do, so the figures can be checked to the øre.
import type { Kysely } from 'kysely';
import { systemActor } from '../../app/audit.js';
import type { Running } from '../../app/bootstrap.js';
import type { DB } from '../../app/database.js';
import { newId } from '../../app/ids.js';
import { setUpAssociation } from '../../../test/helpers/app.js';
import { findMemberById } from '../members/members.repository.js';
import {
  DEFAULT_BILLING_SETTINGS,
  saveBillingSettings,
  type BillingSettings,
} from './billing-settings.repository.js';
import type { InvoicePurpose } from './billing.tables.js';
import { issueCreditNote, issueInvoice, type NewLine } from './invoice-issue.js';
import { findInvoiceById, outstandingOre, refreshInvoiceState } from './invoices.repository.js';

export const BANK_ACCOUNT = '86011117947';

/** data.coop 2025: 150 kr outside VAT + 450 kr incl. 25 % VAT. */
export const ORDINARY: NewLine[] = [
  { description: 'Medlemskontingent', grossOre: 15000, vatRateBp: 0 },
  { description: 'Tjenesteavgift', grossOre: 45000, vatRateBp: 2500 },
];
/** Reduced: 50 + 50. */
export const REDUCED: NewLine[] = [
  { description: 'Medlemskontingent', grossOre: 5000, vatRateBp: 0 },
  { description: 'Tjenesteavgift', grossOre: 5000, vatRateBp: 2500 },
];

export async function setUpBilling(
  app: Running,
  opts: { vat?: boolean; settings?: Partial<BillingSettings> } = {},
) {
  await setUpAssociation(app, opts.vat === false ? {} : { vat_registered: 'on' });
  await configure(app.ctx.db, opts.settings ?? {});
}

export async function configure(db: Kysely<DB>, settings: Partial<BillingSettings>) {
  await saveBillingSettings(
    db,
    { ...DEFAULT_BILLING_SETTINGS, bankAccount: BANK_ACCOUNT, ...settings },
    new Date(),
  );
}

export async function issue(
  db: Kysely<DB>,
  opts: {
    memberId: string;
    issueDate: string;
    lines?: NewLine[];
    purpose?: InvoicePurpose;
    year?: number | null;
  },
) {
  const member = await findMemberById(db, opts.memberId);
  if (!member) throw new Error('no such member');
  const now = new Date(`${opts.issueDate}T10:00:00Z`);
  const { invoice } = await db.transaction().execute((tx) =>
    issueInvoice(tx, {
      member,
      lines: opts.lines ?? ORDINARY,
      purpose: opts.purpose ?? 'dues',
      year: opts.year === undefined ? Number(opts.issueDate.slice(0, 4)) : opts.year,
      issueDate: opts.issueDate,
      actor: systemActor,
      now,
    }),
  );
  return invoice;
}

export async function creditNote(db: Kysely<DB>, invoiceId: string, issueDate: string) {
  const now = new Date(`${issueDate}T10:00:00Z`);
  return db
    .transaction()
    .execute((tx) =>
      issueCreditNote(tx, { invoiceId, reason: 'test', issueDate, actor: systemActor, now }),
    );
}

let refs = 0;

/**
 * A payment received and matched: to the invoice up to what is outstanding, the rest to
 * the member's credit balance (or all of it, without an invoice).
 */
export async function pay(
  db: Kysely<DB>,
  opts: { memberId: string; invoiceId: string | null; amountOre: number; bookingDate: string },
): Promise<string> {
  const now = new Date(`${opts.bookingDate}T12:00:00Z`);
  return db.transaction().execute(async (tx) => {
    const id = newId(now.getTime());
    const invoice = opts.invoiceId ? await findInvoiceById(tx, opts.invoiceId) : null;
    await tx
      .insertInto('payments')
      .values({
        id,
        source: 'manual',
        source_ref: `test:${Date.now()}:${refs++}`,
        bank_import_id: null,
        kind: 'credit',
        amount_ore: opts.amountOre,
        kid: invoice?.kid ?? null,
        booking_date: opts.bookingDate,
        payer_name: '=HYPERLINK("x")',
        payer_account: null,
        message: null,
        bank_reference: null,
        status: 'matched',
        member_id: opts.memberId,
        reverses_payment_id: null,
        note: null,
        created_at: now.toISOString(),
        created_by: null,
      })
      .execute();
    const toInvoice = invoice ? Math.min(opts.amountOre, outstandingOre(invoice)) : 0;
    const rest = opts.amountOre - toInvoice;
    const base = {
      payment_id: id,
      member_id: opts.memberId,
      created_at: now.toISOString(),
      created_by: null,
    };
    if (toInvoice > 0 && invoice)
      await tx
        .insertInto('payment_allocations')
        .values({
          ...base,
          id: newId(),
          invoice_id: invoice.id,
          amount_ore: toInvoice,
          kind: 'payment',
        })
        .execute();
    if (rest > 0)
      await tx
        .insertInto('payment_allocations')
        .values({ ...base, id: newId(), invoice_id: null, amount_ore: rest, kind: 'overpayment' })
        .execute();
    if (invoice) await refreshInvoiceState(tx, invoice.id, now);
    return id;
  });
}

/** The bank takes a payment back: a reversal payment with the allocations mirrored. */
export async function reverse(db: Kysely<DB>, paymentId: string, bookingDate: string) {
  const now = new Date(`${bookingDate}T12:00:00Z`);
  await db.transaction().execute(async (tx) => {
    const original = await tx
      .selectFrom('payments')
      .selectAll()
      .where('id', '=', paymentId)
      .executeTakeFirstOrThrow();
    const id = newId(now.getTime());
    await tx
      .insertInto('payments')
      .values({
        ...original,
        id,
        source_ref: `${original.source_ref}:reversal`,
        kind: 'reversal',
        booking_date: bookingDate,
        reverses_payment_id: original.id,
        created_at: now.toISOString(),
      })
      .execute();
    const allocations = await tx
      .selectFrom('payment_allocations')
      .selectAll()
      .where('payment_id', '=', paymentId)
      .execute();
    for (const a of allocations) {
      await tx
        .insertInto('payment_allocations')
        .values({
          ...a,
          id: newId(),
          payment_id: id,
          amount_ore: -a.amount_ore,
          kind: 'reversal',
          created_at: now.toISOString(),
        })
        .execute();
      if (a.invoice_id) await refreshInvoiceState(tx, a.invoice_id, now);
    }
  });
}

/** Delivers the outbox now (the tests run without the background worker). */
export async function deliverMail(app: Running) {
  await app.worker.runOnce();
}
