import type { Selectable } from 'kysely';
import type { Db } from '../../app/db.js';
import type { DecisionKind, DecisionState, ModerationDecisionsTable } from './moderation.tables.js';

export type Decision = {
  id: string;
  caseId: string;
  memberId: string;
  kind: DecisionKind;
  urgent: boolean;
  reasons: string;
  clause: string;
  startsOn: string | null;
  endsOn: string | null;
  confirmBy: string | null;
  confirmedAt: string | null;
  state: DecisionState;
  liftedAt: string | null;
  liftReason: string | null;
  appealDeadlineOn: string | null;
  decidedBy: string | null;
  decidedAt: string;
};

function toDecision(r: Selectable<ModerationDecisionsTable>): Decision {
  return {
    id: r.id,
    caseId: r.case_id,
    memberId: r.member_id,
    kind: r.kind,
    urgent: Number(r.urgent) === 1,
    reasons: r.reasons,
    clause: r.clause,
    startsOn: r.starts_on,
    endsOn: r.ends_on,
    confirmBy: r.confirm_by,
    confirmedAt: r.confirmed_at,
    state: r.state,
    liftedAt: r.lifted_at,
    liftReason: r.lift_reason,
    appealDeadlineOn: r.appeal_deadline_on,
    decidedBy: r.decided_by,
    decidedAt: r.decided_at,
  };
}

// --- settings ----------------------------------------------------------------------

export type ModerationSettings = {
  /** An urgent suspension must be confirmed (or is lifted) within this many hours. */
  urgentConfirmHours: number;
  /** The member may appeal a suspension or exclusion this many days after the decision. */
  appealDays: number;
};

export const DEFAULT_MODERATION_SETTINGS: ModerationSettings = {
  urgentConfirmHours: 72,
  appealDays: 21,
};

const SETTING_KEYS = {
  urgentConfirmHours: 'moderation.urgent_confirm_hours',
  appealDays: 'moderation.appeal_days',
} as const;

/** Settings live in the shared key/value `settings` table; missing keys take the defaults. */
export async function getModerationSettings(db: Db): Promise<ModerationSettings> {
  const rows = await db
    .selectFrom('settings')
    .select(['key', 'value'])
    .where('key', 'in', Object.values(SETTING_KEYS))
    .execute();
  const read = (key: string, fallback: number) => {
    const n = Number(rows.find((r) => r.key === key)?.value);
    return Number.isInteger(n) && n > 0 ? n : fallback;
  };
  return {
    urgentConfirmHours: read(
      SETTING_KEYS.urgentConfirmHours,
      DEFAULT_MODERATION_SETTINGS.urgentConfirmHours,
    ),
    appealDays: read(SETTING_KEYS.appealDays, DEFAULT_MODERATION_SETTINGS.appealDays),
  };
}

export async function saveModerationSettings(db: Db, s: ModerationSettings): Promise<void> {
  for (const [field, key] of Object.entries(SETTING_KEYS)) {
    const value = String(s[field as keyof ModerationSettings]);
    await db
      .insertInto('settings')
      .values({ key, value })
      .onConflict((oc) => oc.column('key').doUpdateSet({ value }))
      .execute();
  }
}

// --- cases (the little this side needs; M1's cases.repository has the rest) -------

export type CaseRef = { id: string; number: number; memberId: string; status: string };

export async function findCaseRef(db: Db, id: string): Promise<CaseRef | null> {
  const r = await db
    .selectFrom('moderation_cases')
    .select(['id', 'number', 'member_id', 'status'])
    .where('id', '=', id)
    .executeTakeFirst();
  return r ? { id: r.id, number: r.number, memberId: r.member_id, status: r.status } : null;
}

export async function setCaseStatus(
  db: Db,
  id: string,
  status: 'decided' | 'closed',
  now: Date,
): Promise<void> {
  await db
    .updateTable('moderation_cases')
    .set({ status, updated_at: now.toISOString() })
    .where('id', '=', id)
    .execute();
}

/** Whether the user reported anything in the case (as an account or as a member). */
export async function reportedInCase(
  db: Db,
  opts: { caseId: string; userId: string | null; memberId: string | null },
): Promise<boolean> {
  const { userId, memberId } = opts;
  if (!userId && !memberId) return false;
  const row = await db
    .selectFrom('moderation_reports')
    .select('id')
    .where('case_id', '=', opts.caseId)
    .where((eb) =>
      eb.or([
        ...(userId ? [eb('reporter_user_id', '=', userId)] : []),
        ...(memberId ? [eb('reporter_member_id', '=', memberId)] : []),
      ]),
    )
    .executeTakeFirst();
  return !!row;
}

// --- decisions ---------------------------------------------------------------------

export async function insertDecision(
  db: Db,
  d: Omit<Decision, 'confirmedAt' | 'liftedAt' | 'liftReason' | 'state'>,
): Promise<void> {
  await db
    .insertInto('moderation_decisions')
    .values({
      id: d.id,
      case_id: d.caseId,
      member_id: d.memberId,
      kind: d.kind,
      urgent: d.urgent ? 1 : 0,
      reasons: d.reasons,
      clause: d.clause,
      starts_on: d.startsOn,
      ends_on: d.endsOn,
      confirm_by: d.confirmBy,
      confirmed_at: null,
      confirmed_by: null,
      state: 'active',
      lifted_at: null,
      lift_reason: null,
      appeal_deadline_on: d.appealDeadlineOn,
      decided_by: d.decidedBy,
      decided_at: d.decidedAt,
    })
    .execute();
}

export async function findDecision(db: Db, id: string): Promise<Decision | null> {
  const r = await db
    .selectFrom('moderation_decisions')
    .selectAll()
    .where('id', '=', id)
    .executeTakeFirst();
  return r ? toDecision(r) : null;
}

export async function listCaseDecisions(db: Db, caseId: string): Promise<Decision[]> {
  const rows = await db
    .selectFrom('moderation_decisions')
    .selectAll()
    .where('case_id', '=', caseId)
    .orderBy('decided_at')
    .orderBy('id')
    .execute();
  return rows.map(toDecision);
}

export async function listMemberDecisions(db: Db, memberId: string): Promise<Decision[]> {
  const rows = await db
    .selectFrom('moderation_decisions')
    .selectAll()
    .where('member_id', '=', memberId)
    .orderBy('decided_at', 'desc')
    .orderBy('id', 'desc')
    .execute();
  return rows.map(toDecision);
}

/** Earlier violations: warnings and suspensions in other cases, which justify an exclusion. */
export async function earlierViolations(
  db: Db,
  opts: { memberId: string; exceptCaseId: string },
): Promise<(Decision & { caseNumber: number })[]> {
  const rows = await db
    .selectFrom('moderation_decisions')
    .innerJoin('moderation_cases', 'moderation_cases.id', 'moderation_decisions.case_id')
    .selectAll('moderation_decisions')
    .select('moderation_cases.number as case_number')
    .where('moderation_decisions.member_id', '=', opts.memberId)
    .where('moderation_decisions.case_id', '!=', opts.exceptCaseId)
    .where('moderation_decisions.kind', 'in', ['warning', 'suspension'])
    .orderBy('moderation_decisions.decided_at', 'desc')
    .execute();
  return rows.map((r) => ({ ...toDecision(r), caseNumber: r.case_number }));
}

/** Suspensions and exclusions of the member now in force. */
export async function activeRestrictions(db: Db, memberId: string): Promise<Decision[]> {
  const rows = await db
    .selectFrom('moderation_decisions')
    .selectAll()
    .where('member_id', '=', memberId)
    .where('state', '=', 'active')
    .where('kind', 'in', ['suspension', 'exclusion'])
    .execute();
  return rows.map(toDecision);
}

/**
 * Ends a decision, only if it is still active: the guard that makes the jobs idempotent
 * (two runs, or two instances, lift a suspension once). Returns whether this call won.
 */
export async function closeDecision(
  db: Db,
  opts: { id: string; state: 'lifted' | 'superseded'; reason: string; now: Date },
): Promise<boolean> {
  const res = await db
    .updateTable('moderation_decisions')
    .set({ state: opts.state, lifted_at: opts.now.toISOString(), lift_reason: opts.reason })
    .where('id', '=', opts.id)
    .where('state', '=', 'active')
    .executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}

export async function markConfirmed(
  db: Db,
  opts: { id: string; userId: string | null; now: Date },
): Promise<boolean> {
  const res = await db
    .updateTable('moderation_decisions')
    .set({ confirmed_at: opts.now.toISOString(), confirmed_by: opts.userId })
    .where('id', '=', opts.id)
    .where('state', '=', 'active')
    .where('urgent', '=', 1)
    .where('confirmed_at', 'is', null)
    .executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}

/** Active suspensions whose last day is before `today`. */
export async function endedSuspensionIds(db: Db, today: string): Promise<string[]> {
  const rows = await db
    .selectFrom('moderation_decisions')
    .select('id')
    .where('kind', '=', 'suspension')
    .where('state', '=', 'active')
    .where('ends_on', '<', today)
    .orderBy('ends_on')
    .limit(500)
    .execute();
  return rows.map((r) => r.id);
}

/** Urgent suspensions still unconfirmed after their confirm-by instant. */
export async function expiredUrgentIds(db: Db, now: Date): Promise<string[]> {
  const rows = await db
    .selectFrom('moderation_decisions')
    .select('id')
    .where('urgent', '=', 1)
    .where('state', '=', 'active')
    .where('confirmed_at', 'is', null)
    .where('confirm_by', '<', now.toISOString())
    .limit(500)
    .execute();
  return rows.map((r) => r.id);
}
