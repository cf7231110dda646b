import { recordAudit, systemActor, type Actor } from '../../app/audit.js';
import type { AppContext } from '../../app/context.js';
import type { Db } from '../../app/db.js';
import { newId } from '../../app/ids.js';
import { listAgenda, type Meeting } from '../governance/meetings.repository.js';
import { findMeeting } from '../governance/meetings.repository.js';
import { isUniqueViolation } from '../governance/meetings.usecases.js';
import { proposalOnTime } from '../governance/meeting-rules.js';
import {
  findProposalByRequestKey,
  insertProposal,
  nextProposalNumber,
} from '../governance/proposals.repository.js';
import { scopeOf, type Scope } from '../members/member-status.js';
import { DecisionErrors } from './decisions.errors.js';
import {
  findAppeal,
  findAppealOfDecision,
  insertAppeal,
  pendingAppealIds,
  placeAppeal,
  settleAppeal,
  type Appeal,
} from './appeals.repository.js';
import { findCaseRef, findDecision, type Decision } from './decisions.repository.js';
import { liftInTx } from './decisions.usecases.js';
import { recordCaseEvent } from './cases.repository.js';

type Deps = Pick<AppContext, 'db' | 'clock' | 'config' | 'kickOutbox'>;

/** The next ordinary general assembly that is scheduled and not yet held. */
export async function nextOrdinaryMeeting(db: Db, today: string): Promise<Meeting | null> {
  const row = await db
    .selectFrom('meetings')
    .select('id')
    .where('kind', '=', 'ordinary')
    .where('status', '=', 'scheduled')
    .where('meeting_date', '>=', today)
    .orderBy('starts_at')
    .limit(1)
    .executeTakeFirst();
  return row ? findMeeting(db, row.id) : null;
}

const KIND_LABEL = {
  suspension: { nb: 'suspensjon', en: 'suspension' },
  exclusion: { nb: 'eksklusjon', en: 'exclusion' },
} as const;

/**
 * Puts the appeal on the next ordinary GA's agenda as a proposal under "proposals". The
 * statutes give the member this right whatever the proposal deadline; after the deadline
 * the proposal is marked late, as the board's registration, with the reason given.
 * The request key makes this idempotent: the job and the submit cannot place it twice.
 */
async function attachInTx(
  tx: Db,
  scope: Scope,
  opts: { appeal: Appeal; decision: Decision; caseNumber: number; actor: Actor },
): Promise<Meeting | null> {
  const { appeal, decision } = opts;
  const meeting = await nextOrdinaryMeeting(tx, scope.today);
  if (!meeting) return null;
  const requestKey = `moderation-appeal:${appeal.id}`;
  const existing = await findProposalByRequestKey(tx, requestKey);
  const proposalId = existing?.id ?? newId(scope.now.getTime());
  if (!existing) {
    const kind = decision.kind === 'exclusion' ? 'exclusion' : 'suspension';
    const late = !proposalOnTime(meeting.proposalDeadlineOn, scope.today);
    const agenda = await listAgenda(tx, meeting.id);
    const item = agenda.find((a) => a.kind === 'proposals');
    const period =
      decision.startsOn && decision.endsOn ? ` (${decision.startsOn} – ${decision.endsOn})` : '';
    await insertProposal(
      tx,
      {
        id: proposalId,
        meetingId: meeting.id,
        agendaItemId: item?.id ?? null,
        number: await nextProposalNumber(tx, meeting.id),
        kind: 'appeal',
        title: `Anke over ${KIND_LABEL[kind].nb} (modereringssak ${opts.caseNumber}) / Appeal of ${KIND_LABEL[kind].en} (moderation case ${opts.caseNumber})`,
        body: [
          `Vedtak / decision: ${KIND_LABEL[kind].nb} / ${KIND_LABEL[kind].en}${period}`,
          `Bestemmelse / clause: ${decision.clause}`,
          `Vedtatt / decided: ${decision.decidedAt.slice(0, 10)}`,
          '',
          'Medlemmets anke / the member’s appeal:',
          appeal.text,
          '',
          'Generalforsamlingen avgjør om anken tas til følge (vedtaket oppheves) eller forkastes.',
          'The general assembly decides whether the appeal is upheld (the decision is lifted) or rejected.',
        ].join('\n'),
        baseDocumentId: null,
        amendmentLocale: null,
        amendmentText: null,
        memberId: appeal.memberId,
        submittedBy: opts.actor.userId,
        late: late
          ? {
              decidedBy: null,
              label: 'moderation appeal',
              reason:
                'Anke over modereringsvedtak etter vedtektene, tatt inn av styret etter forslagsfristen / appeal of a moderation decision under the statutes, registered by the board after the proposal deadline',
            }
          : null,
        requestKey,
      },
      scope.now,
    );
  }
  if (!(await placeAppeal(tx, { id: appeal.id, proposalId, meetingId: meeting.id }))) return null;
  await recordCaseEvent(tx, {
    caseId: decision.caseId,
    actor: opts.actor,
    action: 'appeal.on_agenda',
    note: `${meeting.meetingDate}`,
    at: scope.now,
  });
  await recordAudit(tx, {
    actor: opts.actor,
    action: 'moderation.appeal_on_agenda',
    entityType: 'moderation_appeal',
    entityId: appeal.id,
    after: { meetingId: meeting.id, proposalId },
    at: scope.now,
  });
  return meeting;
}

/**
 * The member appeals a suspension or exclusion to the general assembly, once, within the
 * deadline. The appeal does not pause the decision.
 */
export async function submitAppeal(
  deps: Deps,
  input: { actor: Actor; memberId: string | null; decisionId: string; text: string },
): Promise<{ appealId: string; meeting: Meeting | null }> {
  try {
    return await deps.db.transaction().execute(async (tx) => {
      const scope = await scopeOf(tx, deps.clock.now());
      const decision = await findDecision(tx, input.decisionId);
      if (!decision) throw DecisionErrors.decisionNotFound();
      if (!input.memberId || decision.memberId !== input.memberId)
        throw DecisionErrors.appealNotYours();
      if (decision.kind !== 'suspension' && decision.kind !== 'exclusion')
        throw DecisionErrors.notAppealable();
      if (!decision.appealDeadlineOn || decision.appealDeadlineOn < scope.today)
        throw DecisionErrors.appealDeadlinePassed({ deadline: decision.appealDeadlineOn ?? '' });
      if (await findAppealOfDecision(tx, decision.id)) throw DecisionErrors.appealExists();
      const kase = await findCaseRef(tx, decision.caseId);
      if (!kase) throw DecisionErrors.caseNotFound();
      const appeal: Appeal = {
        id: newId(scope.now.getTime()),
        decisionId: decision.id,
        memberId: decision.memberId,
        text: input.text,
        submittedAt: scope.now.toISOString(),
        proposalId: null,
        meetingId: null,
        status: 'pending_meeting',
        decidedAt: null,
      };
      await insertAppeal(tx, appeal);
      await recordCaseEvent(tx, {
        caseId: decision.caseId,
        actor: input.actor,
        action: 'appeal.submitted',
        note: null,
        at: scope.now,
      });
      await recordAudit(tx, {
        actor: input.actor,
        action: 'moderation.appeal_submitted',
        entityType: 'moderation_appeal',
        entityId: appeal.id,
        after: { decisionId: decision.id },
        at: scope.now,
      });
      const meeting = await attachInTx(tx, scope, {
        appeal,
        decision,
        caseNumber: kase.number,
        actor: input.actor,
      });
      return { appealId: appeal.id, meeting };
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw DecisionErrors.appealExists();
    throw err;
  }
}

/** The job: appeals waiting for a GA go on the agenda of the next one scheduled. */
export async function attachPendingAppeals(deps: Deps): Promise<{ attached: number }> {
  let attached = 0;
  for (const id of await pendingAppealIds(deps.db)) {
    const placed = await deps.db.transaction().execute(async (tx) => {
      const scope = await scopeOf(tx, deps.clock.now());
      const appeal = await findAppeal(tx, id);
      if (!appeal || appeal.status !== 'pending_meeting') return false;
      const decision = await findDecision(tx, appeal.decisionId);
      const kase = decision ? await findCaseRef(tx, decision.caseId) : null;
      if (!decision || !kase) return false;
      const meeting = await attachInTx(tx, scope, {
        appeal,
        decision,
        caseNumber: kase.number,
        actor: systemActor,
      });
      return !!meeting;
    });
    if (placed) attached++;
  }
  return { attached };
}

/**
 * The board records the GA's outcome. Upheld: the suspension is lifted or the excluded
 * member reinstated (excluded → active, with the reason); rejected: the decision stands.
 */
export async function recordAppealOutcome(
  deps: Deps,
  input: { actor: Actor; appealId: string; outcome: 'upheld' | 'rejected'; note: string },
): Promise<void> {
  await deps.db.transaction().execute(async (tx) => {
    if (!(await settleAppealInTx(tx, { ...input, now: deps.clock.now() })))
      throw DecisionErrors.appealDecided();
  });
  deps.kickOutbox();
}

/**
 * The same inside the caller's transaction — also when the general assembly's vote on the
 * appeal closes (governance adoption.usecases). Returns false when the appeal was decided
 * already (nothing changes then).
 */
export async function settleAppealInTx(
  tx: Db,
  input: {
    actor: Actor;
    appealId: string;
    outcome: 'upheld' | 'rejected';
    note: string;
    now: Date;
  },
): Promise<boolean> {
  const scope = await scopeOf(tx, input.now);
  const appeal = await findAppeal(tx, input.appealId);
  if (!appeal) throw DecisionErrors.appealNotFound();
  const decision = await findDecision(tx, appeal.decisionId);
  if (!decision) throw DecisionErrors.decisionNotFound();
  if (!(await settleAppeal(tx, { id: appeal.id, status: input.outcome, now: scope.now })))
    return false;
  if (input.outcome === 'upheld' && decision.state === 'active')
    await liftInTx(tx, scope, {
      decision,
      reason: 'appeal_upheld',
      note: input.note,
      actor: input.actor,
    });
  await recordCaseEvent(tx, {
    caseId: decision.caseId,
    actor: input.actor,
    action: `appeal.${input.outcome}`,
    note: input.note,
    at: scope.now,
  });
  await recordAudit(tx, {
    actor: input.actor,
    action: 'moderation.appeal_decided',
    entityType: 'moderation_appeal',
    entityId: appeal.id,
    after: { outcome: input.outcome, note: input.note },
    at: scope.now,
  });
  return true;
}
