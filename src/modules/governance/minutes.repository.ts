import type { Selectable } from 'kysely';
import type { Db } from '../../app/db.js';
import type { Locale } from '../../app/errors.js';
import type {
  MeetingKind,
  MeetingMinutesTable,
  MeetingStatus,
  MinutesConfirmersTable,
  MinutesStatus,
} from './governance.tables.js';

export type Minutes = {
  meetingId: string;
  body: string;
  status: MinutesStatus;
  draftedAt: string;
  draftedBy: string | null;
  updatedAt: string;
  updatedBy: string | null;
  revision: number;
  lockedAt: string | null;
  publishedAt: string | null;
  bodySha256: string | null;
};

export type Confirmer = {
  memberId: string;
  name: string;
  chosenAt: string;
  confirmedAt: string | null;
  confirmedRevision: number | null;
};

function toMinutes(r: Selectable<MeetingMinutesTable>): Minutes {
  return {
    meetingId: r.meeting_id,
    body: r.body,
    status: r.status,
    draftedAt: r.drafted_at,
    draftedBy: r.drafted_by,
    updatedAt: r.updated_at,
    updatedBy: r.updated_by,
    revision: Number(r.revision),
    lockedAt: r.locked_at,
    publishedAt: r.published_at,
    bodySha256: r.body_sha256,
  };
}

function toConfirmer(r: Selectable<MinutesConfirmersTable>): Confirmer {
  return {
    memberId: r.member_id,
    name: r.name,
    chosenAt: r.chosen_at,
    confirmedAt: r.confirmed_at,
    confirmedRevision: r.confirmed_revision === null ? null : Number(r.confirmed_revision),
  };
}

/** The minutes of a meeting; `forUpdate` locks the row (PostgreSQL) for the transaction. */
export async function findMinutes(
  db: Db,
  meetingId: string,
  opts: { forUpdate?: boolean } = {},
): Promise<Minutes | null> {
  let q = db.selectFrom('meeting_minutes').selectAll().where('meeting_id', '=', meetingId);
  if (opts.forUpdate) q = q.forUpdate();
  const r = await q.executeTakeFirst();
  return r ? toMinutes(r) : null;
}

export async function insertMinutes(
  db: Db,
  m: { meetingId: string; body: string; actor: string; now: Date },
): Promise<void> {
  await db
    .insertInto('meeting_minutes')
    .values({
      meeting_id: m.meetingId,
      body: m.body,
      status: 'draft',
      drafted_at: m.now.toISOString(),
      drafted_by: m.actor,
      updated_at: m.now.toISOString(),
      updated_by: m.actor,
      revision: 1,
      locked_at: null,
      published_at: null,
      body_sha256: null,
    })
    .execute();
}

/**
 * Saves a new text over exactly the revision the editor read, while the minutes are a
 * draft; false when another save came first (or the minutes left the draft state).
 */
export async function updateBody(
  db: Db,
  m: { meetingId: string; body: string; revision: number; actor: string; now: Date },
): Promise<boolean> {
  const res = await db
    .updateTable('meeting_minutes')
    .set((eb) => ({
      body: m.body,
      revision: eb('revision', '+', 1),
      updated_at: m.now.toISOString(),
      updated_by: m.actor,
    }))
    .where('meeting_id', '=', m.meetingId)
    .where('revision', '=', m.revision)
    .where('status', '=', 'draft')
    .executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}

/** Moves the minutes from one status to another; false when they were not in `from`. */
export async function setStatus(
  db: Db,
  m: {
    meetingId: string;
    from: MinutesStatus;
    to: MinutesStatus;
    revision?: number;
    actor: string;
    now: Date;
    lock?: { sha256: string };
  },
): Promise<boolean> {
  let q = db
    .updateTable('meeting_minutes')
    .set({
      status: m.to,
      updated_at: m.now.toISOString(),
      updated_by: m.actor,
      ...(m.lock
        ? {
            locked_at: m.now.toISOString(),
            published_at: m.now.toISOString(),
            body_sha256: m.lock.sha256,
          }
        : {}),
    })
    .where('meeting_id', '=', m.meetingId)
    .where('status', '=', m.from);
  if (m.revision !== undefined) q = q.where('revision', '=', m.revision);
  const res = await q.executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}

export async function listConfirmers(db: Db, meetingId: string): Promise<Confirmer[]> {
  const rows = await db
    .selectFrom('minutes_confirmers')
    .selectAll()
    .where('meeting_id', '=', meetingId)
    .orderBy('name')
    .orderBy('member_id')
    .execute();
  return rows.map(toConfirmer);
}

export async function replaceConfirmers(
  db: Db,
  m: { meetingId: string; members: { id: string; name: string }[]; now: Date },
): Promise<void> {
  await db.deleteFrom('minutes_confirmers').where('meeting_id', '=', m.meetingId).execute();
  await db
    .insertInto('minutes_confirmers')
    .values(
      m.members.map((p) => ({
        meeting_id: m.meetingId,
        member_id: p.id,
        name: p.name,
        chosen_at: m.now.toISOString(),
        confirmed_at: null,
        confirmed_revision: null,
      })),
    )
    .execute();
}

export async function clearConfirmations(db: Db, meetingId: string): Promise<void> {
  await db
    .updateTable('minutes_confirmers')
    .set({ confirmed_at: null, confirmed_revision: null })
    .where('meeting_id', '=', meetingId)
    .execute();
}

/** Records one confirmer's confirmation; false when they had already confirmed. */
export async function markConfirmed(
  db: Db,
  m: { meetingId: string; memberId: string; revision: number; now: Date },
): Promise<boolean> {
  const res = await db
    .updateTable('minutes_confirmers')
    .set({ confirmed_at: m.now.toISOString(), confirmed_revision: m.revision })
    .where('meeting_id', '=', m.meetingId)
    .where('member_id', '=', m.memberId)
    .where('confirmed_at', 'is', null)
    .executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}

/**
 * Attendees who may confirm the minutes: they checked in to the meeting (and may have left
 * since) and are members whose membership has not ended.
 */
export async function listEligibleConfirmers(
  db: Db,
  meetingId: string,
): Promise<{ memberId: string; memberNumber: number; name: string }[]> {
  const rows = await db
    .selectFrom('meeting_attendance')
    .innerJoin('members', 'members.id', 'meeting_attendance.member_id')
    .select(['members.id', 'members.member_number', 'members.name'])
    .where('meeting_attendance.meeting_id', '=', meetingId)
    .where('members.status', 'in', ['active', 'suspended'])
    .where('members.erased_at', 'is', null)
    .orderBy('members.name')
    .orderBy('members.member_number')
    .execute();
  return rows.map((r) => ({ memberId: r.id, memberNumber: r.member_number, name: r.name }));
}

export type ArchiveEntry = {
  meetingId: string;
  kind: MeetingKind;
  title: string | null;
  meetingDate: string;
  startsAt: string;
  meetingStatus: MeetingStatus;
  status: MinutesStatus;
  publishedAt: string | null;
};

/** Meetings with minutes, newest meeting first; drafts only when asked for. */
export async function listArchive(
  db: Db,
  opts: { includeDrafts: boolean; limit?: number },
): Promise<ArchiveEntry[]> {
  let q = db
    .selectFrom('meeting_minutes')
    .innerJoin('meetings', 'meetings.id', 'meeting_minutes.meeting_id')
    .select([
      'meetings.id',
      'meetings.kind',
      'meetings.title',
      'meetings.meeting_date',
      'meetings.starts_at',
      'meetings.status as meeting_status',
      'meeting_minutes.status',
      'meeting_minutes.published_at',
    ]);
  if (!opts.includeDrafts) q = q.where('meeting_minutes.status', '=', 'locked');
  const rows = await q
    .orderBy('meetings.starts_at', 'desc')
    .orderBy('meetings.id', 'desc')
    .limit(opts.limit ?? 500)
    .execute();
  return rows.map((r) => ({
    meetingId: r.id,
    kind: r.kind,
    title: r.title,
    meetingDate: r.meeting_date,
    startsAt: r.starts_at,
    meetingStatus: r.meeting_status,
    status: r.status,
    publishedAt: r.published_at,
  }));
}

/** Who is told that minutes are published: every active member with an email address. */
export async function activeMemberRecipients(
  db: Db,
): Promise<{ name: string; email: string; locale: Locale | null }[]> {
  const rows = await db
    .selectFrom('members')
    .leftJoin('users', 'users.id', 'members.user_id')
    .select(['members.name', 'members.email', 'users.locale'])
    .where('members.status', '=', 'active')
    .where('members.email', 'is not', null)
    .where('members.erased_at', 'is', null)
    .orderBy('members.member_number')
    .execute();
  return rows.map((r) => ({
    name: r.name,
    email: r.email!,
    locale: r.locale === 'en' || r.locale === 'nb' ? r.locale : null,
  }));
}

export type ElectedPosition = {
  office: string;
  title: string | null;
  seats: number;
  termMonths: number;
  termStartsOn: string;
  elected: { name: string; votes: number | null; rank: number | null }[];
};

/** Decided elections of a meeting with the candidates elected, by rank. */
export async function listElected(db: Db, meetingId: string): Promise<ElectedPosition[]> {
  const elections = await db
    .selectFrom('elections')
    .select(['id', 'office', 'title', 'seats', 'term_months', 'term_starts_on'])
    .where('meeting_id', '=', meetingId)
    .where('status', '=', 'decided')
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  if (elections.length === 0) return [];
  const candidates = await db
    .selectFrom('election_candidates')
    .select(['election_id', 'name', 'votes', 'rank'])
    .where(
      'election_id',
      'in',
      elections.map((e) => e.id),
    )
    .where('elected', '=', 1)
    .orderBy('rank')
    .orderBy('name')
    .execute();
  return elections.map((e) => ({
    office: e.office,
    title: e.title,
    seats: Number(e.seats),
    termMonths: Number(e.term_months),
    termStartsOn: e.term_starts_on,
    elected: candidates
      .filter((c) => c.election_id === e.id)
      .map((c) => ({
        name: c.name,
        votes: c.votes === null ? null : Number(c.votes),
        rank: c.rank === null ? null : Number(c.rank),
      })),
  }));
}

/** The names of the meeting's chair and secretary. */
export async function officerNames(
  db: Db,
  ids: { chair: string | null; secretary: string | null },
): Promise<{ chair: string | null; secretary: string | null }> {
  const wanted = [ids.chair, ids.secretary].filter((x): x is string => !!x);
  if (wanted.length === 0) return { chair: null, secretary: null };
  const rows = await db
    .selectFrom('members')
    .select(['id', 'name'])
    .where('id', 'in', wanted)
    .execute();
  const name = (id: string | null) => rows.find((r) => r.id === id)?.name ?? null;
  return { chair: name(ids.chair), secretary: name(ids.secretary) };
}
