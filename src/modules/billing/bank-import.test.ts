import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Running } from '../../app/bootstrap.js';
import { fixedClock } from '../../app/clock.js';
import { AppError } from '../../app/errors.js';
import { setUpAssociation, startTestApp } from '../../../test/helpers/app.js';
import { describeEachDialect } from '../../../test/helpers/db.js';
import { camtXmlChunks, type PaymentSpec } from './bank-files/generate.js';
import { importBankFile } from './bank-import.usecases.js';
import { memberCreditOre } from './allocations.js';
import {
  bankFixture,
  chunksOf,
  invoiceNow,
  memberWithInvoice,
  paymentTableCounts,
  setUpBilling,
} from './payments.test-support.js';

const actor = { userId: null, label: 'test' };
const NOW = '2025-03-06T10:00:00Z';

async function startApp(h: { database: () => Parameters<typeof startTestApp>[0]['database'] }) {
  const app = await startTestApp({ database: h.database(), clock: fixedClock(NOW) });
  await setUpAssociation(app);
  await setUpBilling(app.ctx.db, app.ctx.clock.now());
  return app;
}

function run(app: Running, bytes: Buffer | string, opts: { dryRun?: boolean; name?: string } = {}) {
  return importBankFile(app.ctx, {
    input: chunksOf(bytes),
    fileName: opts.name ?? 'file',
    dryRun: !!opts.dryRun,
    actor,
  });
}

async function periodOf(app: Running, memberId: string, year: number) {
  return app.ctx.db
    .selectFrom('membership_periods')
    .selectAll()
    .where('member_id', '=', memberId)
    .where('year', '=', year)
    .executeTakeFirst();
}

async function statusOf(app: Running, memberId: string) {
  const row = await app.ctx.db
    .selectFrom('members')
    .select('status')
    .where('id', '=', memberId)
    .executeTakeFirstOrThrow();
  return row.status;
}

describeEachDialect('importing the sample OCR giro file', (h) => {
  let app: Running;
  let a: Awaited<ReturnType<typeof memberWithInvoice>>;
  let b: Awaited<ReturnType<typeof memberWithInvoice>>;
  let c: Awaited<ReturnType<typeof memberWithInvoice>>;
  let d: Awaited<ReturnType<typeof memberWithInvoice>>;
  const ocr = bankFixture('ocr-giro.txt');
  beforeAll(async () => {
    app = await startApp(h);
    a = await memberWithInvoice(app, { amountOre: 60000, kid: '20250000104' });
    b = await memberWithInvoice(app, { amountOre: 60000, kid: '20250000286' });
    c = await memberWithInvoice(app, { amountOre: 60000, kid: '20250000369', status: 'lapsed' });
    d = await memberWithInvoice(app, { amountOre: 45050, name: 'Åse Økland' });
  });
  afterAll(async () => app.close());

  it('checks the file first (a dry run) and writes nothing', async () => {
    const before = await paymentTableCounts(h.db());
    const report = await run(app, ocr, { dryRun: true });
    expect(await paymentTableCounts(h.db())).toEqual(before);
    expect(report.committed).toBe(false);
    expect(report.summary).toMatchObject({
      format: 'ocr',
      fileId: '00008080:0503251',
      count: 5,
      totalOre: 300050,
    });
    expect({
      matched: report.matched,
      unmatched: report.unmatched,
      duplicates: report.duplicates,
    }).toEqual({
      matched: 5,
      unmatched: 0,
      duplicates: 0,
    });
    expect(
      report.rows.map((r) => [
        r.location,
        r.outcome,
        r.rule,
        r.invoiceNumber,
        r.toInvoiceOre,
        r.toCreditOre,
      ]),
    ).toEqual([
      ['line 3', 'matched', 'kid', a.invoice.number, 60000, 0],
      ['line 5', 'matched', 'kid', b.invoice.number, 15000, 0],
      ['line 7', 'matched', 'amount', d.invoice.number, 45050, 0],
      ['line 10', 'matched', 'reversal', a.invoice.number, 0, 0],
      ['line 14', 'matched', 'kid', c.invoice.number, 60000, 60000],
    ]);
  });

  it('imports it: part payment, overpayment to credit, match by amount, a reversal, membership', async () => {
    const report = await run(app, ocr, { name: 'ocr-giro.txt' });
    expect(report.committed).toBe(true);
    expect(report).toMatchObject({
      matched: 5,
      unmatched: 0,
      duplicates: 0,
      reversed: 1,
      creditOre: 60000,
    });
    // The payment on A was reversed in the same file: A is open again.
    expect(await invoiceNow(h.db(), a.invoice.id)).toMatchObject({ paidOre: 0, settledAt: null });
    expect(await invoiceNow(h.db(), b.invoice.id)).toMatchObject({
      paidOre: 15000,
      settledAt: null,
    });
    expect((await invoiceNow(h.db(), c.invoice.id)).settledAt).not.toBeNull();
    expect((await invoiceNow(h.db(), d.invoice.id)).paidOre).toBe(45050);
    expect(await memberCreditOre(h.db(), c.memberId)).toBe(60000);
    // C was lapsed: the paid dues invoice brings the membership back, with the period paid.
    expect(await statusOf(app, c.memberId)).toBe('active');
    expect((await periodOf(app, c.memberId, 2025))?.paid_at).not.toBeNull();
    const change = await h
      .db()
      .selectFrom('member_status_changes')
      .selectAll()
      .where('member_id', '=', c.memberId)
      .where('from_status', '=', 'lapsed')
      .executeTakeFirstOrThrow();
    expect(change).toMatchObject({ from_status: 'lapsed', to_status: 'active', reason: 'payment' });
    // A's period was paid and then unpaid again by the reversal; A stays active for now.
    expect((await periodOf(app, a.memberId, 2025))?.paid_at).toBeNull();
    expect(await statusOf(app, a.memberId)).toBe('active');
    const imports = await h.db().selectFrom('bank_imports').selectAll().execute();
    expect(imports).toHaveLength(1);
    expect(imports[0]).toMatchObject({
      format: 'ocr',
      transaction_count: 5,
      matched_count: 5,
      filename: 'ocr-giro.txt',
    });
    const audit = await h
      .db()
      .selectFrom('audit_log')
      .select('action')
      .where('action', '=', 'billing.bank_file_imported')
      .execute();
    expect(audit).toHaveLength(1);
  });

  it('changes nothing when the same file comes again, and says so', async () => {
    const before = await paymentTableCounts(h.db());
    const again = await run(app, ocr);
    expect(again.alreadyImported).not.toBeNull();
    expect(again.committed).toBe(false);
    expect(await paymentTableCounts(h.db())).toEqual(before);
    // Also when the caller knows the hash up front (the page and the CLI do).
    const early = await importBankFile(app.ctx, {
      input: chunksOf(ocr),
      fileName: null,
      dryRun: false,
      actor,
      sha256: again.sha256,
    });
    expect(early.alreadyImported?.id).toBe(again.alreadyImported?.id);
    expect(await paymentTableCounts(h.db())).toEqual(before);
  });
});

describeEachDialect('importing the sample camt.053 and camt.054 files', (h) => {
  let app: Running;
  let a: Awaited<ReturnType<typeof memberWithInvoice>>;
  let b: Awaited<ReturnType<typeof memberWithInvoice>>;
  let c: Awaited<ReturnType<typeof memberWithInvoice>>;
  let ase: Awaited<ReturnType<typeof memberWithInvoice>>;
  beforeAll(async () => {
    app = await startApp(h);
    a = await memberWithInvoice(app, {
      amountOre: 60000,
      kid: '20250000104',
      name: 'Kari Nordmann',
    });
    b = await memberWithInvoice(app, {
      amountOre: 60000,
      kid: '20250000286',
      name: 'Ola Nordmann',
    });
    c = await memberWithInvoice(app, { amountOre: 15000, kid: '20250000369', name: 'Per Hansen' });
    // Two open invoices of 450 kr: the payer's name decides.
    await memberWithInvoice(app, { amountOre: 45000, name: 'Kari Nordmann' });
    ase = await memberWithInvoice(app, { amountOre: 45000, name: 'Åse Økland' });
  });
  afterAll(async () => app.close());

  it('matches the statement: KIDs, a batch entry, a reversal, and by amount and payer name', async () => {
    const report = await run(app, bankFixture('camt053.xml'));
    expect(report.summary).toMatchObject({ format: 'camt.053', count: 5, skippedEntries: 1 });
    expect(report.rows.map((r) => [r.outcome, r.rule, r.invoiceNumber])).toEqual([
      ['matched', 'kid', a.invoice.number],
      ['matched', 'kid', b.invoice.number],
      ['matched', 'kid', c.invoice.number],
      ['matched', 'reversal', a.invoice.number],
      ['matched', 'amount', ase.invoice.number],
    ]);
    expect((await invoiceNow(h.db(), a.invoice.id)).settledAt).toBeNull();
    expect((await invoiceNow(h.db(), b.invoice.id)).settledAt).not.toBeNull();
    expect((await invoiceNow(h.db(), ase.invoice.id)).settledAt).not.toBeNull();
    const sources = await h.db().selectFrom('payments').select('source').distinct().execute();
    expect(sources.map((s) => s.source)).toEqual(['camt.053']);
  });

  it('then the notification: a paid invoice takes the rest as credit, a gift goes to the queue', async () => {
    const report = await run(app, bankFixture('camt054.xml'));
    expect(
      report.rows.map((r) => [r.outcome, r.rule ?? r.reason, r.toInvoiceOre, r.toCreditOre]),
    ).toEqual([
      ['matched', 'kid', 60000, 0],
      ['matched', 'kid', 0, 30050],
      ['matched', 'kid', 0, 45100],
      ['unmatched', 'no_reference', 0, 0],
    ]);
    expect((await invoiceNow(h.db(), a.invoice.id)).settledAt).not.toBeNull();
    expect(await memberCreditOre(h.db(), b.memberId)).toBe(30050);
    expect(await memberCreditOre(h.db(), c.memberId)).toBe(45100);
    const queued = await h
      .db()
      .selectFrom('payments')
      .selectAll()
      .where('status', '=', 'unmatched')
      .execute();
    expect(queued).toMatchObject([
      { amount_ore: 20000, message: 'Gave fra Siv Li', source: 'camt.054' },
    ]);
  });
});

describeEachDialect('the same transactions from a camt.054 and then a camt.053', (h) => {
  let app: Running;
  beforeAll(async () => {
    app = await startApp(h);
  });
  afterAll(async () => app.close());

  it('imports each payment once', async () => {
    const invoices = await Promise.all(
      [1, 2, 3].map(() => memberWithInvoice(app, { amountOre: 60000 })),
    );
    const payment = (i: number): PaymentSpec => ({
      kind: 'credit',
      amountOre: 60000,
      kid: invoices[i]!.invoice.kid,
      date: '2025-03-05',
      paidDate: '2025-03-05',
      payerName: `Payer ${i}`,
      payerAccount: null,
      message: null,
      reference: `REF-${i}`,
    });
    const text = (format: 'camt.053' | 'camt.054') =>
      [...camtXmlChunks({ format, count: 3, payment, msgId: `MSG-${format}` })].join('');
    const first = await run(app, text('camt.054'));
    expect({ matched: first.matched, duplicates: first.duplicates }).toEqual({
      matched: 3,
      duplicates: 0,
    });
    const before = await paymentTableCounts(h.db());
    const second = await run(app, text('camt.053'));
    expect(second.alreadyImported).toBeNull();
    expect({ matched: second.matched, duplicates: second.duplicates }).toEqual({
      matched: 0,
      duplicates: 3,
    });
    const after = await paymentTableCounts(h.db());
    expect({ ...after, imports: before.imports }).toEqual(before);
    expect(after.imports).toBe(before.imports + 1);
    for (const inv of invoices)
      expect((await invoiceNow(h.db(), inv.invoice.id)).paidOre).toBe(60000);
  });
});

describeEachDialect('refusing malformed bank files', (h) => {
  let app: Running;
  const ocrLines = bankFixture('ocr-giro.txt').toString('latin1').split('\r\n');
  const ocrWith = (change: (lines: string[]) => void) => {
    const copy = [...ocrLines];
    change(copy);
    return Buffer.from(copy.join('\r\n'), 'latin1');
  };
  const camt = bankFixture('camt053.xml').toString('utf8');
  beforeAll(async () => {
    app = await startApp(h);
    await memberWithInvoice(app, { amountOre: 60000, kid: '20250000104' });
    await memberWithInvoice(app, { amountOre: 60000, kid: '20250000286' });
  });
  afterAll(async () => app.close());

  const cases: [string, Buffer | string, string, RegExp][] = [
    [
      'a record of 79 characters',
      ocrWith((l) => (l[4] = l[4]!.slice(0, 79))),
      'bank_file.line_length',
      /Linje 5: posten er 79 tegn lang/,
    ],
    [
      'a wrong total in the end record',
      ocrWith((l) => (l[16] = l[16]!.replace('00000000000300050', '00000000000300051'))),
      'bank_file.sum_mismatch',
      /Linje 17: sluttposten oppgir en sum/,
    ],
    [
      'a truncated camt file',
      camt.slice(0, Math.floor(camt.length * 0.7)),
      'bank_file.truncated_xml',
      /avkortet fil/,
    ],
    [
      'an XML file that is not camt',
      '<?xml version="1.0"?><Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.001.001.09"><CstmrCdtTrfInitn/></Document>',
      'bank_file.not_camt',
      /ikke en camt\.053\/054-fil/,
    ],
    ['an empty file', '', 'bank_file.empty', /Filen er tom/],
  ];
  for (const [what, bytes, code, message] of cases) {
    it(`refuses ${what} with where and why, and imports nothing`, async () => {
      const before = await paymentTableCounts(h.db());
      const error = await run(app, bytes).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(AppError);
      const e = error as AppError;
      expect({ code: e.code, status: e.status }).toEqual({ code, status: 400 });
      expect(e.message_('nb')).toMatch(message);
      expect(e.message_('nb')).toMatch(/^Filen ble avvist, og ingenting fra den er importert\./);
      expect(await paymentTableCounts(h.db())).toEqual(before);
    });
  }
});

describeEachDialect('a long file with one payment registered before', (h) => {
  let app: Running;
  beforeAll(async () => {
    app = await startApp(h);
  });
  afterAll(async () => app.close());

  // Batches are written optimistically, without looking their refs up, until one meets a
  // payment registered before: that batch is rolled back and done again with the lookup.
  it.each([
    ['the first batch', 150],
    ['a later batch', 4200],
  ])(
    'counts it once as a duplicate when it is in %s, and pays every invoice once',
    async (_, at) => {
      const members = await Promise.all(
        [1, 2].map(() => memberWithInvoice(app, { amountOre: 60000, status: 'lapsed' })),
      );
      const tag = `L${at}`;
      const payment = (i: number): PaymentSpec => ({
        kind: 'credit',
        // Amounts no open invoice waits for: these go to the queue.
        amountOre: 10001 + i,
        kid: null,
        date: '2025-03-05',
        paidDate: '2025-03-05',
        payerName: null,
        payerAccount: null,
        message: null,
        reference: `${tag}-${i}`,
      });
      // The same batch as the duplicate also pays two invoices by KID.
      const paying = (i: number): PaymentSpec =>
        i === at + 1 || i === at + 2
          ? { ...payment(i), amountOre: 60000, kid: members[i - at - 1]!.invoice.kid }
          : payment(i);
      const earlier = [
        ...camtXmlChunks({
          format: 'camt.054',
          count: 1,
          payment: () => payment(at),
          msgId: `${tag}-054`,
        }),
      ].join('');
      expect((await run(app, earlier)).unmatched).toBe(1);
      const before = await paymentTableCounts(h.db());

      const count = 4500;
      const report = await run(
        app,
        [
          ...camtXmlChunks({ format: 'camt.053', count, payment: paying, msgId: `${tag}-053` }),
        ].join(''),
      );
      expect({
        duplicates: report.duplicates,
        matched: report.matched,
        unmatched: report.unmatched,
        invoicesSettled: report.invoicesSettled,
        reactivated: report.reactivated,
      }).toEqual({
        duplicates: 1,
        matched: 2,
        unmatched: count - 3,
        invoicesSettled: 2,
        reactivated: 2,
      });
      const after = await paymentTableCounts(h.db());
      expect(after.payments - before.payments).toBe(count - 1);
      for (const m of members) {
        expect((await invoiceNow(h.db(), m.invoice.id)).paidOre).toBe(60000);
        expect(await statusOf(app, m.memberId)).toBe('active');
      }
      const changes = await h
        .db()
        .selectFrom('member_status_changes')
        .select('member_id')
        .where(
          'member_id',
          'in',
          members.map((m) => m.memberId),
        )
        .where('to_status', '=', 'active')
        .where('reason', '=', 'payment')
        .execute();
      expect(changes).toHaveLength(2);
    },
  );
});
