import { recordAudit, recordAudits, type Actor } from '../../app/audit.js';
import { associationYearBounds } from '../../app/dates.js';
import { isPostgres, type Db } from '../../app/db.js';
import { newId } from '../../app/ids.js';
import { inList, unnestRows } from './bulk-write.js';
import { sql } from 'kysely';
import { moveStatuses, scopeOf } from '../members/member-status.js';
import { toMember } from '../members/members.repository.js';
import type { Invoice } from './invoices.repository.js';

// Membership follows payment: a settled dues invoice marks the membership period of its
// year paid, and brings a lapsed member back. Runs inside the caller's transaction.

export type DuesInvoice = Pick<Invoice, 'id' | 'number' | 'memberId' | 'purpose' | 'year' | 'kind'>;

const CHUNK = 500;

const PERIOD_COLUMNS = [
  ['id', 'text'],
  ['member_id', 'text'],
  ['year', 'integer'],
  ['starts_on', 'text'],
  ['ends_on', 'text'],
  ['paid_at', 'text'],
  ['created_at', 'text'],
] as const;

function duesOnly(invoices: DuesInvoice[]): (DuesInvoice & { year: number })[] {
  return invoices.filter(
    (i): i is DuesInvoice & { year: number } =>
      i.kind === 'invoice' && i.purpose === 'dues' && i.year !== null,
  );
}

function byYear<T extends { year: number }>(items: T[]): Map<number, T[]> {
  const map = new Map<number, T[]>();
  for (const item of items) {
    const list = map.get(item.year);
    if (list) list.push(item);
    else map.set(item.year, [item]);
  }
  return map;
}

/**
 * For dues invoices just settled by payment: the period of the invoice's association
 * year gets paid_at (created with the year's bounds if missing), and a lapsed member is
 * made active again (reason "payment"); an active member stays active. With `auditEach`
 * every paid period gets its own audit entry; a bank import writes one for the file.
 */
export async function membershipFollowsPayment(
  tx: Db,
  input: {
    invoices: DuesInvoice[];
    now: Date;
    actor: Actor;
    auditEach: boolean;
    /** Ids for new periods (a bank import passes its ascending sequence). */
    nextId?: () => string;
  },
): Promise<{ periodsPaid: number; reactivated: number }> {
  const nextId = input.nextId ?? (() => newId(input.now.getTime()));
  const dues = duesOnly(input.invoices);
  if (dues.length === 0) return { periodsPaid: 0, reactivated: 0 };
  const scope = await scopeOf(tx, input.now);
  const nowIso = input.now.toISOString();
  let periodsPaid = 0;
  for (const [year, list] of byYear(dues)) {
    const bounds = associationYearBounds(year, scope.association.yearStartMonth);
    const memberIds = [...new Set(list.map((i) => i.memberId))];
    for (let i = 0; i < memberIds.length; i += CHUNK) {
      let chunk = memberIds.slice(i, i + CHUNK);
      if (isPostgres(tx)) {
        // PostgreSQL locks (and logs the lock of) every row an upsert conflicts with,
        // even when its WHERE then leaves the row alone: periods paid already are left
        // out first, read from the index alone.
        const paidAlready = await tx
          .selectFrom('membership_periods')
          .select('member_id')
          .where(inList(tx, 'member_id', chunk, 'text'))
          .where('year', '=', year)
          .where('paid_at', 'is not', null)
          .execute();
        if (paidAlready.length > 0) {
          const skip = new Set(paidAlready.map((r) => r.member_id));
          chunk = chunk.filter((id) => !skip.has(id));
          if (chunk.length === 0) continue;
        }
      }
      // One upsert: a missing period is created paid, an unpaid one becomes paid, a paid
      // one is left as it is (and not returned, so the count is of newly paid periods).
      const rows = chunk.map((memberId) => ({
        id: nextId(),
        member_id: memberId,
        year,
        starts_on: bounds.startsOn,
        ends_on: bounds.endsOn,
        paid_at: nowIso,
        created_at: nowIso,
      }));
      const paid = isPostgres(tx)
        ? (
            await sql<{
              id: string;
            }>`insert into membership_periods (id, member_id, year, starts_on, ends_on, paid_at, created_at) ${unnestRows(PERIOD_COLUMNS, rows)} on conflict (member_id, year) do update set paid_at = excluded.paid_at where membership_periods.paid_at is null returning id`.execute(
              tx,
            )
          ).rows
        : await tx
            .insertInto('membership_periods')
            .values(rows)
            .onConflict((oc) =>
              oc
                .columns(['member_id', 'year'])
                .doUpdateSet({ paid_at: (eb) => eb.ref('excluded.paid_at') })
                .where('membership_periods.paid_at', 'is', null),
            )
            .returning('id')
            .execute();
      periodsPaid += paid.length;
    }
    if (input.auditEach) {
      for (const invoice of list) {
        await recordAudit(tx, {
          actor: input.actor,
          action: 'billing.membership_paid',
          entityType: 'member',
          entityId: invoice.memberId,
          after: { year, invoice: invoice.number },
          at: input.now,
        });
      }
    }
  }

  // Lapsed members come back; the lapse job will not take them out again while paid.
  let reactivated = 0;
  const invoiceOf = new Map(dues.map((i) => [i.memberId, i]));
  const memberIds = [...invoiceOf.keys()];
  for (let i = 0; i < memberIds.length; i += CHUNK) {
    // By id, the status checked in code: an index on status would make the database
    // walk every lapsed member for each chunk.
    const statuses = await tx
      .selectFrom('members')
      .select(['id', 'status'])
      .where(inList(tx, 'id', memberIds.slice(i, i + CHUNK), 'text'))
      .execute();
    const lapsed = statuses.filter((m) => m.status === 'lapsed').map((m) => m.id);
    if (lapsed.length === 0) continue;
    const rows = await tx.selectFrom('members').selectAll().where('id', 'in', lapsed).execute();
    const members = rows.filter((row) => row.status === 'lapsed').map(toMember);
    await moveStatuses(tx, scope, {
      members,
      to: 'active',
      reason: 'payment',
      actor: input.actor,
      via: 'board',
    });
    await recordAudits(
      tx,
      members.map((member) => ({
        actor: input.actor,
        action: 'members.status_changed',
        entityType: 'member',
        entityId: member.id,
        before: { status: 'lapsed' },
        after: { status: 'active', reason: 'payment', invoice: invoiceOf.get(member.id)?.number },
        at: input.now,
      })),
    );
    reactivated += members.length;
  }
  return { periodsPaid, reactivated };
}

/**
 * For dues invoices a reversal has opened again: the period is no longer paid (unless
 * another dues invoice of the year is settled). The status is left alone; the lapse job
 * decides after the due date and grace period.
 */
export async function membershipPaymentReversed(
  tx: Db,
  input: { invoices: DuesInvoice[]; now: Date; actor: Actor },
): Promise<void> {
  for (const invoice of duesOnly(input.invoices)) {
    // By member only (a handful of rows), then in code: the planner cannot pick badly.
    const others = await tx
      .selectFrom('invoices')
      .select(['year', 'purpose', 'kind', 'settled_at'])
      .where('member_id', '=', invoice.memberId)
      .execute();
    const stillPaid = others.some(
      (o) =>
        o.year === invoice.year &&
        o.purpose === 'dues' &&
        o.kind === 'invoice' &&
        o.settled_at !== null,
    );
    if (stillPaid) continue;
    const res = await tx
      .updateTable('membership_periods')
      .set({ paid_at: null })
      .where('member_id', '=', invoice.memberId)
      .where('year', '=', invoice.year)
      .where('paid_at', 'is not', null)
      .executeTakeFirst();
    if (Number(res.numUpdatedRows) > 0) {
      await recordAudit(tx, {
        actor: input.actor,
        action: 'billing.membership_unpaid',
        entityType: 'member',
        entityId: invoice.memberId,
        after: { year: invoice.year, invoice: invoice.number, reason: 'reversal' },
        at: input.now,
      });
    }
  }
}
