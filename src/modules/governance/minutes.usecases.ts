import { recordAudit, type Actor } from '../../app/audit.js';
import type { AppContext, CurrentUser } from '../../app/context.js';
import { sha256 } from '../../app/crypto.js';
import type { Db } from '../../app/db.js';
import { enqueueEmails } from '../../app/outbox.js';
import { findAssociation, type Association } from '../association/association.repository.js';
import { isMeetingOfficer, loadMeetingRow, type MeetingRow } from './register.usecases.js';
import { isUniqueViolation } from './meetings.usecases.js';
import { composeMinutes, loadMeetingRecord } from './minutes-draft.js';
import { minutesPublishedMessage } from './minutes.emails.js';
import { MinutesErrors } from './minutes.errors.js';
import {
  activeMemberRecipients,
  clearConfirmations,
  findMinutes,
  insertMinutes,
  listConfirmers,
  listEligibleConfirmers,
  markConfirmed,
  replaceConfirmers,
  setStatus,
  updateBody,
  type Minutes,
} from './minutes.repository.js';

type Deps = Pick<AppContext, 'db' | 'clock' | 'dialect' | 'kickOutbox' | 'config'>;

/** The text as stored and hashed: line ends as the browser may send them become "\n". */
export function normaliseBody(body: string): string {
  return body.replace(/\r\n?/g, '\n');
}

async function requireAssociation(db: Db): Promise<Association> {
  const a = await findAssociation(db);
  if (!a) throw new Error('association missing');
  return a;
}

/** The secretary, the chair and the board (meetings.manage) write the minutes. */
async function requireMinutesOfficer(
  db: Db,
  user: CurrentUser | null,
  meetingId: string,
): Promise<MeetingRow> {
  const meeting = await loadMeetingRow(db, meetingId);
  if (!isMeetingOfficer(user, meeting)) throw MinutesErrors.notOfficer();
  return meeting;
}

/** The minutes, locked for the rest of the transaction on PostgreSQL (SQLite writes one at a time). */
async function lockMinutes(deps: Deps, tx: Db, meetingId: string): Promise<Minutes> {
  const minutes = await findMinutes(tx, meetingId, { forUpdate: deps.dialect === 'postgres' });
  if (!minutes) throw MinutesErrors.notFound();
  return minutes;
}

function requireDraft(minutes: Minutes): void {
  if (minutes.status === 'locked') throw MinutesErrors.locked();
  if (minutes.status !== 'draft') throw MinutesErrors.notDraft();
}

/**
 * Who may see what of a meeting's minutes: officers (secretary, chair, board) everything;
 * the chosen confirmers the text while it awaits them; members the locked minutes.
 */
export async function minutesAccess(
  db: Db,
  user: CurrentUser | null,
  meetingId: string,
): Promise<{ officer: boolean; member: boolean; confirmer: boolean }> {
  const officer = isMeetingOfficer(user, await loadMeetingRow(db, meetingId));
  const member =
    !!user?.memberId && (user.memberStatus === 'active' || user.memberStatus === 'suspended');
  const confirmer =
    !!user?.memberId &&
    (await listConfirmers(db, meetingId)).some((c) => c.memberId === user.memberId);
  return { officer, member, confirmer };
}

/** Whether the meeting page links to the minutes: published ones, or the officers' draft. */
export async function minutesLinkFor(
  db: Db,
  user: CurrentUser | null,
  meeting: { id: string; status: string },
): Promise<boolean> {
  if (!user) return false;
  const access = await minutesAccess(db, user, meeting.id);
  const minutes = await findMinutes(db, meeting.id);
  if (minutes?.status === 'locked') return access.member || access.officer;
  if (access.officer) return meeting.status === 'in_progress' || meeting.status === 'closed';
  return access.confirmer && minutes?.status === 'confirming';
}

/**
 * Writes the first draft from the meeting's record, once the meeting has opened (or
 * closed), in the association's language. One draft per meeting.
 */
export async function draftMinutes(
  deps: Deps,
  input: { actor: Actor; user: CurrentUser | null; meetingId: string },
): Promise<{ minutes: Minutes }> {
  const now = deps.clock.now();
  try {
    return await deps.db.transaction().execute(async (tx) => {
      const meeting = await requireMinutesOfficer(tx, input.user, input.meetingId);
      if (meeting.status !== 'in_progress' && meeting.status !== 'closed')
        throw MinutesErrors.meetingNotHeld();
      if (await findMinutes(tx, meeting.id)) throw MinutesErrors.alreadyDrafted();
      const association = await requireAssociation(tx);
      const record = await loadMeetingRecord(tx, {
        meetingId: meeting.id,
        association: { name: association.name, timeZone: association.timeZone },
      });
      const body = composeMinutes(record, association.defaultLocale);
      await insertMinutes(tx, { meetingId: meeting.id, body, actor: input.actor.label, now });
      await recordAudit(tx, {
        actor: input.actor,
        action: 'governance.minutes_drafted',
        entityType: 'meeting',
        entityId: meeting.id,
        after: { votes: record.votes.length, attendees: record.attendance.length },
        at: now,
      });
      return { minutes: (await findMinutes(tx, meeting.id))! };
    });
  } catch (err) {
    // Two drafts at once: the primary key keeps the first.
    if (isUniqueViolation(err)) throw MinutesErrors.alreadyDrafted();
    throw err;
  }
}

/**
 * Saves the secretary's text over the revision they read. A save over an older revision
 * is refused (the caller shows both texts); locked or sent minutes are never changed.
 */
export async function saveMinutes(
  deps: Deps,
  input: {
    actor: Actor;
    user: CurrentUser | null;
    meetingId: string;
    body: string;
    revision: number;
  },
): Promise<{ minutes: Minutes }> {
  const now = deps.clock.now();
  return deps.db.transaction().execute(async (tx) => {
    await requireMinutesOfficer(tx, input.user, input.meetingId);
    const minutes = await lockMinutes(deps, tx, input.meetingId);
    requireDraft(minutes);
    if (minutes.revision !== input.revision)
      throw MinutesErrors.stale({ revision: minutes.revision });
    const body = normaliseBody(input.body);
    const saved = await updateBody(tx, {
      meetingId: minutes.meetingId,
      body,
      revision: input.revision,
      actor: input.actor.label,
      now,
    });
    if (!saved) {
      const current = (await findMinutes(tx, input.meetingId))!;
      requireDraft(current);
      throw MinutesErrors.stale({ revision: current.revision });
    }
    await recordAudit(tx, {
      actor: input.actor,
      action: 'governance.minutes_edited',
      entityType: 'meeting',
      entityId: minutes.meetingId,
      before: { revision: minutes.revision },
      after: { revision: minutes.revision + 1, length: body.length },
      at: now,
    });
    return { minutes: (await findMinutes(tx, input.meetingId))! };
  });
}

/**
 * Records the two attendees the meeting chose to confirm the minutes (replacing an
 * earlier choice while the minutes are a draft).
 */
export async function chooseConfirmers(
  deps: Deps,
  input: {
    actor: Actor;
    user: CurrentUser | null;
    meetingId: string;
    memberIds: [string, string];
  },
): Promise<void> {
  const now = deps.clock.now();
  await deps.db.transaction().execute(async (tx) => {
    await requireMinutesOfficer(tx, input.user, input.meetingId);
    const minutes = await lockMinutes(deps, tx, input.meetingId);
    requireDraft(minutes);
    const [first, second] = input.memberIds;
    if (first === second)
      throw MinutesErrors.confirmersSame(undefined, {
        second: MinutesErrors.confirmersSame().messages,
      });
    const eligible = await listEligibleConfirmers(tx, input.meetingId);
    const chosen = input.memberIds.map((id) => eligible.find((e) => e.memberId === id));
    chosen.forEach((c, i) => {
      if (!c)
        throw MinutesErrors.confirmerNotAttendee(undefined, {
          [i === 0 ? 'first' : 'second']: MinutesErrors.confirmerNotAttendee().messages,
        });
    });
    const members = chosen.map((c) => ({ id: c!.memberId, name: c!.name }));
    await replaceConfirmers(tx, { meetingId: input.meetingId, members, now });
    await recordAudit(tx, {
      actor: input.actor,
      action: 'governance.minutes_confirmers_chosen',
      entityType: 'meeting',
      entityId: input.meetingId,
      after: { confirmers: members },
      at: now,
    });
  });
}

/** Sends the revision the secretary sees to the confirmers; no editing from then on. */
export async function sendForConfirmation(
  deps: Deps,
  input: { actor: Actor; user: CurrentUser | null; meetingId: string; revision: number },
): Promise<void> {
  const now = deps.clock.now();
  await deps.db.transaction().execute(async (tx) => {
    await requireMinutesOfficer(tx, input.user, input.meetingId);
    const minutes = await lockMinutes(deps, tx, input.meetingId);
    requireDraft(minutes);
    if (minutes.revision !== input.revision)
      throw MinutesErrors.stale({ revision: minutes.revision });
    if ((await listConfirmers(tx, input.meetingId)).length < 2)
      throw MinutesErrors.confirmersNeeded();
    await clearConfirmations(tx, input.meetingId);
    const moved = await setStatus(tx, {
      meetingId: input.meetingId,
      from: 'draft',
      to: 'confirming',
      revision: input.revision,
      actor: input.actor.label,
      now,
    });
    if (!moved) throw MinutesErrors.stale({ revision: minutes.revision });
    await recordAudit(tx, {
      actor: input.actor,
      action: 'governance.minutes_sent_for_confirmation',
      entityType: 'meeting',
      entityId: input.meetingId,
      after: { revision: minutes.revision },
      at: now,
    });
  });
}

/** Takes minutes awaiting confirmation back to draft; the confirmations given are void. */
export async function sendBack(
  deps: Deps,
  input: { actor: Actor; user: CurrentUser | null; meetingId: string },
): Promise<void> {
  const now = deps.clock.now();
  await deps.db.transaction().execute(async (tx) => {
    await requireMinutesOfficer(tx, input.user, input.meetingId);
    const minutes = await lockMinutes(deps, tx, input.meetingId);
    if (minutes.status === 'locked') throw MinutesErrors.locked();
    if (minutes.status !== 'confirming') throw MinutesErrors.notConfirming();
    await setStatus(tx, {
      meetingId: input.meetingId,
      from: 'confirming',
      to: 'draft',
      actor: input.actor.label,
      now,
    });
    await clearConfirmations(tx, input.meetingId);
    await recordAudit(tx, {
      actor: input.actor,
      action: 'governance.minutes_sent_back',
      entityType: 'meeting',
      entityId: input.meetingId,
      after: { revision: minutes.revision },
      at: now,
    });
  });
}

/**
 * A chosen confirmer confirms the revision they read. When the last one does, the minutes
 * are locked (the SHA-256 of the text kept) and every active member is told by email.
 */
export async function confirmMinutes(
  deps: Deps,
  input: { actor: Actor; memberId: string | null; meetingId: string; revision: number },
): Promise<{ locked: boolean }> {
  const now = deps.clock.now();
  const result = await deps.db.transaction().execute(async (tx) => {
    // The row lock makes two confirmations at once take turns, so the last one locks.
    const minutes = await lockMinutes(deps, tx, input.meetingId);
    const confirmers = await listConfirmers(tx, input.meetingId);
    const me = confirmers.find((c) => c.memberId === input.memberId);
    if (!input.memberId || !me) throw MinutesErrors.notConfirmer();
    if (me.confirmedAt) throw MinutesErrors.alreadyConfirmed();
    if (minutes.status === 'locked') throw MinutesErrors.locked();
    if (minutes.status !== 'confirming') throw MinutesErrors.notConfirming();
    if (input.revision !== minutes.revision)
      throw MinutesErrors.revisionChanged({ revision: minutes.revision });
    const marked = await markConfirmed(tx, {
      meetingId: input.meetingId,
      memberId: input.memberId,
      revision: minutes.revision,
      now,
    });
    if (!marked) throw MinutesErrors.alreadyConfirmed();
    await recordAudit(tx, {
      actor: input.actor,
      action: 'governance.minutes_confirmed',
      entityType: 'meeting',
      entityId: input.meetingId,
      after: { revision: minutes.revision, memberId: input.memberId },
      at: now,
    });
    const waiting = confirmers.filter((c) => c.memberId !== input.memberId && !c.confirmedAt);
    if (confirmers.length < 2 || waiting.length > 0) return { locked: false };

    const hash = sha256(minutes.body);
    const locked = await setStatus(tx, {
      meetingId: input.meetingId,
      from: 'confirming',
      to: 'locked',
      revision: minutes.revision,
      actor: input.actor.label,
      now,
      lock: { sha256: hash },
    });
    if (!locked) throw MinutesErrors.revisionChanged({ revision: minutes.revision });
    const association = await requireAssociation(tx);
    const meeting = await tx
      .selectFrom('meetings')
      .select(['title', 'kind', 'meeting_date'])
      .where('id', '=', input.meetingId)
      .executeTakeFirstOrThrow();
    const recipients = await activeMemberRecipients(tx);
    const link = `${deps.config.baseUrl}/meetings/${input.meetingId}/minutes`;
    await enqueueEmails(tx, {
      at: now,
      messages: recipients.map((r) =>
        minutesPublishedMessage({
          to: r.email,
          name: r.name,
          locale: r.locale ?? association.defaultLocale,
          association: association.name,
          meeting: { title: meeting.title, kind: meeting.kind, meetingDate: meeting.meeting_date },
          confirmers: confirmers.map((c) => c.name),
          link,
        }),
      ),
    });
    await recordAudit(tx, {
      actor: input.actor,
      action: 'governance.minutes_published',
      entityType: 'meeting',
      entityId: input.meetingId,
      after: { revision: minutes.revision, sha256: hash, notified: recipients.length },
      at: now,
    });
    return { locked: true };
  });
  if (result.locked) deps.kickOutbox();
  return result;
}
