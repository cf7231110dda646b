import { recordAudit, type Actor } from '../../app/audit.js';
import type { AppContext, CurrentUser } from '../../app/context.js';
import { foundAssociation } from './founding.usecases.js';
import { MeetingErrors } from './meetings.errors.js';
import { isPresent } from './register.repository.js';
import { loadMeetingRow, requireOfficer } from './register.usecases.js';
import { VoteErrors } from './votes.errors.js';

// Running a meeting after it has opened: the chair and secretary it elects, and closing
// it. The same for every kind of meeting (founding, ordinary and extraordinary GA, board).

type Deps = Pick<AppContext, 'db' | 'clock' | 'config' | 'kickOutbox' | 'dialect'>;

/**
 * Records the chair and the secretary the meeting elected as its first item. Both must be
 * present (checked in, or registered at the founding meeting). They can be changed while
 * the meeting runs; each change is audited. Their offices last for this meeting only.
 */
export async function setMeetingOfficers(
  deps: Deps,
  input: { actor: Actor; meetingId: string; chairMemberId: string; secretaryMemberId: string },
): Promise<void> {
  const now = deps.clock.now();
  await deps.db.transaction().execute(async (tx) => {
    const meeting = await loadMeetingRow(tx, input.meetingId);
    if (meeting.status !== 'in_progress') throw MeetingErrors.notInProgress();
    const absent: Record<string, ReturnType<typeof MeetingErrors.officerNotPresent>['messages']> =
      {};
    for (const [field, memberId] of [
      ['chair_member_id', input.chairMemberId],
      ['secretary_member_id', input.secretaryMemberId],
    ] as const)
      if (!(await isPresent(tx, meeting.id, memberId)))
        absent[field] = MeetingErrors.officerNotPresent().messages;
    if (Object.keys(absent).length > 0) throw MeetingErrors.officerNotPresent(undefined, absent);
    await tx
      .updateTable('meetings')
      .set({
        chair_member_id: input.chairMemberId,
        secretary_member_id: input.secretaryMemberId,
        updated_at: now.toISOString(),
      })
      .where('id', '=', meeting.id)
      .execute();
    await recordAudit(tx, {
      actor: input.actor,
      action: 'governance.meeting_officers_set',
      entityType: 'meeting',
      entityId: meeting.id,
      before: { chair: meeting.chairMemberId, secretary: meeting.secretaryMemberId },
      after: { chair: input.chairMemberId, secretary: input.secretaryMemberId },
      at: now,
    });
  });
}

/**
 * Closes the meeting: refused while a vote is still open (the message names it). After
 * this, no check-in, vote or registration is taken. Closing the founding meeting founds
 * the association: the attendees who join become its founding members.
 */
export async function closeMeeting(
  deps: Deps,
  input: { actor: Actor; user: CurrentUser | null; meetingId: string },
): Promise<{ founded: number; notJoined: number }> {
  const now = deps.clock.now();
  const result = await deps.db.transaction().execute(async (tx) => {
    // The meeting row is locked (PostgreSQL) before the open votes are checked, so that a
    // vote being opened at the same moment (openVote locks it too) is either seen here
    // or sees the meeting closed.
    const meeting = await loadMeetingRow(tx, input.meetingId, {
      forUpdate: deps.dialect === 'postgres',
    });
    requireOfficer(input.user, meeting);
    if (meeting.status === 'closed') throw MeetingErrors.alreadyClosed();
    if (meeting.status === 'scheduled') throw VoteErrors.meetingNotStarted();
    if (meeting.status !== 'in_progress') throw VoteErrors.meetingClosed();
    const open = await tx
      .selectFrom('votes')
      .select('subject')
      .where('meeting_id', '=', meeting.id)
      .where('status', '=', 'open')
      .orderBy('created_at')
      .execute();
    if (open.length > 0)
      throw MeetingErrors.votesStillOpen({ votes: open.map((v) => `«${v.subject}»`).join(', ') });
    const res = await tx
      .updateTable('meetings')
      .set({ status: 'closed', closed_at: now.toISOString(), updated_at: now.toISOString() })
      .where('id', '=', meeting.id)
      .where('status', '=', 'in_progress')
      .executeTakeFirst();
    if (Number(res.numUpdatedRows) !== 1) throw MeetingErrors.alreadyClosed();
    // The first board is elected before the founding meeting closes (elections are
    // decided by their own votes); its members are attendees, active from here on.
    const founding =
      meeting.kind === 'founding'
        ? await foundAssociation(tx, {
            meeting,
            actor: input.actor,
            now,
            baseUrl: deps.config.baseUrl,
          })
        : { founded: 0, notJoined: 0 };
    await recordAudit(tx, {
      actor: input.actor,
      action: 'governance.meeting_closed',
      entityType: 'meeting',
      entityId: meeting.id,
      after: {
        kind: meeting.kind,
        ...(meeting.kind === 'founding' ? founding : {}),
      },
      at: now,
    });
    return founding;
  });
  deps.kickOutbox();
  return result;
}
