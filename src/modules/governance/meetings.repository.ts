import type { Selectable } from 'kysely';
import type { Db } from '../../app/db.js';
import type { Locale } from '../../app/errors.js';
import type {
  AgendaItemsTable,
  AgendaKind,
  MeetingFormat,
  MeetingKind,
  MeetingsTable,
  MeetingStatus,
} from './governance.tables.js';

export type Meeting = {
  id: string;
  kind: MeetingKind;
  title: string | null;
  startsAt: string;
  meetingDate: string;
  format: MeetingFormat;
  place: string | null;
  url: string | null;
  description: string | null;
  status: MeetingStatus;
  noticeDays: number;
  proposalDeadlineOn: string | null;
  publicationOn: string | null;
  qualifyingOn: string | null;
  noticeSentAt: string | null;
  cancelledAt: string | null;
  cancelReason: string | null;
  /** The chair and the secretary the meeting elected (members), once recorded. */
  chairMemberId: string | null;
  secretaryMemberId: string | null;
  openedAt: string | null;
  closedAt: string | null;
  createdAt: string;
};

export type AgendaItem = {
  id: string;
  meetingId: string;
  position: number;
  kind: AgendaKind;
  title: string | null;
  description: string | null;
  mandatory: boolean;
};

function toMeeting(r: Selectable<MeetingsTable>): Meeting {
  return {
    id: r.id,
    kind: r.kind,
    title: r.title,
    startsAt: r.starts_at,
    meetingDate: r.meeting_date,
    format: r.format,
    place: r.place,
    url: r.url,
    description: r.description,
    status: r.status,
    noticeDays: r.notice_days,
    proposalDeadlineOn: r.proposal_deadline_on,
    publicationOn: r.publication_on,
    qualifyingOn: r.qualifying_on,
    noticeSentAt: r.notice_sent_at,
    cancelledAt: r.cancelled_at,
    cancelReason: r.cancel_reason,
    chairMemberId: r.chair_member_id,
    secretaryMemberId: r.secretary_member_id,
    openedAt: r.opened_at,
    closedAt: r.closed_at,
    createdAt: r.created_at,
  };
}

function toAgendaItem(r: Selectable<AgendaItemsTable>): AgendaItem {
  return {
    id: r.id,
    meetingId: r.meeting_id,
    position: r.position,
    kind: r.kind,
    title: r.title,
    description: r.description,
    mandatory: r.mandatory === 1,
  };
}

export async function insertMeeting(
  db: Db,
  m: Omit<
    Meeting,
    | 'cancelledAt'
    | 'cancelReason'
    | 'createdAt'
    | 'chairMemberId'
    | 'secretaryMemberId'
    | 'openedAt'
    | 'closedAt'
  > & {
    requestKey: string;
    createdBy: string | null;
  },
  now: Date,
): Promise<void> {
  await db
    .insertInto('meetings')
    .values({
      id: m.id,
      kind: m.kind,
      title: m.title,
      starts_at: m.startsAt,
      meeting_date: m.meetingDate,
      format: m.format,
      place: m.place,
      url: m.url,
      description: m.description,
      status: m.status,
      notice_days: m.noticeDays,
      proposal_deadline_on: m.proposalDeadlineOn,
      publication_on: m.publicationOn,
      qualifying_on: m.qualifyingOn,
      notice_sent_at: m.noticeSentAt,
      request_key: m.requestKey,
      created_by: m.createdBy,
      created_at: now.toISOString(),
      updated_at: now.toISOString(),
    })
    .execute();
}

export async function findMeeting(db: Db, id: string): Promise<Meeting | null> {
  const row = await db.selectFrom('meetings').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? toMeeting(row) : null;
}

export async function findMeetingByRequestKey(db: Db, key: string): Promise<Meeting | null> {
  const row = await db
    .selectFrom('meetings')
    .selectAll()
    .where('request_key', '=', key)
    .executeTakeFirst();
  return row ? toMeeting(row) : null;
}

/** Meetings newest first; board meetings only when asked for. */
export async function listMeetings(
  db: Db,
  opts: { includeBoard: boolean; limit?: number },
): Promise<Meeting[]> {
  let q = db.selectFrom('meetings').selectAll();
  if (!opts.includeBoard) q = q.where('kind', '!=', 'board');
  const rows = await q
    .orderBy('starts_at', 'desc')
    .limit(opts.limit ?? 200)
    .execute();
  return rows.map(toMeeting);
}

export async function cancelMeeting(
  db: Db,
  opts: { id: string; reason: string; now: Date },
): Promise<boolean> {
  const res = await db
    .updateTable('meetings')
    .set({
      status: 'cancelled',
      cancelled_at: opts.now.toISOString(),
      cancel_reason: opts.reason,
      updated_at: opts.now.toISOString(),
    })
    .where('id', '=', opts.id)
    .where('status', '=', 'scheduled')
    .executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}

/** Scheduled meetings whose publication date has come and whose members were not told yet. */
export async function meetingsDueForPublication(db: Db, today: string): Promise<Meeting[]> {
  const rows = await db
    .selectFrom('meetings')
    .selectAll()
    .where('status', '=', 'scheduled')
    .where('publication_on', 'is not', null)
    .where('publication_on', '<=', today)
    .where('meeting_date', '>=', today)
    .where('publication_sent_at', 'is', null)
    .orderBy('starts_at')
    .execute();
  return rows.map(toMeeting);
}

/** Claims the publication of one meeting; false when another run already did it. */
export async function markPublicationSent(db: Db, id: string, now: Date): Promise<boolean> {
  const res = await db
    .updateTable('meetings')
    .set({ publication_sent_at: now.toISOString(), updated_at: now.toISOString() })
    .where('id', '=', id)
    .where('publication_sent_at', 'is', null)
    .executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}

export async function listAgenda(db: Db, meetingId: string): Promise<AgendaItem[]> {
  const rows = await db
    .selectFrom('agenda_items')
    .selectAll()
    .where('meeting_id', '=', meetingId)
    .orderBy('position')
    .orderBy('id')
    .execute();
  return rows.map(toAgendaItem);
}

export async function insertAgendaItems(
  db: Db,
  items: (Omit<AgendaItem, 'mandatory'> & { mandatory: boolean; createdBy: string | null })[],
  now: Date,
): Promise<void> {
  if (items.length === 0) return;
  await db
    .insertInto('agenda_items')
    .values(
      items.map((i) => ({
        id: i.id,
        meeting_id: i.meetingId,
        position: i.position,
        kind: i.kind,
        title: i.title,
        description: i.description,
        mandatory: i.mandatory ? 1 : 0,
        created_at: now.toISOString(),
        created_by: i.createdBy,
      })),
    )
    .execute();
}

export async function setAgendaPositions(
  db: Db,
  items: { id: string; position: number }[],
): Promise<void> {
  for (const i of items)
    await db
      .updateTable('agenda_items')
      .set({ position: i.position })
      .where('id', '=', i.id)
      .execute();
}

export async function deleteAgendaItem(db: Db, id: string): Promise<void> {
  await db
    .updateTable('proposals')
    .set({ agenda_item_id: null })
    .where('agenda_item_id', '=', id)
    .execute();
  await db.deleteFrom('agenda_items').where('id', '=', id).execute();
}

export type NoticeRecipient = {
  memberId: string;
  name: string;
  email: string;
  locale: Locale | null;
};

/**
 * Who gets a meeting's notice by email: every member whose membership has not ended —
 * active, and suspended too (still a member, who may have an appeal on the agenda).
 * Lapsed, resigned and excluded memberships have ended; applicants are not members yet.
 * A board meeting's notice goes to the board only.
 */
export async function noticeRecipients(
  db: Db,
  opts: { boardOnly: boolean; today: string },
): Promise<NoticeRecipient[]> {
  let q = db
    .selectFrom('members')
    .leftJoin('users', 'users.id', 'members.user_id')
    .select(['members.id', 'members.name', 'members.email', 'users.locale'])
    .where('members.email', 'is not', null)
    .where('members.erased_at', 'is', null);
  if (opts.boardOnly) {
    q = q.where('members.status', '=', 'active').where((eb) =>
      eb.exists(
        eb
          .selectFrom('office_terms')
          .select('office_terms.id')
          .whereRef('office_terms.member_id', '=', 'members.id')
          .where('office_terms.office', '=', 'board_member')
          .where('office_terms.starts_on', '<=', opts.today)
          .where((e) =>
            e.or([
              e('office_terms.ends_on', 'is', null),
              e('office_terms.ends_on', '>=', opts.today),
            ]),
          ),
      ),
    );
  } else q = q.where('members.status', 'in', ['active', 'suspended']);
  const rows = await q.orderBy('members.member_number').execute();
  return rows.map((r) => ({
    memberId: r.id,
    name: r.name,
    email: r.email!,
    locale: r.locale === 'en' || r.locale === 'nb' ? r.locale : null,
  }));
}

/** The names of the meeting's chair and secretary, once recorded. */
export async function officerNames(
  db: Db,
  meeting: Pick<Meeting, 'chairMemberId' | 'secretaryMemberId'>,
): Promise<{ chair: string | null; secretary: string | null }> {
  const ids = [meeting.chairMemberId, meeting.secretaryMemberId].filter(
    (id): id is string => id !== null,
  );
  const rows = ids.length
    ? await db.selectFrom('members').select(['id', 'name']).where('id', 'in', ids).execute()
    : [];
  const name = (id: string | null) => rows.find((r) => r.id === id)?.name ?? null;
  return { chair: name(meeting.chairMemberId), secretary: name(meeting.secretaryMemberId) };
}
