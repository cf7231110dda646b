import { sql } from 'kysely';
import type { Db } from '../../app/db.js';
import { ERASED } from '../members/profile-erasure.repository.js';

// What retention changes once the accounting records of a fiscal year have been kept
// long enough (bokføringsloven § 13: five years after the end of the fiscal year). The
// amounts, accounts, dates and voucher numbers stay; the link to the person goes.

/** Replaces every occurrence of the person's names in a free text. */
export function stripNames(text: string | null, names: readonly string[]): string | null {
  if (text === null) return null;
  let out = text;
  for (const n of names) {
    if (n.length < 4) continue; // a short string would blank unrelated words
    out = out.replace(new RegExp(n.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'gi'), ERASED);
  }
  return out;
}

export type RetentionScope = {
  /** The newest fiscal year whose retention has run out. */
  throughYear: number;
  /** Only this member's records (an erasure request); all members' when absent. */
  memberId?: string;
};

/**
 * Expense claims of the years in scope not yet pseudonymised: the refund account and the
 * submitting account's id are erased, the claimant's own steps lose their name, and the
 * receipt files are deleted (their checksum, type and size stay as evidence of what was
 * kept). The claim's number, date, amount, VAT, category and description stay.
 */
export async function pseudonymiseClaims(
  db: Db,
  scope: RetentionScope,
  now: Date,
): Promise<{ claims: number; receipts: number }> {
  let q = db
    .selectFrom('expense_claims')
    .select(['id', 'submitted_by'])
    .where('fiscal_year', '<=', scope.throughYear)
    .where('pseudonymised_at', 'is', null);
  if (scope.memberId) q = q.where('member_id', '=', scope.memberId);
  const claims = await q.execute();
  let receipts = 0;
  for (let i = 0; i < claims.length; i += 500) {
    const batch = claims.slice(i, i + 500);
    const ids = batch.map((c) => c.id);
    const users = [...new Set(batch.map((c) => c.submitted_by))];
    await db
      .updateTable('expense_claims')
      .set({ payee_account: '', submitted_by: ERASED, pseudonymised_at: now.toISOString() })
      .where('id', 'in', ids)
      .execute();
    const r = await db
      .updateTable('expense_receipts')
      .set({ content: Buffer.alloc(0), filename: ERASED })
      .where('claim_id', 'in', ids)
      .where(sql<boolean>`length(${sql.ref('content')}) > 0`)
      .executeTakeFirst();
    receipts += Number(r.numUpdatedRows);
    await db
      .updateTable('expense_claim_events')
      .set({ actor_user_id: null, actor_label: ERASED })
      .where('claim_id', 'in', ids)
      .where('actor_user_id', 'in', users)
      .execute();
  }
  return { claims: claims.length, receipts };
}

/**
 * Journal lines of the years in scope that still name a member: the link goes (member_id
 * NULL) and the member's name, where a manual posting's text quotes it, is blanked.
 */
export async function pseudonymiseJournalLines(
  db: Db,
  scope: RetentionScope & { names?: readonly string[] },
): Promise<number> {
  let q = db
    .selectFrom('journal_lines as l')
    .innerJoin('journal_entries as e', 'e.id', 'l.entry_id')
    .leftJoin('members as m', 'm.id', 'l.member_id')
    .select([
      'l.entry_id',
      'l.position',
      'l.description',
      'm.name',
      'm.contact_person',
      'm.erased_at',
    ])
    .where('e.fiscal_year', '<=', scope.throughYear)
    .where('l.member_id', 'is not', null);
  if (scope.memberId) q = q.where('l.member_id', '=', scope.memberId);
  const rows = await q.execute();
  const plain: { entry_id: string; position: number }[] = [];
  for (const r of rows) {
    const names = [
      ...(scope.names ?? []),
      ...(r.erased_at ? [] : [r.name, r.contact_person].filter((n): n is string => !!n)),
    ];
    const description = stripNames(r.description, names);
    if (description === r.description) plain.push(r);
    else
      await db
        .updateTable('journal_lines')
        .set({ member_id: null, description })
        .where('entry_id', '=', r.entry_id)
        .where('position', '=', r.position)
        .execute();
  }
  for (let i = 0; i < plain.length; i += 500)
    await db
      .updateTable('journal_lines')
      .set({ member_id: null })
      .where((eb) =>
        eb(
          eb.refTuple('entry_id', 'position'),
          'in',
          plain.slice(i, i + 500).map((p) => eb.tuple(p.entry_id, p.position)),
        ),
      )
      .execute();
  return rows.length;
}

/** Finished series (ended within a year now out of retention) lose the refund account. */
export async function pseudonymiseSeries(
  db: Db,
  scope: RetentionScope & { endedBefore: string },
): Promise<number> {
  let q = db
    .updateTable('expense_series')
    .set({ payee_account: '', active: 0 })
    .where('ends_on', 'is not', null)
    .where('ends_on', '<=', scope.endedBefore)
    .where('payee_account', '<>', '');
  if (scope.memberId) q = q.where('member_id', '=', scope.memberId);
  return Number((await q.executeTakeFirst()).numUpdatedRows);
}
