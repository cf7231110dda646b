import { sql, type ExpressionBuilder, type SqlBool, type Expression } from 'kysely';
import type { DB } from '../../app/database.js';
import type { Db } from '../../app/db.js';
import type { InvoicePurpose } from './billing.tables.js';
import { toInvoice, type Invoice } from './invoices.repository.js';

export type InvoiceStatusFilter = 'open' | 'paid' | 'overdue' | 'credited';

export type InvoiceListFilter = {
  year?: number | undefined;
  purpose?: InvoicePurpose | undefined;
  status?: InvoiceStatusFilter | undefined;
  memberNumber?: number | undefined;
  number?: number | undefined;
};

type Eb = ExpressionBuilder<DB, 'invoices'>;

function statusCondition(eb: Eb, status: InvoiceStatusFilter, today: string): Expression<SqlBool> {
  switch (status) {
    case 'open':
      return eb.and([
        eb('kind', '=', 'invoice'),
        eb('settled_at', 'is', null),
        eb('due_date', '>=', today),
      ]);
    case 'overdue':
      return eb.and([
        eb('kind', '=', 'invoice'),
        eb('settled_at', 'is', null),
        eb('due_date', '<', today),
      ]);
    case 'paid':
      return eb.and([
        eb('kind', '=', 'invoice'),
        eb('settled_at', 'is not', null),
        eb('credited_ore', '=', 0),
      ]);
    case 'credited':
      return eb.or([eb('kind', '=', 'credit_note'), eb('credited_ore', '>', 0)]);
  }
}

function where(eb: Eb, filter: InvoiceListFilter, today: string): Expression<SqlBool> {
  const parts: Expression<SqlBool>[] = [];
  if (filter.year !== undefined) parts.push(eb('year', '=', filter.year));
  if (filter.purpose) parts.push(eb('purpose', '=', filter.purpose));
  if (filter.number !== undefined) parts.push(eb('number', '=', filter.number));
  if (filter.status) parts.push(statusCondition(eb, filter.status, today));
  if (filter.memberNumber !== undefined)
    parts.push(
      eb(
        'member_id',
        '=',
        eb
          .selectFrom('members')
          .select('members.id')
          .where('members.member_number', '=', filter.memberNumber),
      ),
    );
  return eb.and(parts);
}

/** One page of invoices and credit notes, newest number first, with the total count. */
export async function listInvoices(
  db: Db,
  opts: { filter: InvoiceListFilter; today: string; limit: number; offset: number },
): Promise<{ invoices: Invoice[]; total: number }> {
  const [rows, count] = await Promise.all([
    db
      .selectFrom('invoices')
      .selectAll()
      .where((eb) => where(eb, opts.filter, opts.today))
      .orderBy('number', 'desc')
      .limit(opts.limit)
      .offset(opts.offset)
      .execute(),
    db
      .selectFrom('invoices')
      .select(sql<number>`count(*)`.as('n'))
      .where((eb) => where(eb, opts.filter, opts.today))
      .executeTakeFirstOrThrow(),
  ]);
  return { invoices: rows.map(toInvoice), total: Number(count.n) };
}

/** The credit notes of an invoice, oldest first. */
export async function listCreditNotesOf(db: Db, invoiceId: string): Promise<Invoice[]> {
  const rows = await db
    .selectFrom('invoices')
    .selectAll()
    .where('credited_invoice_id', '=', invoiceId)
    .where('kind', '=', 'credit_note')
    .orderBy('number')
    .execute();
  return rows.map(toInvoice);
}

/** Where a member's mail goes and in which language: their account's, if they have one. */
export async function findMemberMailInfo(
  db: Db,
  memberId: string,
): Promise<{ email: string | null; locale: string | null; userId: string | null } | null> {
  const row = await db
    .selectFrom('members')
    .leftJoin('users', 'users.id', 'members.user_id')
    .select(['members.email', 'users.locale', 'members.user_id'])
    .where('members.id', '=', memberId)
    .executeTakeFirst();
  return row ? { email: row.email, locale: row.locale, userId: row.user_id } : null;
}
