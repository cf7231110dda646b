import type { Actor } from '../../app/audit.js';
import type { Db } from '../../app/db.js';
import { CommonErrors } from '../../app/errors.js';
import { newId } from '../../app/ids.js';
import { ReportErrors } from './reports.errors.js';
import type { CaseStatus, ReportSource, ReportStatus } from './moderation.tables.js';

// Shared reads of moderation cases, the case log, and the access rules every case page
// and case action goes through. Case data is for moderators and the board only; the member
// a case is about never sees it (in particular never who reported them), and a moderator
// cannot handle a case about themselves or one they reported.

export type ModerationCase = {
  id: string;
  number: number;
  memberId: string;
  memberNumber: number;
  memberName: string;
  status: CaseStatus;
  summary: string;
  assignedTo: string | null;
  assignedHandle: string | null;
  openedBy: string | null;
  createdAt: string;
  updatedAt: string;
  closedAt: string | null;
};

export type CaseEvent = {
  id: string;
  caseId: string;
  at: string;
  actorUserId: string | null;
  actorLabel: string;
  action: string;
  note: string | null;
};

/** A report as moderators see it, reporter included: never hand this to the reported member. */
export type CaseReport = {
  id: string;
  number: number;
  source: ReportSource;
  serviceId: string | null;
  serviceName: string | null;
  externalId: string | null;
  reporterMemberId: string | null;
  reporterUserId: string | null;
  reporterName: string | null;
  reportedMemberId: string | null;
  reportedHandle: string | null;
  contentUrl: string | null;
  description: string;
  aupClause: string | null;
  status: ReportStatus;
  caseId: string | null;
  dismissReason: string | null;
  createdAt: string;
};

/** Who is asking: enough of CurrentUser to apply the rules. */
export type CaseViewer = {
  id: string;
  memberId: string | null;
  permissions: Set<string>;
};

function caseQuery(db: Db) {
  return db
    .selectFrom('moderation_cases as c')
    .innerJoin('members as m', 'm.id', 'c.member_id')
    .leftJoin('users as a', 'a.id', 'c.assigned_to')
    .select([
      'c.id',
      'c.number',
      'c.member_id',
      'm.member_number',
      'm.name as member_name',
      'c.status',
      'c.summary',
      'c.assigned_to',
      'a.handle as assigned_handle',
      'c.opened_by',
      'c.created_at',
      'c.updated_at',
      'c.closed_at',
    ]);
}

type CaseRow = Awaited<ReturnType<ReturnType<typeof caseQuery>['executeTakeFirstOrThrow']>>;

function toCase(r: CaseRow): ModerationCase {
  return {
    id: r.id,
    number: r.number,
    memberId: r.member_id,
    memberNumber: r.member_number,
    memberName: r.member_name,
    status: r.status,
    summary: r.summary,
    assignedTo: r.assigned_to,
    assignedHandle: r.assigned_handle,
    openedBy: r.opened_by,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    closedAt: r.closed_at,
  };
}

export async function findCase(db: Db, id: string): Promise<ModerationCase | null> {
  const row = await caseQuery(db).where('c.id', '=', id).executeTakeFirst();
  return row ? toCase(row) : null;
}

/**
 * Cases for a list, newest first. `exceptMemberId` leaves out cases about the viewer
 * (a moderator never sees their own case).
 */
export async function listCases(
  db: Db,
  opts: {
    statuses?: CaseStatus[];
    memberId?: string;
    exceptMemberId?: string | null;
    limit?: number;
  } = {},
): Promise<ModerationCase[]> {
  let q = caseQuery(db);
  if (opts.statuses?.length) q = q.where('c.status', 'in', opts.statuses);
  if (opts.memberId) q = q.where('c.member_id', '=', opts.memberId);
  if (opts.exceptMemberId) q = q.where('c.member_id', '<>', opts.exceptMemberId);
  const rows = await q
    .orderBy('c.number', 'desc')
    .limit(opts.limit ?? 200)
    .execute();
  return rows.map(toCase);
}

/** Open (not decided or closed) cases about a member: where a new report can be added. */
export async function listOpenCasesOfMember(db: Db, memberId: string): Promise<ModerationCase[]> {
  return listCases(db, { memberId, statuses: ['open', 'hearing'] });
}

export async function insertCase(
  tx: Db,
  c: {
    id: string;
    number: number;
    memberId: string;
    summary: string;
    assignedTo: string | null;
    openedBy: string | null;
  },
  now: Date,
): Promise<void> {
  await tx
    .insertInto('moderation_cases')
    .values({
      id: c.id,
      number: c.number,
      member_id: c.memberId,
      status: 'open',
      summary: c.summary,
      assigned_to: c.assignedTo,
      opened_by: c.openedBy,
      created_at: now.toISOString(),
      updated_at: now.toISOString(),
      closed_at: null,
    })
    .execute();
}

export async function updateCase(
  tx: Db,
  id: string,
  patch: { status?: CaseStatus; assignedTo?: string | null; closedAt?: string | null },
  now: Date,
): Promise<void> {
  await tx
    .updateTable('moderation_cases')
    .set({
      ...(patch.status !== undefined ? { status: patch.status } : {}),
      ...(patch.assignedTo !== undefined ? { assigned_to: patch.assignedTo } : {}),
      ...(patch.closedAt !== undefined ? { closed_at: patch.closedAt } : {}),
      updated_at: now.toISOString(),
    })
    .where('id', '=', id)
    .execute();
}

/** The case log, oldest first. */
export async function listCaseEvents(db: Db, caseId: string): Promise<CaseEvent[]> {
  const rows = await db
    .selectFrom('moderation_case_events')
    .selectAll()
    .where('case_id', '=', caseId)
    .orderBy('at')
    .orderBy('id')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    caseId: r.case_id,
    at: r.at,
    actorUserId: r.actor_user_id,
    actorLabel: r.actor_label,
    action: r.action,
    note: r.note,
  }));
}

/**
 * Writes one line of the case log, in the caller's transaction (beside the audit entry).
 * `action` is a short code (`opened`, `report_added`, `assigned`, `hearing_sent`,
 * `hearing_answered`, `decision_…`); `note` is free text for moderators.
 */
export async function recordCaseEvent(
  tx: Db,
  e: { caseId: string; actor: Actor; action: string; note?: string | null; at: Date },
): Promise<void> {
  await tx
    .insertInto('moderation_case_events')
    .values({
      id: newId(e.at.getTime()),
      case_id: e.caseId,
      at: e.at.toISOString(),
      actor_user_id: e.actor.userId,
      actor_label: e.actor.label,
      action: e.action,
      note: e.note ?? null,
    })
    .execute();
}

export function reportQuery(db: Db) {
  return db
    .selectFrom('moderation_reports as r')
    .leftJoin('services as s', 's.id', 'r.service_id')
    .leftJoin('members as rm', 'rm.id', 'r.reporter_member_id')
    .select([
      'r.id',
      'r.number',
      'r.source',
      'r.service_id',
      's.name as service_name',
      'r.external_id',
      'r.reporter_member_id',
      'r.reporter_user_id',
      'rm.name as reporter_name',
      'r.reported_member_id',
      'r.reported_handle',
      'r.content_url',
      'r.description',
      'r.aup_clause',
      'r.status',
      'r.case_id',
      'r.dismiss_reason',
      'r.created_at',
    ]);
}

type ReportRow = Awaited<ReturnType<ReturnType<typeof reportQuery>['executeTakeFirstOrThrow']>>;

export function toReport(r: ReportRow): CaseReport {
  return {
    id: r.id,
    number: r.number,
    source: r.source,
    serviceId: r.service_id,
    serviceName: r.service_name,
    externalId: r.external_id,
    reporterMemberId: r.reporter_member_id,
    reporterUserId: r.reporter_user_id,
    reporterName: r.reporter_name,
    reportedMemberId: r.reported_member_id,
    reportedHandle: r.reported_handle,
    contentUrl: r.content_url,
    description: r.description,
    aupClause: r.aup_clause,
    status: r.status,
    caseId: r.case_id,
    dismissReason: r.dismiss_reason,
    createdAt: r.created_at,
  };
}

/** The reports gathered in a case, oldest first (moderators only: includes the reporter). */
export async function listCaseReports(db: Db, caseId: string): Promise<CaseReport[]> {
  const rows = await reportQuery(db).where('r.case_id', '=', caseId).orderBy('r.number').execute();
  return rows.map(toReport);
}

/** Why this viewer may not handle the case, or null when they may. */
export async function handlingConflict(
  db: Db,
  opts: { caseId: string; memberId: string; viewer: Pick<CaseViewer, 'id' | 'memberId'> },
): Promise<'own_case' | 'reporter' | null> {
  if (opts.viewer.memberId && opts.viewer.memberId === opts.memberId) return 'own_case';
  let q = db
    .selectFrom('moderation_reports')
    .select('id')
    .where('case_id', '=', opts.caseId)
    .where('reporter_user_id', '=', opts.viewer.id);
  if (opts.viewer.memberId) {
    const memberId = opts.viewer.memberId;
    q = db
      .selectFrom('moderation_reports')
      .select('id')
      .where('case_id', '=', opts.caseId)
      .where((eb) =>
        eb.or([
          eb('reporter_user_id', '=', opts.viewer.id),
          eb('reporter_member_id', '=', memberId),
        ]),
      );
  }
  const reported = await q.limit(1).executeTakeFirst();
  return reported ? 'reporter' : null;
}

/**
 * The case, if this viewer may read it: moderators and the board, never the member the
 * case is about (a moderator under a case of their own gets 403 like anyone else).
 */
export async function viewableCase(
  db: Db,
  opts: { caseId: string; viewer: CaseViewer | null },
): Promise<ModerationCase> {
  const v = opts.viewer;
  if (!v?.permissions.has('moderation.handle')) throw CommonErrors.forbidden();
  const c = await findCase(db, opts.caseId);
  if (!c) throw ReportErrors.caseNotFound();
  if (v.memberId && v.memberId === c.memberId) throw ReportErrors.ownCase();
  return c;
}

/**
 * The case, if this viewer may act on it (open, add, assign, hear, decide): readable, and
 * neither about them nor reported by them. Use inside the use-case's transaction.
 */
export async function handleableCase(
  db: Db,
  opts: { caseId: string; viewer: CaseViewer | null },
): Promise<ModerationCase> {
  const c = await viewableCase(db, opts);
  const conflict = await handlingConflict(db, {
    caseId: c.id,
    memberId: c.memberId,
    viewer: opts.viewer!,
  });
  if (conflict === 'own_case') throw ReportErrors.ownCase();
  if (conflict === 'reporter') throw ReportErrors.reporterOfCase();
  return c;
}

/** Moderators and board members in office today: who a case can be assigned to. */
export async function listHandlers(
  db: Db,
  today: string,
): Promise<{ userId: string; handle: string; name: string; memberId: string }[]> {
  const rows = await db
    .selectFrom('office_terms as o')
    .innerJoin('members as m', 'm.id', 'o.member_id')
    .innerJoin('users as u', 'u.id', 'm.user_id')
    .select(['u.id as user_id', 'u.handle', 'm.name', 'm.id as member_id'])
    .where('o.office', 'in', ['moderator', 'board_member'])
    .where('o.starts_on', '<=', today)
    .where((eb) => eb.or([eb('o.ends_on', 'is', null), eb('o.ends_on', '>=', today)]))
    .where('m.status', '=', 'active')
    .distinct()
    .orderBy('u.handle')
    .execute();
  return rows.map((r) => ({
    userId: r.user_id,
    handle: r.handle,
    name: r.name,
    memberId: r.member_id,
  }));
}
