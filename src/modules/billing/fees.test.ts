import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Running } from '../../app/bootstrap.js';
import { fixedClock } from '../../app/clock.js';
import { setUpAssociation, startTestApp, type TestClient } from '../../../test/helpers/app.js';
import { issueToken, apiGet, apiSend } from '../../../test/helpers/api.js';
import { describeEachDialect } from '../../../test/helpers/db.js';
import { createMemberUser } from '../../../test/helpers/fixtures.js';
import { loggedIn } from '../members/members.test-support.js';

const YEAR = 2025;

/** The data.coop example as the fee form sends it. */
const ORDINARY = {
  c0_name_nb: 'Medlemskontingent',
  c0_name_en: 'Membership fee',
  c0_amount: '150',
  c0_vat: '0',
  c1_name_nb: 'Tjenesteavgift',
  c1_name_en: 'Service fee',
  c1_amount: '450',
  c1_vat: '2500',
};

describeEachDialect('fee schedule', (h) => {
  let app: Running;
  let treasurer: TestClient;
  let auditorEmail = '';
  let plainEmail = '';
  let treasurerUserId = '';
  const db = () => h.db();
  const typeId = async (code: string) =>
    (
      await db()
        .selectFrom('membership_types')
        .select('id')
        .where('code', '=', code)
        .executeTakeFirstOrThrow()
    ).id;
  const membershipFee = async (code: string, year: number) =>
    (
      await db()
        .selectFrom('membership_fees')
        .select('amount_ore')
        .where('type_id', '=', await typeId(code))
        .where('year', '=', year)
        .executeTakeFirst()
    )?.amount_ore;

  beforeAll(async () => {
    // 1 March 2026 in an association year starting 1 July: the current year is 2025.
    app = await startTestApp({ database: h.database(), clock: fixedClock('2026-03-01T10:00:00Z') });
    await setUpAssociation(app, { vat_registered: 'on', year_start_month: '7' });
    const t = await createMemberUser(db(), { offices: ['treasurer'] });
    treasurerUserId = t.user.id;
    treasurer = await loggedIn(app, t.user.email);
    auditorEmail = (await createMemberUser(db(), { offices: ['auditor'] })).user.email;
    plainEmail = (await createMemberUser(db())).user.email;
  });
  afterAll(async () => app.close());

  it('is closed to plain members; the auditor reads but cannot change it', async () => {
    const plain = await loggedIn(app, plainEmail);
    expect((await plain.get('/billing/fees')).res.status).toBe(403);
    await plain.get('/membership');
    expect((await plain.post(`/billing/fees/${YEAR}/ordinary`, ORDINARY)).res.status).toBe(403);
    expect((await plain.post('/billing/fees/copy', { from: '2025', to: '2026' })).res.status).toBe(
      403,
    );
    const auditor = await loggedIn(app, auditorEmail);
    const view = await auditor.get('/billing/fees');
    expect(view.res.status).toBe(200);
    expect(view.html).toContain('Kontingentsatser 2025/26');
    expect(view.html).not.toContain('name="c0_amount"');
    expect((await auditor.post(`/billing/fees/${YEAR}/ordinary`, ORDINARY)).res.status).toBe(403);
    expect(await db().selectFrom('fee_components').selectAll().execute()).toEqual([]);
  });

  it('sets the data.coop fee with VAT per component and keeps the one-amount fee in step', async () => {
    await treasurer.get(`/billing/fees?year=${YEAR}`);
    const ok = await treasurer.post(`/billing/fees/${YEAR}/ordinary`, ORDINARY);
    expect(ok.res.status).toBe(303);
    const reduced = await treasurer.post(`/billing/fees/${YEAR}/reduced`, {
      c0_name_nb: 'Medlemskontingent',
      c0_amount: '50',
      c0_vat: '0',
      c1_name_nb: 'Tjenesteavgift',
      c1_amount: '50',
      c1_vat: '2500',
    });
    expect(reduced.res.status).toBe(303);
    expect(await membershipFee('ordinary', YEAR)).toBe(60000);
    expect(await membershipFee('reduced', YEAR)).toBe(10000);

    const { html } = await treasurer.get(`/billing/fees?year=${YEAR}`);
    expect(html).toContain('kr 600,00');
    expect(html).toContain('kr 90,00'); // the VAT in 450 kr incl. 25 %
    expect(html).toContain('Utenfor mva.');
    expect(html).toContain('25 % mva.');
    expect(html).toContain('Herav mva.');
    const components = await db()
      .selectFrom('fee_components')
      .selectAll()
      .where('type_id', '=', await typeId('ordinary'))
      .orderBy('position')
      .execute();
    expect(components.map((c) => [c.name_en, c.amount_ore, c.vat_rate_bp])).toEqual([
      ['Membership fee', 15000, 0],
      ['Service fee', 45000, 2500],
    ]);
    const audit = await db()
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'billing.fees_set')
      .orderBy('id')
      .executeTakeFirstOrThrow();
    expect(audit.actor_user_id).toBe(treasurerUserId);
    // The membership types page and the apply page show the sum.
    const token = await issueToken(db(), treasurerUserId, ['billing:read']);
    const api = await apiGet(app.url, `/membership-types?year=${YEAR}`, token);
    expect(api.body).toEqual(
      expect.arrayContaining([expect.objectContaining({ code: 'ordinary', feeOre: 60000 })]),
    );
  });

  it('refuses bad rows with messages beside the fields, keeping the input', async () => {
    await treasurer.get(`/billing/fees?year=${YEAR}`);
    const bad = await treasurer.post(`/billing/fees/${YEAR}/ordinary`, {
      ...ORDINARY,
      c1_amount: '12,345',
      c2_name_en: 'Half a row',
      c3_name_nb: 'Null',
      c3_amount: '0',
    });
    expect(bad.res.status).toBe(400);
    expect(bad.html).toContain('Skriv beløpet i kroner');
    expect(bad.html).toContain('value="12,345"');
    expect(bad.html).toContain('Må fylles ut.');
    expect(bad.html).toContain('Beløpet må være over null.');
    expect(await membershipFee('ordinary', YEAR)).toBe(60000);
    const unknown = await treasurer.post(`/billing/fees/${YEAR}/nope`, ORDINARY);
    expect(unknown.res.status).toBe(404);
  });

  it('copies last year’s schedule to a new year, once', async () => {
    const empty = await treasurer.get(`/billing/fees?year=${YEAR + 1}`);
    expect(empty.html).toContain('Kopier satsene for 2025/26');
    const copied = await treasurer.post('/billing/fees/copy', {
      from: String(YEAR),
      to: String(YEAR + 1),
    });
    expect(copied.res.status).toBe(303);
    expect(await membershipFee('ordinary', YEAR + 1)).toBe(60000);
    expect(await membershipFee('reduced', YEAR + 1)).toBe(10000);
    const again = await treasurer.post('/billing/fees/copy', {
      from: String(YEAR),
      to: String(YEAR + 1),
    });
    expect(again.res.status).toBe(409);
    expect(again.html).toContain('Det finnes allerede kontingentsatser for 2026');
  });

  it('removes a type’s fee for a year when every row is emptied', async () => {
    await treasurer.get(`/billing/fees?year=${YEAR + 1}`);
    const cleared = await treasurer.post(`/billing/fees/${YEAR + 1}/reduced`, {});
    expect(cleared.res.status).toBe(303);
    expect(await membershipFee('reduced', YEAR + 1)).toBeUndefined();
  });

  it('shows no VAT lines when the association is not VAT-registered, and says why', async () => {
    await db().updateTable('association').set({ vat_registered: 0 }).execute();
    const { html } = await treasurer.get(`/billing/fees?year=${YEAR}`);
    expect(html).toContain('ikke registrert i Merverdiavgiftsregisteret');
    expect(html).not.toContain('Herav mva.');
    expect(html).not.toContain('kr 90,00');
    await db().updateTable('association').set({ vat_registered: 1 }).execute();
  });

  it('reads and sets the schedule through the API (billing:read / billing:write)', async () => {
    const reader = await issueToken(db(), treasurerUserId, ['billing:read']);
    const writer = await issueToken(db(), treasurerUserId, ['billing:write']);
    const got = await apiGet(app.url, `/fees?year=${YEAR}`, reader);
    expect(got.status).toBe(200);
    expect(got.body).toMatchObject({
      year: YEAR,
      vatRegistered: true,
      types: expect.arrayContaining([
        expect.objectContaining({ code: 'ordinary', totalOre: 60000, vatOre: 9000 }),
      ]) as unknown,
    });
    const body = {
      components: [
        { nameNb: 'Støtte', nameEn: 'Support', amountOre: 30000, vatRateBp: 0, orMore: true },
      ],
    };
    const refused = await apiSend(app.url, 'PUT', `/fees/${YEAR}/supporter`, reader, body);
    expect(refused.status).toBe(403);
    const put = await apiSend(app.url, 'PUT', `/fees/${YEAR}/supporter`, writer, body);
    expect(put.status).toBe(200);
    expect(put.body).toEqual({ year: YEAR, type: 'supporter', totalOre: 30000 });
    expect(await membershipFee('supporter', YEAR)).toBe(30000);
    const badRate = await apiSend(app.url, 'PUT', `/fees/${YEAR}/supporter`, writer, {
      components: [{ nameNb: 'X', amountOre: 100, vatRateBp: 2000 }],
    });
    expect(badRate.status).toBe(400);
    const none = await apiGet(app.url, `/fees?year=${YEAR}`);
    expect(none.status).toBe(401);
  });
});
