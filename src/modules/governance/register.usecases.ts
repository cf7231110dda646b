import { recordAudit, type Actor } from '../../app/audit.js';
import type { AppContext, CurrentUser } from '../../app/context.js';
import { addDays, formatDate, todayIn } from '../../app/dates.js';
import type { Db } from '../../app/db.js';
import { newId } from '../../app/ids.js';
import { findAssociation } from '../association/association.repository.js';
import { DEFAULT_BILLING_SETTINGS } from '../billing/billing-settings.repository.js';
import { GovernanceErrors } from './governance.errors.js';
import type { MeetingFormat, MeetingKind } from './governance.tables.js';
import { isUniqueViolation } from './meetings.usecases.js';
import { revokeOnCheckIn } from './proxies.usecases.js';
import {
  countPresent,
  findRegister,
  insertEligibleVoters,
  insertFoundingVoters,
  isOnRegister,
  type VoterRegister,
} from './register.repository.js';
import { VoteErrors } from './votes.errors.js';

type Deps = Pick<AppContext, 'db' | 'clock'>;

export type MeetingRow = {
  id: string;
  kind: MeetingKind;
  format: MeetingFormat;
  status: string;
  meetingDate: string;
  qualifyingOn: string | null;
  chairMemberId: string | null;
  secretaryMemberId: string | null;
  openedAt: string | null;
};

/**
 * The meeting's row. `forUpdate` locks it (PostgreSQL) for the transaction, so that
 * use-cases that depend on the meeting's status (opening a vote, closing the meeting)
 * run one after the other; SQLite's write transactions are serial already.
 */
export async function loadMeetingRow(
  db: Db,
  id: string,
  opts: { forUpdate?: boolean } = {},
): Promise<MeetingRow> {
  let q = db
    .selectFrom('meetings')
    .select([
      'id',
      'kind',
      'format',
      'status',
      'meeting_date',
      'qualifying_on',
      'chair_member_id',
      'secretary_member_id',
      'opened_at',
    ])
    .where('id', '=', id);
  if (opts.forUpdate) q = q.forUpdate();
  const m = await q.executeTakeFirst();
  if (!m) throw GovernanceErrors.meetingNotFound();
  return {
    id: m.id,
    kind: m.kind,
    format: m.format,
    status: m.status,
    meetingDate: m.meeting_date,
    qualifyingOn: m.qualifying_on,
    chairMemberId: m.chair_member_id,
    secretaryMemberId: m.secretary_member_id,
    openedAt: m.opened_at,
  };
}

/** The board, and the meeting's chair and secretary, run the register and the votes. */
export function isMeetingOfficer(
  user: CurrentUser | null,
  meeting: Pick<MeetingRow, 'chairMemberId' | 'secretaryMemberId'>,
): boolean {
  if (!user) return false;
  if (user.permissions.has('meetings.manage')) return true;
  return (
    !!user.memberId &&
    (user.memberId === meeting.chairMemberId || user.memberId === meeting.secretaryMemberId)
  );
}

export function requireOfficer(
  user: CurrentUser | null,
  meeting: Pick<MeetingRow, 'chairMemberId' | 'secretaryMemberId'>,
): void {
  if (!isMeetingOfficer(user, meeting)) throw VoteErrors.notOfficer();
}

async function today(db: Db, now: Date): Promise<{ today: string; graceDays: number }> {
  const a = await findAssociation(db);
  const s = await db.selectFrom('billing_settings').select('grace_days').executeTakeFirst();
  return {
    today: todayIn(a?.timeZone ?? 'Europe/Oslo', now),
    graceDays: s?.grace_days ?? DEFAULT_BILLING_SETTINGS.graceDays,
  };
}

/** Freezes the register inside the caller's transaction; returns it (made or already there). */
async function freezeIn(
  tx: Db,
  opts: { meeting: MeetingRow; actor: Actor | null; now: Date },
): Promise<{ register: VoterRegister; frozen: boolean }> {
  const existing = await findRegister(tx, opts.meeting.id);
  if (existing) return { register: existing, frozen: false };
  const { today: day, graceDays } = await today(tx, opts.now);
  const paidCutoffOn = addDays(day, -graceDays);
  try {
    await tx
      .insertInto('voter_registers')
      .values({
        meeting_id: opts.meeting.id,
        qualifying_on: opts.meeting.qualifyingOn,
        paid_cutoff_on: paidCutoffOn,
        eligible_count: 0,
        frozen_at: opts.now.toISOString(),
        frozen_by: opts.actor?.label ?? null,
        approved_at: null,
        approved_by: null,
      })
      .execute();
  } catch (err) {
    if (isUniqueViolation(err)) throw VoteErrors.registerFrozen();
    throw err;
  }
  // The founding meeting has no members yet: its voters are the attendees it registered
  // (no qualifying period, no dues); attendees registered later join the register then.
  const count =
    opts.meeting.kind === 'founding'
      ? await insertFoundingVoters(tx, opts.meeting.id)
      : await insertEligibleVoters(tx, {
          meetingId: opts.meeting.id,
          qualifyingOn: opts.meeting.qualifyingOn,
          paidCutoffOn,
        });
  await tx
    .updateTable('voter_registers')
    .set({ eligible_count: count })
    .where('meeting_id', '=', opts.meeting.id)
    .execute();
  await recordAudit(tx, {
    actor: opts.actor ?? { userId: null, label: 'system' },
    action: 'governance.register_frozen',
    entityType: 'meeting',
    entityId: opts.meeting.id,
    after: { eligible: count, qualifyingOn: opts.meeting.qualifyingOn, paidCutoffOn },
    at: opts.now,
  });
  return { register: (await findRegister(tx, opts.meeting.id))!, frozen: true };
}

/** The board freezes the register on demand (before or at the meeting). */
export async function freezeRegister(
  deps: Deps,
  input: { actor: Actor; meetingId: string },
): Promise<{ register: VoterRegister }> {
  const now = deps.clock.now();
  return deps.db.transaction().execute(async (tx) => {
    const meeting = await loadMeetingRow(tx, input.meetingId);
    if (meeting.status === 'closed' || meeting.status === 'cancelled')
      throw VoteErrors.meetingClosed();
    const { register, frozen } = await freezeIn(tx, { meeting, actor: input.actor, now });
    if (!frozen) throw VoteErrors.registerFrozen();
    return { register };
  });
}

/** The chair approves the register as the first item; recorded with who and when. */
export async function approveRegister(
  deps: Deps,
  input: { actor: Actor; user: CurrentUser | null; meetingId: string },
): Promise<void> {
  const now = deps.clock.now();
  await deps.db.transaction().execute(async (tx) => {
    const meeting = await loadMeetingRow(tx, input.meetingId);
    requireOfficer(input.user, meeting);
    const register = await findRegister(tx, meeting.id);
    if (!register) throw VoteErrors.registerNotFrozen();
    if (register.approvedAt) throw VoteErrors.registerApproved();
    await tx
      .updateTable('voter_registers')
      .set({ approved_at: now.toISOString(), approved_by: input.actor.label })
      .where('meeting_id', '=', meeting.id)
      .where('approved_at', 'is', null)
      .execute();
    await recordAudit(tx, {
      actor: input.actor,
      action: 'governance.register_approved',
      entityType: 'meeting',
      entityId: meeting.id,
      after: { eligible: register.eligibleCount },
      at: now,
    });
  });
}

/** Opens the meeting on its day: check-in and votes start; the register freezes if it was not. */
export async function openMeeting(
  deps: Deps,
  input: { actor: Actor; meetingId: string; locale: 'nb' | 'en' },
): Promise<void> {
  const now = deps.clock.now();
  await deps.db.transaction().execute(async (tx) => {
    const meeting = await loadMeetingRow(tx, input.meetingId);
    if (meeting.status === 'in_progress') return;
    if (meeting.status !== 'scheduled') throw VoteErrors.meetingClosed();
    const { today: day } = await today(tx, now);
    if (day < meeting.meetingDate)
      throw VoteErrors.meetingTooEarly({
        date: formatDate(meeting.meetingDate, input.locale),
      });
    await tx
      .updateTable('meetings')
      .set({ status: 'in_progress', opened_at: now.toISOString(), updated_at: now.toISOString() })
      .where('id', '=', meeting.id)
      .where('status', '=', 'scheduled')
      .execute();
    await freezeIn(tx, { meeting, actor: null, now });
    await recordAudit(tx, {
      actor: input.actor,
      action: 'governance.meeting_opened',
      entityType: 'meeting',
      entityId: meeting.id,
      at: now,
    });
  });
}

async function checkInIn(
  tx: Db,
  opts: {
    meeting: MeetingRow;
    member: { id: string; name: string; email: string | null };
    method: 'self' | 'secretary';
    actor: Actor;
    now: Date;
  },
): Promise<void> {
  // A member who comes in person votes themselves: their proxy, if any, ends now.
  await revokeOnCheckIn(tx, {
    meetingId: opts.meeting.id,
    memberId: opts.member.id,
    actor: opts.actor,
    now: opts.now,
  });
  const existing = await tx
    .selectFrom('meeting_attendance')
    .select(['id', 'checked_out_at'])
    .where('meeting_id', '=', opts.meeting.id)
    .where('member_id', '=', opts.member.id)
    .executeTakeFirst();
  if (existing) {
    if (existing.checked_out_at)
      await tx
        .updateTable('meeting_attendance')
        .set({ checked_out_at: null })
        .where('id', '=', existing.id)
        .execute();
    return;
  }
  // A double click racing this one: the unique index keeps one row, without an error.
  await tx
    .insertInto('meeting_attendance')
    .values({
      id: newId(opts.now.getTime()),
      meeting_id: opts.meeting.id,
      member_id: opts.member.id,
      name: opts.member.name,
      email: opts.member.email,
      method: opts.method,
      checked_in_at: opts.now.toISOString(),
      checked_in_by: opts.actor.userId,
      checked_out_at: null,
      wants_membership: 0,
    })
    .onConflict((oc) => oc.doNothing())
    .execute();
  await recordAudit(tx, {
    actor: opts.actor,
    action: 'governance.checked_in',
    entityType: 'meeting',
    entityId: opts.meeting.id,
    after: { memberId: opts.member.id, method: opts.method },
    at: opts.now,
  });
}

export function requireInProgress(meeting: MeetingRow): void {
  if (meeting.status === 'scheduled') throw VoteErrors.meetingNotStarted();
  if (meeting.status !== 'in_progress') throw VoteErrors.meetingClosed();
}

/** A member on the register checks in online while the meeting is in progress. */
export async function selfCheckIn(
  deps: Deps,
  input: { actor: Actor; memberId: string | null; meetingId: string; locale: 'nb' | 'en' },
): Promise<{ present: number }> {
  const now = deps.clock.now();
  return deps.db.transaction().execute(async (tx) => {
    if (!input.memberId) throw VoteErrors.notAMember();
    const meeting = await loadMeetingRow(tx, input.meetingId);
    requireInProgress(meeting);
    if (!(await isOnRegister(tx, meeting.id, input.memberId)))
      throw VoteErrors.notOnRegister({
        date: meeting.qualifyingOn ? formatDate(meeting.qualifyingOn, input.locale) : '–',
      });
    const member = await tx
      .selectFrom('members')
      .select(['id', 'name', 'email'])
      .where('id', '=', input.memberId)
      .executeTakeFirstOrThrow();
    await checkInIn(tx, { meeting, member, method: 'self', actor: input.actor, now });
    return { present: await countPresent(tx, meeting.id) };
  });
}

/** The secretary checks a member in (or out) in the room, by member number. */
export async function secretaryCheckIn(
  deps: Deps,
  input: {
    actor: Actor;
    user: CurrentUser | null;
    meetingId: string;
    memberNumber: number;
    out?: boolean;
  },
): Promise<{ present: number }> {
  const now = deps.clock.now();
  return deps.db.transaction().execute(async (tx) => {
    const meeting = await loadMeetingRow(tx, input.meetingId);
    requireOfficer(input.user, meeting);
    requireInProgress(meeting);
    const entry = await tx
      .selectFrom('voter_register_entries')
      .innerJoin('members', 'members.id', 'voter_register_entries.member_id')
      .select(['members.id', 'members.name', 'members.email'])
      .where('voter_register_entries.meeting_id', '=', meeting.id)
      .where('voter_register_entries.member_number', '=', input.memberNumber)
      .executeTakeFirst();
    if (!entry) throw VoteErrors.memberNotOnRegister({ number: input.memberNumber });
    if (input.out) {
      await tx
        .updateTable('meeting_attendance')
        .set({ checked_out_at: now.toISOString() })
        .where('meeting_id', '=', meeting.id)
        .where('member_id', '=', entry.id)
        .where('checked_out_at', 'is', null)
        .execute();
      await recordAudit(tx, {
        actor: input.actor,
        action: 'governance.checked_out',
        entityType: 'meeting',
        entityId: meeting.id,
        after: { memberId: entry.id },
        at: now,
      });
    } else
      await checkInIn(tx, { meeting, member: entry, method: 'secretary', actor: input.actor, now });
    return { present: await countPresent(tx, meeting.id) };
  });
}
