import { recordAudit, type Actor } from '../../app/audit.js';
import type { CurrentUser } from '../../app/context.js';
import type { Db } from '../../app/db.js';
import type { Locale } from '../../app/errors.js';
import { translator } from '../../app/i18n.js';
import { newId } from '../../app/ids.js';
import { enqueueEmail, type EmailMessage } from '../../app/outbox.js';
import { ElectionErrors } from './elections.errors.js';
import {
  findCandidacy,
  findCandidate,
  findMemberForNomination,
  insertCandidate,
  isEligibleAt,
  type Candidate,
  type Election,
} from './elections.repository.js';
import {
  electionName,
  requireElection,
  requireMeetingOpen,
  type Deps,
} from './elections.usecases.js';
import { isMeetingOfficer, loadMeetingRow, requireOfficer } from './register.usecases.js';

// Nominations: a member stands, or nominates another who accepts; officers register
// nominations made in the room; anyone involved may withdraw until the vote starts.

/**
 * A nomination. `self`: the member stands (accepted at once). Otherwise a member names
 * another by member number, who must accept; an officer (`inRoom`) registers a nomination
 * made and accepted in the room. Candidates, and members who nominate, must have a vote
 * at the meeting. A nomination withdrawn or declined earlier may be made again.
 */
export async function nominate(
  deps: Deps,
  input: {
    actor: Actor;
    user: CurrentUser | null;
    meetingId: string;
    electionId: string;
    self: boolean;
    memberNumber: number | null;
    statement: string | null;
    inRoom: boolean;
  },
): Promise<{ candidate: Candidate }> {
  const now = deps.clock.now();
  return deps.db.transaction().execute(async (tx) => {
    const meeting = await loadMeetingRow(tx, input.meetingId);
    requireMeetingOpen(meeting);
    const election = await requireElection(tx, meeting.id, input.electionId);
    if (election.status !== 'nominating') throw ElectionErrors.nominationsClosed();
    const nominator = input.user?.memberId ?? null;
    if (input.inRoom) requireOfficer(input.user, meeting);
    else if (!nominator || !(await isEligibleAt(tx, meeting, nominator)))
      throw ElectionErrors.nominatorNotEligible();

    let nominee: { id: string; name: string };
    if (input.self && !input.inRoom) {
      const m = await tx
        .selectFrom('members')
        .select(['id', 'name'])
        .where('id', '=', nominator!)
        .executeTakeFirstOrThrow();
      nominee = m;
    } else {
      const number = input.memberNumber ?? 0;
      const m = await findMemberForNomination(tx, number);
      if (!m) throw ElectionErrors.memberNotFound({ number });
      nominee = m;
    }
    if (!(await isEligibleAt(tx, meeting, nominee.id)))
      throw ElectionErrors.notEligible({ name: nominee.name });
    const self = nominee.id === nominator && !input.inRoom;
    const accepted = self || input.inRoom;

    const existing = await findCandidacy(tx, election.id, nominee.id);
    if (existing && !existing.withdrawnAt)
      throw ElectionErrors.alreadyNominated({ name: nominee.name });
    let id: string;
    if (existing) {
      id = existing.id;
      await tx
        .updateTable('election_candidates')
        .set({
          statement: input.statement,
          nominated_by: input.inRoom ? null : nominator,
          self_nominated: self ? 1 : 0,
          accepted_at: accepted ? now.toISOString() : null,
          withdrawn_at: null,
        })
        .where('id', '=', id)
        .execute();
    } else {
      id = newId(now.getTime());
      await insertCandidate(
        tx,
        {
          id,
          electionId: election.id,
          memberId: nominee.id,
          name: nominee.name,
          statement: input.statement,
          nominatedBy: input.inRoom ? null : nominator,
          selfNominated: self,
          accepted,
        },
        now,
      );
    }
    await recordAudit(tx, {
      actor: input.actor,
      action: 'governance.election_nominated',
      entityType: 'election',
      entityId: election.id,
      after: { candidateId: id, memberId: nominee.id, self, inRoom: input.inRoom, accepted },
      at: now,
    });
    if (!accepted)
      await notifyNominee(tx, deps, { meetingId: meeting.id, election, memberId: nominee.id, now });
    return { candidate: (await findCandidate(tx, election.id, id))! };
  });
}

async function notifyNominee(
  tx: Db,
  deps: Deps,
  opts: { meetingId: string; election: Election; memberId: string; now: Date },
): Promise<void> {
  const r = await tx
    .selectFrom('members')
    .leftJoin('users', 'users.id', 'members.user_id')
    .select(['members.name', 'members.email', 'users.locale'])
    .where('members.id', '=', opts.memberId)
    .executeTakeFirst();
  if (!r?.email) return;
  await enqueueEmail(tx, {
    message: nominationEmail({
      to: r.email,
      name: r.name,
      locale: r.locale === 'en' ? 'en' : 'nb',
      election: opts.election,
      link: `${deps.config.baseUrl}/meetings/${opts.meetingId}/elections/${opts.election.id}`,
    }),
    at: opts.now,
  });
}

/** The nominee accepts or declines a nomination made by someone else. */
export async function answerNomination(
  deps: Deps,
  input: {
    actor: Actor;
    user: CurrentUser | null;
    meetingId: string;
    electionId: string;
    candidateId: string;
    accept: boolean;
  },
): Promise<{ candidate: Candidate }> {
  const now = deps.clock.now();
  return deps.db.transaction().execute(async (tx) => {
    const meeting = await loadMeetingRow(tx, input.meetingId);
    requireMeetingOpen(meeting);
    const election = await requireElection(tx, meeting.id, input.electionId);
    const c = await findCandidate(tx, election.id, input.candidateId);
    if (!c) throw ElectionErrors.candidateNotFound();
    if (!input.user?.memberId || input.user.memberId !== c.memberId)
      throw ElectionErrors.notYourNomination();
    if (election.status !== 'nominating') throw ElectionErrors.nominationsClosed();
    if (c.acceptedAt || c.withdrawnAt) throw ElectionErrors.alreadyAnswered();
    await tx
      .updateTable('election_candidates')
      .set(input.accept ? { accepted_at: now.toISOString() } : { withdrawn_at: now.toISOString() })
      .where('id', '=', c.id)
      .execute();
    await recordAudit(tx, {
      actor: input.actor,
      action: input.accept
        ? 'governance.election_nomination_accepted'
        : 'governance.election_nomination_declined',
      entityType: 'election',
      entityId: election.id,
      after: { candidateId: c.id },
      at: now,
    });
    return { candidate: (await findCandidate(tx, election.id, c.id))! };
  });
}

/** The candidate, whoever nominated them, or an officer withdraws a nomination. */
export async function withdrawCandidate(
  deps: Deps,
  input: {
    actor: Actor;
    user: CurrentUser | null;
    meetingId: string;
    electionId: string;
    candidateId: string;
  },
): Promise<void> {
  const now = deps.clock.now();
  await deps.db.transaction().execute(async (tx) => {
    const meeting = await loadMeetingRow(tx, input.meetingId);
    requireMeetingOpen(meeting);
    const election = await requireElection(tx, meeting.id, input.electionId);
    const c = await findCandidate(tx, election.id, input.candidateId);
    if (!c) throw ElectionErrors.candidateNotFound();
    const me = input.user?.memberId ?? null;
    const allowed =
      isMeetingOfficer(input.user, meeting) ||
      (!!me && (me === c.memberId || me === c.nominatedBy));
    if (!allowed) throw ElectionErrors.cannotWithdraw();
    if (election.status !== 'nominating') throw ElectionErrors.nominationsClosed();
    if (c.withdrawnAt) throw ElectionErrors.alreadyAnswered();
    await tx
      .updateTable('election_candidates')
      .set({ withdrawn_at: now.toISOString() })
      .where('id', '=', c.id)
      .execute();
    await recordAudit(tx, {
      actor: input.actor,
      action: 'governance.election_nomination_withdrawn',
      entityType: 'election',
      entityId: election.id,
      after: { candidateId: c.id },
      at: now,
    });
  });
}

function nominationEmail(opts: {
  to: string;
  name: string;
  locale: Locale;
  election: Election;
  link: string;
}): EmailMessage {
  const t = translator(opts.locale);
  const what = electionName(t, opts.election);
  return {
    to: opts.to,
    subject: t('elections.email.subject', { election: what }),
    text: [
      t('governance.email.greeting', { name: opts.name }),
      '',
      t('elections.email.body', { election: what }),
      '',
      opts.link,
      '',
    ].join('\n'),
  };
}
