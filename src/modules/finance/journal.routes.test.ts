import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Running } from '../../app/bootstrap.js';
import { fixedClock } from '../../app/clock.js';
import { startTestApp } from '../../../test/helpers/app.js';
import { apiGet, apiSend, issueToken } from '../../../test/helpers/api.js';
import { describeEachDialect } from '../../../test/helpers/db.js';
import { createMember, createMemberUser } from '../../../test/helpers/fixtures.js';
import { issue, setUpBilling } from '../billing/overview.test-support.js';
import { loggedIn } from '../members/members.test-support.js';

type ErrorBody = { error: { code: string; message: string; fields?: Record<string, string> } };

const NOW = '2025-06-30T10:00:00Z';

async function entries(app: Running) {
  return app.ctx.db.selectFrom('journal_entries').selectAll().orderBy('number').execute();
}

const manual = {
  date: '2025-06-15',
  description: 'Bankgebyr juni',
  account_1: '7770',
  debit_1: '45,50',
  account_2: '1920',
  credit_2: '45,50',
};

describeEachDialect('journal pages, manual postings and reversals', (h) => {
  let app: Running;
  let treasurer = '';
  let auditor = '';
  let member = '';
  beforeAll(async () => {
    app = await startTestApp({ database: h.database(), clock: fixedClock(NOW) });
    await setUpBilling(app);
    treasurer = (await createMemberUser(h.db(), { offices: ['treasurer'] })).user.email;
    auditor = (await createMemberUser(h.db(), { offices: ['auditor'] })).user.email;
    member = (await createMemberUser(h.db())).user.email;
    const m = await createMember(h.db());
    await issue(h.db(), { memberId: m.id, issueDate: '2025-03-01' });
  });
  afterAll(async () => app.close());

  it('is closed to members without an office; the auditor reads but never writes', async () => {
    const plain = await loggedIn(app, member);
    for (const path of [
      '/finance/journal',
      '/finance/journal/new',
      '/finance/trial-balance',
      '/finance/accounts',
      '/finance/ledger/1920',
      '/finance/settings',
    ])
      expect((await plain.get(path)).res.status, path).toBe(403);
    await plain.get('/membership');
    expect((await plain.post('/finance/journal/post', {})).res.status).toBe(403);
    expect((await plain.post('/finance/journal/new', manual)).res.status).toBe(403);

    const reader = await loggedIn(app, auditor);
    for (const path of [
      '/finance/journal',
      '/finance/trial-balance',
      '/finance/accounts',
      '/finance/ledger/1920',
    ])
      expect((await reader.get(path)).res.status, path).toBe(200);
    const list = await reader.get('/finance/journal');
    expect(list.html).not.toContain('/finance/journal/new');
    expect(list.html).not.toContain(`action="/finance/journal/post"`);
    for (const path of ['/finance/journal/new', '/finance/settings', '/finance/accounts/1920'])
      expect((await reader.get(path)).res.status, path).toBe(403);
    expect((await reader.post('/finance/journal/post', {})).res.status).toBe(403);
    expect((await reader.post('/finance/journal/new', manual)).res.status).toBe(403);
    expect(
      (await reader.post('/finance/accounts', { number: '1234', name_nb: 'x', name_en: 'x' })).res
        .status,
    ).toBe(403);
    expect(await entries(app)).toHaveLength(0);
  });

  it('posts now from the button, and the trial balance balances', async () => {
    const t = await loggedIn(app, treasurer);
    await t.get('/finance/journal');
    const res = await t.post('/finance/journal/post', {});
    expect(res.res.status).toBe(303);
    expect(await entries(app)).toHaveLength(1);
    const tb = await t.get('/finance/trial-balance?year=2025');
    expect(tb.res.status).toBe(200);
    expect(tb.html).toContain('Sum debet er lik sum kredit.');
    expect(tb.html).toContain('Medlemskontingent, utenfor mva-loven');
    expect(tb.html).toContain('600,00');
    const ledger = await t.get('/finance/ledger/1500?year=2025');
    expect(ledger.html).toContain('Faktura');
    expect(ledger.html).toContain('600,00');
  });

  it('refuses an unbalanced posting with the difference, and unknown or inactive accounts', async () => {
    const t = await loggedIn(app, treasurer);
    await t.get('/finance/journal/new');
    const unbalanced = await t.post('/finance/journal/new', { ...manual, credit_2: '45' });
    expect(unbalanced.res.status).toBe(400);
    expect(unbalanced.html).toContain('differanse på kr 0,50');
    expect(unbalanced.html).toContain('value="Bankgebyr juni"');
    const unknown = await t.post('/finance/journal/new', { ...manual, account_1: '7771' });
    expect(unknown.res.status).toBe(400);
    expect(unknown.html).toContain('Konto 7771 finnes ikke');
    const both = await t.post('/finance/journal/new', { ...manual, credit_1: '1' });
    expect(both.res.status).toBe(400);
    expect(both.html).toContain('enten debet eller kredit');
    const one = await t.post('/finance/journal/new', {
      date: '2025-06-15',
      description: 'x',
      account_1: '7770',
      debit_1: '1',
    });
    expect(one.res.status).toBe(400);
    expect(one.html).toContain('minst to linjer');
    // Deactivate an account: it takes no postings any more.
    await t.get('/finance/accounts/6800');
    expect(
      (
        await t.post('/finance/accounts/6800', {
          name_nb: 'Kontorrekvisita',
          name_en: 'Office supplies',
        })
      ).res.status,
    ).toBe(303);
    await t.get('/finance/journal/new');
    const inactive = await t.post('/finance/journal/new', { ...manual, account_1: '6800' });
    expect(inactive.res.status).toBe(400);
    expect(inactive.html).toContain('Konto 6800 er deaktivert');
    // An account the automatic postings use cannot be deactivated.
    await t.get('/finance/accounts/1920');
    const inUse = await t.post('/finance/accounts/1920', { name_nb: 'Bank', name_en: 'Bank' });
    expect(inUse.res.status).toBe(400);
    expect(await entries(app)).toHaveLength(1);
  });

  it('posts a manual entry, reverses it once, and refuses a second reversal', async () => {
    const t = await loggedIn(app, treasurer);
    await t.get('/finance/journal/new');
    const ok = await t.post('/finance/journal/new', { ...manual, text_1: 'Gebyr' });
    expect(ok.res.status).toBe(303);
    const location = ok.res.headers.get('location')!;
    const id = location.split('/').at(-1)!;
    const page = await t.get(location);
    expect(page.html).toContain('Bankgebyr juni');
    expect(page.html).toContain('45,50');
    const rows = await entries(app);
    expect(rows.at(-1)).toMatchObject({ source_kind: 'manual', number: 2, fiscal_year: 2025 });
    const reversed = await t.post(`/finance/journal/${id}/reverse`, { date: '', reason: 'Feil' });
    expect(reversed.res.status).toBe(303);
    const reversal = (await entries(app)).at(-1)!;
    expect(reversal).toMatchObject({
      source_kind: 'reversal',
      source_id: id,
      reverses_entry_id: id,
      posted_on: '2025-06-30',
    });
    const lines = await app.ctx.db
      .selectFrom('journal_lines')
      .select(['account', 'debit_ore', 'credit_ore'])
      .where('entry_id', '=', reversal.id)
      .orderBy('position')
      .execute();
    expect(lines).toEqual([
      { account: '7770', debit_ore: 0, credit_ore: 4550 },
      { account: '1920', debit_ore: 4550, credit_ore: 0 },
    ]);
    await t.get(`/finance/journal/${id}`);
    expect(t.lastHtml).toContain('Reversert av bilag 2025-3');
    const again = await t.post(`/finance/journal/${id}/reverse`, { date: '', reason: '' });
    expect(again.res.status).toBe(409);
    expect(again.html).toContain('allerede reversert');
    expect(await entries(app)).toHaveLength(3);
    const list = await t.get('/finance/journal?kind=reversal');
    expect(list.html).toContain('1 bilag');
  });

  it('keeps the settings: defaults from NS 4102, and only accounts in the chart', async () => {
    const t = await loggedIn(app, treasurer);
    const { html } = await t.get('/finance/settings');
    expect(html).toContain('name="account_membership_fees" type="text" value="3920"');
    expect(html).toContain('name="account_prepayments" type="text" value="2900"');
    const form: Record<string, string> = {};
    for (const m of html.matchAll(
      /name="(account_\w+|fiscal_year_start_month)" type="text" value="(\d*)"/g,
    ))
      form[m[1]!] = m[2]!;
    const bad = await t.post('/finance/settings', { ...form, account_bank: '1999' });
    expect(bad.res.status).toBe(400);
    expect(bad.html).toContain('Konto 1999 finnes ikke i kontoplanen');
    await t.get('/finance/accounts');
    expect(
      (
        await t.post('/finance/accounts', {
          number: '1921',
          name_nb: 'Sparekonto',
          name_en: 'Savings account',
        })
      ).res.status,
    ).toBe(303);
    const dup = await t.post('/finance/accounts', { number: '1921', name_nb: 'x', name_en: 'x' });
    expect(dup.res.status).toBe(409);
    await t.get('/finance/settings');
    const saved = await t.post('/finance/settings', {
      ...form,
      account_bank: '1921',
      fiscal_year_start_month: '7',
    });
    expect(saved.res.status).toBe(303);
    const row = await app.ctx.db
      .selectFrom('finance_settings')
      .selectAll()
      .executeTakeFirstOrThrow();
    expect(row.fiscal_year_start_month).toBe(7);
    expect(JSON.parse(row.accounts)).toMatchObject({ bank: '1921', receivables: '1500' });
  });
});

describeEachDialect('the journal over the API', (h) => {
  let app: Running;
  let write = '';
  let read = '';
  let plain = '';
  beforeAll(async () => {
    app = await startTestApp({ database: h.database(), clock: fixedClock(NOW) });
    await setUpBilling(app);
    const treasurer = await createMemberUser(h.db(), { offices: ['treasurer'] });
    const auditor = await createMemberUser(h.db(), { offices: ['auditor'] });
    write = await issueToken(h.db(), treasurer.user.id, ['finance:write']);
    read = await issueToken(h.db(), auditor.user.id, ['finance:read']);
    plain = await issueToken(h.db(), (await createMemberUser(h.db())).user.id, ['finance:write']);
    const m = await createMember(h.db());
    await issue(h.db(), { memberId: m.id, issueDate: '2025-03-01' });
  });
  afterAll(async () => app.close());

  it('runs the posting, lists and reads entries, posts by hand and reverses once', async () => {
    expect((await apiSend(app.url, 'POST', '/finance/journal/post', read, {})).status).toBe(403);
    expect((await apiGet(app.url, '/finance/journal', plain)).status).toBe(403);
    const run = await apiSend(app.url, 'POST', '/finance/journal/post', write, {});
    expect(run.status).toBe(200);
    expect(run.body).toMatchObject({ total: 1, posted: { invoice: 1 } });
    const list = await apiGet(app.url, '/finance/journal?year=2025', read);
    expect(list.status).toBe(200);
    const body = list.body as { entries: { id: string; amountOre: number }[]; total: number };
    expect(body.total).toBe(1);
    expect(body.entries[0]!.amountOre).toBe(60000);
    const one = await apiGet(app.url, `/finance/journal/${body.entries[0]!.id}`, read);
    expect(one.body).toMatchObject({
      sourceKind: 'invoice',
      lines: [
        { account: '1500', debitOre: 60000 },
        { account: '3920', creditOre: 15000 },
        { account: '3000', creditOre: 36000 },
        { account: '2700', creditOre: 9000 },
      ],
    });
    const entry = {
      date: '2025-06-01',
      description: 'Renter',
      lines: [
        { account: '1920', debit_ore: 1234 },
        { account: '8040', credit_ore: 1234 },
      ],
    };
    expect((await apiSend(app.url, 'POST', '/finance/journal', read, entry)).status).toBe(403);
    const unbalanced = await apiSend(app.url, 'POST', '/finance/journal', write, {
      ...entry,
      lines: [entry.lines[0], { account: '8040', credit_ore: 1000 }],
    });
    expect(unbalanced.status).toBe(400);
    expect((unbalanced.body as ErrorBody).error.code).toBe('finance.manual_unbalanced');
    expect((unbalanced.body as ErrorBody).error.message).toContain('2,34');
    const created = await apiSend(app.url, 'POST', '/finance/journal', write, entry);
    expect(created.status).toBe(201);
    const id = (created.body as { id: string }).id;
    const reversed = await apiSend(app.url, 'POST', `/finance/journal/${id}/reverse`, write, {});
    expect(reversed.status).toBe(201);
    expect(reversed.body).toMatchObject({ sourceKind: 'reversal', reversesEntryId: id });
    const twice = await apiSend(app.url, 'POST', `/finance/journal/${id}/reverse`, write, {});
    expect(twice.status).toBe(409);
    const doc = await apiGet(app.url, '/openapi.json');
    const paths = Object.keys((doc.body as { paths: Record<string, unknown> }).paths ?? {});
    expect(paths).toEqual(
      expect.arrayContaining(['/finance/journal', '/finance/journal/{id}/reverse']),
    );
  });
});
