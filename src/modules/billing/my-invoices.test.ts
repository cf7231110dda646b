import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Running } from '../../app/bootstrap.js';
import { fixedClock } from '../../app/clock.js';
import { startTestApp, TestClient } from '../../../test/helpers/app.js';
import { apiGet, issueToken } from '../../../test/helpers/api.js';
import { describeEachDialect } from '../../../test/helpers/db.js';
import { createMemberUser, createUser } from '../../../test/helpers/fixtures.js';
import { loggedIn } from '../members/members.test-support.js';
import type { Invoice } from './invoices.repository.js';
import { issue, pay, setUpBilling } from './overview.test-support.js';

describeEachDialect("the member's own invoices", (h) => {
  let app: Running;
  const clock = fixedClock('2026-03-01T10:00:00Z');
  let mine: { user: { id: string; email: string } };
  let open: Invoice;
  let paid: Invoice;
  let theirs: Invoice;

  beforeAll(async () => {
    app = await startTestApp({ database: h.database(), clock });
    await setUpBilling(app);
    mine = await createMemberUser(h.db(), { name: 'Mona Member' });
    const other = await createMemberUser(h.db(), { name: 'Otto Other' });
    const memberId = (
      await h
        .db()
        .selectFrom('members')
        .select('id')
        .where('user_id', '=', mine.user.id)
        .executeTakeFirstOrThrow()
    ).id;
    const otherId = (
      await h
        .db()
        .selectFrom('members')
        .select('id')
        .where('user_id', '=', other.user.id)
        .executeTakeFirstOrThrow()
    ).id;
    paid = await issue(h.db(), { memberId, issueDate: '2025-02-01', year: 2025 });
    await pay(h.db(), {
      memberId,
      invoiceId: paid.id,
      amountOre: 65000,
      bookingDate: '2025-02-03',
    });
    open = await issue(h.db(), { memberId, issueDate: '2026-02-01' });
    await pay(h.db(), {
      memberId,
      invoiceId: open.id,
      amountOre: 20000,
      bookingDate: '2026-02-05',
    });
    theirs = await issue(h.db(), { memberId: otherId, issueDate: '2026-02-01' });
  });
  afterAll(async () => app.close());

  it('shows their invoices, the KID and bank account of what is open, payments and credit', async () => {
    const client = await loggedIn(app, mine.user.email);
    const { res, html } = await client.get('/membership/invoices');
    expect(res.status).toBe(200);
    expect(html).toContain(`data-open-invoice="${open.number}"`);
    expect(html).not.toContain(`data-open-invoice="${paid.number}"`);
    expect(html).toContain(open.kid!);
    expect(html).toContain('8601.11.17947');
    expect(html).toContain(`href="/billing/invoices/${open.number}"`);
    expect(html).toContain(`href="/billing/invoices/${open.number}.pdf"`);
    expect(html).toContain(`href="/billing/invoices/${paid.number}.pdf"`);
    // 600 + 600 invoiced, 650 + 200 paid: 400 left on the open invoice, 50 in credit.
    expect(html).toContain('data-figure="balance" data-ore="35000"');
    expect(html).toContain('data-figure="credit_balance" data-ore="5000"');
    // The overpayment on last year's invoice went to credit.
    expect(html).toMatch(/650,00/);
    // The membership page links here.
    const membership = await client.get('/membership');
    expect(membership.html).toContain('href="/membership/invoices"');
  });

  it("never shows another member's invoices", async () => {
    const client = await loggedIn(app, mine.user.email);
    const { html } = await client.get('/membership/invoices');
    expect(html).not.toContain(theirs.kid!);
    expect(html).not.toContain(`/billing/invoices/${theirs.number}"`);
    expect(html).not.toContain('Otto Other');
    const token = await issueToken(h.db(), mine.user.id, ['members:read']);
    const api = await apiGet(app.url, '/me/invoices', token);
    expect(api.status).toBe(200);
    const numbers = (api.body as { invoices: { number: number }[] }).invoices
      .map((i) => i.number)
      .sort((a, b) => a - b);
    expect(numbers).toEqual([paid.number, open.number].sort((a, b) => a - b));
    expect(api.body).toMatchObject({ balanceOre: 35000, creditBalanceOre: 5000 });
    // A plain member may not read anyone's statement, their own included, through the treasurer's routes.
    const memberId = (api.body as { memberId: string }).memberId;
    expect((await client.get(`/billing/members/${memberId}`)).res.status).toBe(403);
    expect((await apiGet(app.url, `/members/${memberId}/statement`, token)).status).toBe(403);
  });

  it('asks visitors to log in and tells an account without membership that it has none', async () => {
    const anonymous = await new TestClient(app.url).get('/membership/invoices');
    expect(anonymous.res.status).toBe(303);
    expect(anonymous.res.headers.get('location')).toContain('/login');
    const user = await createUser(h.db());
    const client = await loggedIn(app, user.email);
    const { res, html } = await client.get('/membership/invoices');
    expect(res.status).toBe(200);
    expect(html).toContain('Du er ikke medlem');
  });
});
