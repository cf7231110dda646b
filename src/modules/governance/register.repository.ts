import { sql } from 'kysely';
import type { Db } from '../../app/db.js';
import { countPresentByProxy } from './proxies.repository.js';

export type VoterRegister = {
  meetingId: string;
  qualifyingOn: string | null;
  paidCutoffOn: string;
  eligibleCount: number;
  frozenAt: string;
  frozenBy: string | null;
  approvedAt: string | null;
  approvedBy: string | null;
};

export type RegisterEntry = { memberId: string; memberNumber: number; name: string };

export async function findRegister(db: Db, meetingId: string): Promise<VoterRegister | null> {
  const r = await db
    .selectFrom('voter_registers')
    .selectAll()
    .where('meeting_id', '=', meetingId)
    .executeTakeFirst();
  return r
    ? {
        meetingId: r.meeting_id,
        qualifyingOn: r.qualifying_on,
        paidCutoffOn: r.paid_cutoff_on,
        eligibleCount: r.eligible_count,
        frozenAt: r.frozen_at,
        frozenBy: r.frozen_by,
        approvedAt: r.approved_at,
        approvedBy: r.approved_by,
      }
    : null;
}

/**
 * Copies the members who have a vote today into the meeting's register, in one statement:
 * membership active (not erased), held since the qualifying date (joined on or before it),
 * and paid (no dues invoice unpaid whose due date is before `paidCutoffOn`, i.e. overdue
 * past the grace days). Returns the number of voters.
 */
export async function insertEligibleVoters(
  db: Db,
  opts: { meetingId: string; qualifyingOn: string | null; paidCutoffOn: string },
): Promise<number> {
  let q = db
    .selectFrom('members')
    .select((eb) => [
      eb.val(opts.meetingId).as('meeting_id'),
      'members.id as member_id',
      'members.member_number',
      'members.name',
    ])
    .where('members.status', '=', 'active')
    .where('members.erased_at', 'is', null)
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom('invoices')
            .select('invoices.id')
            .whereRef('invoices.member_id', '=', 'members.id')
            .where('invoices.kind', '=', 'invoice')
            .where('invoices.purpose', '=', 'dues')
            .where('invoices.settled_at', 'is', null)
            .whereRef('invoices.credited_ore', '<', 'invoices.total_ore')
            .where('invoices.due_date', '<', opts.paidCutoffOn),
        ),
      ),
    );
  if (opts.qualifyingOn)
    q = q
      .where('members.joined_on', 'is not', null)
      .where('members.joined_on', '<=', opts.qualifyingOn);
  const res = await db
    .insertInto('voter_register_entries')
    .columns(['meeting_id', 'member_id', 'member_number', 'name'])
    .expression(q)
    .executeTakeFirst();
  return Number(res.numInsertedOrUpdatedRows ?? 0);
}

/**
 * The founding meeting's register: every attendee it registered (each has a member row,
 * as an applicant until the meeting founds the association). Returns the number.
 */
export async function insertFoundingVoters(db: Db, meetingId: string): Promise<number> {
  const q = db
    .selectFrom('meeting_attendance')
    .innerJoin('members', 'members.id', 'meeting_attendance.member_id')
    .select((eb) => [
      eb.val(meetingId).as('meeting_id'),
      'members.id as member_id',
      'members.member_number',
      'members.name',
    ])
    .where('meeting_attendance.meeting_id', '=', meetingId)
    .where('members.status', '!=', 'excluded')
    .where('members.erased_at', 'is', null);
  const res = await db
    .insertInto('voter_register_entries')
    .columns(['meeting_id', 'member_id', 'member_number', 'name'])
    .expression(q)
    .executeTakeFirst();
  return Number(res.numInsertedOrUpdatedRows ?? 0);
}

/** Adds one voter to a frozen register (an attendee registered at the founding meeting). */
export async function addRegisterEntry(
  db: Db,
  entry: { meetingId: string; memberId: string; memberNumber: number; name: string },
): Promise<void> {
  const res = await db
    .insertInto('voter_register_entries')
    .values({
      meeting_id: entry.meetingId,
      member_id: entry.memberId,
      member_number: entry.memberNumber,
      name: entry.name,
    })
    .onConflict((oc) => oc.doNothing())
    .executeTakeFirst();
  if (Number(res.numInsertedOrUpdatedRows ?? 0) === 0) return;
  await db
    .updateTable('voter_registers')
    .set((eb) => ({ eligible_count: eb('eligible_count', '+', 1) }))
    .where('meeting_id', '=', entry.meetingId)
    .execute();
}

export async function listRegister(db: Db, meetingId: string): Promise<RegisterEntry[]> {
  const rows = await db
    .selectFrom('voter_register_entries')
    .select(['member_id', 'member_number', 'name'])
    .where('meeting_id', '=', meetingId)
    .orderBy('member_number')
    .execute();
  return rows.map((r) => ({ memberId: r.member_id, memberNumber: r.member_number, name: r.name }));
}

export async function isOnRegister(db: Db, meetingId: string, memberId: string): Promise<boolean> {
  const r = await db
    .selectFrom('voter_register_entries')
    .select('member_id')
    .where('meeting_id', '=', meetingId)
    .where('member_id', '=', memberId)
    .executeTakeFirst();
  return !!r;
}

/** Voters on the register who are checked in and have not left, and those they represent. */
export async function countPresent(db: Db, meetingId: string): Promise<number> {
  const r = await db
    .selectFrom('meeting_attendance')
    .innerJoin('voter_register_entries', (j) =>
      j
        .onRef('voter_register_entries.meeting_id', '=', 'meeting_attendance.meeting_id')
        .onRef('voter_register_entries.member_id', '=', 'meeting_attendance.member_id'),
    )
    .select(sql<number>`count(*)`.as('n'))
    .where('meeting_attendance.meeting_id', '=', meetingId)
    .where('meeting_attendance.checked_out_at', 'is', null)
    .executeTakeFirstOrThrow();
  // Members represented by a proxy whose holder is here count as present (docs: Proxies).
  return Number(r.n) + (await countPresentByProxy(db, meetingId));
}

export async function isPresent(db: Db, meetingId: string, memberId: string): Promise<boolean> {
  const r = await db
    .selectFrom('meeting_attendance')
    .select('id')
    .where('meeting_id', '=', meetingId)
    .where('member_id', '=', memberId)
    .where('checked_out_at', 'is', null)
    .executeTakeFirst();
  return !!r;
}

export type Attendee = {
  memberId: string | null;
  memberNumber: number | null;
  name: string;
  method: string;
  checkedInAt: string;
  checkedOutAt: string | null;
  onRegister: boolean;
  email: string | null;
  /** Founding meeting: the attendee joins when the association is founded. */
  wantsMembership: boolean;
};

export async function listAttendance(db: Db, meetingId: string): Promise<Attendee[]> {
  const rows = await db
    .selectFrom('meeting_attendance')
    .leftJoin('voter_register_entries', (j) =>
      j
        .onRef('voter_register_entries.meeting_id', '=', 'meeting_attendance.meeting_id')
        .onRef('voter_register_entries.member_id', '=', 'meeting_attendance.member_id'),
    )
    .leftJoin('members', 'members.id', 'meeting_attendance.member_id')
    .select([
      'meeting_attendance.member_id',
      'members.member_number',
      'meeting_attendance.name',
      'meeting_attendance.method',
      'meeting_attendance.checked_in_at',
      'meeting_attendance.checked_out_at',
      'meeting_attendance.email',
      'meeting_attendance.wants_membership',
      'voter_register_entries.member_id as registered',
    ])
    .where('meeting_attendance.meeting_id', '=', meetingId)
    .orderBy('meeting_attendance.name')
    .execute();
  return rows.map((r) => ({
    memberId: r.member_id,
    memberNumber: r.member_number ?? null,
    name: r.name,
    method: r.method,
    checkedInAt: r.checked_in_at,
    checkedOutAt: r.checked_out_at,
    onRegister: !!r.registered,
    email: r.email,
    wantsMembership: r.wants_membership === 1,
  }));
}
