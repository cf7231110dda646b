import type { Kysely } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Running } from '../../app/bootstrap.js';
import { fixedClock } from '../../app/clock.js';
import type { DB } from '../../app/database.js';
import { newId } from '../../app/ids.js';
import { setUpAssociation, startTestApp } from '../../../test/helpers/app.js';
import { describeEachDialect } from '../../../test/helpers/db.js';
import { createMemberUser, PASSWORD } from '../../../test/helpers/fixtures.js';
import { eraseMyself } from '../members/profile.usecases.js';
import { ERASED } from '../members/profile-erasure.repository.js';
import { insertJournalEntries } from './journal.repository.js';
import { retentionThroughYear, runRetention } from './retention.usecases.js';

let claimNumber = 0;

/** A paid claim with a receipt, and its two postings (the claim and the refund). */
async function claimWithPostings(
  db: Kysely<DB>,
  opts: { memberId: string; userId: string; year: number; now: Date; name: string },
) {
  const id = newId();
  const at = opts.now.toISOString();
  await db
    .insertInto('expense_claims')
    .values({
      id,
      number: ++claimNumber,
      member_id: opts.memberId,
      submitted_by: opts.userId,
      series_id: null,
      spent_on: `${opts.year}-03-01`,
      amount_ore: 25000,
      vat_ore: 0,
      description: 'Hosting',
      category: '6420',
      payee_account: '86011117947',
      status: 'paid',
      attested_by: 'someone',
      attested_at: at,
      approved_by: 'someone-else',
      approved_at: at,
      paid_on: `${opts.year}-03-10`,
      payment_reference: 'ref',
      paid_by: 'someone-else',
      reason: null,
      fiscal_year: opts.year,
      pseudonymised_at: null,
      created_at: at,
      updated_at: at,
    })
    .execute();
  await db
    .insertInto('expense_receipts')
    .values({
      id: newId(),
      claim_id: id,
      filename: `kvittering ${opts.name}.pdf`,
      content_type: 'application/pdf',
      size: 9,
      sha256: 'x'.repeat(64),
      content: Buffer.from('%PDF-1.4\n'),
      created_at: at,
    })
    .execute();
  await db
    .insertInto('expense_claim_events')
    .values({
      id: newId(),
      claim_id: id,
      at,
      actor_user_id: opts.userId,
      actor_label: opts.name,
      action: 'submitted',
      note: null,
    })
    .execute();
  await db.transaction().execute((tx) =>
    insertJournalEntries(tx, {
      now: opts.now,
      createdBy: null,
      entries: [
        {
          fiscalYear: opts.year,
          postedOn: `${opts.year}-03-01`,
          description: `Utlegg nr. ${claimNumber}`,
          sourceKind: 'expense',
          sourceId: id,
          lines: [
            { account: '6420', debitOre: 25000 },
            {
              account: '2910',
              creditOre: 25000,
              memberId: opts.memberId,
              description: `Refusjon til ${opts.name}`,
            },
          ],
        },
      ],
    }),
  );
  return id;
}

async function claimState(db: Kysely<DB>, id: string) {
  const claim = await db
    .selectFrom('expense_claims')
    .select(['payee_account', 'submitted_by', 'pseudonymised_at', 'amount_ore', 'description'])
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
  const receipt = await db
    .selectFrom('expense_receipts')
    .select(['content', 'filename', 'sha256'])
    .where('claim_id', '=', id)
    .executeTakeFirstOrThrow();
  const line = await db
    .selectFrom('journal_lines')
    .innerJoin('journal_entries', 'journal_entries.id', 'journal_lines.entry_id')
    .select(['journal_lines.member_id', 'journal_lines.description', 'journal_lines.credit_ore'])
    .where('journal_entries.source_id', '=', id)
    .where('journal_lines.account', '=', '2910')
    .executeTakeFirstOrThrow();
  const event = await db
    .selectFrom('expense_claim_events')
    .select(['actor_label', 'actor_user_id'])
    .where('claim_id', '=', id)
    .executeTakeFirstOrThrow();
  return { claim, receiptBytes: Buffer.from(receipt.content).length, receipt, line, event };
}

it('keeps a fiscal year five years after its end', () => {
  expect(retentionThroughYear('2025-12-31', 1)).toBe(2019);
  expect(retentionThroughYear('2026-01-01', 1)).toBe(2020);
  // Fiscal years from July: 2020/21 ends 2021-06-30, kept through 2026-06-30.
  expect(retentionThroughYear('2026-06-30', 7)).toBe(2019);
  expect(retentionThroughYear('2026-07-01', 7)).toBe(2020);
});

describeEachDialect('retention of accounting records', (h) => {
  let app: Running;
  const clock = fixedClock('2026-06-01T10:00:00Z');

  beforeAll(async () => {
    app = await startTestApp({ database: h.database(), clock });
    await setUpAssociation(app);
  });
  afterAll(async () => {
    await app?.close();
  });

  it('pseudonymises claims, receipts and postings after five years, and keeps younger ones', async () => {
    const db = h.db();
    const { user, member } = await createMemberUser(db, { name: 'Kari Kvittering' });
    const old = await claimWithPostings(db, {
      memberId: member.id,
      userId: user.id,
      year: 2020,
      now: clock.now(),
      name: user.name,
    });
    const young = await claimWithPostings(db, {
      memberId: member.id,
      userId: user.id,
      year: 2021,
      now: clock.now(),
      name: user.name,
    });

    const counts = await runRetention(app.ctx);
    expect(counts).toMatchObject({ throughYear: 2020, claims: 1, receipts: 1, journalLines: 1 });

    const o = await claimState(db, old);
    expect(o.claim).toMatchObject({
      payee_account: '',
      submitted_by: ERASED,
      amount_ore: 25000,
      description: 'Hosting',
    });
    expect(o.claim.pseudonymised_at).not.toBeNull();
    expect(o.receiptBytes).toBe(0);
    expect(o.receipt.filename).toBe(ERASED);
    expect(o.receipt.sha256).toBe('x'.repeat(64));
    expect(o.line.member_id).toBeNull();
    expect(o.line.description).toBe(`Refusjon til ${ERASED}`);
    expect(Number(o.line.credit_ore)).toBe(25000);
    expect(o.event).toEqual({ actor_label: ERASED, actor_user_id: null });

    const y = await claimState(db, young);
    expect(y.claim.payee_account).toBe('86011117947');
    expect(y.claim.pseudonymised_at).toBeNull();
    expect(y.receiptBytes).toBe(9);
    expect(y.line.member_id).toBe(member.id);

    // Idempotent: a second run finds nothing; the audit log has one entry.
    expect(await runRetention(app.ctx)).toMatchObject({ claims: 0, receipts: 0, journalLines: 0 });
    const audits = await db
      .selectFrom('audit_log')
      .select('id')
      .where('action', '=', 'finance.retention_pseudonymised')
      .execute();
    expect(audits).toHaveLength(1);
  });

  it('an erasure request keeps records younger than five years, and the job pseudonymises them later', async () => {
    const db = h.db();
    const { user, member } = await createMemberUser(db, { name: 'Per Slettesen' });
    const old = await claimWithPostings(db, {
      memberId: member.id,
      userId: user.id,
      year: 2019,
      now: clock.now(),
      name: user.name,
    });
    const young = await claimWithPostings(db, {
      memberId: member.id,
      userId: user.id,
      year: 2026,
      now: clock.now(),
      name: user.name,
    });

    await eraseMyself(app.ctx, { userId: user.id, currentPassword: PASSWORD });

    // Past retention: pseudonymised with the erasure, the name gone from the posting text.
    const o = await claimState(db, old);
    expect(o.claim.pseudonymised_at).not.toBeNull();
    expect(o.receiptBytes).toBe(0);
    expect(o.line).toMatchObject({ member_id: null, description: `Refusjon til ${ERASED}` });
    // Within retention: kept as it was — claim, receipt, posting and its member link.
    const y = await claimState(db, young);
    expect(y.claim.payee_account).toBe('86011117947');
    expect(y.claim.pseudonymised_at).toBeNull();
    expect(y.receiptBytes).toBe(9);
    expect(y.line.member_id).toBe(member.id);
    expect(
      await db
        .selectFrom('expense_claims')
        .select('id')
        .where('member_id', '=', member.id)
        .execute(),
    ).toHaveLength(2);

    // 2026 is kept through 2031; from 2032 the daily job pseudonymises it.
    clock.set('2031-12-31T12:00:00Z');
    await runRetention(app.ctx);
    expect((await claimState(db, young)).claim.pseudonymised_at).toBeNull();
    clock.set('2032-01-01T12:00:00Z');
    await runRetention(app.ctx);
    const later = await claimState(db, young);
    expect(later.claim.pseudonymised_at).not.toBeNull();
    expect(later.claim.payee_account).toBe('');
    expect(later.receiptBytes).toBe(0);
    expect(later.line.member_id).toBeNull();
    clock.set('2026-06-01T10:00:00Z');
  });

  it('runs as the daily job finance.retention', async () => {
    const { financeJobs } = await import('./finance.jobs.js');
    const jobs = financeJobs(app.ctx);
    expect(Object.keys(jobs.handlers)).toContain('finance.retention');
    expect(jobs.recurring.map((r) => r.name)).toContain('finance.retention');
    await jobs.handlers['finance.retention']!({ id: 'x', payload: null, now: clock.now() });
  });
});
