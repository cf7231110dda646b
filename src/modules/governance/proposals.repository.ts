import { sql, type Selectable } from 'kysely';
import type { Db } from '../../app/db.js';
import type {
  ProposalKind,
  ProposalsTable,
  ProposalStatus,
  Recommendation,
} from './governance.tables.js';

export type Proposal = {
  id: string;
  meetingId: string;
  agendaItemId: string | null;
  number: number;
  kind: ProposalKind;
  title: string;
  body: string;
  baseDocumentId: string | null;
  amendmentLocale: 'nb' | 'en' | null;
  amendmentText: string | null;
  memberId: string;
  memberName: string;
  memberNumber: number;
  status: ProposalStatus;
  submittedAt: string;
  late: boolean;
  lateDecidedLabel: string | null;
  lateReason: string | null;
  recommendation: Recommendation | null;
  recommendationText: string | null;
  recommendedAt: string | null;
};

type Row = Selectable<ProposalsTable> & { member_name: string; member_number: number };

function toProposal(r: Row): Proposal {
  return {
    id: r.id,
    meetingId: r.meeting_id,
    agendaItemId: r.agenda_item_id,
    number: r.number,
    kind: r.kind,
    title: r.title,
    body: r.body,
    baseDocumentId: r.base_document_id,
    amendmentLocale: r.amendment_locale === 'en' ? 'en' : r.amendment_locale === 'nb' ? 'nb' : null,
    amendmentText: r.amendment_text,
    memberId: r.member_id,
    memberName: r.member_name,
    memberNumber: r.member_number,
    status: r.status,
    submittedAt: r.submitted_at,
    late: r.late === 1,
    lateDecidedLabel: r.late_decided_label,
    lateReason: r.late_reason,
    recommendation: r.recommendation,
    recommendationText: r.recommendation_text,
    recommendedAt: r.recommended_at,
  };
}

function base(db: Db) {
  return db
    .selectFrom('proposals')
    .innerJoin('members', 'members.id', 'proposals.member_id')
    .selectAll('proposals')
    .select(['members.name as member_name', 'members.member_number as member_number']);
}

export async function findProposal(db: Db, id: string): Promise<Proposal | null> {
  const row = await base(db).where('proposals.id', '=', id).executeTakeFirst();
  return row ? toProposal(row) : null;
}

export async function findProposalByRequestKey(db: Db, key: string): Promise<Proposal | null> {
  const row = await base(db).where('proposals.request_key', '=', key).executeTakeFirst();
  return row ? toProposal(row) : null;
}

export async function listProposals(
  db: Db,
  opts: { meetingId: string; memberId?: string },
): Promise<Proposal[]> {
  let q = base(db).where('proposals.meeting_id', '=', opts.meetingId);
  if (opts.memberId) q = q.where('proposals.member_id', '=', opts.memberId);
  const rows = await q.orderBy('proposals.number').execute();
  return rows.map(toProposal);
}

export async function nextProposalNumber(db: Db, meetingId: string): Promise<number> {
  const row = await db
    .selectFrom('proposals')
    .select(sql<number | null>`max(number)`.as('max'))
    .where('meeting_id', '=', meetingId)
    .executeTakeFirst();
  return Number(row?.max ?? 0) + 1;
}

export async function insertProposal(
  db: Db,
  p: {
    id: string;
    meetingId: string;
    agendaItemId: string | null;
    number: number;
    kind: ProposalKind;
    title: string;
    body: string;
    baseDocumentId: string | null;
    amendmentLocale: string | null;
    amendmentText: string | null;
    memberId: string;
    submittedBy: string | null;
    late: { decidedBy: string | null; label: string; reason: string } | null;
    requestKey: string;
  },
  now: Date,
): Promise<void> {
  await db
    .insertInto('proposals')
    .values({
      id: p.id,
      meeting_id: p.meetingId,
      agenda_item_id: p.agendaItemId,
      number: p.number,
      kind: p.kind,
      title: p.title,
      body: p.body,
      base_document_id: p.baseDocumentId,
      amendment_locale: p.amendmentLocale,
      amendment_text: p.amendmentText,
      member_id: p.memberId,
      submitted_by: p.submittedBy,
      status: 'submitted',
      submitted_at: now.toISOString(),
      late: p.late ? 1 : 0,
      late_decided_by: p.late?.decidedBy ?? null,
      late_decided_label: p.late?.label ?? null,
      late_reason: p.late?.reason ?? null,
      request_key: p.requestKey,
      created_at: now.toISOString(),
      updated_at: now.toISOString(),
    })
    .execute();
}

export async function updateProposalText(
  db: Db,
  p: { id: string; title: string; body: string; amendmentText: string | null },
  now: Date,
): Promise<void> {
  await db
    .updateTable('proposals')
    .set({
      title: p.title,
      body: p.body,
      amendment_text: p.amendmentText,
      updated_at: now.toISOString(),
    })
    .where('id', '=', p.id)
    .execute();
}

export async function withdrawProposal(db: Db, id: string, now: Date): Promise<void> {
  await db
    .updateTable('proposals')
    .set({ status: 'withdrawn', updated_at: now.toISOString() })
    .where('id', '=', id)
    .execute();
}

export async function setRecommendation(
  db: Db,
  p: { id: string; recommendation: Recommendation; text: string | null; by: string | null },
  now: Date,
): Promise<void> {
  await db
    .updateTable('proposals')
    .set({
      recommendation: p.recommendation,
      recommendation_text: p.text,
      recommended_by: p.by,
      recommended_at: now.toISOString(),
      updated_at: now.toISOString(),
    })
    .where('id', '=', p.id)
    .execute();
}
