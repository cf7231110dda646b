import { recordAudit, type Actor } from '../../app/audit.js';
import type { AppContext, CurrentUser } from '../../app/context.js';
import { todayIn } from '../../app/dates.js';
import type { Db } from '../../app/db.js';
import { CommonErrors, type Locale } from '../../app/errors.js';
import { newId } from '../../app/ids.js';
import { enqueueEmail, type Attachment } from '../../app/outbox.js';
import { findAssociation } from '../association/association.repository.js';
import { BillingErrors, InvoiceErrors } from './billing.errors.js';
import { getBillingSettings } from './billing-settings.repository.js';
import { issueCreditNote } from './invoice-issue.js';
import {
  findMemberMailInfo,
  listCreditNotesOf,
  listInvoices,
  type InvoiceListFilter,
} from './invoice-list.repository.js';
import { renderInvoicePdf, type InvoiceDocument } from './invoice-pdf.js';
import { creditNoteMessage } from './invoice.emails.js';
import {
  findInvoiceById,
  findInvoiceByNumber,
  listInvoiceLines,
  outstandingOre,
  refreshInvoiceState,
  type Invoice,
} from './invoices.repository.js';

type Deps = Pick<AppContext, 'db' | 'clock' | 'config' | 'kickOutbox'>;

export const INVOICE_PAGE_SIZE = 50;

export async function listInvoicePage(
  db: Db,
  opts: { filter: InvoiceListFilter; page: number; today: string },
): Promise<{ invoices: Invoice[]; total: number; page: number; pages: number }> {
  const page = Math.max(1, opts.page);
  const { invoices, total } = await listInvoices(db, {
    filter: opts.filter,
    today: opts.today,
    limit: INVOICE_PAGE_SIZE,
    offset: (page - 1) * INVOICE_PAGE_SIZE,
  });
  return { invoices, total, page, pages: Math.max(1, Math.ceil(total / INVOICE_PAGE_SIZE)) };
}

/** An invoice with everything its page, PDF and API need. */
export type InvoiceDetail = InvoiceDocument & {
  outstandingOre: number;
  creditNotes: Invoice[];
};

export async function loadInvoiceDetail(db: Db, invoice: Invoice): Promise<InvoiceDetail> {
  const [lines, creditNotes, credited, settings] = await Promise.all([
    listInvoiceLines(db, invoice.id),
    listCreditNotesOf(db, invoice.id),
    invoice.creditedInvoiceId ? findInvoiceById(db, invoice.creditedInvoiceId) : null,
    getBillingSettings(db),
  ]);
  return {
    invoice,
    lines,
    creditNotes,
    creditedNumber: credited?.number ?? null,
    note: settings.invoiceNote,
    outstandingOre: outstandingOre(invoice),
  };
}

/** Who may see an invoice: billing.read, or the member it was issued to. */
export function canSeeInvoice(user: CurrentUser, invoice: Invoice): boolean {
  return user.permissions.has('billing.read') || user.memberId === invoice.memberId;
}

/** The invoice with this number, if the user may see it (403 otherwise, 404 if none). */
export async function viewInvoice(
  db: Db,
  input: { number: number; user: CurrentUser },
): Promise<InvoiceDetail> {
  const invoice = await findInvoiceByNumber(db, input.number);
  if (!invoice) throw BillingErrors.invoiceNotFound();
  if (!canSeeInvoice(input.user, invoice)) throw InvoiceErrors.forbiddenInvoice();
  return loadInvoiceDetail(db, invoice);
}

/** The language of a member's mail and documents: their account's, or the association's. */
export async function memberLocale(db: Db, memberId: string): Promise<Locale> {
  const info = await findMemberMailInfo(db, memberId);
  if (info?.locale === 'nb' || info?.locale === 'en') return info.locale;
  return (await findAssociation(db))?.defaultLocale ?? 'nb';
}

/**
 * Money already paid on a credited invoice becomes the member's credit: a negative
 * allocation on the invoice and a positive one without an invoice, both 'overpayment'.
 * Runs in the caller's transaction; returns the amount moved.
 */
export async function movePaidToCredit(
  tx: Db,
  invoice: Invoice,
  now: Date,
  actor: Actor,
): Promise<{ movedOre: number }> {
  const current = await refreshInvoiceState(tx, invoice.id, now);
  const movedOre = current.paidOre;
  if (movedOre <= 0) return { movedOre: 0 };
  const at = now.toISOString();
  const base = {
    payment_id: null,
    member_id: current.memberId,
    kind: 'overpayment' as const,
    created_at: at,
    created_by: actor.userId,
  };
  await tx
    .insertInto('payment_allocations')
    .values([
      { ...base, id: newId(now.getTime()), invoice_id: current.id, amount_ore: -movedOre },
      { ...base, id: newId(now.getTime()), invoice_id: null, amount_ore: movedOre },
    ])
    .execute();
  await refreshInvoiceState(tx, current.id, now);
  await recordAudit(tx, {
    actor,
    action: 'billing.paid_moved_to_credit',
    entityType: 'invoice',
    entityId: current.id,
    after: { number: current.number, memberId: current.memberId, amountOre: movedOre },
    at: now,
  });
  return { movedOre };
}

/**
 * Credits an invoice in full with a credit note (one transaction): what was paid on it
 * becomes the member's credit, and the member is mailed the credit note as PDF.
 */
export async function creditInvoice(
  deps: Deps,
  input: { actor: Actor; number: number; reason: string },
): Promise<{ creditNote: Invoice; movedOre: number }> {
  const reason = input.reason.trim();
  if (!reason) throw InvoiceErrors.reasonRequired();
  const now = deps.clock.now();
  const result = await deps.db.transaction().execute(async (tx) => {
    const association = await findAssociation(tx);
    if (!association) throw CommonErrors.setupRequired();
    const original = await findInvoiceByNumber(tx, input.number);
    if (!original) throw BillingErrors.invoiceNotFound();
    const { creditNote, invoice } = await issueCreditNote(tx, {
      invoiceId: original.id,
      reason,
      issueDate: todayIn(association.timeZone, now),
      actor: input.actor,
      now,
    });
    const { movedOre } = await movePaidToCredit(tx, invoice, now, input.actor);
    const mail = await findMemberMailInfo(tx, creditNote.memberId);
    if (mail?.email) {
      const locale =
        mail.locale === 'en' || mail.locale === 'nb' ? mail.locale : association.defaultLocale;
      await enqueueEmail(tx, {
        message: creditNoteMessage({
          to: mail.email,
          invoice: creditNote,
          association: association.name,
          baseUrl: deps.config.baseUrl,
          locale,
          creditedNumber: original.number,
          reason,
          movedToCreditOre: movedOre,
        }),
        at: now,
      });
    }
    return { creditNote, movedOre };
  });
  deps.kickOutbox();
  return result;
}

/** The invoice PDF as a mail attachment, in the member's language (made at delivery). */
export async function invoicePdfAttachment(db: Db, invoiceId: string): Promise<Attachment> {
  const invoice = await findInvoiceById(db, invoiceId);
  if (!invoice) throw new Error(`invoice ${invoiceId} not found`);
  const [detail, locale] = await Promise.all([
    loadInvoiceDetail(db, invoice),
    memberLocale(db, invoice.memberId),
  ]);
  return {
    filename: invoicePdfFilename(invoice, locale),
    contentType: 'application/pdf',
    content: await renderInvoicePdf(detail, locale),
  };
}

export function invoicePdfFilename(invoice: Pick<Invoice, 'kind' | 'number'>, locale: Locale) {
  const name =
    invoice.kind === 'credit_note'
      ? locale === 'en'
        ? 'credit-note'
        : 'kreditnota'
      : locale === 'en'
        ? 'invoice'
        : 'faktura';
  return `${name}-${invoice.number}.pdf`;
}
