import { recordAudit, systemActor, type Actor } from '../../app/audit.js';
import type { AppContext } from '../../app/context.js';
import { addDays } from '../../app/dates.js';
import type { Db } from '../../app/db.js';
import { newId } from '../../app/ids.js';
import { findMemberById } from '../members/members.repository.js';
import { MemberErrors } from '../members/members.errors.js';
import { mail, moveStatus, recipientOf, scopeOf, type Scope } from '../members/member-status.js';
import { DecisionErrors } from './decisions.errors.js';
import { decisionMessage, liftedMessage, type LiftReason } from './decisions.emails.js';
import {
  activeRestrictions,
  closeDecision,
  endedSuspensionIds,
  expiredUrgentIds,
  findCaseRef,
  findDecision,
  getModerationSettings,
  insertDecision,
  markConfirmed,
  reportedInCase,
  setCaseStatus,
  type CaseRef,
  type Decision,
} from './decisions.repository.js';
import type { DecisionKind } from './moderation.tables.js';
import { recordCaseEvent } from './cases.repository.js';
import { hearingSatisfied } from './hearings.repository.js';

type Deps = Pick<AppContext, 'db' | 'clock' | 'config' | 'kickOutbox'>;

/** Who acts on a case: the user, their membership, and whether they hold the board's power. */
export type Handler = { actor: Actor; memberId: string | null; canExclude: boolean };

export const MAX_SUSPENSION_MONTHS = 12;

/** The same day `months` later (the last day of the month when it has no such day). */
export function addMonths(date: string, months: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const total = m - 1 + months;
  const year = y + Math.floor(total / 12);
  const month = (total % 12) + 1;
  const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return `${year}-${String(month).padStart(2, '0')}-${String(Math.min(d, last)).padStart(2, '0')}`;
}

/** 1 day to 12 months: the end after the start, and no later than 12 months after it. */
export function checkSuspensionPeriod(startsOn: string, endsOn: string | null): void {
  if (!endsOn)
    throw DecisionErrors.endRequired(undefined, { ends_on: DecisionErrors.endRequired().messages });
  if (endsOn <= startsOn) {
    const e = DecisionErrors.endBeforeStart({ start: startsOn });
    throw DecisionErrors.endBeforeStart({ start: startsOn }, { ends_on: withParams(e) });
  }
  const latest = addMonths(startsOn, MAX_SUSPENSION_MONTHS);
  if (endsOn > latest) {
    const e = DecisionErrors.tooLong({ latest });
    throw DecisionErrors.tooLong({ latest }, { ends_on: withParams(e) });
  }
}

function withParams(e: { message_(l: 'nb' | 'en'): string }) {
  return { nb: e.message_('nb'), en: e.message_('en') };
}

/** A moderator never handles a case about themselves or one they reported. */
async function checkNotOwnCase(tx: Db, kase: CaseRef, h: Handler): Promise<void> {
  if (h.memberId && kase.memberId === h.memberId) throw DecisionErrors.ownCase();
  if (await reportedInCase(tx, { caseId: kase.id, userId: h.actor.userId, memberId: h.memberId }))
    throw DecisionErrors.ownCase();
}

export type DecisionInput = {
  caseId: string;
  kind: DecisionKind;
  urgent: boolean;
  reasons: string;
  clause: string;
  endsOn: string | null;
};

/**
 * Decides a case. In one transaction: the decision row, the member's status through
 * moveStatus (which closes every service), the case's log, the audit entry and the email.
 */
export async function decideCase(
  deps: Deps,
  input: { handler: Handler; decision: DecisionInput },
): Promise<{ decisionId: string }> {
  const d = input.decision;
  const h = input.handler;
  const result = await deps.db.transaction().execute(async (tx) => {
    const scope = await scopeOf(tx, deps.clock.now());
    const kase = await findCaseRef(tx, d.caseId);
    if (!kase) throw DecisionErrors.caseNotFound();
    await checkNotOwnCase(tx, kase, h);
    if (d.kind === 'exclusion' && !h.canExclude) throw DecisionErrors.excludeBoardOnly();
    if (d.urgent && d.kind !== 'suspension') throw DecisionErrors.urgentOnlySuspension();
    const sanction = d.kind !== 'no_action';
    if (sanction && !d.urgent && !(await hearingSatisfied(tx, kase.id, scope.today)))
      throw DecisionErrors.hearingRequired();
    const member = await findMemberById(tx, kase.memberId);
    if (!member || member.erasedAt) throw MemberErrors.notFound();

    const startsOn = d.kind === 'suspension' ? scope.today : null;
    if (d.kind === 'suspension') checkSuspensionPeriod(scope.today, d.endsOn);
    const settings = await getModerationSettings(tx);
    const appealable = d.kind === 'suspension' || d.kind === 'exclusion';
    const appealDeadlineOn = appealable ? addDays(scope.today, settings.appealDays) : null;
    const reason = `Moderation case ${kase.number} (${d.clause})`;

    if (d.kind === 'suspension' || d.kind === 'exclusion') {
      // A new restriction replaces the one in force (an urgent suspension confirmed by a
      // full decision, or a suspension turned into exclusion).
      const current = await activeRestrictions(tx, member.id);
      if (d.kind === 'exclusion' && member.status === 'excluded')
        throw DecisionErrors.alreadyExcluded();
      if (d.kind === 'suspension' && member.status !== 'active' && member.status !== 'suspended')
        throw DecisionErrors.memberNotActive({ status: member.status });
      for (const c of current)
        await closeDecision(tx, {
          id: c.id,
          state: 'superseded',
          reason: 'superseded',
          now: scope.now,
        });
      const to = d.kind === 'suspension' ? 'suspended' : 'excluded';
      if (member.status !== to)
        await moveStatus(tx, scope, { member, to, reason, actor: h.actor, via: 'board' });
    }

    const decisionId = newId(scope.now.getTime());
    const settingsHours = settings.urgentConfirmHours;
    await insertDecision(tx, {
      id: decisionId,
      caseId: kase.id,
      memberId: member.id,
      kind: d.kind,
      urgent: d.urgent,
      reasons: d.reasons,
      clause: d.clause,
      startsOn,
      endsOn: d.kind === 'suspension' ? d.endsOn : null,
      confirmBy: d.urgent
        ? new Date(scope.now.getTime() + settingsHours * 3_600_000).toISOString()
        : null,
      appealDeadlineOn,
      decidedBy: h.actor.userId,
      decidedAt: scope.now.toISOString(),
    });
    // An urgent suspension comes before the hearing: the case stays open for it.
    if (!d.urgent) await setCaseStatus(tx, kase.id, 'decided', scope.now);
    await recordCaseEvent(tx, {
      caseId: kase.id,
      actor: h.actor,
      action: d.urgent ? 'decision.urgent_suspension' : `decision.${d.kind}`,
      note: d.kind === 'suspension' ? `${startsOn} – ${d.endsOn} · ${d.clause}` : d.clause,
      at: scope.now,
    });
    await recordAudit(tx, {
      actor: h.actor,
      action: 'moderation.decided',
      entityType: 'moderation_decision',
      entityId: decisionId,
      after: {
        caseId: kase.id,
        memberId: member.id,
        kind: d.kind,
        urgent: d.urgent,
        clause: d.clause,
        ...(startsOn ? { startsOn, endsOn: d.endsOn } : {}),
        ...(appealDeadlineOn ? { appealDeadlineOn } : {}),
      },
      at: scope.now,
    });
    const recipient = await recipientOf(tx, scope, member);
    if (recipient)
      await mail(
        tx,
        scope,
        decisionMessage({
          ...recipient,
          kind: d.kind,
          urgent: d.urgent,
          caseNumber: kase.number,
          reasons: d.reasons,
          clause: d.clause,
          startsOn,
          endsOn: d.kind === 'suspension' ? d.endsOn : null,
          appealDeadlineOn,
          appealLink: appealable
            ? `${deps.config.baseUrl}/moderation/appeals/new?decision=${decisionId}`
            : null,
        }),
      );
    return { decisionId };
  });
  deps.kickOutbox();
  return result;
}

/** An urgent suspension is confirmed once the member has been heard. */
export async function confirmUrgentSuspension(
  deps: Deps,
  input: { handler: Handler; decisionId: string },
): Promise<void> {
  await deps.db.transaction().execute(async (tx) => {
    const scope = await scopeOf(tx, deps.clock.now());
    const decision = await findDecision(tx, input.decisionId);
    if (!decision) throw DecisionErrors.decisionNotFound();
    const kase = await findCaseRef(tx, decision.caseId);
    if (!kase) throw DecisionErrors.caseNotFound();
    await checkNotOwnCase(tx, kase, input.handler);
    if (!decision.urgent || decision.confirmedAt || decision.state !== 'active')
      throw DecisionErrors.notUrgent();
    if (!(await hearingSatisfied(tx, kase.id, scope.today))) throw DecisionErrors.hearingRequired();
    if (
      !(await markConfirmed(tx, {
        id: decision.id,
        userId: input.handler.actor.userId,
        now: scope.now,
      }))
    )
      throw DecisionErrors.notUrgent();
    await recordCaseEvent(tx, {
      caseId: kase.id,
      actor: input.handler.actor,
      action: 'decision.urgent_confirmed',
      note: null,
      at: scope.now,
    });
    await recordAudit(tx, {
      actor: input.handler.actor,
      action: 'moderation.urgent_confirmed',
      entityType: 'moderation_decision',
      entityId: decision.id,
      at: scope.now,
    });
  });
}

/**
 * Ends a suspension or exclusion inside the caller's transaction, once: the decision is
 * closed only if still active, and the member returns to active only from the status the
 * decision put them in, and only when nothing else holds them. A member who became
 * lapsed or resigned meanwhile keeps that status; the decision is just closed.
 */
export async function liftInTx(
  tx: Db,
  scope: Scope,
  opts: { decision: Decision; reason: LiftReason; note: string | null; actor: Actor },
): Promise<{ lifted: boolean; reactivated: boolean }> {
  const { decision, actor } = opts;
  if (
    !(await closeDecision(tx, {
      id: decision.id,
      state: 'lifted',
      reason: opts.reason,
      now: scope.now,
    }))
  )
    return { lifted: false, reactivated: false };
  const member = await findMemberById(tx, decision.memberId);
  let reactivated = false;
  const holds = member ? await activeRestrictions(tx, member.id) : [];
  if (member && holds.length === 0) {
    const from = decision.kind === 'exclusion' ? 'excluded' : 'suspended';
    if (
      member.status === from &&
      (decision.kind === 'suspension' || decision.kind === 'exclusion')
    ) {
      const kase = await findCaseRef(tx, decision.caseId);
      await moveStatus(tx, scope, {
        member,
        to: 'active',
        reason: `Moderation case ${kase?.number ?? ''}: ${opts.reason}${opts.note ? ` – ${opts.note}` : ''}`,
        actor,
        via: 'board',
      });
      reactivated = true;
    }
  }
  await recordCaseEvent(tx, {
    caseId: decision.caseId,
    actor,
    action: `decision.lifted.${opts.reason}`,
    note: opts.note,
    at: scope.now,
  });
  await recordAudit(tx, {
    actor,
    action: 'moderation.lifted',
    entityType: 'moderation_decision',
    entityId: decision.id,
    before: { state: 'active' },
    after: { state: 'lifted', reason: opts.reason, reactivated },
    at: scope.now,
  });
  if (member) {
    const recipient = await recipientOf(tx, scope, member);
    if (recipient)
      await mail(tx, scope, liftedMessage({ ...recipient, reason: opts.reason, reactivated }));
  }
  return { lifted: true, reactivated };
}

/** A moderator lifts a suspension (typically an urgent one after the hearing). */
export async function liftSuspension(
  deps: Deps,
  input: { handler: Handler; decisionId: string; note: string },
): Promise<void> {
  await deps.db.transaction().execute(async (tx) => {
    const scope = await scopeOf(tx, deps.clock.now());
    const decision = await findDecision(tx, input.decisionId);
    if (!decision || decision.kind !== 'suspension') throw DecisionErrors.decisionNotFound();
    const kase = await findCaseRef(tx, decision.caseId);
    if (!kase) throw DecisionErrors.caseNotFound();
    await checkNotOwnCase(tx, kase, input.handler);
    const { lifted } = await liftInTx(tx, scope, {
      decision,
      reason: 'lifted',
      note: input.note,
      actor: input.handler.actor,
    });
    if (!lifted) throw DecisionErrors.notActiveDecision();
  });
  deps.kickOutbox();
}

async function liftEach(deps: Deps, ids: string[], reason: LiftReason): Promise<number> {
  let count = 0;
  for (const id of ids) {
    // One transaction per decision: one failure does not hold back the others.
    const lifted = await deps.db.transaction().execute(async (tx) => {
      const scope = await scopeOf(tx, deps.clock.now());
      const decision = await findDecision(tx, id);
      if (!decision || decision.state !== 'active') return false;
      const r = await liftInTx(tx, scope, { decision, reason, note: null, actor: systemActor });
      return r.lifted;
    });
    if (lifted) count++;
  }
  if (count > 0) deps.kickOutbox();
  return count;
}

/** The daily job: suspensions whose last day is before today (Europe/Oslo) are lifted. */
export async function liftEndedSuspensions(deps: Deps): Promise<{ lifted: number }> {
  const scope = await scopeOf(deps.db, deps.clock.now());
  return {
    lifted: await liftEach(deps, await endedSuspensionIds(deps.db, scope.today), 'expired'),
  };
}

/** Urgent suspensions not confirmed by their confirm-by instant are lifted. */
export async function liftUnconfirmedUrgent(deps: Deps): Promise<{ lifted: number }> {
  const ids = await expiredUrgentIds(deps.db, deps.clock.now());
  return { lifted: await liftEach(deps, ids, 'urgent_unconfirmed') };
}
