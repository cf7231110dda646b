import { afterAll, beforeAll, expect, it } from 'vitest';
import { systemActor } from '../../app/audit.js';
import type { Running } from '../../app/bootstrap.js';
import { fixedClock } from '../../app/clock.js';
import { startTestApp, TestClient } from '../../../test/helpers/app.js';
import { apiGet, issueToken } from '../../../test/helpers/api.js';
import { describeEachDialect } from '../../../test/helpers/db.js';
import { createMember, createMemberUser } from '../../../test/helpers/fixtures.js';
import { loggedIn } from '../members/members.test-support.js';
import type { Invoice } from './invoices.repository.js';
import { memberAccount } from './member-account.repository.js';
import { collect, exportInvoicesCsv, getOverview } from './overview.usecases.js';
import { creditNote, issue, pay, REDUCED, reverse, setUpBilling } from './overview.test-support.js';

const figure = (html: string, name: string) => {
  const m = new RegExp(`data-figure="${name}" data-(?:ore|count)="(-?\\d+)"`).exec(html);
  if (!m) throw new Error(`no figure ${name}`);
  return Number(m[1]);
};

describeEachDialect("the treasurer's overview", (h) => {
  let app: Running;
  const clock = fixedClock('2026-03-01T10:00:00Z');
  const inv: Record<string, Invoice> = {};
  const ids: Record<string, string> = {};
  let treasurer: TestClient;
  let auditor: TestClient;
  let plain: TestClient;
  let treasurerUserId = '';

  beforeAll(async () => {
    app = await startTestApp({ database: h.database(), clock });
    await setUpBilling(app);
    const db = h.db();
    for (const k of ['A', 'B', 'C', 'D', 'E', 'F', 'G'])
      ids[k] = (await createMember(db, { name: `Member ${k}` })).id;
    // A pays in full; B pays part; C pays too much; D is credited; E pays and the bank
    // reverses it; F is invoiced the reduced fee later (not yet due); G is last year's.
    for (const k of ['A', 'B', 'C', 'D', 'E'])
      inv[k] = await issue(db, { memberId: ids[k]!, issueDate: '2026-01-10' });
    inv['F'] = await issue(db, { memberId: ids['F']!, issueDate: '2026-02-20', lines: REDUCED });
    inv['G'] = await issue(db, { memberId: ids['G']!, issueDate: '2025-06-01' });
    await pay(db, {
      memberId: ids['A']!,
      invoiceId: inv['A']!.id,
      amountOre: 60000,
      bookingDate: '2026-01-20',
    });
    await pay(db, {
      memberId: ids['B']!,
      invoiceId: inv['B']!.id,
      amountOre: 25050,
      bookingDate: '2026-01-22',
    });
    await pay(db, {
      memberId: ids['C']!,
      invoiceId: inv['C']!.id,
      amountOre: 70000,
      bookingDate: '2026-02-03',
    });
    await creditNote(db, inv['D']!.id, '2026-01-15');
    const e = await pay(db, {
      memberId: ids['E']!,
      invoiceId: inv['E']!.id,
      amountOre: 60000,
      bookingDate: '2026-01-21',
    });
    await reverse(db, e, '2026-02-10');
    await pay(db, {
      memberId: ids['G']!,
      invoiceId: inv['G'].id,
      amountOre: 60000,
      bookingDate: '2025-06-05',
    });

    const t = await createMemberUser(db, { offices: ['treasurer'] });
    treasurerUserId = t.user.id;
    treasurer = await loggedIn(app, t.user.email);
    auditor = await loggedIn(
      app,
      (await createMemberUser(db, { offices: ['auditor'] })).user.email,
    );
    plain = await loggedIn(app, (await createMemberUser(db)).user.email);
  });
  afterAll(async () => app.close());

  it('computes every figure of the year to the øre', async () => {
    const o = await getOverview(h.db(), { now: clock.now(), year: 2026 });
    expect(o.figures).toEqual({
      invoiceCount: 6,
      invoicedOre: 5 * 60000 + 10000,
      creditNoteCount: 1,
      creditNotesOre: 60000,
      paidOre: 60000 + 25050 + 60000 + 0,
      outstandingOre: 34950 + 60000 + 10000,
      overdueOre: 34950 + 60000,
      overdueCount: 2,
      vat: [
        {
          rateBp: 2500,
          netOre: 4 * 36000 + 4000,
          vatOre: 4 * 9000 + 1000,
          grossOre: 4 * 45000 + 5000,
        },
        { rateBp: 0, netOre: 4 * 15000 + 5000, vatOre: 0, grossOre: 4 * 15000 + 5000 },
      ],
      vatOre: 37000,
      creditBalanceOre: 10000,
      membersWithCredit: 1,
      membersPaid: 2,
      membersUnpaid: 3,
    });
    // The identity the figures must keep: invoiced − credited − paid = outstanding.
    const f = o.figures;
    expect(f.invoicedOre - f.creditNotesOre - f.paidOre).toBe(f.outstandingOre);
    expect(o.byDay).toEqual([
      { date: '2026-01-20', amountOre: 60000 },
      { date: '2026-01-21', amountOre: 60000 },
      { date: '2026-01-22', amountOre: 25050 },
      { date: '2026-02-03', amountOre: 60000 },
      { date: '2026-02-10', amountOre: -60000 },
    ]);
    const last = await getOverview(h.db(), { now: clock.now(), year: 2025 });
    expect([last.figures.invoicedOre, last.figures.paidOre, last.figures.outstandingOre]).toEqual([
      60000, 60000, 0,
    ]);
  });

  it('shows the figures, a chart with a text fallback and the links on /billing', async () => {
    const { res, html } = await treasurer.get('/billing?year=2026');
    expect(res.status).toBe(200);
    expect(figure(html, 'invoiced')).toBe(310000);
    expect(figure(html, 'credit_notes')).toBe(60000);
    expect(figure(html, 'paid')).toBe(145050);
    expect(figure(html, 'outstanding')).toBe(104950);
    expect(figure(html, 'overdue')).toBe(94950);
    expect(figure(html, 'vat')).toBe(37000);
    expect(figure(html, 'credit_balance')).toBe(10000);
    expect(figure(html, 'members_paid')).toBe(2);
    expect(figure(html, 'members_unpaid')).toBe(3);
    expect(html).toMatch(
      /<svg[^>]*role="img"[^>]*aria-labelledby="payments-chart-title payments-chart-desc"/,
    );
    expect(html).toContain('<title id="payments-chart-title">');
    expect((html.match(/<rect /g) ?? []).length).toBe(12); // one bar per month of the year
    expect(html).toContain('<details><summary>');
    for (const href of [
      '/billing/invoices',
      '/billing/payments?status=unmatched',
      '/billing/payments/import',
      '/billing/reminders',
      '/billing/fees',
      '/billing/settings',
      '/billing/dues-runs',
      '/billing/export/invoices.csv?year=2026',
      '/billing/export/payments.csv?year=2026',
    ])
      expect(html).toContain(`href="${href}"`);
    // Overdue invoices link to each member's statement.
    expect(html).toContain(`href="/billing/members/${ids['B']}"`);
    expect(html).toContain(`href="/billing/members/${ids['E']}"`);
    const weekly = await treasurer.get('/billing?year=2026&by=week');
    expect((weekly.html.match(/<rect /g) ?? []).length).toBeGreaterThanOrEqual(52);
    const bad = await treasurer.get('/billing?year=abc');
    expect(bad.res.status).toBe(400);
  });

  it("gives each member's account statement with a running balance", async () => {
    const c = await memberAccount(h.db(), ids['C']!);
    expect(c.entries.map((e) => [e.date, e.kind, e.debitOre, e.creditOre, e.balanceOre])).toEqual([
      ['2026-01-10', 'invoice', 60000, 0, 60000],
      ['2026-02-03', 'payment', 0, 70000, -10000],
    ]);
    expect([c.balanceOre, c.outstandingOre, c.creditBalanceOre]).toEqual([-10000, 0, 10000]);
    const e = await memberAccount(h.db(), ids['E']!);
    expect(e.entries.map((x) => [x.kind, x.balanceOre])).toEqual([
      ['invoice', 60000],
      ['payment', 0],
      ['reversal', 60000],
    ]);
    const d = await memberAccount(h.db(), ids['D']!);
    expect(d.entries.map((x) => [x.kind, x.balanceOre])).toEqual([
      ['invoice', 60000],
      ['credit_note', 0],
    ]);
    const b = await memberAccount(h.db(), ids['B']!);
    expect([b.balanceOre, b.outstandingOre]).toEqual([34950, 34950]);

    const page = await treasurer.get(`/billing/members/${ids['C']}`);
    expect(page.res.status).toBe(200);
    expect(figure(page.html, 'balance')).toBe(-10000);
    expect(figure(page.html, 'credit_balance')).toBe(10000);
    expect(page.html).toContain(`href="/billing/invoices/${inv['C']!.number}.pdf"`);
    const lookup = await treasurer.get(
      `/billing/members?number=${(await createMember(h.db())).memberNumber}`,
    );
    expect(lookup.res.status).toBe(303);
    expect((await treasurer.get('/billing/members/nobody')).res.status).toBe(404);
    // The member page links to the statement for those who may read billing.
    const detail = await treasurer.get(`/members/${ids['C']}`);
    expect(detail.html).toContain(`href="/billing/members/${ids['C']}"`);
  });

  it('exports invoices and payments as formula-safe CSV in kroner and øre', async () => {
    const { res, html: text } = await treasurer.get('/billing/export/invoices.csv?year=2026');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/csv');
    // (fetch drops the byte order mark when decoding; the use-case shows it is there)
    expect(text.startsWith('number,kind,credits_invoice,issue_date,due_date,member_number')).toBe(
      true,
    );
    const direct = await exportInvoicesCsv(app.ctx, { actor: systemActor, year: 2026 });
    expect((await collect(direct.chunks)).startsWith('\uFEFFnumber,')).toBe(true);
    const lines = text.trim().split('\r\n');
    expect(lines).toHaveLength(1 + 7);
    const header = lines[0]!.replace('\uFEFF', '').split(',');
    const row = (n: number) => {
      const cells = lines.find((l) => l.startsWith(`${n},`))!.split(',');
      return Object.fromEntries(header.map((h, i) => [h, cells[i]]));
    };
    expect(row(inv['B']!.number)).toMatchObject({
      total_kr: '600.00',
      vat_kr: '90.00',
      paid_kr: '250.50',
      outstanding_kr: '349.50',
      outstanding_ore: '34950',
      status: 'overdue',
    });
    expect(row(inv['C']!.number)).toMatchObject({ paid_ore: '60000', status: 'paid' });
    expect(row(inv['D']!.number)).toMatchObject({ credited_kr: '600.00', status: 'credited' });
    const cn = lines.find((l) => l.includes(',credit_note,'))!.split(',');
    expect(cn[2]).toBe(String(inv['D']!.number));
    expect(cn[header.indexOf('total_kr')]).toBe('-600.00');
    expect(cn[header.indexOf('total_ore')]).toBe('-60000');

    const payments = await treasurer.get('/billing/export/payments.csv?year=2026');
    const plines = payments.html.trim().split('\r\n');
    expect(plines).toHaveLength(1 + 5);
    // A payer name that a spreadsheet would run as a formula is defused.
    expect(payments.html).toContain(`"'=HYPERLINK(""x"")"`);
    expect(payments.html).not.toMatch(/,"?=HYPERLINK/);
    const cLine = plines.find((l) => l.startsWith('2026-02-03,'))!;
    expect(cLine).toContain(',700.00,70000,');
    expect(cLine).toContain(',100.00,10000,');
    expect(plines.some((l) => l.startsWith('2026-02-10,reversal,'))).toBe(true);
    const audit = await h
      .db()
      .selectFrom('audit_log')
      .select('action')
      .where('action', '=', 'billing.exported')
      .execute();
    expect(audit.length).toBeGreaterThanOrEqual(2);
  });

  it('serves the same figures through the API', async () => {
    const token = await issueToken(h.db(), treasurerUserId, ['billing:read']);
    const { status, body } = await apiGet(app.url, '/billing/overview?year=2026', token);
    expect(status).toBe(200);
    expect(body).toMatchObject({
      year: 2026,
      invoicedOre: 310000,
      paidOre: 145050,
      outstandingOre: 104950,
      overdueOre: 94950,
      creditNotesOre: 60000,
      vatOre: 37000,
      creditBalanceOre: 10000,
    });
    const st = await apiGet(app.url, `/members/${ids['E']}/statement`, token);
    expect(st.status).toBe(200);
    expect(st.body).toMatchObject({ balanceOre: 60000, outstandingOre: 60000 });
    const doc = await apiGet(app.url, '/openapi.json');
    expect(JSON.stringify(doc.body)).toContain('/billing/overview');
  });

  it('keeps the overview from members without a billing office, and lets the auditor read', async () => {
    for (const path of [
      '/billing',
      `/billing/members/${ids['A']}`,
      '/billing/export/invoices.csv',
      '/billing/export/payments.csv',
      '/billing/reminders',
    ])
      expect((await plain.get(path)).res.status, path).toBe(403);
    const anonymous = await new TestClient(app.url).get('/billing');
    expect(anonymous.res.status).toBe(303);
    expect((await auditor.get('/billing')).res.status).toBe(200);
    expect((await auditor.get('/billing/export/invoices.csv')).res.status).toBe(200);
    expect((await auditor.get(`/billing/members/${ids['A']}`)).res.status).toBe(200);
    // The auditor sees no links to change anything.
    const page = await auditor.get('/billing');
    expect(page.html).not.toContain('href="/billing/payments/import"');
  });
});
