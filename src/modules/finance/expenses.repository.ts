import type { Insertable, Selectable } from 'kysely';
import type { Db } from '../../app/db.js';
import { newId } from '../../app/ids.js';
import type { ClaimStatus, ExpenseClaimsTable, ExpenseSeriesTable } from './finance.tables.js';
import type { CheckedReceipt } from './expense-receipt.js';

// Expense claims, their receipts, their history, and recurring costs (series). The
// journal (F2) reads expense_claims directly by status, approved_at and paid_on.

export type Claim = {
  id: string;
  number: number;
  memberId: string;
  submittedBy: string;
  seriesId: string | null;
  spentOn: string;
  amountOre: number;
  vatOre: number;
  description: string;
  category: string;
  payeeAccount: string;
  status: ClaimStatus;
  attestedBy: string | null;
  attestedAt: string | null;
  approvedBy: string | null;
  approvedAt: string | null;
  paidOn: string | null;
  paymentReference: string | null;
  paidBy: string | null;
  reason: string | null;
  fiscalYear: number;
  createdAt: string;
  updatedAt: string;
};

/** A claim in a list, with the claimant's name and number and whether it has a receipt. */
export type ClaimListItem = Claim & {
  memberName: string;
  memberNumber: number;
  receipts: number;
};

export type ReceiptMeta = {
  id: string;
  claimId: string;
  filename: string;
  contentType: string;
  size: number;
  sha256: string;
  createdAt: string;
};

export type ClaimEvent = {
  id: string;
  at: string;
  actorUserId: string | null;
  actorLabel: string;
  action: string;
  note: string | null;
};

export type Series = {
  id: string;
  memberId: string;
  description: string;
  category: string;
  amountOre: number;
  payeeAccount: string;
  interval: ExpenseSeriesTable['interval'];
  startsOn: string;
  endsOn: string | null;
  active: boolean;
  createdAt: string;
};

export function toClaim(r: Selectable<ExpenseClaimsTable>): Claim {
  return {
    id: r.id,
    number: r.number,
    memberId: r.member_id,
    submittedBy: r.submitted_by,
    seriesId: r.series_id,
    spentOn: r.spent_on,
    amountOre: Number(r.amount_ore),
    vatOre: Number(r.vat_ore),
    description: r.description,
    category: r.category,
    payeeAccount: r.payee_account,
    status: r.status,
    attestedBy: r.attested_by,
    attestedAt: r.attested_at,
    approvedBy: r.approved_by,
    approvedAt: r.approved_at,
    paidOn: r.paid_on,
    paymentReference: r.payment_reference,
    paidBy: r.paid_by,
    reason: r.reason,
    fiscalYear: r.fiscal_year,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

function toSeries(r: Selectable<ExpenseSeriesTable>): Series {
  return {
    id: r.id,
    memberId: r.member_id,
    description: r.description,
    category: r.category,
    amountOre: Number(r.amount_ore),
    payeeAccount: r.payee_account,
    interval: r.interval,
    startsOn: r.starts_on,
    endsOn: r.ends_on,
    active: r.active === 1,
    createdAt: r.created_at,
  };
}

export async function insertClaim(db: Db, row: Insertable<ExpenseClaimsTable>): Promise<void> {
  await db.insertInto('expense_claims').values(row).execute();
}

export async function findClaimById(db: Db, id: string): Promise<Claim | null> {
  const row = await db
    .selectFrom('expense_claims')
    .selectAll()
    .where('id', '=', id)
    .executeTakeFirst();
  return row ? toClaim(row) : null;
}

export async function findClaimByNumber(db: Db, number: number): Promise<Claim | null> {
  const row = await db
    .selectFrom('expense_claims')
    .selectAll()
    .where('number', '=', number)
    .executeTakeFirst();
  return row ? toClaim(row) : null;
}

function listQuery(db: Db) {
  return db
    .selectFrom('expense_claims as c')
    .innerJoin('members as m', 'm.id', 'c.member_id')
    .selectAll('c')
    .select((eb) => [
      'm.name as member_name',
      'm.member_number as member_number',
      eb
        .selectFrom('expense_receipts as r')
        .select((e) => e.fn.countAll<number>().as('n'))
        .whereRef('r.claim_id', '=', 'c.id')
        .as('receipts'),
    ]);
}

type ListRow = Selectable<ExpenseClaimsTable> & {
  member_name: string;
  member_number: number;
  receipts: number | string | null;
};

function toListItem(r: ListRow): ClaimListItem {
  return {
    ...toClaim(r),
    memberName: r.member_name,
    memberNumber: r.member_number,
    receipts: Number(r.receipts ?? 0),
  };
}

/** A member's own claims, newest first. */
export async function listClaimsOfMember(db: Db, memberId: string): Promise<ClaimListItem[]> {
  const rows = await listQuery(db)
    .where('c.member_id', '=', memberId)
    .orderBy('c.number', 'desc')
    .execute();
  return rows.map(toListItem);
}

/** Claims in the given statuses, oldest first (the queue works from the front). */
export async function listClaimsInStatus(
  db: Db,
  statuses: readonly ClaimStatus[],
  limit = 500,
): Promise<ClaimListItem[]> {
  if (statuses.length === 0) return [];
  const rows = await listQuery(db)
    .where('c.status', 'in', [...statuses])
    .orderBy('c.number', 'asc')
    .limit(limit)
    .execute();
  return rows.map(toListItem);
}

/** The recently finished claims (paid or rejected), newest first. */
export async function listRecentlyClosed(db: Db, limit = 20): Promise<ClaimListItem[]> {
  const rows = await listQuery(db)
    .where('c.status', 'in', ['paid', 'rejected'])
    .orderBy('c.updated_at', 'desc')
    .limit(limit)
    .execute();
  return rows.map(toListItem);
}

/**
 * Moves a claim from the status it was read in to the next one. The WHERE on the status
 * is what makes two officers acting at once safe: only one UPDATE finds the row still in
 * the expected status; the other changes nothing and is told so.
 */
export async function transitionClaim(
  db: Db,
  opts: {
    id: string;
    from: ClaimStatus;
    set: Partial<Omit<ExpenseClaimsTable, 'id' | 'number' | 'member_id'>> & {
      status: ClaimStatus;
      updated_at: string;
    };
  },
): Promise<boolean> {
  const res = await db
    .updateTable('expense_claims')
    .set(opts.set)
    .where('id', '=', opts.id)
    .where('status', '=', opts.from)
    .executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}

/** The refund account of the member's latest claim, to prefill the next one. */
export async function lastPayeeAccount(db: Db, memberId: string): Promise<string | null> {
  const row = await db
    .selectFrom('expense_claims')
    .select('payee_account')
    .where('member_id', '=', memberId)
    .where('pseudonymised_at', 'is', null)
    .orderBy('number', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row?.payee_account ?? null;
}

// --- receipts --------------------------------------------------------------------------

export async function insertReceipt(
  db: Db,
  opts: { claimId: string; receipt: CheckedReceipt; now: Date },
): Promise<{ id: string }> {
  const id = newId(opts.now.getTime());
  await db
    .insertInto('expense_receipts')
    .values({
      id,
      claim_id: opts.claimId,
      filename: opts.receipt.filename,
      content_type: opts.receipt.contentType,
      size: opts.receipt.size,
      sha256: opts.receipt.sha256,
      content: opts.receipt.content,
      created_at: opts.now.toISOString(),
    })
    .execute();
  return { id };
}

/** The receipts of a claim without their content, oldest first. */
export async function listReceipts(db: Db, claimId: string): Promise<ReceiptMeta[]> {
  const rows = await db
    .selectFrom('expense_receipts')
    .select(['id', 'claim_id', 'filename', 'content_type', 'size', 'sha256', 'created_at'])
    .where('claim_id', '=', claimId)
    .orderBy('id')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    claimId: r.claim_id,
    filename: r.filename,
    contentType: r.content_type,
    size: Number(r.size),
    sha256: r.sha256,
    createdAt: r.created_at,
  }));
}

export async function countReceipts(db: Db, claimId: string): Promise<number> {
  const row = await db
    .selectFrom('expense_receipts')
    .select((e) => e.fn.countAll<number>().as('n'))
    .where('claim_id', '=', claimId)
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

export async function readReceiptContent(
  db: Db,
  opts: { claimId: string; receiptId: string },
): Promise<{ contentType: string; content: Buffer } | null> {
  const row = await db
    .selectFrom('expense_receipts')
    .select(['content_type', 'content'])
    .where('id', '=', opts.receiptId)
    .where('claim_id', '=', opts.claimId)
    .executeTakeFirst();
  if (!row) return null;
  return { contentType: row.content_type, content: Buffer.from(row.content) };
}

// --- history ---------------------------------------------------------------------------

export async function insertClaimEvent(
  db: Db,
  e: {
    claimId: string;
    at: Date;
    actorUserId: string | null;
    actorLabel: string;
    action: string;
    note: string | null;
  },
): Promise<void> {
  await db
    .insertInto('expense_claim_events')
    .values({
      id: newId(e.at.getTime()),
      claim_id: e.claimId,
      at: e.at.toISOString(),
      actor_user_id: e.actorUserId,
      actor_label: e.actorLabel,
      action: e.action,
      note: e.note,
    })
    .execute();
}

export async function listClaimEvents(db: Db, claimId: string): Promise<ClaimEvent[]> {
  const rows = await db
    .selectFrom('expense_claim_events')
    .selectAll()
    .where('claim_id', '=', claimId)
    .orderBy('id')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    at: r.at,
    actorUserId: r.actor_user_id,
    actorLabel: r.actor_label,
    action: r.action,
    note: r.note,
  }));
}

// --- series ----------------------------------------------------------------------------

export async function insertSeries(db: Db, row: Insertable<ExpenseSeriesTable>): Promise<void> {
  await db.insertInto('expense_series').values(row).execute();
}

export async function findSeries(db: Db, id: string): Promise<Series | null> {
  const row = await db
    .selectFrom('expense_series')
    .selectAll()
    .where('id', '=', id)
    .executeTakeFirst();
  return row ? toSeries(row) : null;
}

export async function listSeriesOfMember(db: Db, memberId: string): Promise<Series[]> {
  const rows = await db
    .selectFrom('expense_series')
    .selectAll()
    .where('member_id', '=', memberId)
    .orderBy('id', 'desc')
    .execute();
  return rows.map(toSeries);
}

/** Active series that have started by `today` (the job's work list). */
export async function listRunningSeries(db: Db, today: string): Promise<Series[]> {
  const rows = await db
    .selectFrom('expense_series')
    .selectAll()
    .where('active', '=', 1)
    .where('starts_on', '<=', today)
    .orderBy('id')
    .execute();
  return rows.map(toSeries);
}

export async function endSeries(db: Db, opts: { id: string; endsOn: string }): Promise<boolean> {
  const res = await db
    .updateTable('expense_series')
    .set({ active: 0, ends_on: opts.endsOn })
    .where('id', '=', opts.id)
    .where('active', '=', 1)
    .executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}

/** The period dates of a series that already have a claim. */
export async function seriesPeriodsClaimed(db: Db, seriesId: string): Promise<Set<string>> {
  const rows = await db
    .selectFrom('expense_claims')
    .select('spent_on')
    .where('series_id', '=', seriesId)
    .execute();
  return new Set(rows.map((r) => r.spent_on));
}
