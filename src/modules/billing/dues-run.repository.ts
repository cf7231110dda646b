import { sql, type Selectable } from 'kysely';
import type { Db } from '../../app/db.js';
import type { DuesRunsTable } from './billing.tables.js';

export type DuesRun = {
  id: string;
  year: number;
  status: DuesRunsTable['status'];
  startedAt: string;
  finishedAt: string | null;
  startedBy: string | null;
  dueCount: number;
  createdCount: number;
  skippedCount: number;
  totalOre: number;
  lastError: string | null;
  heartbeatAt: string | null;
};

function toRun(row: Selectable<DuesRunsTable>): DuesRun {
  return {
    id: row.id,
    year: row.year,
    status: row.status,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    startedBy: row.started_by,
    dueCount: row.due_count,
    createdCount: row.created_count,
    skippedCount: row.skipped_count,
    totalOre: row.total_ore,
    lastError: row.last_error,
    heartbeatAt: row.heartbeat_at,
  };
}

export async function insertRun(
  db: Db,
  run: { id: string; year: number; startedBy: string | null; dueCount: number; now: Date },
): Promise<void> {
  const at = run.now.toISOString();
  await db
    .insertInto('dues_runs')
    .values({
      id: run.id,
      year: run.year,
      status: 'running',
      started_at: at,
      finished_at: null,
      started_by: run.startedBy,
      due_count: run.dueCount,
      created_count: 0,
      skipped_count: 0,
      total_ore: 0,
      last_error: null,
      heartbeat_at: at,
    })
    .execute();
}

export async function findRun(db: Db, id: string): Promise<DuesRun | null> {
  const row = await db.selectFrom('dues_runs').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? toRun(row) : null;
}

export async function findRunningRun(db: Db, year: number): Promise<DuesRun | null> {
  const row = await db
    .selectFrom('dues_runs')
    .selectAll()
    .where('year', '=', year)
    .where('status', '=', 'running')
    .executeTakeFirst();
  return row ? toRun(row) : null;
}

export async function listRuns(db: Db, opts: { limit: number }): Promise<DuesRun[]> {
  const rows = await db
    .selectFrom('dues_runs')
    .selectAll()
    .orderBy('started_at', 'desc')
    .orderBy('id', 'desc')
    .limit(opts.limit)
    .execute();
  return rows.map(toRun);
}

/** Adds one committed batch to the run's counts (in the batch's own transaction). */
export async function addProgress(
  db: Db,
  id: string,
  p: { created: number; skipped: number; totalOre: number; now: Date },
): Promise<void> {
  await db
    .updateTable('dues_runs')
    .set({
      created_count: sql`created_count + ${p.created}`,
      skipped_count: sql`skipped_count + ${p.skipped}`,
      total_ore: sql`total_ore + ${p.totalOre}`,
      heartbeat_at: p.now.toISOString(),
    })
    .where('id', '=', id)
    .execute();
}

export async function finishRun(
  db: Db,
  id: string,
  p: { status: 'done' | 'failed'; lastError: string | null; now: Date },
): Promise<void> {
  await db
    .updateTable('dues_runs')
    .set({ status: p.status, last_error: p.lastError, finished_at: p.now.toISOString() })
    .where('id', '=', id)
    .where('status', '=', 'running')
    .execute();
}

/** A run whose process died keeps 'running' with an old heartbeat: mark it failed. */
export async function failAbandonedRuns(
  db: Db,
  p: { year: number; staleBefore: Date; now: Date; message: string },
): Promise<number> {
  const res = await db
    .updateTable('dues_runs')
    .set({ status: 'failed', last_error: p.message, finished_at: p.now.toISOString() })
    .where('year', '=', p.year)
    .where('status', '=', 'running')
    .where('heartbeat_at', '<', p.staleBefore.toISOString())
    .executeTakeFirst();
  return Number(res.numUpdatedRows);
}

/** Who a dues run invoices: active members of a type with fees, who had joined by the year's end. */
export async function countDueMembers(
  db: Db,
  opts: { typeIds: string[]; endsOn: string },
): Promise<number> {
  if (opts.typeIds.length === 0) return 0;
  const row = await db
    .selectFrom('members')
    .select(sql<number>`count(*)`.as('n'))
    .where('status', '=', 'active')
    .where('type_id', 'in', opts.typeIds)
    .where((eb) => eb.or([eb('joined_on', 'is', null), eb('joined_on', '<=', opts.endsOn)]))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export type DueMember = {
  id: string;
  memberNumber: number;
  typeId: string;
  name: string;
  email: string | null;
  addressLine: string | null;
  postalCode: string | null;
  city: string | null;
  country: string | null;
  orgNumber: string | null;
  contactPerson: string | null;
  joinedOn: string | null;
  locale: string | null;
};

/** The next batch of due members after `afterNumber`, by member number (keyset paging). */
export async function selectDueBatch(
  db: Db,
  opts: { typeIds: string[]; endsOn: string; afterNumber: number; limit: number },
): Promise<DueMember[]> {
  const rows = await db
    .selectFrom('members')
    .leftJoin('users', 'users.id', 'members.user_id')
    .select([
      'members.id',
      'members.member_number',
      'members.type_id',
      'members.name',
      'members.email',
      'members.address_line',
      'members.postal_code',
      'members.city',
      'members.country',
      'members.org_number',
      'members.contact_person',
      'members.joined_on',
      'users.locale',
    ])
    .where('members.status', '=', 'active')
    .where('members.type_id', 'in', opts.typeIds)
    .where('members.member_number', '>', opts.afterNumber)
    .where((eb) =>
      eb.or([eb('members.joined_on', 'is', null), eb('members.joined_on', '<=', opts.endsOn)]),
    )
    .orderBy('members.member_number')
    .limit(opts.limit)
    .execute();
  return rows.map((r) => ({
    id: r.id,
    memberNumber: r.member_number,
    typeId: r.type_id,
    name: r.name,
    email: r.email,
    addressLine: r.address_line,
    postalCode: r.postal_code,
    city: r.city,
    country: r.country,
    orgNumber: r.org_number,
    contactPerson: r.contact_person,
    joinedOn: r.joined_on,
    locale: r.locale,
  }));
}

/** The dues invoices already issued for a year to these members. */
export async function existingDuesInvoices(
  db: Db,
  opts: { year: number; memberIds: string[] },
): Promise<{ memberId: string; duesKey: string | null; totalOre: number; creditedOre: number }[]> {
  if (opts.memberIds.length === 0) return [];
  // Only the member filter in SQL, so both planners take the member index: filtering on
  // the year too tempted SQLite into the (year, kind) index, a scan that grows with the run.
  const rows = await db
    .selectFrom('invoices')
    .select(['member_id', 'dues_key', 'total_ore', 'credited_ore', 'kind', 'purpose', 'year'])
    .where('member_id', 'in', opts.memberIds)
    .execute();
  const dues = rows.filter(
    (r) => r.kind === 'invoice' && r.purpose === 'dues' && r.year === opts.year,
  );
  return dues.map((r) => ({
    memberId: r.member_id,
    duesKey: r.dues_key,
    totalOre: r.total_ore,
    creditedOre: r.credited_ore,
  }));
}
