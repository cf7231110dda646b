import { sql, type Insertable, type Selectable } from 'kysely';
import { isPostgres, type Db } from '../../app/db.js';
import { inList, insertUnnest, type ColumnType } from './bulk-write.js';
import type {
  AllocationKind,
  MatchRule,
  PaymentAllocationsTable,
  PaymentSource,
  PaymentsTable,
  PaymentStatus,
} from './billing.tables.js';

/** One registered payment (or reversal), as the rest of the code sees it. */
export type Payment = {
  id: string;
  source: PaymentSource;
  sourceRef: string;
  bankImportId: string | null;
  kind: 'credit' | 'reversal';
  amountOre: number;
  kid: string | null;
  bookingDate: string;
  payerName: string | null;
  payerAccount: string | null;
  message: string | null;
  bankReference: string | null;
  status: PaymentStatus;
  memberId: string | null;
  invoiceId: string | null;
  matchRule: MatchRule | null;
  reversesPaymentId: string | null;
  note: string | null;
  createdAt: string;
  createdBy: string | null;
};

/** A payment with what the lists show beside it: the member and the invoice number. */
export type PaymentListItem = Payment & {
  memberNumber: number | null;
  memberName: string | null;
  invoiceNumber: number | null;
};

export type Allocation = {
  id: string;
  paymentId: string | null;
  invoiceId: string | null;
  invoiceNumber: number | null;
  memberId: string;
  amountOre: number;
  kind: AllocationKind;
  createdAt: string;
};

export type PaymentFilter = {
  status?: PaymentStatus | undefined;
  source?: PaymentSource | undefined;
  from?: string | undefined;
  to?: string | undefined;
  memberId?: string | undefined;
  bankImportId?: string | undefined;
};

export type PaymentRow = Insertable<PaymentsTable>;
export type AllocationRow = Insertable<PaymentAllocationsTable>;

/** Rows per multi-row insert: 20 columns × 500 stays far inside both databases' limits. */
const INSERT_CHUNK = 500;

export function toPayment(row: Selectable<PaymentsTable>): Payment {
  return {
    id: row.id,
    source: row.source,
    sourceRef: row.source_ref,
    bankImportId: row.bank_import_id,
    kind: row.kind,
    amountOre: row.amount_ore,
    kid: row.kid,
    bookingDate: row.booking_date,
    payerName: row.payer_name,
    payerAccount: row.payer_account,
    message: row.message,
    bankReference: row.bank_reference,
    status: row.status,
    memberId: row.member_id,
    invoiceId: row.invoice_id,
    matchRule: row.match_rule,
    reversesPaymentId: row.reverses_payment_id,
    note: row.note,
    createdAt: row.created_at,
    createdBy: row.created_by,
  };
}

export async function insertPayment(db: Db, row: PaymentRow): Promise<void> {
  await db.insertInto('payments').values(row).execute();
}

/**
 * Inserts many payments; one whose source_ref exists already is skipped. Returns the
 * source refs actually inserted, so a caller can tell a concurrent import apart.
 */
export async function insertPaymentsSkippingKnown(
  db: Db,
  rows: PaymentRow[],
): Promise<Set<string>> {
  const inserted = new Set<string>();
  for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
    const result = await db
      .insertInto('payments')
      .values(rows.slice(i, i + INSERT_CHUNK))
      .onConflict((oc) => oc.column('source_ref').doNothing())
      .returning('source_ref')
      .execute();
    for (const r of result) inserted.add(r.source_ref);
  }
  return inserted;
}

const PAYMENT_COLUMNS: readonly (readonly [keyof PaymentRow, ColumnType])[] = [
  ['id', 'text'],
  ['source', 'text'],
  ['source_ref', 'text'],
  ['bank_import_id', 'text'],
  ['kind', 'text'],
  ['amount_ore', 'integer'],
  ['kid', 'text'],
  ['booking_date', 'text'],
  ['payer_name', 'text'],
  ['payer_account', 'text'],
  ['message', 'text'],
  ['bank_reference', 'text'],
  ['status', 'text'],
  ['member_id', 'text'],
  ['invoice_id', 'text'],
  ['match_rule', 'text'],
  ['reverses_payment_id', 'text'],
  ['note', 'text'],
  ['created_at', 'text'],
  ['created_by', 'text'],
];

const ALLOCATION_COLUMNS: readonly (readonly [keyof AllocationRow, ColumnType])[] = [
  ['id', 'text'],
  ['payment_id', 'text'],
  ['invoice_id', 'text'],
  ['member_id', 'text'],
  ['amount_ore', 'integer'],
  ['kind', 'text'],
  ['created_at', 'text'],
  ['created_by', 'text'],
];

/** Rows per statement through unnest: one array per column, no parameter limit. */
const UNNEST_CHUNK = 2000;

/**
 * Inserts a bank import's new payments, whose source refs the import has just checked
 * are unknown. Returns false when one was registered meanwhile by a concurrent import
 * (PostgreSQL reports that as a unique violation instead, which the import maps alike).
 */
export async function insertCheckedPayments(db: Db, rows: PaymentRow[]): Promise<boolean> {
  if (!isPostgres(db)) return (await insertPaymentsSkippingKnown(db, rows)).size === rows.length;
  for (let i = 0; i < rows.length; i += UNNEST_CHUNK)
    await insertUnnest(db, 'payments', PAYMENT_COLUMNS, rows.slice(i, i + UNNEST_CHUNK));
  return true;
}

/** Which of these source refs are registered already. */
export async function existingSourceRefs(db: Db, refs: string[]): Promise<Set<string>> {
  const found = new Set<string>();
  for (let i = 0; i < refs.length; i += 1000) {
    const chunk = refs.slice(i, i + 1000);
    if (chunk.length === 0) continue;
    const rows = await db
      .selectFrom('payments')
      .select('source_ref')
      .where(inList(db, 'source_ref', chunk, 'text'))
      .execute();
    for (const r of rows) found.add(r.source_ref);
  }
  return found;
}

export async function findPaymentById(db: Db, id: string): Promise<Payment | null> {
  const row = await db.selectFrom('payments').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? toPayment(row) : null;
}

export async function findPaymentBySourceRef(db: Db, sourceRef: string): Promise<Payment | null> {
  const row = await db
    .selectFrom('payments')
    .selectAll()
    .where('source_ref', '=', sourceRef)
    .executeTakeFirst();
  return row ? toPayment(row) : null;
}

function listQuery(db: Db, filter: PaymentFilter) {
  let q = db
    .selectFrom('payments as p')
    .leftJoin('members as m', 'm.id', 'p.member_id')
    .leftJoin('invoices as i', 'i.id', 'p.invoice_id');
  if (filter.status) q = q.where('p.status', '=', filter.status);
  if (filter.source) q = q.where('p.source', '=', filter.source);
  if (filter.from) q = q.where('p.booking_date', '>=', filter.from);
  if (filter.to) q = q.where('p.booking_date', '<=', filter.to);
  if (filter.memberId) q = q.where('p.member_id', '=', filter.memberId);
  if (filter.bankImportId) q = q.where('p.bank_import_id', '=', filter.bankImportId);
  return q;
}

/** Newest first (by booking date, then registration); `after` pages through by id. */
export async function listPayments(
  db: Db,
  filter: PaymentFilter,
  page: { limit: number; offset: number },
): Promise<{ payments: PaymentListItem[]; total: number }> {
  const [rows, count] = await Promise.all([
    listQuery(db, filter)
      .selectAll('p')
      .select(['m.member_number', 'm.name as member_name', 'i.number as invoice_number'])
      .orderBy('p.booking_date', 'desc')
      .orderBy('p.id', 'desc')
      .limit(page.limit)
      .offset(page.offset)
      .execute(),
    listQuery(db, filter)
      .select(sql<number>`count(*)`.as('n'))
      .executeTakeFirstOrThrow(),
  ]);
  return {
    payments: rows.map((r) => ({
      ...toPayment(r),
      memberNumber: r.member_number,
      memberName: r.member_name,
      invoiceNumber: r.invoice_number,
    })),
    total: Number(count.n),
  };
}

/** Every payment of the filter in id order, a chunk at a time (for CSV export). */
export async function* iteratePayments(
  db: Db,
  filter: PaymentFilter,
  chunk = 1000,
): AsyncGenerator<PaymentListItem[]> {
  let after = '';
  for (;;) {
    const rows = await listQuery(db, filter)
      .selectAll('p')
      .select(['m.member_number', 'm.name as member_name', 'i.number as invoice_number'])
      .where('p.id', '>', after)
      .orderBy('p.id')
      .limit(chunk)
      .execute();
    if (rows.length === 0) return;
    after = rows[rows.length - 1]!.id;
    yield rows.map((r) => ({
      ...toPayment(r),
      memberNumber: r.member_number,
      memberName: r.member_name,
      invoiceNumber: r.invoice_number,
    }));
    if (rows.length < chunk) return;
  }
}

/**
 * Resolves a payment from the queue, only if it is still unmatched: of two treasurers
 * acting on the same payment at once, one wins. Returns whether this call did it.
 */
export async function resolveQueuedPayment(
  db: Db,
  change: {
    id: string;
    status: 'matched' | 'ignored';
    memberId: string | null;
    invoiceId: string | null;
    matchRule: MatchRule | null;
    reversesPaymentId?: string | null;
    note: string | null;
  },
): Promise<boolean> {
  const res = await db
    .updateTable('payments')
    .set({
      status: change.status,
      member_id: change.memberId,
      invoice_id: change.invoiceId,
      match_rule: change.matchRule,
      note: change.note,
      ...(change.reversesPaymentId !== undefined
        ? { reverses_payment_id: change.reversesPaymentId }
        : {}),
    })
    .where('id', '=', change.id)
    .where('status', '=', 'unmatched')
    .executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}

export async function insertAllocations(db: Db, rows: AllocationRow[]): Promise<void> {
  if (rows.length > 1 && isPostgres(db)) {
    for (let i = 0; i < rows.length; i += UNNEST_CHUNK)
      await insertUnnest(
        db,
        'payment_allocations',
        ALLOCATION_COLUMNS,
        rows.slice(i, i + UNNEST_CHUNK),
      );
    return;
  }
  for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
    await db
      .insertInto('payment_allocations')
      .values(rows.slice(i, i + INSERT_CHUNK))
      .execute();
  }
}

export async function listPaymentAllocations(db: Db, paymentId: string): Promise<Allocation[]> {
  const rows = await db
    .selectFrom('payment_allocations as a')
    .leftJoin('invoices as i', 'i.id', 'a.invoice_id')
    .selectAll('a')
    .select('i.number as invoice_number')
    .where('a.payment_id', '=', paymentId)
    .orderBy('a.id')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    paymentId: r.payment_id,
    invoiceId: r.invoice_id,
    invoiceNumber: r.invoice_number,
    memberId: r.member_id,
    amountOre: r.amount_ore,
    kind: r.kind,
    createdAt: r.created_at,
  }));
}

/** The reversal registered for a payment, if any. */
export async function findReversalOf(db: Db, paymentId: string): Promise<Payment | null> {
  const row = await db
    .selectFrom('payments')
    .selectAll()
    .where('reverses_payment_id', '=', paymentId)
    .executeTakeFirst();
  return row ? toPayment(row) : null;
}

/**
 * The payment a reversal takes back: the most recent matched credit with this amount
 * (and KID, invoice or member) that has not been reversed yet. Looked up by the one
 * selective key, the rest checked in code.
 */
export async function findReversibleCredit(
  db: Db,
  by: { amountOre: number } & ({ kid: string } | { invoiceId: string } | { memberId: string }),
): Promise<Payment | null> {
  let q = db.selectFrom('payments').selectAll();
  if ('kid' in by) q = q.where('kid', '=', by.kid);
  else if ('invoiceId' in by) {
    const invoiceId = by.invoiceId;
    q = q.where((eb) =>
      eb(
        'id',
        'in',
        eb
          .selectFrom('payment_allocations')
          .select(sql<string>`payment_id`.as('payment_id'))
          .where('invoice_id', '=', invoiceId)
          .where('kind', '=', 'payment'),
      ),
    );
  } else q = q.where('member_id', '=', by.memberId);
  const rows = await q.orderBy('booking_date', 'desc').orderBy('id', 'desc').execute();
  const candidates = rows.filter(
    (r) => r.kind === 'credit' && r.status === 'matched' && r.amount_ore === by.amountOre,
  );
  if (candidates.length === 0) return null;
  const reversed = new Set(
    (
      await db
        .selectFrom('payments')
        .select('reverses_payment_id')
        .where(
          'reverses_payment_id',
          'in',
          candidates.map((c) => c.id),
        )
        .execute()
    ).map((r) => r.reverses_payment_id),
  );
  const row = candidates.find((c) => !reversed.has(c.id));
  return row ? toPayment(row) : null;
}

export async function countPaymentsByStatus(db: Db): Promise<Record<PaymentStatus, number>> {
  const rows = await db
    .selectFrom('payments')
    .select(['status', sql<number>`count(*)`.as('n')])
    .groupBy('status')
    .execute();
  const counts: Record<PaymentStatus, number> = { matched: 0, unmatched: 0, ignored: 0 };
  for (const r of rows) counts[r.status] = Number(r.n);
  return counts;
}

/** A unique constraint refused a write (PostgreSQL 23505, SQLite's constraint codes). */
export function isUniqueViolation(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return (
    code === '23505' ||
    code === 'SQLITE_CONSTRAINT_UNIQUE' ||
    code === 'SQLITE_CONSTRAINT_PRIMARYKEY'
  );
}
