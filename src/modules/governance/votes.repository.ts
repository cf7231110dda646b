import { sql, type Selectable } from 'kysely';
import type { Db } from '../../app/db.js';
import type { Tally } from './votes-majority.js';
import type {
  MajorityRule,
  VoteKind,
  VoteOutcome,
  VotesTable,
  VoteStatus,
} from './votes.tables.js';

export type Vote = {
  id: string;
  meetingId: string;
  agendaItemId: string | null;
  proposalId: string | null;
  electionRef: string | null;
  subject: string;
  kind: VoteKind;
  options: string[];
  rule: MajorityRule;
  majority: { numerator: number; denominator: number; base: 'present' | 'cast' };
  status: VoteStatus;
  voteDate: string;
  openedAt: string | null;
  closedAt: string | null;
  presentCount: number | null;
  result: Tally | null;
  outcome: VoteOutcome | null;
};

export function toVote(r: Selectable<VotesTable>): Vote {
  return {
    id: r.id,
    meetingId: r.meeting_id,
    agendaItemId: r.agenda_item_id,
    proposalId: r.proposal_id,
    electionRef: r.election_ref,
    subject: r.subject,
    kind: r.kind,
    options: JSON.parse(r.options) as string[],
    rule: r.rule,
    majority: {
      numerator: r.majority_numerator,
      denominator: r.majority_denominator,
      base: r.majority_base,
    },
    status: r.status,
    voteDate: r.vote_date,
    openedAt: r.opened_at,
    closedAt: r.closed_at,
    presentCount: r.present_count,
    result: r.result ? (JSON.parse(r.result) as Tally) : null,
    outcome: r.outcome,
  };
}

export async function findVote(db: Db, meetingId: string, id: string): Promise<Vote | null> {
  const r = await db
    .selectFrom('votes')
    .selectAll()
    .where('id', '=', id)
    .where('meeting_id', '=', meetingId)
    .executeTakeFirst();
  return r ? toVote(r) : null;
}

export async function listVotes(db: Db, meetingId: string): Promise<Vote[]> {
  const rows = await db
    .selectFrom('votes')
    .selectAll()
    .where('meeting_id', '=', meetingId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  return rows.map(toVote);
}

export async function countParticipation(db: Db, voteId: string): Promise<number> {
  const r = await db
    .selectFrom('vote_participation')
    .select(sql<number>`count(*)`.as('n'))
    .where('vote_id', '=', voteId)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

export async function hasVoted(db: Db, voteId: string, memberId: string): Promise<boolean> {
  const r = await db
    .selectFrom('vote_participation')
    .select('member_id')
    .where('vote_id', '=', voteId)
    .where('member_id', '=', memberId)
    .executeTakeFirst();
  return !!r;
}

/** Who has voted, by name (for the officers): never what. */
export async function listParticipants(
  db: Db,
  voteId: string,
): Promise<{ memberNumber: number; name: string }[]> {
  const rows = await db
    .selectFrom('vote_participation')
    .innerJoin('members', 'members.id', 'vote_participation.member_id')
    .select(['members.member_number', 'members.name'])
    .where('vote_participation.vote_id', '=', voteId)
    .orderBy('members.member_number')
    .execute();
  return rows.map((r) => ({ memberNumber: r.member_number, name: r.name }));
}

/** A named vote's record: who voted what. */
export async function listNamedVotes(
  db: Db,
  voteId: string,
): Promise<{ memberNumber: number; name: string; choice: string }[]> {
  const rows = await db
    .selectFrom('named_votes')
    .innerJoin('members', 'members.id', 'named_votes.member_id')
    .select(['members.member_number', 'members.name', 'named_votes.choice'])
    .where('named_votes.vote_id', '=', voteId)
    .orderBy('members.member_number')
    .execute();
  return rows.map((r) => ({ memberNumber: r.member_number, name: r.name, choice: r.choice }));
}

export async function countSecretRequests(db: Db, voteId: string): Promise<number> {
  const r = await db
    .selectFrom('vote_secret_requests')
    .select(sql<number>`count(*)`.as('n'))
    .where('vote_id', '=', voteId)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}
