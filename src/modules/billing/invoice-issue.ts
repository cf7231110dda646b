import { recordAudit, type Actor } from '../../app/audit.js';
import { nextNumber } from '../../app/counters.js';
import { addDays } from '../../app/dates.js';
import type { Db } from '../../app/db.js';
import { newId } from '../../app/ids.js';
import { findAssociation } from '../association/association.repository.js';
import type { Member } from '../members/members.repository.js';
import { makeKid } from './bank-files/kid.js';
import { BillingErrors } from './billing.errors.js';
import { getBillingSettings, type BillingSettings } from './billing-settings.repository.js';
import type { InvoicePurpose } from './billing.tables.js';
import {
  findInvoiceById,
  insertInvoice,
  listInvoiceLines,
  refreshInvoiceState,
  type Invoice,
  type InvoiceLine,
  type Party,
} from './invoices.repository.js';
import { splitGross } from './vat.js';

/** The series every invoice and credit note number comes from, without gaps. */
export const INVOICE_SERIES = 'invoice_number';

/**
 * KID = member number + invoice number, each zero-padded to its configured width, + a
 * MOD10 check digit: a fixed length, built on digit strings only.
 */
export function invoiceKid(
  memberNumber: number,
  invoiceNumber: number,
  s: Pick<BillingSettings, 'kidMemberDigits' | 'kidInvoiceDigits'>,
): string {
  const m = String(memberNumber);
  const i = String(invoiceNumber);
  if (m.length > s.kidMemberDigits || i.length > s.kidInvoiceDigits)
    throw BillingErrors.kidTooLong({ memberNumber, invoiceNumber });
  return makeKid(m.padStart(s.kidMemberDigits, '0') + i.padStart(s.kidInvoiceDigits, '0'));
}

export type NewLine = { description: string; grossOre: number; vatRateBp: number };

function buyerOf(member: Member): Party {
  return {
    name: member.name,
    memberNumber: member.memberNumber,
    addressLine: member.addressLine,
    postalCode: member.postalCode,
    city: member.city,
    country: member.country,
    orgNumber: member.orgNumber,
    contactPerson: member.contactPerson,
    email: member.email,
  };
}

/**
 * Issues one invoice inside the caller's transaction: takes the next number of the
 * gapless series (given back if the transaction rolls back), computes KID and VAT, keeps
 * a snapshot of seller and buyer, and writes the audit entry. Issued invoices are never
 * changed; corrections are credit notes.
 */
export async function issueInvoice(
  tx: Db,
  input: {
    member: Member;
    lines: NewLine[];
    purpose: InvoicePurpose;
    year: number | null;
    duesKey?: string | null;
    duesRunId?: string | null;
    orMore?: boolean;
    issueDate: string;
    actor: Actor;
    now: Date;
  },
): Promise<{ invoice: Invoice; lines: InvoiceLine[] }> {
  const lines = input.lines.filter((l) => l.grossOre !== 0);
  if (lines.length === 0 || lines.some((l) => l.grossOre < 0)) throw BillingErrors.emptyInvoice();
  const [association, settings] = await Promise.all([findAssociation(tx), getBillingSettings(tx)]);
  if (!association) throw new Error('association missing');
  if (!settings.bankAccount) throw BillingErrors.noBankAccount();
  const number = await nextNumber(tx, INVOICE_SERIES);
  const kid = invoiceKid(input.member.memberNumber, number, settings);
  // VAT lines exist only when the association is VAT-registered.
  const computed: InvoiceLine[] = lines.map((l, i) => {
    const rate = association.vatRegistered ? l.vatRateBp : 0;
    const { netOre, vatOre } = splitGross(l.grossOre, rate);
    return {
      position: i + 1,
      description: l.description,
      grossOre: l.grossOre,
      vatRateBp: rate,
      vatOre,
      netOre,
    };
  });
  const invoice: Invoice = {
    id: newId(input.now.getTime()),
    number,
    kind: 'invoice',
    creditedInvoiceId: null,
    memberId: input.member.id,
    purpose: input.purpose,
    year: input.year,
    duesKey: input.duesKey ?? null,
    duesRunId: input.duesRunId ?? null,
    issueDate: input.issueDate,
    dueDate: addDays(input.issueDate, settings.dueDays),
    kid,
    bankAccount: settings.bankAccount,
    seller: {
      name: association.name,
      addressLine: association.addressLine,
      postalCode: association.postalCode,
      city: association.city,
      orgNumber: association.orgNumber,
      email: association.email,
    },
    buyer: buyerOf(input.member),
    vatRegistered: association.vatRegistered,
    orMore: !!input.orMore,
    netOre: computed.reduce((s, l) => s + l.netOre, 0),
    vatOre: computed.reduce((s, l) => s + l.vatOre, 0),
    totalOre: computed.reduce((s, l) => s + l.grossOre, 0),
    paidOre: 0,
    creditedOre: 0,
    settledAt: null,
    createdAt: input.now.toISOString(),
  };
  await insertInvoice(tx, { ...invoice, createdBy: input.actor.userId }, computed);
  await recordAudit(tx, {
    actor: input.actor,
    action: 'billing.invoice_issued',
    entityType: 'invoice',
    entityId: invoice.id,
    after: {
      number,
      memberId: invoice.memberId,
      purpose: invoice.purpose,
      year: invoice.year,
      totalOre: invoice.totalOre,
      vatOre: invoice.vatOre,
      kid,
    },
    at: input.now,
  });
  return { invoice, lines: computed };
}

/**
 * A credit note for what is left uncredited of an invoice, with the invoice's lines
 * negated, in the same number series. Money already paid on the invoice stays with the
 * member (the caller moves it to the member's credit balance).
 */
export async function issueCreditNote(
  tx: Db,
  input: { invoiceId: string; reason: string; issueDate: string; actor: Actor; now: Date },
): Promise<{ creditNote: Invoice; invoice: Invoice }> {
  const original = await findInvoiceById(tx, input.invoiceId);
  if (!original) throw BillingErrors.invoiceNotFound();
  if (original.kind !== 'invoice') throw BillingErrors.notAnInvoice();
  if (original.creditedOre >= original.totalOre)
    throw BillingErrors.alreadyCredited({ number: original.number });
  const originalLines = await listInvoiceLines(tx, original.id);
  const number = await nextNumber(tx, INVOICE_SERIES);
  const lines: InvoiceLine[] = originalLines.map((l) => ({
    ...l,
    grossOre: -l.grossOre,
    vatOre: -l.vatOre,
    netOre: -l.netOre,
  }));
  const creditNote: Invoice = {
    ...original,
    id: newId(input.now.getTime()),
    number,
    kind: 'credit_note',
    creditedInvoiceId: original.id,
    duesKey: null,
    duesRunId: null,
    issueDate: input.issueDate,
    dueDate: input.issueDate,
    kid: null,
    orMore: false,
    netOre: -original.netOre,
    vatOre: -original.vatOre,
    totalOre: -original.totalOre,
    paidOre: 0,
    creditedOre: 0,
    settledAt: input.now.toISOString(),
    createdAt: input.now.toISOString(),
  };
  await insertInvoice(tx, { ...creditNote, createdBy: input.actor.userId }, lines);
  const invoice = await refreshInvoiceState(tx, original.id, input.now);
  await recordAudit(tx, {
    actor: input.actor,
    action: 'billing.credit_note_issued',
    entityType: 'invoice',
    entityId: original.id,
    after: {
      creditNote: number,
      invoice: original.number,
      totalOre: creditNote.totalOre,
      reason: input.reason,
    },
    at: input.now,
  });
  return { creditNote, invoice };
}
