import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Running } from '../../app/bootstrap.js';
import { DAY_MS, fixedClock } from '../../app/clock.js';
import { newId } from '../../app/ids.js';
import { startTestApp, setUpAssociation, type TestClient } from '../../../test/helpers/app.js';
import { describeEachDialect } from '../../../test/helpers/db.js';
import { createMemberUser } from '../../../test/helpers/fixtures.js';
import { loggedIn } from '../members/members.test-support.js';
import { addMonthsClamped, createDueClaims, duePeriods } from './expense-series.usecases.js';
import { ACCOUNT, claimRow, mailsTo, PDF, postClaim, postStep } from './expenses.test-support.js';

describe('series periods', () => {
  it('keeps the day of the month, or the month’s last day', () => {
    expect(addMonthsClamped('2027-01-31', 1)).toBe('2027-02-28');
    expect(addMonthsClamped('2028-01-31', 1)).toBe('2028-02-29');
    expect(addMonthsClamped('2027-01-31', 2)).toBe('2027-03-31');
    expect(addMonthsClamped('2027-11-15', 3)).toBe('2028-02-15');
  });
  it('lists the periods due by today and not after the end', () => {
    const monthly = { interval: 'monthly' as const, startsOn: '2026-11-30', endsOn: null };
    expect(duePeriods(monthly, '2027-01-10')).toEqual(['2026-11-30', '2026-12-30']);
    expect(duePeriods(monthly, '2026-11-29')).toEqual([]);
    expect(duePeriods({ ...monthly, endsOn: '2026-12-01' }, '2027-06-01')).toEqual(['2026-11-30']);
    expect(
      duePeriods({ interval: 'quarterly', startsOn: '2026-01-01', endsOn: null }, '2026-12-31'),
    ).toEqual(['2026-01-01', '2026-04-01', '2026-07-01', '2026-10-01']);
    expect(
      duePeriods({ interval: 'yearly', startsOn: '2025-03-01', endsOn: null }, '2027-02-28'),
    ).toEqual(['2025-03-01', '2026-03-01']);
  });
});

describeEachDialect('expense claims: recurring costs (series)', (h) => {
  let app: Running;
  const clock = fixedClock('2027-01-10T10:00:00Z');
  type Person = Awaited<ReturnType<typeof createMemberUser>>;
  let mona: Person;
  let bente: Person;
  let otto: Person;
  let mc: TestClient;
  let seriesId: string;

  const seriesForm = (o: Record<string, string> = {}) => ({
    description: 'Webhotell (månedsleie)',
    amount: '129',
    category: '6420',
    payee_account: ACCOUNT,
    interval: 'monthly',
    starts_on: '2026-11-15',
    ends_on: '',
    ...o,
  });
  const seriesClaims = async () =>
    h
      .db()
      .selectFrom('expense_claims')
      .select(['number', 'spent_on', 'status', 'amount_ore'])
      .where('series_id', '=', seriesId)
      .orderBy('spent_on')
      .execute();

  beforeAll(async () => {
    app = await startTestApp({ database: h.database(), clock });
    await setUpAssociation(app);
    mona = await createMemberUser(h.db(), { name: 'Mona Medlem' });
    bente = await createMemberUser(h.db(), { name: 'Bente Styre', offices: ['board_member'] });
    otto = await createMemberUser(h.db(), { name: 'Otto Other' });
    mc = await loggedIn(app, mona.user.email);
  });
  afterAll(async () => app.close());

  it('refuses a series with a zero amount, a wrong account or an end before its start', async () => {
    for (const [form, field] of [
      [seriesForm({ amount: '0' }), 'amount'],
      [seriesForm({ payee_account: '86011117948' }), 'payee_account'],
      [seriesForm({ ends_on: '2026-10-01' }), 'ends_on'],
      [seriesForm({ starts_on: '2025-01-01' }), 'starts_on'],
    ] as const) {
      const { res, html } = await mc.submit('/expenses/series', '/expenses/series', form);
      expect(res.status, field).toBe(400);
      expect(html).toContain(`id="f-${field}-error"`);
    }
    expect(await h.db().selectFrom('expense_series').selectAll().execute()).toHaveLength(0);
  });

  it('creates the periods already due at once, asking for the receipts', async () => {
    const { res } = await mc.submit('/expenses/series', '/expenses/series', seriesForm());
    expect(res.status).toBe(303);
    const series = await h
      .db()
      .selectFrom('expense_series')
      .selectAll()
      .where('member_id', '=', mona.member.id)
      .executeTakeFirstOrThrow();
    seriesId = series.id;
    const claims = await seriesClaims();
    expect(claims.map((c) => [c.spent_on, c.status, Number(c.amount_ore)])).toEqual([
      ['2026-11-15', 'submitted', 12900],
      ['2026-12-15', 'submitted', 12900],
    ]);
    const mails = await mailsTo(h.db(), mona.user.email);
    expect(mails.filter((m) => m.subject.startsWith('Legg ved kvitteringen'))).toHaveLength(2);
    expect((await mc.get('/expenses/series')).html).toContain('Webhotell (månedsleie)');
  });

  it('is idempotent: the job run twice, or the same period inserted again, makes no double', async () => {
    await createDueClaims(app.ctx);
    await createDueClaims(app.ctx);
    await app.jobs.tick();
    await app.jobs.tick();
    expect(await seriesClaims()).toHaveLength(2);
    // The unique index is the last line of defence (two instances at once).
    const one = (await seriesClaims())[0]!;
    const row = await claimRow(h.db(), one.number);
    await expect(
      h
        .db()
        .insertInto('expense_claims')
        .values({ ...row, id: newId(), number: 999_999 })
        .execute(),
    ).rejects.toThrow();
    // A month later the daily job makes the next one.
    clock.advance(6 * DAY_MS);
    await app.jobs.tick();
    expect((await seriesClaims()).map((c) => c.spent_on)).toEqual([
      '2026-11-15',
      '2026-12-15',
      '2027-01-15',
    ]);
    await app.jobs.tick();
    expect(await seriesClaims()).toHaveLength(3);
  });

  it('cannot be attested until the member attaches the receipt', async () => {
    const [first] = await seriesClaims();
    const n = first!.number;
    const bc = await loggedIn(app, bente.user.email);
    const page = await bc.get(`/expenses/${n}`);
    expect(page.html).toContain('data-blocked="receipt"');
    expect(page.html).not.toContain(`action="/expenses/${n}/attest"`);
    const early = await bc.post(`/expenses/${n}/attest`, {});
    expect(early.res.status).toBe(409);
    expect(early.html).toContain('ingen kvittering');
    // Another member cannot attach one; Mona can.
    const oc = await loggedIn(app, otto.user.email);
    const foreign = await postClaim(oc, {
      pagePath: '/expenses',
      action: `/expenses/${n}/receipts`,
      form: {},
    });
    expect(foreign.res.status).toBe(404);
    const attached = await postClaim(mc, {
      pagePath: `/expenses/${n}`,
      action: `/expenses/${n}/receipts`,
      form: {},
      file: { name: 'faktura-nov.pdf', content: PDF },
    });
    expect(attached.res.status).toBe(303);
    expect((await postStep(bc, n, 'attest')).res.status).toBe(303);
    expect((await claimRow(h.db(), n)).status).toBe('attested');
  });

  it('stops when the member ends it; nobody else can end it', async () => {
    const oc = await loggedIn(app, otto.user.email);
    await oc.get('/expenses/series');
    expect((await oc.post(`/expenses/series/${seriesId}/stop`, {})).res.status).toBe(404);
    await mc.get('/expenses/series');
    expect((await mc.post(`/expenses/series/${seriesId}/stop`, {})).res.status).toBe(303);
    clock.advance(40 * DAY_MS);
    await createDueClaims(app.ctx);
    expect(await seriesClaims()).toHaveLength(3);
  });
});
