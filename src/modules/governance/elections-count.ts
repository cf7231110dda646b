import { recordAudit, type Actor } from '../../app/audit.js';
import { addDays } from '../../app/dates.js';
import type { Db } from '../../app/db.js';
import { newId } from '../../app/ids.js';
import { insertOfficeTerm } from '../members/members.repository.js';
import { ElectionErrors } from './elections.errors.js';
import { findElectionById, listCandidates, type Election } from './elections.repository.js';
import { BLANK, type Tally } from './votes-majority.js';
import type { Vote } from './votes.repository.js';

// Counting an election: the ballot's form (up to `seats` distinct candidates, or blank),
// the tally per candidate, the ranking, and the decision that makes office terms. Called
// from the votes' cast and close paths (votes.usecases.ts) inside their transactions; this
// file must not import votes.usecases.ts.

/** The separator of a multi-seat ballot's canonical choice: sorted candidate ids. */
const SEP = ',';

/** The candidate ids marked on a stored ballot choice (none for a blank ballot). */
export function parseElectionChoice(choice: string): string[] {
  return choice === BLANK ? [] : choice.split(SEP).filter(Boolean);
}

/**
 * Checks a ballot for an election and returns its canonical form, stored as the ballot's
 * choice: the marked candidate ids, sorted and joined (nothing about the voter or the
 * order of marking). Refuses marks for anyone not standing, the same candidate twice,
 * more marks than seats, blank together with names, and an empty ballot.
 */
export async function electionChoice(
  db: Db,
  opts: { electionId: string; options: readonly string[]; choice: string },
): Promise<string> {
  const election = await findElectionById(db, opts.electionId);
  if (!election) throw ElectionErrors.notFound();
  return canonicalChoice({ seats: election.seats, options: opts.options, choice: opts.choice });
}

export function canonicalChoice(opts: {
  seats: number;
  options: readonly string[];
  choice: string;
}): string {
  const marks = opts.choice
    .split(SEP)
    .map((m) => m.trim())
    .filter(Boolean);
  if (marks.length === 0) throw ElectionErrors.ballotEmpty();
  if (marks.includes(BLANK)) {
    if (marks.length > 1) throw ElectionErrors.ballotBlankAndNames();
    return BLANK;
  }
  if (new Set(marks).size !== marks.length) throw ElectionErrors.ballotDuplicate();
  for (const m of marks) if (!opts.options.includes(m)) throw ElectionErrors.ballotUnknown();
  if (marks.length > opts.seats) throw ElectionErrors.ballotTooMany({ seats: opts.seats });
  return [...marks].sort().join(SEP);
}

/**
 * The result of an election vote, in the shape of a vote's tally: counts per candidate
 * (one per ballot marking them) and blank ballots; `cast` is the number of ballots.
 * 'passed' when the seats are filled (or as many as have votes), 'tie' when candidates
 * share the votes at the boundary, 'failed' when nobody got a vote.
 */
export async function electionTally(
  db: Db,
  opts: { vote: Vote; counts: Record<string, number>; present: number },
): Promise<Tally> {
  const election = await findElectionById(db, opts.vote.electionRef ?? '');
  if (!election) throw ElectionErrors.notFound();
  const already = (await listCandidates(db, election.id)).filter((c) => c.elected).length;
  return countElection({
    options: opts.vote.options,
    counts: opts.counts,
    present: opts.present,
    seatsOpen: election.seats - already,
  });
}

export function countElection(opts: {
  options: readonly string[];
  counts: Record<string, number>;
  present: number;
  seatsOpen: number;
}): Tally {
  const counts: Record<string, number> = {};
  for (const o of opts.options) counts[o] = 0;
  let cast = 0;
  for (const [choice, n] of Object.entries(opts.counts)) {
    cast += n;
    if (choice === BLANK) counts[BLANK] = (counts[BLANK] ?? 0) + n;
    else for (const id of parseElectionChoice(choice)) counts[id] = (counts[id] ?? 0) + n;
  }
  const blank = counts[BLANK] ?? 0;
  const ranking = rankCandidates({
    candidateIds: opts.options.filter((o) => o !== BLANK),
    counts,
    seatsOpen: opts.seatsOpen,
  });
  return {
    counts,
    cast,
    blank,
    present: opts.present,
    base: cast - blank,
    required: 1,
    winner: null,
    outcome: ranking.tied.length ? 'tie' : ranking.elected.length ? 'passed' : 'failed',
  };
}

export type Ranking = {
  /** Candidate id → rank (1 = most votes; equal votes share a rank). */
  ranks: Record<string, number>;
  /** Elected in this count (for a tie: those strictly above the boundary). */
  elected: string[];
  /** Tied at the boundary: more of them than seats left; nobody among them is elected. */
  tied: string[];
  /** Seats left for the tied. */
  seatsLeft: number;
};

/**
 * Ranks candidates by votes. The top `seatsOpen` with at least one vote are elected; when
 * the last seat's candidate has as many votes as the next one, those sharing that number
 * are tied and not decided here.
 */
export function rankCandidates(opts: {
  candidateIds: readonly string[];
  counts: Record<string, number>;
  seatsOpen: number;
}): Ranking {
  const votes = (id: string) => opts.counts[id] ?? 0;
  const sorted = [...opts.candidateIds].sort((a, b) => votes(b) - votes(a));
  const ranks: Record<string, number> = {};
  sorted.forEach((id, i) => {
    const prev = sorted[i - 1];
    ranks[id] = prev !== undefined && votes(prev) === votes(id) ? ranks[prev]! : i + 1;
  });
  const withVotes = sorted.filter((id) => votes(id) > 0);
  if (withVotes.length <= opts.seatsOpen)
    return { ranks, elected: withVotes, tied: [], seatsLeft: 0 };
  const boundary = votes(withVotes[opts.seatsOpen - 1]!);
  const next = votes(withVotes[opts.seatsOpen]!);
  if (boundary !== next)
    return { ranks, elected: withVotes.slice(0, opts.seatsOpen), tied: [], seatsLeft: 0 };
  const elected = withVotes.filter((id) => votes(id) > boundary);
  return {
    ranks,
    elected,
    tied: withVotes.filter((id) => votes(id) === boundary),
    seatsLeft: opts.seatsOpen - elected.length,
  };
}

/** The last day of a term of `months` months from `startsOn` (the day before it recurs). */
export function termEndsOn(startsOn: string, months: number): string {
  const y = Number(startsOn.slice(0, 4));
  const m = Number(startsOn.slice(5, 7)) - 1 + months;
  const d = Number(startsOn.slice(8, 10));
  const year = y + Math.floor(m / 12);
  const month = (m % 12) + 1;
  const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
  const day = Math.min(d, last);
  const same = `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
  return addDays(same, -1);
}

/**
 * After an election vote closes (inside its transaction): stores each candidate's votes
 * and rank, marks the elected, and — unless the boundary is tied — decides the election.
 * A runoff between tied candidates ranks them after those already above them.
 */
export async function decideElection(
  tx: Db,
  opts: { vote: Vote; result: Tally; actor: Actor; now: Date },
): Promise<void> {
  const election = await findElectionById(tx, opts.vote.electionRef ?? '');
  if (!election || election.voteId !== opts.vote.id || election.status !== 'voting') return;
  const all = await listCandidates(tx, election.id);
  const inVote = all.filter((c) => opts.vote.options.includes(c.id));
  const runoff = all.some((c) => c.rank !== null);
  const already = all.filter((c) => c.elected).length;
  const ranking = rankCandidates({
    candidateIds: inVote.map((c) => c.id),
    counts: opts.result.counts,
    seatsOpen: election.seats - already,
  });
  const offset = runoff ? Math.min(...inVote.map((c) => c.rank ?? 1)) - 1 : 0;
  for (const c of inVote)
    await tx
      .updateTable('election_candidates')
      .set({
        // A runoff keeps the first round's votes on the candidate; its own are on its vote.
        ...(runoff ? {} : { votes: opts.result.counts[c.id] ?? 0 }),
        rank: offset + (ranking.ranks[c.id] ?? inVote.length),
        elected: ranking.elected.includes(c.id) ? 1 : 0,
      })
      .where('id', '=', c.id)
      .execute();
  await recordAudit(tx, {
    actor: opts.actor,
    action: 'governance.election_counted',
    entityType: 'election',
    entityId: election.id,
    after: {
      voteId: opts.vote.id,
      counts: opts.result.counts,
      elected: ranking.elected,
      tied: ranking.tied,
    },
    at: opts.now,
  });
  if (ranking.tied.length === 0)
    await completeElection(tx, { election, actor: opts.actor, now: opts.now });
}

/**
 * Decides the election: every elected candidate gets an office term (from the term's
 * start, for its months), recorded on the candidate; the election is 'decided'.
 */
export async function completeElection(
  tx: Db,
  opts: { election: Election; actor: Actor; now: Date; how?: 'vote' | 'acclamation' | 'lots' },
): Promise<{ elected: string[] }> {
  const { election } = opts;
  const endsOn = termEndsOn(election.termStartsOn, election.termMonths);
  const elected = (await listCandidates(tx, election.id)).filter((c) => c.elected);
  for (const c of elected) {
    if (c.officeTermId) continue;
    const termId = newId(opts.now.getTime());
    await insertOfficeTerm(
      tx,
      {
        id: termId,
        memberId: c.memberId,
        office: election.office,
        startsOn: election.termStartsOn,
        endsOn,
        note: `election:${election.id}`,
        createdBy: opts.actor.label,
      },
      opts.now,
    );
    await tx
      .updateTable('election_candidates')
      .set({ office_term_id: termId })
      .where('id', '=', c.id)
      .execute();
  }
  await tx
    .updateTable('elections')
    .set({ status: 'decided', decided_at: opts.now.toISOString() })
    .where('id', '=', election.id)
    .execute();
  await recordAudit(tx, {
    actor: opts.actor,
    action: 'governance.election_decided',
    entityType: 'election',
    entityId: election.id,
    after: {
      how: opts.how ?? 'vote',
      office: election.office,
      elected: elected.map((c) => c.memberId),
      startsOn: election.termStartsOn,
      endsOn,
    },
    at: opts.now,
  });
  return { elected: elected.map((c) => c.id) };
}
