import type { Selectable } from 'kysely';
import type { Db } from '../../app/db.js';
import type { Office } from '../members/members.tables.js';
import type {
  ElectionCandidatesTable,
  ElectionsTable,
  ElectionStatus,
} from './governance.tables.js';

export type Election = {
  id: string;
  meetingId: string;
  agendaItemId: string | null;
  office: Office;
  title: string | null;
  seats: number;
  termMonths: number;
  termStartsOn: string;
  status: ElectionStatus;
  voteId: string | null;
  decidedAt: string | null;
  createdAt: string;
};

export type Candidate = {
  id: string;
  electionId: string;
  memberId: string;
  memberNumber: number;
  name: string;
  statement: string | null;
  /** The member id of who nominated (null: registered in the room by an officer). */
  nominatedBy: string | null;
  selfNominated: boolean;
  acceptedAt: string | null;
  withdrawnAt: string | null;
  votes: number | null;
  elected: boolean;
  rank: number | null;
  officeTermId: string | null;
  createdAt: string;
};

/** A candidate who stands: accepted and not withdrawn. */
export const isStanding = (c: Candidate) => !!c.acceptedAt && !c.withdrawnAt;

function toElection(r: Selectable<ElectionsTable>): Election {
  return {
    id: r.id,
    meetingId: r.meeting_id,
    agendaItemId: r.agenda_item_id,
    office: r.office as Office,
    title: r.title,
    seats: r.seats,
    termMonths: r.term_months,
    termStartsOn: r.term_starts_on,
    status: r.status,
    voteId: r.vote_id,
    decidedAt: r.decided_at,
    createdAt: r.created_at,
  };
}

export async function insertElection(
  db: Db,
  e: {
    id: string;
    meetingId: string;
    agendaItemId: string | null;
    office: Office;
    title: string | null;
    seats: number;
    termMonths: number;
    termStartsOn: string;
    requestKey: string;
    createdBy: string | null;
  },
  now: Date,
): Promise<void> {
  await db
    .insertInto('elections')
    .values({
      id: e.id,
      meeting_id: e.meetingId,
      agenda_item_id: e.agendaItemId,
      office: e.office,
      title: e.title,
      seats: e.seats,
      term_months: e.termMonths,
      term_starts_on: e.termStartsOn,
      status: 'nominating',
      vote_id: null,
      decided_at: null,
      request_key: e.requestKey,
      created_by: e.createdBy,
      created_at: now.toISOString(),
    })
    .execute();
}

export async function listElections(db: Db, meetingId: string): Promise<Election[]> {
  const rows = await db
    .selectFrom('elections')
    .selectAll()
    .where('meeting_id', '=', meetingId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  return rows.map(toElection);
}

export async function findElection(
  db: Db,
  meetingId: string,
  id: string,
): Promise<Election | null> {
  const r = await db
    .selectFrom('elections')
    .selectAll()
    .where('id', '=', id)
    .where('meeting_id', '=', meetingId)
    .executeTakeFirst();
  return r ? toElection(r) : null;
}

export async function findElectionById(db: Db, id: string): Promise<Election | null> {
  const r = await db.selectFrom('elections').selectAll().where('id', '=', id).executeTakeFirst();
  return r ? toElection(r) : null;
}

export async function findElectionByRequestKey(db: Db, key: string): Promise<Election | null> {
  const r = await db
    .selectFrom('elections')
    .selectAll()
    .where('request_key', '=', key)
    .executeTakeFirst();
  return r ? toElection(r) : null;
}

function toCandidate(
  r: Selectable<ElectionCandidatesTable> & { member_number: number },
): Candidate {
  return {
    id: r.id,
    electionId: r.election_id,
    memberId: r.member_id,
    memberNumber: r.member_number,
    name: r.name,
    statement: r.statement,
    nominatedBy: r.nominated_by,
    selfNominated: r.self_nominated === 1,
    acceptedAt: r.accepted_at,
    withdrawnAt: r.withdrawn_at,
    votes: r.votes,
    elected: r.elected === 1,
    rank: r.rank,
    officeTermId: r.office_term_id,
    createdAt: r.created_at,
  };
}

function candidates(db: Db) {
  return db
    .selectFrom('election_candidates')
    .innerJoin('members', 'members.id', 'election_candidates.member_id')
    .selectAll('election_candidates')
    .select('members.member_number');
}

/** Every nomination of an election (also declined and withdrawn ones), in nomination order. */
export async function listCandidates(db: Db, electionId: string): Promise<Candidate[]> {
  const rows = await candidates(db)
    .where('election_candidates.election_id', '=', electionId)
    .orderBy('election_candidates.created_at')
    .orderBy('election_candidates.id')
    .execute();
  return rows.map(toCandidate);
}

export async function findCandidate(
  db: Db,
  electionId: string,
  id: string,
): Promise<Candidate | null> {
  const r = await candidates(db)
    .where('election_candidates.election_id', '=', electionId)
    .where('election_candidates.id', '=', id)
    .executeTakeFirst();
  return r ? toCandidate(r) : null;
}

export async function findCandidacy(
  db: Db,
  electionId: string,
  memberId: string,
): Promise<Candidate | null> {
  const r = await candidates(db)
    .where('election_candidates.election_id', '=', electionId)
    .where('election_candidates.member_id', '=', memberId)
    .executeTakeFirst();
  return r ? toCandidate(r) : null;
}

export async function insertCandidate(
  db: Db,
  c: {
    id: string;
    electionId: string;
    memberId: string;
    name: string;
    statement: string | null;
    nominatedBy: string | null;
    selfNominated: boolean;
    accepted: boolean;
  },
  now: Date,
): Promise<void> {
  await db
    .insertInto('election_candidates')
    .values({
      id: c.id,
      election_id: c.electionId,
      member_id: c.memberId,
      name: c.name,
      statement: c.statement,
      nominated_by: c.nominatedBy,
      self_nominated: c.selfNominated ? 1 : 0,
      accepted_at: c.accepted ? now.toISOString() : null,
      withdrawn_at: null,
      votes: null,
      elected: 0,
      rank: null,
      office_term_id: null,
      created_at: now.toISOString(),
    })
    .execute();
}

/** A member by number, for nominating: id, name, status. */
export async function findMemberForNomination(
  db: Db,
  memberNumber: number,
): Promise<{ id: string; name: string; status: string } | null> {
  const r = await db
    .selectFrom('members')
    .select(['id', 'name', 'status'])
    .where('member_number', '=', memberNumber)
    .where('erased_at', 'is', null)
    .executeTakeFirst();
  return r ?? null;
}

/**
 * Whether a member may stand (and nominate) at a meeting. A founding meeting has no
 * register: anyone checked in with a member row counts. Otherwise the frozen register
 * decides; before it is frozen, a provisional check by the same rule (active, a member
 * since the qualifying date) — the register is checked again when the vote starts.
 */
export async function isEligibleAt(
  db: Db,
  meeting: { id: string; kind: string; qualifyingOn: string | null },
  memberId: string,
): Promise<boolean> {
  if (meeting.kind === 'founding') {
    const a = await db
      .selectFrom('meeting_attendance')
      .select('id')
      .where('meeting_id', '=', meeting.id)
      .where('member_id', '=', memberId)
      .where('checked_out_at', 'is', null)
      .executeTakeFirst();
    return !!a;
  }
  const frozen = await db
    .selectFrom('voter_registers')
    .select('meeting_id')
    .where('meeting_id', '=', meeting.id)
    .executeTakeFirst();
  if (frozen) {
    const e = await db
      .selectFrom('voter_register_entries')
      .select('member_id')
      .where('meeting_id', '=', meeting.id)
      .where('member_id', '=', memberId)
      .executeTakeFirst();
    return !!e;
  }
  let q = db
    .selectFrom('members')
    .select('id')
    .where('id', '=', memberId)
    .where('status', '=', 'active')
    .where('erased_at', 'is', null);
  if (meeting.qualifyingOn)
    q = q.where('joined_on', 'is not', null).where('joined_on', '<=', meeting.qualifyingOn);
  return !!(await q.executeTakeFirst());
}

/** Board seats held past `until` (terms that do not end before it), for standard elections. */
export async function countBoardSeatsHeldPast(
  db: Db,
  opts: { on: string; until: string },
): Promise<number> {
  const rows = await db
    .selectFrom('office_terms')
    .innerJoin('members', 'members.id', 'office_terms.member_id')
    .select('office_terms.id')
    .where('office_terms.office', '=', 'board_member')
    .where('members.status', '=', 'active')
    .where('office_terms.starts_on', '<=', opts.on)
    .where((eb) =>
      eb.or([eb('office_terms.ends_on', 'is', null), eb('office_terms.ends_on', '>=', opts.until)]),
    )
    .execute();
  return rows.length;
}
