// Helpers for the decision and appeal tests (imported by *.test.ts only).
import type { Kysely } from 'kysely';
import { nextNumber } from '../../app/counters.js';
import type { DB } from '../../app/database.js';
import { newId } from '../../app/ids.js';
import { insertCase } from './cases.repository.js';
import { answerHearing, insertHearing } from './hearings.repository.js';

/** A case about `memberId`, with one member report by `reporterMemberId` when given. */
export async function openTestCase(
  db: Kysely<DB>,
  opts: { memberId: string; reporter?: { memberId: string; userId: string }; now?: Date },
): Promise<{ caseId: string; number: number }> {
  const now = opts.now ?? new Date();
  const caseId = newId();
  const number = await db.transaction().execute((tx) => nextNumber(tx, 'moderation_case'));
  await insertCase(
    db,
    {
      id: caseId,
      number,
      memberId: opts.memberId,
      summary: 'Abuse in the chat',
      assignedTo: null,
      openedBy: null,
    },
    now,
  );
  if (opts.reporter) {
    const reportNumber = await db
      .transaction()
      .execute((tx) => nextNumber(tx, 'moderation_report'));
    await db
      .insertInto('moderation_reports')
      .values({
        id: newId(),
        number: reportNumber,
        source: 'member',
        service_id: null,
        external_id: null,
        reporter_member_id: opts.reporter.memberId,
        reporter_user_id: opts.reporter.userId,
        reported_member_id: opts.memberId,
        reported_handle: null,
        content_url: 'https://chat.example.org/m/1',
        description: 'Threats against another member',
        aup_clause: 'AUP 2.1',
        status: 'in_case',
        case_id: caseId,
        triaged_by: null,
        triaged_at: now.toISOString(),
        dismiss_reason: null,
        created_at: now.toISOString(),
      })
      .execute();
  }
  return { caseId, number };
}

/** A hearing sent and answered (the condition for a sanction). */
export async function hearTestCase(
  db: Kysely<DB>,
  opts: { caseId: string; deadlineOn: string; answered?: boolean; now?: Date },
): Promise<string> {
  const now = opts.now ?? new Date();
  const id = newId();
  await insertHearing(
    db,
    {
      id,
      caseId: opts.caseId,
      accusation: 'Threats in the chat',
      aupClause: 'AUP 2.1',
      deadlineOn: opts.deadlineOn,
      sentBy: null,
    },
    now,
  );
  if (opts.answered !== false) await answerHearing(db, id, 'I disagree.', now);
  return id;
}

/** Session, grant and token rows of the provider for an account, as a login leaves them. */
export async function insertOidcArtefacts(db: Kysely<DB>, accountId: string): Promise<void> {
  const expires = new Date(Date.now() + 3_600_000).toISOString();
  const grantId = `grant-${newId()}`;
  const row = (model: string, id: string, grant: string | null) => ({
    model,
    id,
    payload: JSON.stringify(
      model === 'Session' ? { accountId, authorizations: {} } : { accountId },
    ),
    account_id: accountId,
    client_id: model === 'Session' ? null : 'client-x',
    grant_id: grant,
    uid: null,
    user_code: null,
    expires_at: expires,
    consumed_at: null,
  });
  await db
    .insertInto('oidc_payloads')
    .values([
      row('Session', `sess-${newId()}`, null),
      row('Grant', grantId, grantId),
      row('AccessToken', `at-${newId()}`, grantId),
      row('RefreshToken', `rt-${newId()}`, grantId),
    ])
    .execute();
}
