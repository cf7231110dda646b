import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { systemActor } from '../../app/audit.js';
import type { Running } from '../../app/bootstrap.js';
import { fixedClock } from '../../app/clock.js';
import { associationYearBounds } from '../../app/dates.js';
import { newId } from '../../app/ids.js';
import { startTestApp } from '../../../test/helpers/app.js';
import { describeEachDialect } from '../../../test/helpers/db.js';
import { createMember } from '../../../test/helpers/fixtures.js';
import { camtXmlChunks, type PaymentSpec } from '../billing/bank-files/generate.js';
import { importBankFile } from '../billing/bank-import.usecases.js';
import { creditInvoice } from '../billing/invoices.usecases.js';
import { yearFigures } from '../billing/overview.repository.js';
import { issue, setUpBilling } from '../billing/overview.test-support.js';
import { chunksOf } from '../billing/payments.test-support.js';
import { registerPaymentSchema } from '../billing/payments.schemas.js';
import { registerPayment } from '../billing/payments.usecases.js';
import { insertJournalEntries } from './journal.repository.js';
import { postAll } from './posting.usecases.js';

const NOW = '2025-06-30T10:00:00Z';

async function pay(app: Running, form: Record<string, string>) {
  return registerPayment(app.ctx, {
    actor: systemActor,
    payment: registerPaymentSchema.parse({ payer_name: '', reference: '', note: '', ...form }),
  });
}

/** Sum of debit less credit per account over the whole journal. */
async function balances(app: Running): Promise<Record<string, number>> {
  const rows = await app.ctx.db
    .selectFrom('journal_lines')
    .select([
      'account',
      sql<number>`sum(debit_ore)`.as('debit'),
      sql<number>`sum(credit_ore)`.as('credit'),
    ])
    .groupBy('account')
    .execute();
  return Object.fromEntries(rows.map((r) => [r.account, Number(r.debit) - Number(r.credit)]));
}

async function entryCount(app: Running): Promise<number> {
  const row = await app.ctx.db
    .selectFrom('journal_entries')
    .select(sql<number>`count(*)`.as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

async function linesOf(app: Running, kind: string, sourceId: string) {
  const entry = await app.ctx.db
    .selectFrom('journal_entries')
    .selectAll()
    .where('source_kind', '=', kind as never)
    .where('source_id', '=', sourceId)
    .executeTakeFirstOrThrow();
  const lines = await app.ctx.db
    .selectFrom('journal_lines')
    .select(['account', 'debit_ore', 'credit_ore', 'vat_code'])
    .where('entry_id', '=', entry.id)
    .orderBy('position')
    .execute();
  return { entry, lines: lines.map((l) => [l.account, l.debit_ore, l.credit_ore, l.vat_code]) };
}

describeEachDialect('the posting run, from real dues and payments', (h) => {
  let app: Running;
  const inv: Record<string, Awaited<ReturnType<typeof issue>>> = {};
  const member: Record<string, { id: string; memberNumber: number }> = {};
  let paymentA = '';
  let paymentB = '';
  let claimId = '';

  beforeAll(async () => {
    app = await startTestApp({ database: h.database(), clock: fixedClock(NOW) });
    await setUpBilling(app); // VAT-registered, bank account set
    const db = app.ctx.db;
    for (const name of ['A', 'B', 'C', 'D', 'E']) {
      member[name] = await createMember(db, { name: `Medlem ${name}` });
      if (name !== 'E')
        inv[name] = await issue(db, { memberId: member[name].id, issueDate: '2025-03-01' });
    }
    // A pays in full, B pays 700 (100 too much), D pays 200 and is then credited,
    // E pays 300 with no invoice (all credit); C pays by the bank and the bank takes it back.
    paymentA = (
      await pay(app, {
        invoice_number: String(inv['A']!.number),
        amount: '600',
        booking_date: '2025-03-10',
      })
    ).payment.id;
    paymentB = (
      await pay(app, {
        invoice_number: String(inv['B']!.number),
        amount: '700',
        booking_date: '2025-03-11',
      })
    ).payment.id;
    await pay(app, {
      invoice_number: String(inv['D']!.number),
      amount: '200',
      booking_date: '2025-03-12',
    });
    await creditInvoice(app.ctx, { actor: systemActor, number: inv['D']!.number, reason: 'Feil' });
    await pay(app, {
      member_number: String(member['E']!.memberNumber),
      amount: '300',
      booking_date: '2025-03-13',
    });
    const spec = (kind: 'credit' | 'reversal', i: number): PaymentSpec => ({
      kind,
      amountOre: 60000,
      kid: inv['C']!.kid,
      date: i === 0 ? '2025-03-14' : '2025-03-20',
      paidDate: null,
      payerName: 'Medlem C',
      payerAccount: null,
      message: null,
      reference: `REF-C-${i}`,
    });
    const camt = [
      ...camtXmlChunks({
        format: 'camt.054',
        count: 2,
        payment: (i) => spec(i === 0 ? 'credit' : 'reversal', i),
        msgId: 'MSG-C',
      }),
    ].join('');
    const report = await importBankFile(app.ctx, {
      input: chunksOf(camt),
      fileName: 'c.xml',
      dryRun: false,
      actor: systemActor,
    });
    expect({ matched: report.matched, reversed: report.reversed }).toEqual({
      matched: 2,
      reversed: 1,
    });
    // An expense claim approved and paid (F1's use-cases write these rows).
    claimId = newId();
    await db
      .insertInto('expense_claims')
      .values({
        id: claimId,
        number: 1,
        member_id: member['A']!.id,
        submitted_by: 'u',
        series_id: null,
        spent_on: '2025-04-01',
        amount_ore: 125000,
        vat_ore: 25000,
        description: 'Hosting april',
        category: '6420',
        payee_account: '86011117947',
        status: 'paid',
        attested_by: 'x',
        attested_at: '2025-04-02T08:00:00Z',
        approved_by: 'y',
        approved_at: '2025-04-02T22:30:00Z', // 3 April in Oslo
        paid_on: '2025-04-05',
        payment_reference: 'nettbank',
        paid_by: 'y',
        reason: null,
        fiscal_year: 2025,
        pseudonymised_at: null,
        created_at: '2025-04-01T10:00:00Z',
        updated_at: '2025-04-05T10:00:00Z',
      })
      .execute();
  });
  afterAll(async () => app.close());

  /** Empties the journal and its numbers, for a test that posts it again. */
  const unpost = async () => {
    await app.ctx.db.deleteFrom('journal_lines').execute();
    await app.ctx.db.deleteFrom('journal_entries').execute();
    await app.ctx.db.deleteFrom('counters').where('name', 'like', 'journal:%').execute();
  };
  /** The journal line by line, in voucher and line order. */
  const journalLines = () =>
    app.ctx.db
      .selectFrom('journal_entries as je')
      .innerJoin('journal_lines as jl', 'jl.entry_id', 'je.id')
      .select(['je.number', 'je.source_kind', 'je.source_id', 'jl.position', 'jl.account'])
      .select(['jl.debit_ore', 'jl.credit_ore'])
      .orderBy('je.number')
      .orderBy('jl.position')
      .execute();

  it('posts each source once, in batches, and a second run posts nothing', async () => {
    const counts = await postAll(app.ctx, { batchSize: 2 });
    expect(counts.posted).toEqual({
      invoice: 5, // four invoices and D's credit note
      payment: 5, // A, B, C, D, E
      payment_reversal: 1,
      credit_transfer: 1, // D's 200 moved to credit
      expense: 1,
      expense_payment: 1,
    });
    expect(counts.total).toBe(14);
    expect(counts.skipped).toBe(0);
    const again = await postAll(app.ctx);
    expect(again.total).toBe(0);
    expect(await entryCount(app)).toBe(14);
  });

  it('posts the 150 + 450 kr invoice to the øre: fee outside VAT, service fee and its VAT', async () => {
    const { entry, lines } = await linesOf(app, 'invoice', inv['A']!.id);
    expect(entry.posted_on).toBe('2025-03-01');
    expect(entry.fiscal_year).toBe(2025);
    expect(entry.description).toBe(`Faktura ${inv['A']!.number}`);
    expect(lines).toEqual([
      ['1500', 60000, 0, null],
      ['3920', 0, 15000, '6'],
      ['3000', 0, 36000, '3'],
      ['2700', 0, 9000, '3'],
    ]);
    const credit = await app.ctx.db
      .selectFrom('invoices')
      .select('id')
      .where('kind', '=', 'credit_note')
      .executeTakeFirstOrThrow();
    expect((await linesOf(app, 'credit_note', credit.id)).lines).toEqual([
      ['1500', 0, 60000, null],
      ['3920', 15000, 0, '6'],
      ['3000', 36000, 0, '3'],
      ['2700', 9000, 0, '3'],
    ]);
  });

  it('posts payments: to receivables, the overpayment to prepayments, a reversal back', async () => {
    expect((await linesOf(app, 'payment', paymentA)).lines).toEqual([
      ['1920', 60000, 0, null],
      ['1500', 0, 60000, null],
    ]);
    const b = await linesOf(app, 'payment', paymentB);
    expect(b.entry.posted_on).toBe('2025-03-11');
    expect(b.lines).toEqual([
      ['1920', 70000, 0, null],
      ['1500', 0, 60000, null],
      ['2900', 0, 10000, null],
    ]);
    const reversal = await app.ctx.db
      .selectFrom('payments')
      .select('id')
      .where('kind', '=', 'reversal')
      .executeTakeFirstOrThrow();
    const r = await linesOf(app, 'payment_reversal', reversal.id);
    expect(r.entry.posted_on).toBe('2025-03-20');
    expect(r.lines).toEqual([
      ['1920', 0, 60000, null],
      ['1500', 60000, 0, null],
    ]);
  });

  it('posts the expense claim when approved (Oslo date) and when paid', async () => {
    const e = await linesOf(app, 'expense', claimId);
    expect(e.entry.posted_on).toBe('2025-04-03');
    expect(e.lines).toEqual([
      ['6420', 100000, 0, '1'],
      ['2710', 25000, 0, '1'],
      ['2910', 0, 125000, null],
    ]);
    const p = await linesOf(app, 'expense_payment', claimId);
    expect(p.entry.posted_on).toBe('2025-04-05');
    expect(p.lines).toEqual([
      ['2910', 125000, 0, null],
      ['1920', 0, 125000, null],
    ]);
  });

  it('balances, and receivables and prepayments agree with the billing overview', async () => {
    const b = await balances(app);
    expect(Object.values(b).reduce((s, v) => s + v, 0)).toBe(0);
    const figures = await yearFigures(app.ctx.db, {
      bounds: associationYearBounds(2025, 1),
      today: '2025-06-30',
    });
    expect(figures.outstandingOre).toBe(60000); // C's invoice, open again after the reversal
    expect(b['1500']).toBe(figures.outstandingOre);
    expect(-b['2900']!).toBe(figures.creditBalanceOre); // B 100 + E 300 + D 200
    expect(figures.creditBalanceOre).toBe(60000);
    // Bank: 600 + 700 + 200 + 300 + 600 − 600 in, 1 250 out.
    expect(b['1920']).toBe(180000 - 125000);
    expect(b['2700']).toBe(-27000); // three invoices' VAT of 90 kr
    expect(b['2710']).toBe(25000);
    expect(b['2910'] ?? 0).toBe(0);
  });

  it('numbers the entries gaplessly, and the unique source is the last line of defence', async () => {
    const numbers = await app.ctx.db
      .selectFrom('journal_entries')
      .select('number')
      .where('fiscal_year', '=', 2025)
      .orderBy('number')
      .execute();
    expect(numbers.map((n) => n.number)).toEqual(Array.from({ length: 14 }, (_, i) => i + 1));
    await expect(
      app.ctx.db.transaction().execute((tx) =>
        insertJournalEntries(tx, {
          entries: [
            {
              fiscalYear: 2025,
              postedOn: '2025-03-01',
              description: 'twice',
              sourceKind: 'invoice',
              sourceId: inv['A']!.id,
              lines: [
                { account: '1500', debitOre: 1 },
                { account: '3920', creditOre: 1 },
              ],
            },
          ],
          now: new Date(NOW),
          createdBy: null,
        }),
      ),
    ).rejects.toThrow();
    expect(await entryCount(app)).toBe(14);
  });

  it('posts the same journal set-based as row by row, with entry ids of the usual shape', async () => {
    const snapshot = async () => {
      const rows = await app.ctx.db
        .selectFrom('journal_entries as je')
        .innerJoin('journal_lines as jl', 'jl.entry_id', 'je.id')
        .select([
          'je.id',
          'je.fiscal_year',
          'je.number',
          'je.posted_on',
          'je.description',
          'je.source_kind',
          'je.source_id',
          'jl.position',
          'jl.account',
          'jl.debit_ore',
          'jl.credit_ore',
          'jl.vat_code',
          'jl.member_id',
          'jl.description as line_description',
        ])
        .orderBy('je.fiscal_year')
        .orderBy('je.number')
        .orderBy('jl.position')
        .execute();
      for (const r of rows) expect(r.id).toMatch(/^[0-9a-hjkmnp-tv-z]{26}$/);
      return rows.map(({ id: _id, ...rest }) => rest);
    };
    const setBased = await snapshot();
    expect(setBased.length).toBeGreaterThan(30);
    await unpost();
    expect((await postAll(app.ctx, { batchSize: 3, setBased: false })).total).toBe(14);
    expect(await snapshot()).toEqual(setBased);
    await unpost();
    expect((await postAll(app.ctx, { batchSize: 4 })).total).toBe(14);
    expect(await snapshot()).toEqual(setBased);
  });

  it('leaves out an invoice whose lines do not add up, set-based or not, and posts the rest', async () => {
    const db = app.ctx.db;
    // B's invoice says 100 kr more than its lines: the data is wrong, not the journal.
    const b = inv['B']!;
    const { total_ore: total } = await db
      .selectFrom('invoices')
      .select('total_ore')
      .where('id', '=', b.id)
      .executeTakeFirstOrThrow();
    await db
      .updateTable('invoices')
      .set({ total_ore: total + 10000 })
      .where('id', '=', b.id)
      .execute();
    try {
      await unpost();
      // B sits in a batch with others (of three), which are posted all the same.
      const setBased = await postAll(app.ctx, { batchSize: 3 });
      expect(setBased.posted.invoice).toBe(4);
      expect(setBased.skipped).toBe(1);
      expect(setBased.total).toBe(13);
      const posted = await journalLines();
      expect(posted.some((l) => l.source_id === b.id)).toBe(false);
      const byEntry = new Map<number, number>();
      for (const l of posted)
        byEntry.set(l.number, (byEntry.get(l.number) ?? 0) + l.debit_ore - l.credit_ore);
      expect([...byEntry.values()].every((v) => v === 0)).toBe(true);
      // The same journal, numbers and all, as the row-by-row path posts.
      await unpost();
      const rowByRow = await postAll(app.ctx, { batchSize: 3, setBased: false });
      expect(rowByRow.skipped).toBe(1);
      expect(await journalLines()).toEqual(posted);
    } finally {
      await db.updateTable('invoices').set({ total_ore: total }).where('id', '=', b.id).execute();
      await unpost();
      expect((await postAll(app.ctx)).total).toBe(14);
    }
  });
  it('posts a window holding a payment of nothing row by row, as a run row by row posts it', async () => {
    const db = app.ctx.db;
    // B's payment recorded as 0 kr: not a plain source, so its window cannot go set-based.
    const { amount_ore: amount } = await db
      .selectFrom('payments')
      .select('amount_ore')
      .where('id', '=', paymentB)
      .executeTakeFirstOrThrow();
    await db.updateTable('payments').set({ amount_ore: 0 }).where('id', '=', paymentB).execute();
    try {
      await unpost();
      const setBased = await postAll(app.ctx, { batchSize: 2 });
      expect(setBased.total).toBe(14);
      const posted = await journalLines();
      // What B paid to its invoice stays there; the bank line of 0 kr is left out.
      const b = posted.filter((l) => l.source_id === paymentB).map((l) => l.account);
      expect(b).toEqual(['1500', '2900']);
      // Numbers gapless: nothing was reserved for the window before it went row by row.
      const numbers = [...new Set(posted.map((l) => l.number))];
      expect(numbers).toEqual(numbers.map((_, k) => k + 1));
      await unpost();
      const rowByRow = await postAll(app.ctx, { batchSize: 2, setBased: false });
      expect(rowByRow.total).toBe(14);
      expect(await journalLines()).toEqual(posted);
    } finally {
      await db
        .updateTable('payments')
        .set({ amount_ore: amount })
        .where('id', '=', paymentB)
        .execute();
      await unpost();
      expect((await postAll(app.ctx)).total).toBe(14);
    }
  });
});

describeEachDialect('a posting run that crashes midway', (h) => {
  let app: Running;
  beforeAll(async () => {
    app = await startTestApp({ database: h.database(), clock: fixedClock(NOW) });
    await setUpBilling(app);
    for (let i = 0; i < 7; i++) {
      const m = await createMember(app.ctx.db);
      await issue(app.ctx.db, { memberId: m.id, issueDate: '2025-02-01' });
    }
  });
  afterAll(async () => app.close());

  it('keeps the batches before the crash, and a re-run completes without doubles', async () => {
    await expect(
      postAll(app.ctx, {
        batchSize: 3,
        onBatch: ({ batch }) => {
          if (batch === 2) throw new Error('power cut');
        },
      }),
    ).rejects.toThrow('power cut');
    expect(await entryCount(app)).toBe(3);
    const rest = await postAll(app.ctx, { batchSize: 3 });
    expect(rest.posted.invoice).toBe(4);
    expect(await entryCount(app)).toBe(7);
    const numbers = await app.ctx.db
      .selectFrom('journal_entries')
      .select('number')
      .orderBy('number')
      .execute();
    expect(numbers.map((n) => n.number)).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });

  it('two runs at once post each source once', async () => {
    for (let i = 0; i < 5; i++) {
      const m = await createMember(app.ctx.db);
      await issue(app.ctx.db, { memberId: m.id, issueDate: '2025-02-02' });
    }
    const [a, b] = await Promise.all([
      postAll(app.ctx, { batchSize: 2 }),
      postAll(app.ctx, { batchSize: 2 }),
    ]);
    expect(a.total + b.total).toBe(5);
    expect(await entryCount(app)).toBe(12);
  });
});
