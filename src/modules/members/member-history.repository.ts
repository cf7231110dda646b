import type { Db } from '../../app/db.js';
import type { MemberStatus, Office } from './members.tables.js';

// A member's history: status changes, periods, accepted documents, office terms and the
// audit entries about them. Read by the member pages; office terms are also written here.

export type StatusChange = {
  id: string;
  from: MemberStatus | null;
  to: MemberStatus;
  at: string;
  actorUserId: string | null;
  actorLabel: string;
  reason: string | null;
};

export type MembershipPeriod = {
  id: string;
  year: number;
  startsOn: string;
  endsOn: string;
  paidAt: string | null;
  createdAt: string;
};

export type DocumentAcceptance = {
  id: string;
  documentId: string;
  kind: 'statutes' | 'aup';
  version: number;
  title: string;
  acceptedAt: string;
};

export type OfficeTerm = {
  id: string;
  memberId: string;
  office: Office;
  startsOn: string;
  endsOn: string | null;
  note: string | null;
  createdAt: string;
};

export type MemberAuditEntry = {
  id: string;
  at: string;
  actorLabel: string;
  action: string;
  before: string | null;
  after: string | null;
};

export async function listStatusChanges(db: Db, memberId: string): Promise<StatusChange[]> {
  const rows = await db
    .selectFrom('member_status_changes')
    .selectAll()
    .where('member_id', '=', memberId)
    .orderBy('at', 'desc')
    .orderBy('id', 'desc')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    from: r.from_status,
    to: r.to_status,
    at: r.at,
    actorUserId: r.actor_user_id,
    actorLabel: r.actor_label,
    reason: r.reason,
  }));
}

export async function listPeriods(db: Db, memberId: string): Promise<MembershipPeriod[]> {
  const rows = await db
    .selectFrom('membership_periods')
    .selectAll()
    .where('member_id', '=', memberId)
    .orderBy('year', 'desc')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    year: r.year,
    startsOn: r.starts_on,
    endsOn: r.ends_on,
    paidAt: r.paid_at,
    createdAt: r.created_at,
  }));
}

export async function listAcceptances(db: Db, memberId: string): Promise<DocumentAcceptance[]> {
  const rows = await db
    .selectFrom('document_acceptances as a')
    .innerJoin('documents as d', 'd.id', 'a.document_id')
    .select(['a.id', 'a.document_id', 'a.accepted_at', 'd.kind', 'd.version', 'd.title'])
    .where('a.member_id', '=', memberId)
    .orderBy('a.accepted_at', 'desc')
    .orderBy('d.kind')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    documentId: r.document_id,
    kind: r.kind,
    version: r.version,
    title: r.title,
    acceptedAt: r.accepted_at,
  }));
}

function toOfficeTerm(r: {
  id: string;
  member_id: string;
  office: Office;
  starts_on: string;
  ends_on: string | null;
  note: string | null;
  created_at: string;
}): OfficeTerm {
  return {
    id: r.id,
    memberId: r.member_id,
    office: r.office,
    startsOn: r.starts_on,
    endsOn: r.ends_on,
    note: r.note,
    createdAt: r.created_at,
  };
}

export async function listOfficeTerms(db: Db, memberId: string): Promise<OfficeTerm[]> {
  const rows = await db
    .selectFrom('office_terms')
    .selectAll()
    .where('member_id', '=', memberId)
    .orderBy('starts_on', 'desc')
    .orderBy('id', 'desc')
    .execute();
  return rows.map(toOfficeTerm);
}

export async function findOfficeTerm(db: Db, id: string): Promise<OfficeTerm | null> {
  const row = await db
    .selectFrom('office_terms')
    .selectAll()
    .where('id', '=', id)
    .executeTakeFirst();
  return row ? toOfficeTerm(row) : null;
}

export async function setOfficeTermEnd(db: Db, id: string, endsOn: string): Promise<void> {
  await db.updateTable('office_terms').set({ ends_on: endsOn }).where('id', '=', id).execute();
}

/** The audit trail of one member, newest first. */
export async function listMemberAuditEntries(
  db: Db,
  memberId: string,
  limit = 200,
): Promise<MemberAuditEntry[]> {
  const rows = await db
    .selectFrom('audit_log')
    .select(['id', 'at', 'actor_label', 'action', 'before', 'after'])
    .where('entity_type', '=', 'member')
    .where('entity_id', '=', memberId)
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    id: r.id,
    at: r.at,
    actorLabel: r.actor_label,
    action: r.action,
    before: r.before,
    after: r.after,
  }));
}
