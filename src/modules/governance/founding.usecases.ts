import { recordAudit, type Actor } from '../../app/audit.js';
import type { AppContext, CurrentUser } from '../../app/context.js';
import { associationYear, formatDate } from '../../app/dates.js';
import type { Db } from '../../app/db.js';
import { nextNumber } from '../../app/counters.js';
import { newId } from '../../app/ids.js';
import { translator } from '../../app/i18n.js';
import {
  countLoginFailures,
  findUserByEmail,
  normaliseEmail,
  recordLoginFailure,
} from '../accounts/accounts.repository.js';
import { findCurrentDocument } from '../association/association.repository.js';
import { mail, moveStatus, recipientOf, scopeOf, type Scope } from '../members/member-status.js';
import {
  findMemberByEmail,
  findMemberById,
  findMemberByUserId,
  insertMember,
  insertStatusChange,
  listMembershipTypes,
  type Member,
} from '../members/members.repository.js';
import { foundingWelcomeMessage } from './founding.emails.js';
import { MeetingErrors } from './meetings.errors.js';
import { addRegisterEntry, findRegister } from './register.repository.js';
import { loadMeetingRow, requireOfficer, type MeetingRow } from './register.usecases.js';
import { VoteErrors } from './votes.errors.js';

// The founding meeting (stiftelsesmøte) is held before there are members. Attendees
// register at the meeting (or beforehand, from the open call); each registration makes a
// member row in status 'applied', because votes, the register and participation all name
// members. Closing the meeting founds the association: attendees who join become active
// founding members dated with the meeting; the others' applications are closed.

type Deps = Pick<AppContext, 'db' | 'clock' | 'config' | 'kickOutbox'>;

/** Self-registration from one address: at most this many tries in the window. */
export const SELF_REGISTRATION_LIMIT = { max: 10, windowMs: 10 * 60 * 1000 };

export type AttendeeInput = { name: string; email: string; wantsMembership: boolean };

/** The membership type attendees join with: the first active personal type. */
async function defaultTypeId(db: Db): Promise<string> {
  const types = await listMembershipTypes(db, { activeOnly: true });
  const type = types.find((t) => !t.isOrganisation) ?? types[0];
  if (!type) throw MeetingErrors.noMembershipType();
  return type.id;
}

/** The applicant row for an attendee: their existing one, or a new one. */
async function applicantFor(
  tx: Db,
  scope: Scope,
  opts: { meeting: MeetingRow; attendee: AttendeeInput; actor: Actor },
): Promise<Member> {
  const { attendee, actor } = opts;
  const existing = await findMemberByEmail(tx, attendee.email);
  if (existing) {
    switch (existing.status) {
      case 'excluded':
        throw MeetingErrors.attendeeExcluded();
      case 'applied':
      case 'active':
      case 'suspended':
        return existing;
      case 'lapsed':
      case 'resigned':
      case 'refused':
        // Applies again at the meeting; the row and member number are kept.
        await moveStatus(tx, scope, {
          member: existing,
          to: 'applied',
          reason: null,
          actor,
          via: 'application',
        });
        return { ...existing, status: 'applied' };
    }
  }
  const t = translator(scope.association.defaultLocale);
  // An account with this address (verified, not yet a member) is linked at once, so the
  // attendee can take part in named and secret votes by logging in.
  const user = await findUserByEmail(tx, attendee.email);
  const userId =
    user && user.emailVerified && !(await findMemberByUserId(tx, user.id)) ? user.id : null;
  const id = newId(scope.now.getTime());
  await insertMember(
    tx,
    {
      id,
      memberNumber: await nextNumber(tx, 'member_number'),
      userId,
      typeId: await defaultTypeId(tx),
      status: 'applied',
      name: attendee.name,
      email: attendee.email,
      phone: null,
      addressLine: null,
      postalCode: null,
      city: null,
      country: null,
      orgNumber: null,
      contactPerson: null,
      applicationNote: t('governance.founding.application_note', {
        date: formatDate(opts.meeting.meetingDate, scope.association.defaultLocale),
      }),
      joinedOn: null,
    },
    scope.now,
  );
  await insertStatusChange(
    tx,
    {
      id: newId(scope.now.getTime()),
      memberId: id,
      from: null,
      to: 'applied',
      actorUserId: actor.userId,
      actorLabel: actor.label,
      reason: null,
    },
    scope.now,
  );
  await recordAudit(tx, {
    actor,
    action: 'members.applied',
    entityType: 'member',
    entityId: id,
    after: { status: 'applied', name: attendee.name, foundingMeetingId: opts.meeting.id },
    at: scope.now,
  });
  const member = await findMemberById(tx, id);
  if (!member) throw new Error('member missing after insert');
  return member;
}

/**
 * Registers an attendee of the founding meeting: by the secretary (or the board) at the
 * meeting, or by the person on the meeting's public page. Before the meeting opens this
 * is a pre-registration (not present); while it runs the attendee is present at once.
 * A pre-registered attendee who registers again at the meeting has arrived. The same
 * address twice while present is refused.
 */
export async function registerAttendee(
  deps: Deps,
  input: {
    actor: Actor;
    user: CurrentUser | null;
    meetingId: string;
    attendee: AttendeeInput;
    via: 'secretary' | 'self';
    ip: string | null;
  },
): Promise<{ memberId: string; present: boolean; arrived: boolean }> {
  const now = deps.clock.now();
  if (input.via === 'self') {
    // Counted in the database (like login failures), so every app instance sees the count;
    // refused tries count too.
    const key = `founding-registration:${input.ip ?? 'unknown'}`;
    const since = new Date(now.getTime() - SELF_REGISTRATION_LIMIT.windowMs);
    if ((await countLoginFailures(deps.db, key, since)) >= SELF_REGISTRATION_LIMIT.max)
      throw MeetingErrors.tooManyRegistrations();
    await recordLoginFailure(deps.db, [key], () => newId(now.getTime()), now);
  }
  const attendee = { ...input.attendee, email: normaliseEmail(input.attendee.email) };
  return deps.db.transaction().execute(async (tx) => {
    const meeting = await loadMeetingRow(tx, input.meetingId);
    if (input.via === 'secretary') requireOfficer(input.user, meeting);
    if (meeting.kind !== 'founding') throw MeetingErrors.notFounding();
    if (meeting.status !== 'scheduled' && meeting.status !== 'in_progress')
      throw VoteErrors.meetingClosed();
    const present = meeting.status === 'in_progress';
    // Online attendees register themselves; in the room the secretary does it.
    if (input.via === 'self' && present && meeting.format === 'physical')
      throw MeetingErrors.selfRegistrationClosed();
    const scope = await scopeOf(tx, now);
    const known = await findMemberByEmail(tx, attendee.email);
    const prior = await tx
      .selectFrom('meeting_attendance')
      .select(['id', 'member_id', 'checked_out_at'])
      .where('meeting_id', '=', meeting.id)
      .where((eb) =>
        known
          ? eb.or([eb('member_id', '=', known.id), eb('email', '=', attendee.email)])
          : eb('email', '=', attendee.email),
      )
      .executeTakeFirst();
    if (prior) {
      if (!present || prior.checked_out_at === null)
        throw MeetingErrors.attendeeRegistered(
          { email: attendee.email },
          {
            email: MeetingErrors.attendeeRegistered({ email: attendee.email }).messages,
          },
        );
      await tx
        .updateTable('meeting_attendance')
        .set({ checked_out_at: null, wants_membership: attendee.wantsMembership ? 1 : 0 })
        .where('id', '=', prior.id)
        .execute();
      await recordAudit(tx, {
        actor: input.actor,
        action: 'governance.attendee_arrived',
        entityType: 'meeting',
        entityId: meeting.id,
        after: { memberId: prior.member_id, via: input.via },
        at: now,
      });
      return { memberId: prior.member_id ?? '', present: true, arrived: true };
    }
    const member = await applicantFor(tx, scope, { meeting, attendee, actor: input.actor });
    await tx
      .insertInto('meeting_attendance')
      .values({
        id: newId(now.getTime()),
        meeting_id: meeting.id,
        member_id: member.id,
        name: attendee.name,
        email: attendee.email,
        method: 'registration',
        checked_in_at: now.toISOString(),
        checked_in_by: input.actor.userId,
        // A pre-registration is not presence: it counts from arrival.
        checked_out_at: present ? null : now.toISOString(),
        wants_membership: attendee.wantsMembership ? 1 : 0,
      })
      .execute();
    if (await findRegister(tx, meeting.id))
      await addRegisterEntry(tx, {
        meetingId: meeting.id,
        memberId: member.id,
        memberNumber: member.memberNumber,
        name: member.name,
      });
    await recordAudit(tx, {
      actor: input.actor,
      action: 'governance.attendee_registered',
      entityType: 'meeting',
      entityId: meeting.id,
      after: {
        memberId: member.id,
        name: attendee.name,
        wantsMembership: attendee.wantsMembership,
        present,
        via: input.via,
      },
      at: now,
    });
    return { memberId: member.id, present, arrived: false };
  });
}

/**
 * Inside the closing transaction: founds the association. Attendees who were there (present
 * at some point after the meeting opened) and want to join become active founding members,
 * joined on the meeting's date, with the year's period from that day; each gets a welcome
 * email with the way to their account. Attendees who do not join have their application
 * closed as refused, with the reason recorded (and no email: they chose not to join). A
 * pre-registered person who never came and wanted to join stays an applicant for the
 * board to decide, like any application.
 */
export async function foundAssociation(
  tx: Db,
  opts: { meeting: MeetingRow; actor: Actor; now: Date; baseUrl: string },
): Promise<{ founded: number; notJoined: number }> {
  const { meeting, actor, now } = opts;
  const base = await scopeOf(tx, now);
  // Membership starts on the meeting's day, even if the meeting closes after midnight.
  const scope: Scope = {
    ...base,
    today: meeting.meetingDate,
    year: associationYear(meeting.meetingDate, base.association.yearStartMonth),
  };
  const t = translator(base.association.defaultLocale);
  const openedAt = meeting.openedAt ?? now.toISOString();
  const rows = await tx
    .selectFrom('meeting_attendance')
    .innerJoin('members', 'members.id', 'meeting_attendance.member_id')
    .select([
      'members.id as member_id',
      'meeting_attendance.wants_membership',
      'meeting_attendance.checked_out_at',
    ])
    .where('meeting_attendance.meeting_id', '=', meeting.id)
    .where('members.status', '=', 'applied')
    .orderBy('members.member_number')
    .execute();
  let founded = 0;
  let notJoined = 0;
  for (const row of rows) {
    const attended = row.checked_out_at === null || row.checked_out_at >= openedAt;
    const member = await findMemberById(tx, row.member_id);
    if (!member) continue;
    if (row.wants_membership === 1 && attended) {
      await moveStatus(tx, scope, { member, to: 'active', reason: null, actor, via: 'approval' });
      await tx
        .updateTable('members')
        .set({ founding_meeting_id: meeting.id, updated_at: now.toISOString() })
        .where('id', '=', member.id)
        .execute();
      await recordAudit(tx, {
        actor,
        action: 'members.approved',
        entityType: 'member',
        entityId: member.id,
        before: { status: 'applied' },
        after: { status: 'active', joinedOn: meeting.meetingDate, foundingMeetingId: meeting.id },
        at: now,
      });
      const to = await recipientOf(tx, scope, member);
      if (to)
        await mail(
          tx,
          scope,
          foundingWelcomeMessage({
            ...to,
            memberNumber: member.memberNumber,
            hasAccount: member.userId !== null,
            link: `${opts.baseUrl}${member.userId ? '/membership' : '/signup'}`,
          }),
        );
      founded++;
    } else if (row.wants_membership === 0) {
      const reason = t('governance.founding.not_joined_reason');
      await moveStatus(tx, scope, { member, to: 'refused', reason, actor, via: 'approval' });
      await recordAudit(tx, {
        actor,
        action: 'members.refused',
        entityType: 'member',
        entityId: member.id,
        before: { status: 'applied' },
        after: { status: 'refused', reason },
        at: now,
      });
      notJoined++;
    }
  }
  return { founded, notJoined };
}

/**
 * Inside the transaction that closes a vote: when the founding meeting passes the vote
 * on its statutes item, the draft statutes and AUP become the adopted ones — each current
 * draft version is dated with the meeting (its text is what the meeting had before it, so
 * no new version with the same text is made). Nothing happens for any other vote.
 */
export async function adoptStatutesAtFounding(
  tx: Db,
  opts: {
    vote: { id: string; agendaItemId: string | null };
    outcome: string;
    actor: Actor;
    now: Date;
  },
): Promise<void> {
  if (opts.outcome !== 'passed' || !opts.vote.agendaItemId) return;
  const item = await tx
    .selectFrom('agenda_items')
    .innerJoin('meetings', 'meetings.id', 'agenda_items.meeting_id')
    .select(['agenda_items.kind', 'meetings.id as meeting_id', 'meetings.kind as meeting_kind'])
    .select('meetings.meeting_date')
    .where('agenda_items.id', '=', opts.vote.agendaItemId)
    .executeTakeFirst();
  if (!item || item.kind !== 'statutes_adoption' || item.meeting_kind !== 'founding') return;
  // The item covers the statutes and the Acceptable Usage Policy.
  for (const kind of ['statutes', 'aup'] as const) {
    const draft = await findCurrentDocument(tx, kind);
    if (!draft || draft.adoptedOn) continue;
    await tx
      .updateTable('documents')
      .set({
        adopted_on: item.meeting_date,
        adopted_note: 'Adopted by the founding meeting',
        adopted_at_meeting_id: item.meeting_id,
      })
      .where('id', '=', draft.id)
      .where('adopted_on', 'is', null)
      .execute();
    await recordAudit(tx, {
      actor: opts.actor,
      action: 'governance.document_adopted',
      entityType: 'document',
      entityId: draft.id,
      after: {
        kind,
        version: draft.version,
        adoptedOn: item.meeting_date,
        meetingId: item.meeting_id,
        voteId: opts.vote.id,
      },
      at: opts.now,
    });
  }
}
