import { randomInt } from 'node:crypto';
import { recordAudit, type Actor } from '../../app/audit.js';
import type { CurrentUser } from '../../app/context.js';
import type { Db } from '../../app/db.js';
import { completeElection, rankCandidates } from './elections-count.js';
import { ElectionErrors } from './elections.errors.js';
import {
  isStanding,
  listCandidates,
  type Candidate,
  type Election,
} from './elections.repository.js';
import {
  officerElection,
  requireElection,
  requireOnRegister,
  type Deps,
} from './elections.usecases.js';
import { loadMeetingRow, requireOfficer, type MeetingRow } from './register.usecases.js';
import { BLANK } from './votes-majority.js';
import { VoteErrors } from './votes.errors.js';
import { findVote, type Vote } from './votes.repository.js';
import { closeVote, createVote, openVote } from './votes.usecases.js';

// An election's decision: by acclamation, or by a secret vote run through the votes
// module (and after a tie, a runoff or a draw of lots). Counting is in elections-count.ts.

/** No more candidates than seats: the chair declares them elected without a vote. */
export async function declareAcclamation(
  deps: Deps,
  input: { actor: Actor; user: CurrentUser | null; meetingId: string; electionId: string },
): Promise<{ elected: string[] }> {
  const now = deps.clock.now();
  return deps.db.transaction().execute(async (tx) => {
    const { meeting, election } = await officerElection(tx, input);
    if (election.status !== 'nominating') throw ElectionErrors.nominationsClosed();
    const standing = (await listCandidates(tx, election.id)).filter(isStanding);
    if (standing.length === 0) throw ElectionErrors.noCandidates();
    if (standing.length > election.seats)
      throw ElectionErrors.tooManyForAcclamation({
        candidates: standing.length,
        seats: election.seats,
      });
    await requireOnRegister(tx, meeting, standing);
    // Claim the election first: a second click finds it no longer nominating.
    const claimed = await tx
      .updateTable('elections')
      .set({ status: 'voting' })
      .where('id', '=', election.id)
      .where('status', '=', 'nominating')
      .executeTakeFirst();
    if (Number(claimed.numUpdatedRows) !== 1) throw ElectionErrors.nominationsClosed();
    for (const c of standing)
      await tx
        .updateTable('election_candidates')
        .set({ elected: 1 })
        .where('id', '=', c.id)
        .execute();
    return completeElection(tx, { election, actor: input.actor, now, how: 'acclamation' });
  });
}

/**
 * Starts the election's vote: nominations close, a secret vote is created through the
 * votes module (options: the standing candidates and blank) and opened at once.
 */
export async function startElectionVote(
  deps: Deps,
  input: {
    actor: Actor;
    user: CurrentUser | null;
    meetingId: string;
    electionId: string;
    subject: string;
  },
): Promise<{ vote: Vote }> {
  const { db } = deps;
  const { meeting, election } = await officerElection(db, input);
  if (meeting.status !== 'in_progress') throw VoteErrors.meetingNotStarted();
  if (election.status !== 'nominating') throw ElectionErrors.nominationsClosed();
  const standing = (await listCandidates(db, election.id)).filter(isStanding);
  if (standing.length === 0) throw ElectionErrors.noCandidates();
  await requireOnRegister(db, meeting, standing);
  return runVote(deps, {
    ...input,
    meeting,
    election,
    candidates: standing,
    expectStatus: 'nominating',
  });
}

/** After a tie: a new vote between the tied candidates, for the seats left. */
export async function startRunoff(
  deps: Deps,
  input: {
    actor: Actor;
    user: CurrentUser | null;
    meetingId: string;
    electionId: string;
    subject: string;
  },
): Promise<{ vote: Vote }> {
  const { db } = deps;
  const { meeting, election } = await officerElection(db, input);
  const tie = await currentTie(db, election);
  if (!tie) throw ElectionErrors.notTied();
  const all = await listCandidates(db, election.id);
  return runVote(deps, {
    ...input,
    meeting,
    election,
    candidates: all.filter((c) => tie.tied.includes(c.id)),
    expectStatus: 'voting',
  });
}

async function runVote(
  deps: Deps,
  input: {
    actor: Actor;
    user: CurrentUser | null;
    subject: string;
    meeting: MeetingRow;
    election: Election;
    candidates: Candidate[];
    expectStatus: 'nominating' | 'voting';
  },
): Promise<{ vote: Vote }> {
  const { election } = input;
  const { vote } = await createVote(deps, {
    actor: input.actor,
    user: input.user,
    meetingId: input.meeting.id,
    subject: input.subject,
    kind: 'secret',
    rule: 'simple',
    agendaItemId: election.agendaItemId,
    options: [...input.candidates.map((c) => c.id), BLANK],
    electionRef: election.id,
    candidates: input.candidates.length,
  });
  const now = deps.clock.now();
  await deps.db.transaction().execute(async (tx) => {
    let q = tx
      .updateTable('elections')
      .set({ status: 'voting', vote_id: vote.id })
      .where('id', '=', election.id)
      .where('status', '=', input.expectStatus);
    // A runoff replaces a closed vote only: never one still running.
    if (input.expectStatus === 'voting') q = q.where('vote_id', '=', election.voteId);
    const claimed = await q.executeTakeFirst();
    if (Number(claimed.numUpdatedRows) !== 1) throw ElectionErrors.nominationsClosed();
    await recordAudit(tx, {
      actor: input.actor,
      action: 'governance.election_vote_started',
      entityType: 'election',
      entityId: election.id,
      after: { voteId: vote.id, candidates: input.candidates.map((c) => c.id) },
      at: now,
    });
  });
  await openVote(deps, {
    actor: input.actor,
    user: input.user,
    meetingId: input.meeting.id,
    voteId: vote.id,
  });
  return { vote: (await findVote(deps.db, input.meeting.id, vote.id))! };
}

/** The tie the election waits on: its vote closed with tied candidates at the boundary. */
export async function currentTie(
  db: Db,
  election: Election,
): Promise<{ tied: string[]; seatsLeft: number } | null> {
  if (election.status !== 'voting' || !election.voteId) return null;
  const vote = await findVote(db, election.meetingId, election.voteId);
  if (!vote || vote.status !== 'closed' || vote.outcome !== 'tie' || !vote.result) return null;
  const all = await listCandidates(db, election.id);
  const already = all.filter((c) => c.elected).length;
  const ranking = rankCandidates({
    candidateIds: vote.options.filter((o) => o !== BLANK),
    counts: vote.result.counts,
    seatsOpen: election.seats - already,
  });
  return ranking.tied.length ? { tied: ranking.tied, seatsLeft: ranking.seatsLeft } : null;
}

/**
 * The chair settles a tie by drawing lots: the system draws the seats left among the
 * tied (randomness from the operating system), records the draw, and decides.
 */
export async function drawLots(
  deps: Deps,
  input: {
    actor: Actor;
    user: CurrentUser | null;
    meetingId: string;
    electionId: string;
    /** Picks an index below `n`; the default is crypto's randomInt. */
    pick?: (n: number) => number;
  },
): Promise<{ drawn: string[] }> {
  const now = deps.clock.now();
  const pick = input.pick ?? ((n: number) => randomInt(n));
  return deps.db.transaction().execute(async (tx) => {
    const { election } = await officerElection(tx, input);
    const tie = await currentTie(tx, election);
    if (!tie) throw ElectionErrors.notTied();
    const claimed = await tx
      .updateTable('elections')
      .set({ status: 'voting' })
      .where('id', '=', election.id)
      .where('status', '=', 'voting')
      .where('vote_id', '=', election.voteId)
      .executeTakeFirst();
    if (Number(claimed.numUpdatedRows) !== 1) throw ElectionErrors.notTied();
    const pool = [...tie.tied];
    const order: string[] = [];
    while (pool.length) {
      // A picker out of range takes the nearest end, never loops.
      const i = Math.min(Math.max(0, Math.floor(pick(pool.length))), pool.length - 1);
      order.push(pool.splice(i, 1)[0]!);
    }
    const drawn = order.slice(0, tie.seatsLeft);
    const all = await listCandidates(tx, election.id);
    const base = Math.min(...all.filter((c) => tie.tied.includes(c.id)).map((c) => c.rank ?? 1));
    for (const [i, id] of order.entries())
      await tx
        .updateTable('election_candidates')
        .set({ rank: base + i, elected: drawn.includes(id) ? 1 : 0 })
        .where('id', '=', id)
        .execute();
    await recordAudit(tx, {
      actor: input.actor,
      action: 'governance.election_lots_drawn',
      entityType: 'election',
      entityId: election.id,
      after: { tied: tie.tied, seats: tie.seatsLeft, order, drawn },
      at: now,
    });
    await completeElection(tx, { election, actor: input.actor, now, how: 'lots' });
    return { drawn };
  });
}

/** Every vote held for an election (the first, and any runoff), oldest first. */
export async function electionVotes(db: Db, election: Election): Promise<Vote[]> {
  const rows = await db
    .selectFrom('votes')
    .select('id')
    .where('election_ref', '=', election.id)
    .where('meeting_id', '=', election.meetingId)
    .where('status', '!=', 'draft')
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  const votes: Vote[] = [];
  for (const r of rows) votes.push((await findVote(db, election.meetingId, r.id))!);
  return votes;
}

/** Closes the election's running vote (the count decides the election, see finish()). */
export async function closeElectionVote(
  deps: Deps,
  input: { actor: Actor; user: CurrentUser | null; meetingId: string; electionId: string },
): Promise<void> {
  const meeting = await loadMeetingRow(deps.db, input.meetingId);
  requireOfficer(input.user, meeting);
  const election = await requireElection(deps.db, meeting.id, input.electionId);
  if (!election.voteId || election.status !== 'voting') throw ElectionErrors.notVoting();
  await closeVote(deps, {
    actor: input.actor,
    user: input.user,
    meetingId: meeting.id,
    voteId: election.voteId,
  });
}

/** The result as data (the results page's JSON and the API): rounds, ranks, the elected. */
export async function electionResults(db: Db, election: Election) {
  const candidates = await listCandidates(db, election.id);
  const votes = await electionVotes(db, election);
  const tie = !!(await currentTie(db, election));
  return {
    id: election.id,
    office: election.office,
    seats: election.seats,
    status: election.status,
    tie,
    decidedAt: election.decidedAt,
    byAcclamation: election.status === 'decided' && votes.length === 0,
    candidates: candidates.filter(isStanding).map((x) => ({
      id: x.id,
      name: x.name,
      memberNumber: x.memberNumber,
      votes: x.votes,
      rank: x.rank,
      elected: x.elected,
    })),
    rounds: votes.map((v) => ({
      voteId: v.id,
      status: v.status,
      // Counts only once the vote has closed: nothing to read while it runs.
      counts: v.status === 'closed' && v.result ? v.result.counts : null,
      cast: v.status === 'closed' ? (v.result?.cast ?? null) : null,
      blank: v.status === 'closed' ? (v.result?.blank ?? null) : null,
    })),
  };
}
