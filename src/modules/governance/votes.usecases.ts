import { recordAudit, type Actor } from '../../app/audit.js';
import type { AppContext, CurrentUser } from '../../app/context.js';
import { formatDate } from '../../app/dates.js';
import type { Db } from '../../app/db.js';
import { newId } from '../../app/ids.js';
import { getGovernanceSettings } from './governance-settings.repository.js';
import { GovernanceErrors } from './governance.errors.js';
import { isUniqueViolation } from './meetings.usecases.js';
import { countPresent, findRegister, isOnRegister, isPresent } from './register.repository.js';
import { loadMeetingRow, requireOfficer, type MeetingRow } from './register.usecases.js';
import {
  countBallots,
  insertBallot,
  newReceiptCode,
  rewriteInKeyOrder,
} from './ballots.repository.js';
import { BLANK, majorityFor, tally, YES_NO } from './votes-majority.js';
import { decideElection, electionChoice, electionTally } from './elections-count.js';
import { VoteErrors } from './votes.errors.js';
import { adoptStatutesAtFounding } from './founding.usecases.js';
import {
  applyProposalOutcome,
  requireRuleFor,
  requireRuleForProposal,
} from './adoption.usecases.js';
import { ProxyErrors } from './proxies.errors.js';
import { requireProxyHeld } from './proxies.usecases.js';
import { countSecretRequests, findVote, toVote, type Vote } from './votes.repository.js';
import type { MajorityRule, VoteKind } from './votes.tables.js';

type Deps = Pick<AppContext, 'db' | 'clock' | 'dialect'>;
type Locale = 'nb' | 'en';

async function requireVote(db: Db, meetingId: string, voteId: string): Promise<Vote> {
  const vote = await findVote(db, meetingId, voteId);
  if (!vote) throw VoteErrors.voteNotFound();
  return vote;
}

function requireMeetingLive(meeting: MeetingRow): void {
  if (meeting.status === 'scheduled') throw VoteErrors.meetingNotStarted();
  if (meeting.status !== 'in_progress') throw VoteErrors.meetingClosed();
}

/** A voter: on the register and checked in. */
async function requireVoter(
  db: Db,
  meeting: MeetingRow,
  memberId: string | null,
  locale: Locale,
): Promise<string> {
  if (!memberId) throw VoteErrors.notAMember();
  if (!(await isOnRegister(db, meeting.id, memberId)))
    throw VoteErrors.notOnRegister({
      date: meeting.qualifyingOn ? formatDate(meeting.qualifyingOn, locale) : '–',
    });
  if (!(await isPresent(db, meeting.id, memberId))) throw VoteErrors.notCheckedIn();
  return memberId;
}

/**
 * A new vote on an agenda item or a proposal, not yet open. An election with more than
 * one candidate (`candidates`) is always secret — the hook for elections.
 */
export async function createVote(
  deps: Deps,
  input: {
    actor: Actor;
    user: CurrentUser | null;
    meetingId: string;
    subject: string;
    kind: VoteKind;
    rule: MajorityRule;
    agendaItemId?: string | null;
    proposalId?: string | null;
    options?: string[];
    electionRef?: string | null;
    candidates?: number;
  },
): Promise<{ vote: Vote }> {
  const now = deps.clock.now();
  return deps.db.transaction().execute(async (tx) => {
    const meeting = await loadMeetingRow(tx, input.meetingId);
    requireOfficer(input.user, meeting);
    if (meeting.status === 'closed' || meeting.status === 'cancelled')
      throw VoteErrors.meetingClosed();
    if (input.agendaItemId) {
      const item = await tx
        .selectFrom('agenda_items')
        .select('id')
        .where('id', '=', input.agendaItemId)
        .where('meeting_id', '=', meeting.id)
        .executeTakeFirst();
      if (!item) throw GovernanceErrors.agendaItemNotFound();
    }
    if (input.proposalId) {
      const p = await tx
        .selectFrom('proposals')
        .select(['id', 'kind'])
        .where('id', '=', input.proposalId)
        .where('meeting_id', '=', meeting.id)
        .executeTakeFirst();
      if (!p) throw GovernanceErrors.proposalNotFound();
      requireRuleFor(p.kind, input.rule);
    }
    const settings = await getGovernanceSettings(tx);
    const majority = majorityFor(input.rule, settings);
    const kind: VoteKind = (input.candidates ?? 0) > 1 ? 'secret' : input.kind;
    const id = newId(now.getTime());
    await tx
      .insertInto('votes')
      .values({
        id,
        meeting_id: meeting.id,
        agenda_item_id: input.agendaItemId ?? null,
        proposal_id: input.proposalId ?? null,
        election_ref: input.electionRef ?? null,
        subject: input.subject,
        kind,
        // Options other than yes/no always get a blank one too, last.
        options: JSON.stringify(
          input.options?.length ? [...new Set([...input.options, BLANK])] : [...YES_NO],
        ),
        rule: input.rule,
        majority_numerator: majority.numerator,
        majority_denominator: majority.denominator,
        majority_base: majority.base,
        status: 'draft',
        vote_date: meeting.meetingDate,
        opened_at: null,
        closed_at: null,
        present_count: null,
        result: null,
        outcome: null,
        created_by: input.actor.label,
        created_at: now.toISOString(),
      })
      .execute();
    await recordAudit(tx, {
      actor: input.actor,
      action: 'governance.vote_created',
      entityType: 'vote',
      entityId: id,
      after: { meetingId: meeting.id, subject: input.subject, kind, rule: input.rule },
      at: now,
    });
    return { vote: (await findVote(tx, meeting.id, id))! };
  });
}

/**
 * A member present asks for a secret ballot before the vote opens. When the number of
 * members asking reaches the setting (default 2), the vote becomes secret.
 */
export async function requestSecretBallot(
  deps: Deps,
  input: {
    actor: Actor;
    memberId: string | null;
    meetingId: string;
    voteId: string;
    locale: Locale;
  },
): Promise<{ requests: number; threshold: number; secret: boolean }> {
  const now = deps.clock.now();
  return deps.db.transaction().execute(async (tx) => {
    const meeting = await loadMeetingRow(tx, input.meetingId);
    requireMeetingLive(meeting);
    const memberId = await requireVoter(tx, meeting, input.memberId, input.locale);
    const vote = await requireVote(tx, meeting.id, input.voteId);
    if (vote.status !== 'draft') throw VoteErrors.voteStarted();
    const { secretBallotThreshold: threshold } = await getGovernanceSettings(tx);
    // Asked already: counted once (no error, so PostgreSQL's transaction stays usable).
    await tx
      .insertInto('vote_secret_requests')
      .values({ vote_id: vote.id, member_id: memberId })
      .onConflict((oc) => oc.doNothing())
      .execute();
    const requests = await countSecretRequests(tx, vote.id);
    let secret = vote.kind === 'secret';
    if (!secret && requests >= threshold) {
      await tx
        .updateTable('votes')
        .set({ kind: 'secret' })
        .where('id', '=', vote.id)
        .where('status', '=', 'draft')
        .execute();
      secret = true;
      await recordAudit(tx, {
        actor: input.actor,
        action: 'governance.vote_made_secret',
        entityType: 'vote',
        entityId: vote.id,
        after: { requests, threshold },
        at: now,
      });
    }
    return { requests, threshold, secret };
  });
}

export async function openVote(
  deps: Deps,
  input: { actor: Actor; user: CurrentUser | null; meetingId: string; voteId: string },
): Promise<void> {
  const now = deps.clock.now();
  await deps.db.transaction().execute(async (tx) => {
    // Locked (PostgreSQL) like closeMeeting does: a vote opened while the meeting closes
    // either opens first (and the close is refused) or sees the meeting closed.
    const meeting = await loadMeetingRow(tx, input.meetingId, {
      forUpdate: deps.dialect === 'postgres',
    });
    requireOfficer(input.user, meeting);
    requireMeetingLive(meeting);
    if (!(await findRegister(tx, meeting.id))) throw VoteErrors.registerNotFrozen();
    const vote = await requireVote(tx, meeting.id, input.voteId);
    if (vote.status !== 'draft') throw VoteErrors.voteStarted();
    if (vote.proposalId) await requireRuleForProposal(tx, vote.proposalId, vote.rule);
    const present = await countPresent(tx, meeting.id);
    await tx
      .updateTable('votes')
      .set({ status: 'open', opened_at: now.toISOString(), present_count: present })
      .where('id', '=', vote.id)
      .where('status', '=', 'draft')
      .execute();
    await recordAudit(tx, {
      actor: input.actor,
      action: 'governance.vote_opened',
      entityType: 'vote',
      entityId: vote.id,
      after: { kind: vote.kind, present },
      at: now,
    });
  });
}

/**
 * Casts a member's vote (named or secret). In one transaction: the vote is read with a
 * share lock (closing waits for the casts in flight, and no ballot lands after the tally),
 * the member's participation is inserted (its primary key refuses a second vote, also under
 * concurrency), then the ballot — for a secret vote with a random id, no voter and no time,
 * and the hash of a receipt code that is returned to be shown once.
 */
export async function castVote(
  deps: Deps,
  input: {
    memberId: string | null;
    meetingId: string;
    voteId: string;
    choice: string;
    locale: Locale;
    /** A proxy vote: the member whose proxy the caller holds (docs: Proxies). */
    onBehalfOf?: string | null;
  },
): Promise<{ receipt: string | null; vote: Vote }> {
  try {
    return await deps.db.transaction().execute(async (tx) => {
      if (!input.memberId) throw VoteErrors.notAMember();
      const memberId = input.memberId;
      // The hot path, in one statement: the vote (share-locked on PostgreSQL), the meeting's
      // state, and whether the member is on the register and checked in.
      let q = tx
        .selectFrom('votes')
        .innerJoin('meetings', 'meetings.id', 'votes.meeting_id')
        .selectAll('votes')
        .select((eb) => [
          'meetings.status as meeting_status',
          'meetings.qualifying_on',
          eb
            .selectFrom('voter_register_entries')
            .select(eb.lit(1).as('x'))
            .whereRef('voter_register_entries.meeting_id', '=', 'meetings.id')
            .where('voter_register_entries.member_id', '=', memberId)
            .as('registered'),
          eb
            .selectFrom('meeting_attendance')
            .select(eb.lit(1).as('x'))
            .whereRef('meeting_attendance.meeting_id', '=', 'meetings.id')
            .where('meeting_attendance.member_id', '=', memberId)
            .where('meeting_attendance.checked_out_at', 'is', null)
            .as('present'),
        ])
        .where('votes.id', '=', input.voteId)
        .where('votes.meeting_id', '=', input.meetingId);
      if (deps.dialect === 'postgres') q = q.forShare('votes');
      const row = await q.executeTakeFirst();
      if (!row) throw VoteErrors.voteNotFound();
      const { meeting_status: status, qualifying_on, registered, present, ...voteRow } = row;
      const vote = toVote(voteRow);
      if (vote.status === 'closed') throw VoteErrors.voteClosed();
      if (vote.status !== 'open') throw VoteErrors.voteNotOpen();
      if (vote.kind === 'open') throw VoteErrors.openVoteHasNoBallots();
      if (status === 'scheduled') throw VoteErrors.meetingNotStarted();
      if (status !== 'in_progress') throw VoteErrors.meetingClosed();
      if (!registered)
        throw VoteErrors.notOnRegister({
          date: qualifying_on ? formatDate(qualifying_on, input.locale) : '–',
        });
      if (!present) throw VoteErrors.notCheckedIn();
      // An election's ballot may mark several candidates: checked and made canonical there.
      const choice = vote.electionRef
        ? await electionChoice(tx, {
            electionId: vote.electionRef,
            options: vote.options,
            choice: input.choice,
          })
        : input.choice;
      if (!vote.options.includes(choice) && !vote.electionRef) throw VoteErrors.invalidChoice();
      // A proxy vote counts for the grantor: their participation (and, named, their name).
      const voterId = input.onBehalfOf
        ? await requireProxyHeld(tx, {
            meetingId: vote.meetingId,
            holderId: memberId,
            grantorId: input.onBehalfOf,
          })
        : memberId;
      await tx
        .insertInto('vote_participation')
        .values({ vote_id: vote.id, member_id: voterId })
        .execute();
      if (vote.kind === 'named') {
        await tx
          .insertInto('named_votes')
          .values({ vote_id: vote.id, member_id: voterId, choice })
          .execute();
        return { receipt: null, vote };
      }
      const receipt = newReceiptCode();
      await insertBallot(tx, { voteId: vote.id, choice, receiptCode: receipt });
      return { receipt, vote };
    });
  } catch (err) {
    if (isUniqueViolation(err))
      throw input.onBehalfOf ? ProxyErrors.alreadyVotedFor() : VoteErrors.alreadyVoted();
    throw err;
  }
}

async function finish(
  tx: Db,
  opts: { vote: Vote; counts: Record<string, number>; present: number; actor: Actor; now: Date },
): Promise<void> {
  const { vote } = opts;
  const result = vote.electionRef
    ? await electionTally(tx, { vote, counts: opts.counts, present: opts.present })
    : tally({
        options: vote.options,
        counts: opts.counts,
        present: opts.present,
        majority: { rule: vote.rule, ...vote.majority },
      });
  if (vote.kind === 'secret') await rewriteInKeyOrder(tx, vote.id);
  await tx
    .updateTable('votes')
    .set({
      status: 'closed',
      closed_at: opts.now.toISOString(),
      present_count: opts.present,
      result: JSON.stringify(result),
      outcome: result.outcome,
    })
    .where('id', '=', vote.id)
    .execute();
  if (vote.proposalId)
    await tx
      .updateTable('proposals')
      .set({
        outcome: result.outcome === 'passed' ? 'adopted' : 'rejected',
        updated_at: opts.now.toISOString(),
      })
      .where('id', '=', vote.proposalId)
      .execute();
  // An adopted amendment becomes the document's next version; an appeal's outcome is recorded.
  if (vote.proposalId)
    await applyProposalOutcome(tx, {
      proposalId: vote.proposalId,
      passed: result.outcome === 'passed',
      actor: opts.actor,
      now: opts.now,
    });
  if (vote.electionRef)
    await decideElection(tx, { vote, result, actor: opts.actor, now: opts.now });
  // The founding meeting adopts its statutes: the draft becomes the adopted version.
  await adoptStatutesAtFounding(tx, {
    vote,
    outcome: result.outcome,
    actor: opts.actor,
    now: opts.now,
  });
  await recordAudit(tx, {
    actor: opts.actor,
    action: 'governance.vote_closed',
    entityType: 'vote',
    entityId: vote.id,
    after: { counts: result.counts, present: opts.present, outcome: result.outcome },
    at: opts.now,
  });
}

/** Closes a named or secret vote and computes the result from the ballots. */
export async function closeVote(
  deps: Deps,
  input: { actor: Actor; user: CurrentUser | null; meetingId: string; voteId: string },
): Promise<{ vote: Vote }> {
  const now = deps.clock.now();
  return deps.db.transaction().execute(async (tx) => {
    const meeting = await loadMeetingRow(tx, input.meetingId);
    requireOfficer(input.user, meeting);
    // The update takes the row's lock first: casts in flight finish, later ones see "closed".
    const claimed = await tx
      .updateTable('votes')
      .set({ status: 'closed' })
      .where('id', '=', input.voteId)
      .where('meeting_id', '=', meeting.id)
      .where('status', '=', 'open')
      .executeTakeFirst();
    const vote = await requireVote(tx, meeting.id, input.voteId);
    if (Number(claimed.numUpdatedRows) !== 1)
      throw vote.status === 'closed' ? VoteErrors.voteClosed() : VoteErrors.voteNotOpen();
    if (vote.kind === 'open') throw VoteErrors.openVoteHasNoBallots();
    const counts =
      vote.kind === 'secret'
        ? await countBallots(tx, vote.id)
        : Object.fromEntries(
            (
              await tx
                .selectFrom('named_votes')
                .select(['choice', (eb) => eb.fn.countAll<number>().as('n')])
                .where('vote_id', '=', vote.id)
                .groupBy('choice')
                .execute()
            ).map((r) => [r.choice, Number(r.n)]),
          );
    await finish(tx, {
      vote,
      counts,
      present: await countPresent(tx, meeting.id),
      actor: input.actor,
      now,
    });
    return { vote: (await findVote(tx, meeting.id, vote.id))! };
  });
}

/**
 * An open vote (a show of hands): the secretary enters the counts, and the system computes
 * the result from them. More votes than voters present is refused.
 */
export async function recordOpenCounts(
  deps: Deps,
  input: {
    actor: Actor;
    user: CurrentUser | null;
    meetingId: string;
    voteId: string;
    counts: Record<string, number>;
  },
): Promise<{ vote: Vote }> {
  const now = deps.clock.now();
  return deps.db.transaction().execute(async (tx) => {
    const meeting = await loadMeetingRow(tx, input.meetingId);
    requireOfficer(input.user, meeting);
    const vote = await requireVote(tx, meeting.id, input.voteId);
    if (vote.status === 'closed') throw VoteErrors.voteClosed();
    if (vote.status !== 'open') throw VoteErrors.voteNotOpen();
    if (vote.kind !== 'open') throw VoteErrors.voteStarted();
    const present = await countPresent(tx, meeting.id);
    const counts: Record<string, number> = {};
    for (const o of vote.options) counts[o] = input.counts[o] ?? 0;
    const cast = Object.values(counts).reduce((a, b) => a + b, 0);
    if (cast > present) throw VoteErrors.countsTooMany({ cast, present });
    const claimed = await tx
      .updateTable('votes')
      .set({ status: 'closed' })
      .where('id', '=', vote.id)
      .where('status', '=', 'open')
      .executeTakeFirst();
    if (Number(claimed.numUpdatedRows) !== 1) throw VoteErrors.voteClosed();
    await finish(tx, { vote, counts, present, actor: input.actor, now });
    return { vote: (await findVote(tx, meeting.id, vote.id))! };
  });
}
