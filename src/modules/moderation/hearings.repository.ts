import type { Db } from '../../app/db.js';

export type Hearing = {
  id: string;
  caseId: string;
  accusation: string;
  aupClause: string | null;
  deadlineOn: string;
  sentAt: string;
  sentBy: string | null;
  answer: string | null;
  answeredAt: string | null;
};

function toHearing(r: {
  id: string;
  case_id: string;
  accusation: string;
  aup_clause: string | null;
  deadline_on: string;
  sent_at: string;
  sent_by: string | null;
  answer: string | null;
  answered_at: string | null;
}): Hearing {
  return {
    id: r.id,
    caseId: r.case_id,
    accusation: r.accusation,
    aupClause: r.aup_clause,
    deadlineOn: r.deadline_on,
    sentAt: r.sent_at,
    sentBy: r.sent_by,
    answer: r.answer,
    answeredAt: r.answered_at,
  };
}

export async function findHearing(db: Db, id: string): Promise<Hearing | null> {
  const row = await db
    .selectFrom('moderation_hearings')
    .selectAll()
    .where('id', '=', id)
    .executeTakeFirst();
  return row ? toHearing(row) : null;
}

/** The hearings of a case, oldest first. */
export async function listHearings(db: Db, caseId: string): Promise<Hearing[]> {
  const rows = await db
    .selectFrom('moderation_hearings')
    .selectAll()
    .where('case_id', '=', caseId)
    .orderBy('sent_at')
    .orderBy('id')
    .execute();
  return rows.map(toHearing);
}

/** A hearing is complete when the member answered, or the deadline (inclusive) has passed. */
export function hearingComplete(h: Pick<Hearing, 'answeredAt' | 'deadlineOn'>, today: string) {
  return h.answeredAt !== null || h.deadlineOn < today;
}

/**
 * True when the member of the case has been heard before a sanction: a hearing was sent
 * and either answered or its deadline has passed (`today` is the association's date).
 * An urgent temporary suspension is the only sanction that may come before this.
 */
export async function hearingSatisfied(db: Db, caseId: string, today: string): Promise<boolean> {
  const hearings = await listHearings(db, caseId);
  return hearings.some((h) => hearingComplete(h, today));
}

export async function insertHearing(
  tx: Db,
  h: {
    id: string;
    caseId: string;
    accusation: string;
    aupClause: string | null;
    deadlineOn: string;
    sentBy: string | null;
  },
  now: Date,
): Promise<void> {
  await tx
    .insertInto('moderation_hearings')
    .values({
      id: h.id,
      case_id: h.caseId,
      accusation: h.accusation,
      aup_clause: h.aupClause,
      deadline_on: h.deadlineOn,
      sent_at: now.toISOString(),
      sent_by: h.sentBy,
      answer: null,
      answered_at: null,
    })
    .execute();
}

/** Records the answer once; false when it had already been answered. */
export async function answerHearing(
  tx: Db,
  id: string,
  answer: string,
  now: Date,
): Promise<boolean> {
  const res = await tx
    .updateTable('moderation_hearings')
    .set({ answer, answered_at: now.toISOString() })
    .where('id', '=', id)
    .where('answered_at', 'is', null)
    .executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}
