import { sql } from 'kysely';
import { csvStringify as stringify } from '../../app/lazy.js';
import type { AppContext } from '../../app/context.js';
import { recordAudit, type Actor } from '../../app/audit.js';
import type { Db } from '../../app/db.js';
import { findMemberById, findMemberByNumber, type Member } from '../members/members.repository.js';
import { guardCell, UTF8_BOM } from '../members/csv-export.js';
import { isValidKid } from './bank-files/kid.js';
import { findInvoiceById, type Invoice } from './invoices.repository.js';
import type { UnmatchedReason } from './matching.js';
import { memberCreditOre } from './allocations.js';
import {
  findPaymentById,
  findReversalOf,
  iteratePayments,
  listPaymentAllocations,
  listPayments,
  countPaymentsByStatus,
  type Allocation,
  type Payment,
  type PaymentFilter,
  type PaymentListItem,
} from './payments.repository.js';
import type { PaymentFilterQuery } from './payments.schemas.js';
import { PaymentErrors } from './billing.errors.js';

type Deps = Pick<AppContext, 'db' | 'clock'>;

export const PAGE_SIZE = 50;

/** What helps the treasurer with a queued payment: why it stayed, and likely invoices. */
export type QueueHint = {
  reason: UnmatchedReason;
  candidates: {
    invoiceNumber: number;
    memberNumber: number;
    memberName: string;
    outstandingOre: number;
  }[];
};

async function filterOf(
  db: Db,
  query: PaymentFilterQuery,
): Promise<{ filter: PaymentFilter; member: Member | null; unknownMember: boolean }> {
  const member = query.member !== undefined ? await findMemberByNumber(db, query.member) : null;
  return {
    filter: {
      status: query.status,
      source: query.source,
      from: query.from,
      to: query.to,
      ...(member ? { memberId: member.id } : {}),
    },
    member,
    unknownMember: query.member !== undefined && !member,
  };
}

/** Open invoices waiting for exactly this amount (at most five, oldest first). */
async function amountCandidates(db: Db, amountOre: number): Promise<QueueHint['candidates']> {
  const rows = await db
    .selectFrom('invoices as i')
    .innerJoin('members as m', 'm.id', 'i.member_id')
    .select(['i.number', 'm.member_number', 'm.name'])
    .where('i.settled_at', 'is', null)
    .where(sql<number>`i.total_ore - i.paid_ore - i.credited_ore`, '=', amountOre)
    .where('i.kind', '=', 'invoice')
    .where(sql<boolean>`i.credited_ore < i.total_ore`)
    .orderBy('i.number')
    .limit(5)
    .execute();
  return rows.map((r) => ({
    invoiceNumber: r.number,
    memberNumber: r.member_number,
    memberName: r.name,
    outstandingOre: amountOre,
  }));
}

export async function queueHint(db: Db, payment: Payment): Promise<QueueHint> {
  let reason: UnmatchedReason;
  if (payment.kind === 'reversal') reason = 'no_original';
  else if (!payment.kid) reason = 'no_reference';
  else if (!isValidKid(payment.kid)) reason = 'kid_check_digit';
  else reason = 'kid_unknown';
  const candidates = payment.kind === 'credit' ? await amountCandidates(db, payment.amountOre) : [];
  if (reason === 'no_reference' && candidates.length > 1) reason = 'amount_ambiguous';
  return { reason, candidates };
}

export type PaymentsPage = {
  payments: PaymentListItem[];
  total: number;
  page: number;
  pages: number;
  member: Member | null;
  unknownMember: boolean;
  hints: Map<string, QueueHint>;
  counts: Record<'matched' | 'unmatched' | 'ignored', number>;
};

/** One page of the payment list; for the queue, with a hint per payment. */
export async function listPaymentsPage(
  deps: Deps,
  input: { query: PaymentFilterQuery; pageSize?: number },
): Promise<PaymentsPage> {
  const size = input.pageSize ?? PAGE_SIZE;
  const { filter, member, unknownMember } = await filterOf(deps.db, input.query);
  const counts = await countPaymentsByStatus(deps.db);
  if (unknownMember) {
    return {
      payments: [],
      total: 0,
      page: 1,
      pages: 1,
      member,
      unknownMember,
      hints: new Map(),
      counts,
    };
  }
  const { payments, total } = await listPayments(deps.db, filter, {
    limit: size,
    offset: (input.query.page - 1) * size,
  });
  const hints = new Map<string, QueueHint>();
  for (const p of payments)
    if (p.status === 'unmatched') hints.set(p.id, await queueHint(deps.db, p));
  return {
    payments,
    total,
    page: input.query.page,
    pages: Math.max(1, Math.ceil(total / size)),
    member,
    unknownMember,
    hints,
    counts,
  };
}

export type PaymentDetail = {
  payment: Payment;
  allocations: Allocation[];
  member: Member | null;
  invoice: Invoice | null;
  memberCreditOre: number | null;
  reversedBy: Payment | null;
  reverses: Payment | null;
  hint: QueueHint | null;
};

export async function paymentDetail(deps: Deps, id: string): Promise<PaymentDetail> {
  const { db } = deps;
  const payment = await findPaymentById(db, id);
  if (!payment) throw PaymentErrors.paymentNotFound();
  const [allocations, member, invoice, reversedBy, reverses] = await Promise.all([
    listPaymentAllocations(db, id),
    payment.memberId ? findMemberById(db, payment.memberId) : null,
    payment.invoiceId ? findInvoiceById(db, payment.invoiceId) : null,
    findReversalOf(db, id),
    payment.reversesPaymentId ? findPaymentById(db, payment.reversesPaymentId) : null,
  ]);
  return {
    payment,
    allocations,
    member,
    invoice,
    memberCreditOre: member ? await memberCreditOre(db, member.id) : null,
    reversedBy,
    reverses,
    hint: payment.status === 'unmatched' ? await queueHint(db, payment) : null,
  };
}

const CSV_COLUMNS = [
  'booking_date',
  'amount',
  'amount_ore',
  'kind',
  'source',
  'status',
  'kid',
  'payer_name',
  'payer_account',
  'message',
  'bank_reference',
  'member_number',
  'member_name',
  'invoice_number',
  'match_rule',
  'note',
  'registered_at',
  'id',
] as const;

function kroner(ore: number): string {
  const sign = ore < 0 ? '-' : '';
  const abs = Math.abs(ore);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

function csvRows(payments: PaymentListItem[]): string {
  const rows = payments.map((p) =>
    [
      p.bookingDate,
      kroner(p.amountOre),
      p.amountOre,
      p.kind,
      p.source,
      p.status,
      p.kid,
      p.payerName,
      p.payerAccount,
      p.message,
      p.bankReference,
      p.memberNumber,
      p.memberName,
      p.invoiceNumber,
      p.matchRule,
      p.note,
      p.createdAt,
      p.id,
    ].map((v) => (v === null ? '' : typeof v === 'number' ? String(v) : guardCell(v))),
  );
  return stringify(rows, { record_delimiter: '\r\n', quoted_match: /[\r\n]/ });
}

/** The filtered payments as CSV (UTF-8 with BOM, RFC 4180), pulled a chunk at a time. */
export async function exportPaymentsCsv(
  deps: Deps,
  input: { actor: Actor; query: PaymentFilterQuery },
): Promise<{ chunks: AsyncGenerator<string> }> {
  const now = deps.clock.now();
  const { filter, unknownMember } = await filterOf(deps.db, input.query);
  await deps.db.transaction().execute((tx) =>
    recordAudit(tx, {
      actor: input.actor,
      action: 'billing.payments_exported',
      entityType: 'payment',
      entityId: null,
      after: { filter: { ...input.query, page: undefined } },
      at: now,
    }),
  );
  const db = deps.db;
  async function* chunks(): AsyncGenerator<string> {
    yield UTF8_BOM + stringify([[...CSV_COLUMNS]], { record_delimiter: '\r\n' });
    if (unknownMember) return;
    for await (const payments of iteratePayments(db, filter)) yield csvRows(payments);
  }
  return { chunks: chunks() };
}
