import type { Selectable } from 'kysely';
import type { Db } from '../../app/db.js';
import type { AppealStatus, ModerationAppealsTable } from './moderation.tables.js';

// Appeals of moderation decisions to the general assembly.

export type Appeal = {
  id: string;
  decisionId: string;
  memberId: string;
  text: string;
  submittedAt: string;
  proposalId: string | null;
  meetingId: string | null;
  status: AppealStatus;
  decidedAt: string | null;
};

function toAppeal(r: Selectable<ModerationAppealsTable>): Appeal {
  return {
    id: r.id,
    decisionId: r.decision_id,
    memberId: r.member_id,
    text: r.text,
    submittedAt: r.submitted_at,
    proposalId: r.proposal_id,
    meetingId: r.meeting_id,
    status: r.status,
    decidedAt: r.decided_at,
  };
}

// --- appeals -----------------------------------------------------------------------

export async function insertAppeal(db: Db, a: Omit<Appeal, 'decidedAt'>): Promise<void> {
  await db
    .insertInto('moderation_appeals')
    .values({
      id: a.id,
      decision_id: a.decisionId,
      member_id: a.memberId,
      text: a.text,
      submitted_at: a.submittedAt,
      proposal_id: a.proposalId,
      meeting_id: a.meetingId,
      status: a.status,
      decided_at: null,
    })
    .execute();
}

export async function findAppeal(db: Db, id: string): Promise<Appeal | null> {
  const r = await db
    .selectFrom('moderation_appeals')
    .selectAll()
    .where('id', '=', id)
    .executeTakeFirst();
  return r ? toAppeal(r) : null;
}

/** The appeal a general assembly's proposal was made for (an 'appeal' proposal). */
export async function findAppealByProposal(db: Db, proposalId: string): Promise<Appeal | null> {
  const r = await db
    .selectFrom('moderation_appeals')
    .selectAll()
    .where('proposal_id', '=', proposalId)
    .executeTakeFirst();
  return r ? toAppeal(r) : null;
}

export async function findAppealOfDecision(db: Db, decisionId: string): Promise<Appeal | null> {
  const r = await db
    .selectFrom('moderation_appeals')
    .selectAll()
    .where('decision_id', '=', decisionId)
    .executeTakeFirst();
  return r ? toAppeal(r) : null;
}

export async function listAppealsOfDecisions(db: Db, decisionIds: string[]): Promise<Appeal[]> {
  if (decisionIds.length === 0) return [];
  const rows = await db
    .selectFrom('moderation_appeals')
    .selectAll()
    .where('decision_id', 'in', decisionIds)
    .execute();
  return rows.map(toAppeal);
}

export async function pendingAppealIds(db: Db): Promise<string[]> {
  const rows = await db
    .selectFrom('moderation_appeals')
    .select('id')
    .where('status', '=', 'pending_meeting')
    .orderBy('submitted_at')
    .execute();
  return rows.map((r) => r.id);
}

export async function placeAppeal(
  db: Db,
  opts: { id: string; proposalId: string; meetingId: string },
): Promise<boolean> {
  const res = await db
    .updateTable('moderation_appeals')
    .set({ proposal_id: opts.proposalId, meeting_id: opts.meetingId, status: 'on_agenda' })
    .where('id', '=', opts.id)
    .where('status', '=', 'pending_meeting')
    .executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}

export async function settleAppeal(
  db: Db,
  opts: { id: string; status: 'upheld' | 'rejected'; now: Date },
): Promise<boolean> {
  const res = await db
    .updateTable('moderation_appeals')
    .set({ status: opts.status, decided_at: opts.now.toISOString() })
    .where('id', '=', opts.id)
    .where('status', 'in', ['pending_meeting', 'on_agenda'])
    .executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}
