import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Running } from '../../app/bootstrap.js';
import { fixedClock } from '../../app/clock.js';
import { setUpAssociation, startTestApp, type TestClient } from '../../../test/helpers/app.js';
import { describeEachDialect } from '../../../test/helpers/db.js';
import { createMember, createMemberUser } from '../../../test/helpers/fixtures.js';
import { loggedIn } from '../members/members.test-support.js';
import { parseGbat10, parseGbat10Amount } from './gbat10.js';
import { insertJournalEntries, type JournalEntryInput } from './journal.repository.js';
import { getAnnualReport } from './reports.usecases.js';

const ore = (html: string, name: string) => {
  const m = new RegExp(
    `data-figure="${name}"[^>]*>\\s*<th[^>]*>.*?</th>\\s*<td class="num" data-ore="(-?\\d+)"`,
    's',
  ).exec(html);
  if (!m) throw new Error(`no figure ${name}`);
  return Number(m[1]);
};

/** A small two-year journal: dues, a payment, an overpayment, hosting and a server. */
function journal(memberId: string): JournalEntryInput[] {
  const e = (
    fiscalYear: number,
    postedOn: string,
    description: string,
    sourceKind: JournalEntryInput['sourceKind'],
    lines: JournalEntryInput['lines'],
  ): JournalEntryInput => ({
    fiscalYear,
    postedOn,
    description,
    sourceKind,
    sourceId: null,
    lines,
  });
  return [
    // 2025: 600 kr invoiced (150 outside VAT, 360 + 90 VAT), paid; 200 kr hosting.
    e(2025, '2025-02-01', 'Faktura 1', 'manual', [
      { account: '1500', debitOre: 60000, memberId },
      { account: '3920', creditOre: 15000 },
      { account: '3000', creditOre: 36000, vatCode: '3' },
      { account: '2700', creditOre: 9000, vatCode: '3' },
    ]),
    e(2025, '2025-02-10', 'Innbetaling; KID 123', 'manual', [
      { account: '1920', debitOre: 60000 },
      { account: '1500', creditOre: 60000, memberId },
    ]),
    e(2025, '2025-03-01', 'Hosting mars', 'manual', [
      { account: '6420', debitOre: 20000 },
      { account: '1920', creditOre: 20000 },
    ]),
    // 2026: 600 kr invoiced, 650 paid (50 to credit), a 1 500 kr server owed to a member.
    e(2026, '2026-02-01', 'Faktura 2', 'manual', [
      { account: '1500', debitOre: 60000, memberId },
      { account: '3920', creditOre: 15000 },
      { account: '3000', creditOre: 36000, vatCode: '3' },
      { account: '2700', creditOre: 9000, vatCode: '3' },
    ]),
    e(2026, '2026-02-05', 'Innbetaling', 'manual', [
      { account: '1920', debitOre: 65000 },
      { account: '1500', creditOre: 60000, memberId },
      { account: '2900', creditOre: 5000, memberId },
    ]),
    e(2026, '2026-03-01', 'Utlegg nr. 1', 'manual', [
      { account: '6551', debitOre: 150000 },
      { account: '2910', creditOre: 150000, memberId },
    ]),
  ];
}

describeEachDialect('finance reports, budget and exports', (h) => {
  let app: Running;
  const clock = fixedClock('2026-06-01T10:00:00Z');
  let treasurer: TestClient;
  let auditor: TestClient;
  let member: TestClient;
  let memberNumber = 0;

  beforeAll(async () => {
    app = await startTestApp({ database: h.database(), clock });
    await setUpAssociation(app, { require_approval: '' });
    const db = h.db();
    const t = await createMemberUser(db, { offices: ['treasurer'] });
    const a = await createMemberUser(db, { offices: ['auditor'] });
    const m = await createMemberUser(db);
    const payer = await createMember(db, { name: 'Ola Betaler' });
    memberNumber = payer.memberNumber;
    await db
      .transaction()
      .execute((tx) =>
        insertJournalEntries(tx, { entries: journal(payer.id), now: clock.now(), createdBy: null }),
      );
    treasurer = await loggedIn(app, t.user.email);
    auditor = await loggedIn(app, a.user.email);
    member = await loggedIn(app, m.user.email);
  });
  afterAll(async () => {
    await app?.close();
  });

  it('computes the income statement and a balance sheet that balances, with last year beside', async () => {
    const r = await getAnnualReport(h.db(), { year: 2026 });
    expect(r.incomeStatement.totalIncome).toEqual({ current: 51000, previous: 51000 });
    expect(r.incomeStatement.totalCosts).toEqual({ current: 150000, previous: 20000 });
    expect(r.incomeStatement.result).toEqual({ current: -99000, previous: 31000 });
    const b = r.balanceSheet;
    expect(b.balanced).toBe(true);
    // Bank: 600 − 200 + 650 = 1 050 kr; receivables 0.
    expect(b.totalAssets).toEqual({ current: 105000, previous: 40000 });
    const equity = Object.fromEntries(b.equity.lines.map((l) => [l.account, l.amount]));
    expect(equity['result_of_year']).toEqual({ current: -99000, previous: 31000 });
    expect(equity['earlier_results']).toEqual({ current: 31000, previous: 0 });
    expect(r.trialBalance.totalDebitOre).toBe(r.trialBalance.totalCreditOre);
    const bank = r.trialBalance.rows.find((x) => x.account === '1920')!;
    expect(bank).toMatchObject({
      openingOre: 40000,
      debitOre: 65000,
      creditOre: 0,
      closingOre: 105000,
    });
  });

  it('shows the overview and the reports to the treasurer and the auditor, in Norwegian format', async () => {
    for (const client of [treasurer, auditor]) {
      const { res, html } = await client.get('/finance?year=2026');
      expect(res.status).toBe(200);
      expect(html).toContain('data-figure="result" data-ore="-99000"');
      expect(html).toContain('data-figure="bank" data-ore="105000"');
      expect(html).toContain('kr -990,00');
    }
    const { res, html } = await auditor.get('/finance/reports/2026');
    expect(res.status).toBe(200);
    expect(ore(html, 'result')).toBe(-99000);
    expect(ore(html, 'total-assets')).toBe(105000);
    expect(ore(html, 'total-equity-and-liabilities')).toBe(105000);
    expect(html).toContain('1 500,00'.replace(' ', '\u00a0'));
    const pdf = await auditor.request('GET', '/finance/reports/2026/annual.pdf');
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    expect(
      Buffer.from(await pdf.arrayBuffer())
        .subarray(0, 5)
        .toString(),
    ).toBe('%PDF-');
  });

  it('refuses the finance pages to a member without an office', async () => {
    for (const path of [
      '/finance',
      '/finance/reports/2026',
      '/finance/reports/2026/annual.pdf',
      '/finance/budget/2026',
      '/finance/exports',
      '/finance/exports/journal.csv?year=2026',
      '/finance/exports/journal.gbat10?year=2026',
    ])
      expect((await member.get(path)).res.status, path).toBe(403);
  });

  it('exports the journal as CSV with a BOM and the documented columns', async () => {
    const res = await auditor.request('GET', '/finance/exports/journal.csv?year=2026');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toContain('journal-2026.csv');
    const bytes = Buffer.from(await res.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const rows = bytes.toString('utf8').slice(1).trim().split('\r\n');
    expect(rows[0]).toBe(
      'fiscal_year,voucher_number,date,account,description,debit,credit,vat_code,source,source_id,member_number,invoice_number',
    );
    expect(rows).toHaveLength(1 + 9);
    expect(rows[1]).toBe(`2026,1,2026-02-01,1500,Faktura 2,600.00,,,manual,,${memberNumber},`);
    const { res: audit } = await treasurer.get('/finance/exports');
    expect(audit.status).toBe(200);
    const logged = await h
      .db()
      .selectFrom('audit_log')
      .select('after')
      .where('action', '=', 'finance.exported')
      .execute();
    expect(logged.length).toBeGreaterThan(0);
  });

  it('exports GBAT10 that parses back by the field layout and sums to zero per voucher', async () => {
    const res = await auditor.request(
      'GET',
      '/finance/exports/journal.gbat10?from=2025-01-01&to=2026-12-31',
    );
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('iso-8859-1');
    const text = Buffer.from(await res.arrayBuffer()).toString('latin1');
    expect(text.endsWith('\r\n')).toBe(true);
    const records = parseGbat10(text);
    expect(records).toHaveLength(17);
    const sums = new Map<string, number>();
    for (const r of records) {
      const key = `${r['accounting_year']}/${r['voucher_number']}`;
      sums.set(key, (sums.get(key) ?? 0) + parseGbat10Amount(r['amount']!));
    }
    expect(sums.size).toBe(6);
    for (const [key, sum] of sums) expect(sum, key).toBe(0);
    const first = records[0]!;
    expect(first).toMatchObject({
      identification: 'GBAT10',
      voucher_number: '1',
      voucher_date: '20250201',
      voucher_type: '9',
      period: '2',
      accounting_year: '2025',
      account: '1500',
      vat_code: '0',
      amount: '600.00',
      customer_number: String(memberNumber),
      supplier_number: '',
      ledger_description: 'Faktura 1',
    });
    // The semicolon in a description cannot break the layout.
    expect(records.find((r) => r['ledger_description']?.startsWith('Innbetaling'))).toMatchObject({
      ledger_description: 'Innbetaling KID 123',
    });
    // The claim owed to a member is on the supplier ledger; output VAT keeps its code.
    expect(records.find((r) => r['account'] === '2910')).toMatchObject({
      supplier_number: String(memberNumber),
      amount: '-1500.00',
    });
    expect(records.find((r) => r['account'] === '2700')).toMatchObject({ vat_code: '3' });
    const bad = await auditor.request(
      'GET',
      '/finance/exports/journal.gbat10?from=2026-02-01&to=2026-01-01',
    );
    expect(bad.status).toBe(400);
  });

  it('keeps a budget: validated lines, adoption locks it, a new version, copy to next year', async () => {
    const db = h.db();
    await treasurer.get('/finance/budget/2026');
    const bad = await treasurer.post('/finance/budget/2026', {
      account_0: '1920',
      description_0: 'Bank',
      amount_0: '100',
      account_1: '6420',
      description_1: '',
      amount_1: 'tusen',
    });
    expect(bad.res.status).toBe(400);
    expect(bad.html).toContain('3xxx for inntekter');
    expect(bad.html).toContain('value="tusen"');
    expect(await db.selectFrom('budgets').selectAll().execute()).toHaveLength(0);

    const ok = await treasurer.post('/finance/budget/2026', {
      account_0: '3920',
      description_0: 'Medlemskontingent',
      amount_0: '1500',
      account_1: '3000',
      description_1: 'Tjenesteavgift',
      amount_1: '3600',
      account_2: '6420',
      description_2: 'Hosting',
      amount_2: '2 400,00',
      account_3: '6551',
      description_3: 'Brukt server',
      amount_3: '1000',
    });
    expect(ok.res.status).toBe(303);
    let page = (await auditor.get('/finance/budget/2026')).html;
    expect(page).toContain('id="budget-chart"');
    expect(page).toContain('data-figure="result"');
    expect(page).toMatch(/data-account="6551">.*?data-ore="100000".*?data-ore="150000"/s);
    expect(page).not.toContain('action="/finance/budget/2026"');

    await treasurer.get('/finance/budget/2026');
    expect(
      (await treasurer.post('/finance/budget/2026/adopt', { adopted_on: '2026-03-15' })).res.status,
    ).toBe(303);
    expect(
      await db.selectFrom('budgets').select(['status', 'adopted_on']).executeTakeFirstOrThrow(),
    ).toEqual({
      status: 'adopted',
      adopted_on: '2026-03-15',
    });
    page = (await treasurer.get('/finance/budget/2026')).html;
    const locked = await treasurer.post('/finance/budget/2026', {
      account_0: '3920',
      description_0: 'x',
      amount_0: '1',
    });
    expect(locked.res.status).toBe(409);
    await treasurer.get('/finance/budget/2026');
    expect((await treasurer.post('/finance/budget/2026/reopen', {})).res.status).toBe(303);
    const reopened = await db
      .selectFrom('audit_log')
      .select('before')
      .where('action', '=', 'finance.budget_reopened')
      .executeTakeFirstOrThrow();
    expect(reopened.before).toContain('"adoptedOn":"2026-03-15"');

    await treasurer.get('/finance/budget/2027');
    expect((await treasurer.post('/finance/budget/2027/copy', {})).res.status).toBe(303);
    const copied = await db
      .selectFrom('budget_lines')
      .innerJoin('budgets', 'budgets.id', 'budget_lines.budget_id')
      .select(['budget_lines.account', 'budget_lines.amount_ore'])
      .where('budgets.fiscal_year', '=', 2027)
      .orderBy('budget_lines.position')
      .execute();
    expect(copied.map((l) => [l.account, Number(l.amount_ore)])).toEqual([
      ['3920', 150000],
      ['3000', 360000],
      ['6420', 240000],
      ['6551', 100000],
    ]);
    await treasurer.get('/finance/budget/2027');
    expect((await treasurer.post('/finance/budget/2027/copy', {})).res.status).toBe(409);
  });

  it('publishes the annual accounts and budget to members at a stable address', async () => {
    expect((await member.get('/finance/annual/2026')).res.status).toBe(404);
    const officer = await treasurer.get('/finance/annual/2026');
    expect(officer.res.status).toBe(200);
    expect(officer.html).toContain('/finance/annual/2026');
    expect(
      (await treasurer.post('/finance/annual/2026/publish', { kind: 'accounts', published: '1' }))
        .res.status,
    ).toBe(303);
    await treasurer.get('/finance/annual/2026');
    await treasurer.post('/finance/annual/2026/publish', { kind: 'budget', published: '1' });
    const seen = await member.get('/finance/annual/2026');
    expect(seen.res.status).toBe(200);
    expect(seen.html).toContain('id="income-statement"');
    expect(seen.html).toContain('id="budget-vs-actual"');
    expect(seen.html).not.toContain('/publish');
    expect((await member.request('GET', '/finance/annual/2026/accounts.pdf')).status).toBe(200);
    expect((await member.get('/finance/annual/2025')).res.status).toBe(404);
    // Publishing is the treasurer's: the auditor and a member are refused.
    await auditor.get('/finance/annual/2026');
    expect(
      (await auditor.post('/finance/annual/2026/publish', { kind: 'accounts', published: '0' })).res
        .status,
    ).toBe(403);
  });
});
