import { sql, type Selectable } from 'kysely';
import type { Db } from '../../app/db.js';
import type {
  InvoiceKind,
  InvoiceLinesTable,
  InvoicePurpose,
  InvoicesTable,
} from './billing.tables.js';

/** Who sold and who bought, as they were when the invoice was issued. */
export type Party = {
  name: string;
  addressLine: string | null;
  postalCode: string | null;
  city: string | null;
  country?: string | null;
  orgNumber: string | null;
  email?: string | null;
  memberNumber?: number;
  contactPerson?: string | null;
};

export type InvoiceLine = {
  position: number;
  description: string;
  grossOre: number;
  vatRateBp: number;
  vatOre: number;
  netOre: number;
};

export type Invoice = {
  id: string;
  number: number;
  kind: InvoiceKind;
  creditedInvoiceId: string | null;
  memberId: string;
  purpose: InvoicePurpose;
  year: number | null;
  duesKey: string | null;
  duesRunId: string | null;
  issueDate: string;
  dueDate: string;
  kid: string | null;
  bankAccount: string | null;
  seller: Party;
  buyer: Party;
  vatRegistered: boolean;
  orMore: boolean;
  netOre: number;
  vatOre: number;
  totalOre: number;
  paidOre: number;
  creditedOre: number;
  settledAt: string | null;
  createdAt: string;
};

/** What is still to pay: the total less payments and credit notes (never below zero). */
export function outstandingOre(
  inv: Pick<Invoice, 'totalOre' | 'paidOre' | 'creditedOre' | 'kind'>,
): number {
  if (inv.kind !== 'invoice') return 0;
  return Math.max(0, inv.totalOre - inv.paidOre - inv.creditedOre);
}

/** Where an invoice stands, as the pages, the API and the CSV exports name it. */
export type InvoiceState = 'credit_note' | 'credited' | 'paid' | 'part_paid' | 'overdue' | 'open';

export function invoiceState(inv: Invoice, today: string): InvoiceState {
  if (inv.kind === 'credit_note') return 'credit_note';
  // Credit notes credit an invoice in full (issueCreditNote), so any credit means credited.
  if (inv.creditedOre > 0) return 'credited';
  if (inv.settledAt) return 'paid';
  if (inv.dueDate < today) return 'overdue';
  return inv.paidOre > 0 ? 'part_paid' : 'open';
}

export function toInvoice(row: Selectable<InvoicesTable>): Invoice {
  return {
    id: row.id,
    number: row.number,
    kind: row.kind,
    creditedInvoiceId: row.credited_invoice_id,
    memberId: row.member_id,
    purpose: row.purpose,
    year: row.year,
    duesKey: row.dues_key,
    duesRunId: row.dues_run_id,
    issueDate: row.issue_date,
    dueDate: row.due_date,
    kid: row.kid,
    bankAccount: row.bank_account,
    seller: JSON.parse(row.seller) as Party,
    buyer: JSON.parse(row.buyer) as Party,
    vatRegistered: row.vat_registered === 1,
    orMore: row.or_more === 1,
    netOre: row.net_ore,
    vatOre: row.vat_ore,
    totalOre: row.total_ore,
    paidOre: row.paid_ore,
    creditedOre: row.credited_ore,
    settledAt: row.settled_at,
    createdAt: row.created_at,
  };
}

function toLine(row: Selectable<InvoiceLinesTable>): InvoiceLine {
  return {
    position: row.position,
    description: row.description,
    grossOre: row.gross_ore,
    vatRateBp: row.vat_rate_bp,
    vatOre: row.vat_ore,
    netOre: row.net_ore,
  };
}

type NewInvoice = Omit<Invoice, 'paidOre' | 'creditedOre' | 'settledAt'>;

function invoiceRow(inv: NewInvoice, createdBy: string | null) {
  return {
    id: inv.id,
    number: inv.number,
    kind: inv.kind,
    credited_invoice_id: inv.creditedInvoiceId,
    member_id: inv.memberId,
    purpose: inv.purpose,
    year: inv.year,
    dues_key: inv.duesKey,
    dues_run_id: inv.duesRunId,
    issue_date: inv.issueDate,
    due_date: inv.dueDate,
    kid: inv.kid,
    bank_account: inv.bankAccount,
    seller: JSON.stringify(inv.seller),
    buyer: JSON.stringify(inv.buyer),
    vat_registered: inv.vatRegistered ? 1 : 0,
    or_more: inv.orMore ? 1 : 0,
    net_ore: inv.netOre,
    vat_ore: inv.vatOre,
    total_ore: inv.totalOre,
    paid_ore: 0,
    // A credit note is settled by being issued.
    settled_at: inv.kind === 'credit_note' ? inv.createdAt : null,
    credited_ore: 0,
    created_at: inv.createdAt,
    created_by: createdBy,
  };
}

function lineRows(invoiceId: string, lines: InvoiceLine[]) {
  return lines.map((l) => ({
    id: `${invoiceId}-${l.position}`,
    invoice_id: invoiceId,
    position: l.position,
    description: l.description,
    gross_ore: l.grossOre,
    vat_rate_bp: l.vatRateBp,
    vat_ore: l.vatOre,
    net_ore: l.netOre,
  }));
}

/** Invoices and their lines with multi-row inserts, chunked below the parameter limits. */
export async function insertInvoices(
  db: Db,
  items: { invoice: NewInvoice; lines: InvoiceLine[]; createdBy: string | null }[],
): Promise<void> {
  const rows = items.map((i) => invoiceRow(i.invoice, i.createdBy));
  const lines = items.flatMap((i) => lineRows(i.invoice.id, i.lines));
  for (let i = 0; i < rows.length; i += 500) {
    await db
      .insertInto('invoices')
      .values(rows.slice(i, i + 500))
      .execute();
  }
  for (let i = 0; i < lines.length; i += 1000) {
    await db
      .insertInto('invoice_lines')
      .values(lines.slice(i, i + 1000))
      .execute();
  }
}

export async function insertInvoice(
  db: Db,
  inv: NewInvoice & { createdBy: string | null },
  lines: InvoiceLine[],
): Promise<void> {
  await insertInvoices(db, [{ invoice: inv, lines, createdBy: inv.createdBy }]);
}

export async function findInvoiceById(db: Db, id: string): Promise<Invoice | null> {
  const row = await db.selectFrom('invoices').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? toInvoice(row) : null;
}

export async function findInvoiceByNumber(db: Db, number: number): Promise<Invoice | null> {
  const row = await db
    .selectFrom('invoices')
    .selectAll()
    .where('number', '=', number)
    .executeTakeFirst();
  return row ? toInvoice(row) : null;
}

export async function findInvoiceByKid(db: Db, kid: string): Promise<Invoice | null> {
  const row = await db.selectFrom('invoices').selectAll().where('kid', '=', kid).executeTakeFirst();
  return row ? toInvoice(row) : null;
}

export async function listInvoiceLines(db: Db, invoiceId: string): Promise<InvoiceLine[]> {
  const rows = await db
    .selectFrom('invoice_lines')
    .selectAll()
    .where('invoice_id', '=', invoiceId)
    .orderBy('position')
    .execute();
  return rows.map(toLine);
}

export async function listMemberInvoices(db: Db, memberId: string): Promise<Invoice[]> {
  const rows = await db
    .selectFrom('invoices')
    .selectAll()
    .where('member_id', '=', memberId)
    .orderBy('number', 'desc')
    .execute();
  return rows.map(toInvoice);
}

/**
 * Recomputes an invoice's payment state from its allocations and credit notes. Content
 * (lines, totals, KID) never changes after issue; only this state does.
 */
export async function refreshInvoiceState(db: Db, invoiceId: string, now: Date): Promise<Invoice> {
  const paid = await db
    .selectFrom('payment_allocations')
    .select(sql<number>`coalesce(sum(amount_ore), 0)`.as('sum'))
    .where('invoice_id', '=', invoiceId)
    .executeTakeFirstOrThrow();
  const credited = await db
    .selectFrom('invoices')
    .select(sql<number>`coalesce(sum(-total_ore), 0)`.as('sum'))
    .where('credited_invoice_id', '=', invoiceId)
    .where('kind', '=', 'credit_note')
    .executeTakeFirstOrThrow();
  const current = await db
    .selectFrom('invoices')
    .selectAll()
    .where('id', '=', invoiceId)
    .executeTakeFirstOrThrow();
  const paidOre = Number(paid.sum);
  const creditedOre = Number(credited.sum);
  const settled = paidOre + creditedOre >= current.total_ore;
  const settledAt = settled ? (current.settled_at ?? now.toISOString()) : null;
  await db
    .updateTable('invoices')
    .set({ paid_ore: paidOre, credited_ore: creditedOre, settled_at: settledAt })
    .where('id', '=', invoiceId)
    .execute();
  return toInvoice({
    ...current,
    paid_ore: paidOre,
    credited_ore: creditedOre,
    settled_at: settledAt,
  });
}
