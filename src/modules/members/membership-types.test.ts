import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Running } from '../../app/bootstrap.js';
import { ADMIN, setUpAssociation, startTestApp, TestClient } from '../../../test/helpers/app.js';
import { describeEachDialect } from '../../../test/helpers/db.js';
import { createMemberUser, createUser } from '../../../test/helpers/fixtures.js';
import { applyForm, loggedIn, todayAndYear } from './members.test-support.js';

describeEachDialect('membership types and fees', (h) => {
  let app: Running;
  let board: TestClient;
  beforeAll(async () => {
    app = await startTestApp({ database: h.database() });
    await setUpAssociation(app);
    board = await loggedIn(app, ADMIN.email, ADMIN.password);
  });
  afterAll(async () => app.close());
  const db = () => h.db();

  const typeId = async (code: string) =>
    (
      await db()
        .selectFrom('membership_types')
        .select('id')
        .where('code', '=', code)
        .executeTakeFirstOrThrow()
    ).id;
  const fee = async (code: string, year: number) =>
    (
      await db()
        .selectFrom('membership_fees')
        .select('amount_ore')
        .where('type_id', '=', await typeId(code))
        .where('year', '=', year)
        .executeTakeFirst()
    )?.amount_ore;

  it('is closed to visitors, plain members and offices without settings.manage', async () => {
    const anonymous = new TestClient(app.url);
    const { res } = await anonymous.get('/admin/membership-types');
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toContain('/login');

    const id = await typeId('ordinary');
    const { year } = todayAndYear(app);
    for (const offices of [[], ['treasurer'] as const]) {
      const { user } = await createMemberUser(db(), { offices: [...offices] });
      const client = await loggedIn(app, user.email);
      expect((await client.get('/admin/membership-types')).res.status).toBe(403);
      await client.get('/membership');
      const toggle = await client.post(`/admin/membership-types/${id}/active`, { active: 'false' });
      expect(toggle.res.status).toBe(403);
    }
    expect(await fee('ordinary', year.year)).toBe(60000);
  });

  it('lists every type with this and next year’s fee', async () => {
    const { year } = todayAndYear(app);
    const { res, html } = await board.get('/admin/membership-types');
    expect(res.status).toBe(200);
    expect(html).toContain('Ordinært medlem');
    expect(html).toContain('Organisasjonsmedlem');
    expect(html).toContain(`Kontingent ${year.year}`);
    expect(html).toContain(`Kontingent ${year.year + 1}`);
    expect(html).toContain('kr 600,00');
    expect(html).toContain('ikke satt');
    // The fee is edited in the fee schedule, not here.
    expect(html).toContain('href="/billing/fees#type-ordinary"');
    expect(html).not.toContain('name="amount"');
    const english = await board.get('/admin/membership-types?lang=en');
    expect(english.html).toContain('Membership types and fees');
    expect(english.html).toContain('NOK 1,500.00');
    await board.get('/admin/membership-types?lang=nb');
  });

  it('no longer sets fees here: that is the fee schedule’s job (/billing/fees)', async () => {
    const { year } = todayAndYear(app);
    const id = await typeId('reduced');
    await board.get('/admin/membership-types');
    const gone = await board.post(`/admin/membership-types/${id}/fee`, {
      year: String(year.year + 1),
      amount: '450,50',
    });
    expect(gone.res.status).toBe(404);
    expect(await fee('reduced', year.year + 1)).toBeUndefined();
  });

  it('deactivates a type so applicants no longer get it, and activates it again', async () => {
    const id = await typeId('supporter');
    await board.get('/admin/membership-types');
    const off = await board.post(`/admin/membership-types/${id}/active`, { active: 'false' });
    expect(off.res.status).toBe(303);
    const user = await createUser(db());
    const applicant = await loggedIn(app, user.email);
    const form = await applicant.get('/membership/apply');
    expect(form.html).not.toContain('value="supporter"');
    expect(form.html).toContain('value="ordinary"');
    const res = await applicant.post('/membership/apply', applyForm({ type: 'supporter' }));
    expect(res.res.status).toBe(400);

    const on = await board.post(`/admin/membership-types/${id}/active`, { active: 'true' });
    expect(on.res.status).toBe(303);
    expect((await applicant.get('/membership/apply')).html).toContain('value="supporter"');
    const actions = await db()
      .selectFrom('audit_log')
      .select('action')
      .where('entity_id', '=', id)
      .orderBy('id')
      .execute();
    expect(actions.map((a) => a.action)).toEqual([
      'members.type_deactivated',
      'members.type_activated',
    ]);
  });

  it('answers 404 for a malformed or unknown type, and 403 without a CSRF token', async () => {
    await board.get('/admin/membership-types');
    const malformed = await board.post('/admin/membership-types/nope/active', {
      active: 'false',
    });
    expect(malformed.res.status).toBe(404);
    const unknown = await board.post(`/admin/membership-types/${'0'.repeat(26)}/active`, {
      active: 'false',
    });
    expect(unknown.res.status).toBe(404);
    const id = await typeId('ordinary');
    const noCsrf = await board.post(
      `/admin/membership-types/${id}/active`,
      { active: 'false' },
      { csrf: null },
    );
    expect(noCsrf.res.status).toBe(403);
    expect((await board.get('/admin/membership-types')).html).toContain('Deaktiver typen');
  });
});
