import type { Db } from '../../app/db.js';
import { reportQuery, toReport, type CaseReport } from './cases.repository.js';
import type { ReportSource } from './moderation.tables.js';

export type NewReport = {
  id: string;
  number: number;
  source: ReportSource;
  serviceId: string | null;
  externalId: string | null;
  reporterMemberId: string | null;
  reporterUserId: string | null;
  reportedMemberId: string | null;
  reportedHandle: string | null;
  contentUrl: string | null;
  description: string;
  aupClause: string | null;
};

export async function insertReport(tx: Db, r: NewReport, now: Date): Promise<void> {
  await tx
    .insertInto('moderation_reports')
    .values({
      id: r.id,
      number: r.number,
      source: r.source,
      service_id: r.serviceId,
      external_id: r.externalId,
      reporter_member_id: r.reporterMemberId,
      reporter_user_id: r.reporterUserId,
      reported_member_id: r.reportedMemberId,
      reported_handle: r.reportedHandle,
      content_url: r.contentUrl,
      description: r.description,
      aup_clause: r.aupClause,
      status: 'new',
      case_id: null,
      triaged_by: null,
      triaged_at: null,
      dismiss_reason: null,
      created_at: now.toISOString(),
    })
    .execute();
}

export async function findReport(db: Db, id: string): Promise<CaseReport | null> {
  const row = await reportQuery(db).where('r.id', '=', id).executeTakeFirst();
  return row ? toReport(row) : null;
}

export async function findReportByExternalId(
  db: Db,
  opts: { source: ReportSource; serviceId: string; externalId: string },
): Promise<CaseReport | null> {
  const row = await reportQuery(db)
    .where('r.source', '=', opts.source)
    .where('r.service_id', '=', opts.serviceId)
    .where('r.external_id', '=', opts.externalId)
    .executeTakeFirst();
  return row ? toReport(row) : null;
}

/**
 * The triage queue: new reports, oldest first. Reports about the viewer are left out, so a
 * moderator never learns who reported them.
 */
export async function listNewReports(
  db: Db,
  opts: { exceptMemberId: string | null; limit?: number },
): Promise<CaseReport[]> {
  let q = reportQuery(db).where('r.status', '=', 'new');
  if (opts.exceptMemberId) {
    const m = opts.exceptMemberId;
    q = q.where((eb) =>
      eb.or([eb('r.reported_member_id', 'is', null), eb('r.reported_member_id', '<>', m)]),
    );
  }
  const rows = await q
    .orderBy('r.number')
    .limit(opts.limit ?? 200)
    .execute();
  return rows.map(toReport);
}

/** A member by member number ("12", "#12") or by their account's handle ("@ola", "ola"). */
export async function findMemberByReference(
  db: Db,
  reference: string,
): Promise<{ id: string; memberNumber: number; name: string; userId: string | null } | null> {
  const ref = reference.trim();
  const number = /^#?(\d{1,9})$/.exec(ref);
  let q = db
    .selectFrom('members as m')
    .leftJoin('users as u', 'u.id', 'm.user_id')
    .select(['m.id', 'm.member_number', 'm.name', 'm.user_id'])
    .where('m.erased_at', 'is', null);
  if (number) q = q.where('m.member_number', '=', Number(number[1]));
  else {
    // A handle as Mastodon names it may carry the domain: "ola@social.example" → "ola".
    const handle = ref.replace(/^@/, '').split('@')[0]!.toLowerCase();
    if (!handle) return null;
    q = q.where('u.handle', '=', handle);
  }
  const row = await q.executeTakeFirst();
  return row
    ? { id: row.id, memberNumber: row.member_number, name: row.name, userId: row.user_id }
    : null;
}

export async function markReportsInCase(
  tx: Db,
  opts: { reportIds: string[]; caseId: string; by: string | null },
  now: Date,
): Promise<number> {
  const res = await tx
    .updateTable('moderation_reports')
    .set({
      status: 'in_case',
      case_id: opts.caseId,
      triaged_by: opts.by,
      triaged_at: now.toISOString(),
    })
    .where('id', 'in', opts.reportIds)
    .where('status', '=', 'new')
    .executeTakeFirst();
  return Number(res.numUpdatedRows);
}

export async function markReportDismissed(
  tx: Db,
  opts: { reportId: string; reason: string; by: string | null },
  now: Date,
): Promise<boolean> {
  const res = await tx
    .updateTable('moderation_reports')
    .set({
      status: 'dismissed',
      dismiss_reason: opts.reason,
      triaged_by: opts.by,
      triaged_at: now.toISOString(),
    })
    .where('id', '=', opts.reportId)
    .where('status', '=', 'new')
    .executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}
