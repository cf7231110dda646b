import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Running } from '../../app/bootstrap.js';
import { createSession } from '../accounts/accounts.usecases.js';
import { ADMIN, setUpAssociation, startTestApp, TestClient } from '../../../test/helpers/app.js';
import { describeEachDialect } from '../../../test/helpers/db.js';
import { createMember, createMemberUser, createUser } from '../../../test/helpers/fixtures.js';
import { startSmtpServer } from '../../../test/helpers/smtp.js';
import {
  applyForm,
  auditOf,
  loggedIn,
  memberOfUser,
  memberRow,
  outboxTo,
  periodsOf,
  statusChangesOf,
  todayAndYear,
} from './members.test-support.js';

describeEachDialect('applying for membership (approval required)', (h) => {
  let app: Running;
  let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
  beforeAll(async () => {
    smtp = await startSmtpServer();
    app = await startTestApp({ database: h.database(), smtpUrl: smtp.url });
    await setUpAssociation(app);
  });
  afterAll(async () => {
    await app.close();
    await smtp.close();
  });
  const db = () => h.db();

  it('sends visitors who are not logged in to the login page', async () => {
    const client = new TestClient(app.url);
    for (const path of ['/membership', '/membership/apply']) {
      const { res } = await client.get(path);
      expect(res.status, path).toBe(303);
      expect(res.headers.get('location')).toBe(`/login?next=${encodeURIComponent(path)}`);
    }
    await client.get('/login');
    for (const path of ['/membership/apply', '/membership/resign']) {
      const { res } = await client.post(path, applyForm());
      expect(res.status, path).toBe(303);
      expect(res.headers.get('location')).toBe('/login');
    }
  });

  it('shows an account without membership how to apply', async () => {
    const user = await createUser(db());
    const client = await loggedIn(app, user.email);
    const { res, html } = await client.get('/membership');
    expect(res.status).toBe(200);
    expect(html).toContain('Du er ikke medlem ennå');
    expect(html).toContain('href="/membership/apply"');
    const form = await client.get('/membership/apply');
    expect(form.html).toContain('name="accept_statutes"');
    expect(form.html).toContain('href="/documents/statutes"');
    expect(form.html).toContain('href="/documents/aup"');
    expect(form.html).toContain('kr 600,00'); // this year's fee of the ordinary type
    expect(form.html).toContain(`value="${user.name}"`);
  });

  it('refuses to take an application from an unverified email address', async () => {
    const user = await createUser(db());
    await db()
      .updateTable('users')
      .set({ email_verified_at: null })
      .where('id', '=', user.id)
      .execute();
    const { token } = await createSession(app.ctx, { userId: user.id, ip: null, userAgent: null });
    const client = new TestClient(app.url);
    client.cookies.set('alm_session', token);
    const mine = await client.get('/membership');
    expect(mine.html).toContain('ikke bekreftet');
    const form = await client.get('/membership/apply');
    expect(form.html).not.toContain('name="accept_statutes"');
    const res = await client.post('/membership/apply', applyForm());
    expect(res.res.status).toBe(403);
    expect(res.html).toContain('ikke bekreftet');
    expect(await memberOfUser(db(), user.id)).toBeUndefined();
  });

  it('re-renders a faulty application with messages and the input kept', async () => {
    const user = await createUser(db());
    const client = await loggedIn(app, user.email);
    await client.get('/membership/apply');
    const missing = await client.post(
      '/membership/apply',
      applyForm({ accept_aup: '', city: '', note: 'Behold meg' }),
    );
    expect(missing.res.status).toBe(400);
    expect(missing.html).toContain('Du må godta dette');
    expect(missing.html).toContain('Må fylles ut.');
    expect(missing.html).toContain('Behold meg');
    expect(missing.html).toContain('aria-invalid="true"');

    const org = await client.post(
      '/membership/apply',
      applyForm({ type: 'organisation', name: 'Lag AS' }),
    );
    expect(org.res.status).toBe(400);
    expect(org.html).toContain('må oppgi organisasjonsnummer');
    expect(org.html).toContain('value="Lag AS"');
    const badOrg = await client.post(
      '/membership/apply',
      applyForm({ type: 'organisation', org_number: '123456789', contact_person: 'Kari' }),
    );
    expect(badOrg.res.status).toBe(400);
    expect(badOrg.html).toContain('Organisasjonsnummeret er ugyldig');
    const badType = await client.post('/membership/apply', applyForm({ type: 'platinum' }));
    expect(badType.res.status).toBe(400);
    expect(await memberOfUser(db(), user.id)).toBeUndefined();
  });

  it('records an application, its acceptances and a receipt mail; refuses a second one', async () => {
    const user = await createUser(db(), { name: 'Siri Søker' });
    const counter = await db()
      .selectFrom('counters')
      .select('value')
      .where('name', '=', 'member_number')
      .executeTakeFirstOrThrow();
    const client = await loggedIn(app, user.email);
    await client.get('/membership/apply');
    const res = await client.post('/membership/apply', applyForm());
    expect(res.res.status).toBe(303);
    expect(res.res.headers.get('location')).toBe('/membership');

    const member = await memberOfUser(db(), user.id);
    expect(member).toMatchObject({
      status: 'applied',
      member_number: counter.value + 1,
      email: user.email,
      city: 'Oslo',
      application_note: 'Jeg drifter gjerne Matrix.',
      joined_on: null,
    });
    const changes = await statusChangesOf(db(), member!.id);
    expect(changes.map((c) => [c.from_status, c.to_status])).toEqual([[null, 'applied']]);
    const docs = await db()
      .selectFrom('document_acceptances as a')
      .innerJoin('documents as d', 'd.id', 'a.document_id')
      .select(['d.kind', 'd.version'])
      .where('a.member_id', '=', member!.id)
      .orderBy('d.kind')
      .execute();
    expect(docs).toEqual([
      { kind: 'aup', version: 1 },
      { kind: 'statutes', version: 1 },
    ]);
    expect((await auditOf(db(), member!.id)).map((a) => a.action)).toEqual(['members.applied']);
    expect(await periodsOf(db(), member!.id)).toEqual([]);

    await app.worker.runOnce();
    const mail = await smtp.waitFor((m) => m.to.includes(user.email));
    expect(mail.subject).toContain('Vi har mottatt søknaden din');

    const page = await client.get('/membership');
    expect(page.html).toContain('badge applied');
    expect(page.html).toContain(String(counter.value + 1));
    expect(page.html).toContain('til behandling');
    expect(page.html).toContain('href="/membership/profile"');
    expect(page.html).toContain('href="/membership/data.json"');
    expect(page.html).toContain('href="/membership/erase"');

    await client.get('/membership/apply');
    const twice = await client.post('/membership/apply', applyForm());
    expect(twice.res.status).toBe(409);
    expect(twice.html).toContain('allerede søkt');
    expect(await statusChangesOf(db(), member!.id)).toHaveLength(1);
  });

  it('writes to the applicant in their own language', async () => {
    const user = await createUser(db());
    await db().updateTable('users').set({ locale: 'en' }).where('id', '=', user.id).execute();
    const client = await loggedIn(app, user.email);
    const form = await client.get('/membership/apply?lang=en');
    expect(form.html).toContain('Apply for membership');
    expect(form.html).toContain('NOK 600.00');
    const res = await client.post('/membership/apply', applyForm());
    expect(res.res.status).toBe(303);
    await app.worker.runOnce();
    const mail = await smtp.waitFor((m) => m.to.includes(user.email));
    expect(mail.subject).toContain('We have received your application');
    const page = await client.get('/membership');
    expect(page.html).toContain('My membership');
    expect(page.html).toContain('badge applied');
  });

  it('refuses an application from someone who is already a member', async () => {
    const { user } = await createMemberUser(db());
    const client = await loggedIn(app, user.email);
    const form = await client.get('/membership/apply');
    expect(form.html).toContain('allerede et medlemskap');
    await client.get('/membership');
    const res = await client.post('/membership/apply', applyForm());
    expect(res.res.status).toBe(409);
    expect(res.html).toContain('allerede medlem');
  });

  it('lets the board approve: active, this year’s period, a welcome mail, audit', async () => {
    const user = await createUser(db(), { name: 'Aksel Aktiv' });
    const applicant = await loggedIn(app, user.email);
    await applicant.get('/membership/apply');
    await applicant.post('/membership/apply', applyForm({ name: 'Aksel Aktiv' }));
    const member = (await memberOfUser(db(), user.id))!;

    const board = await loggedIn(app, ADMIN.email, ADMIN.password);
    const list = await board.get('/members/applications');
    expect(list.res.status).toBe(200);
    expect(list.html).toContain('Aksel Aktiv');
    expect(list.html).toContain('Jeg drifter gjerne Matrix.');
    const ok = await board.post(`/members/${member.id}/approve`, { back: 'applications' });
    expect(ok.res.status).toBe(303);
    expect(ok.res.headers.get('location')).toBe('/members/applications');

    const { today, year } = todayAndYear(app);
    const row = await memberRow(db(), member.id);
    expect(row.status).toBe('active');
    expect(row.joined_on).toBe(today);
    const periods = await periodsOf(db(), member.id);
    expect(periods).toHaveLength(1);
    expect(periods[0]).toMatchObject({ year: year.year, starts_on: today, ends_on: year.endsOn });
    const changes = await statusChangesOf(db(), member.id);
    expect(changes.at(-1)).toMatchObject({
      from_status: 'applied',
      to_status: 'active',
      actor_label: ADMIN.handle,
    });
    const audit = (await auditOf(db(), member.id)).at(-1)!;
    expect(audit.action).toBe('members.approved');
    expect(JSON.parse(audit.before!)).toEqual({ status: 'applied' });
    expect(JSON.parse(audit.after!)).toEqual({ status: 'active' });

    await app.worker.runOnce();
    const mail = await smtp.waitFor(
      (m) => m.to.includes(user.email) && m.subject.includes('Velkommen'),
    );
    expect(mail.text).toContain(String(row.member_number));

    // Approving again changes nothing.
    await board.get('/members/applications');
    const again = await board.post(`/members/${member.id}/approve`, { back: 'applications' });
    expect(again.res.status).toBe(409);
    expect(await statusChangesOf(db(), member.id)).toHaveLength(2);
  });

  it('never doubles a concurrent double approval', async () => {
    const user = await createUser(db());
    const applicant = await loggedIn(app, user.email);
    await applicant.get('/membership/apply');
    await applicant.post('/membership/apply', applyForm());
    const member = (await memberOfUser(db(), user.id))!;
    const board = await loggedIn(app, ADMIN.email, ADMIN.password);
    await board.get(`/members/${member.id}`);
    const results = await Promise.all([
      board.post(`/members/${member.id}/approve`, { back: 'member' }),
      board.post(`/members/${member.id}/approve`, { back: 'member' }),
    ]);
    expect(results.map((r) => r.res.status).sort()).toEqual([303, 409]);
    expect(
      (await statusChangesOf(db(), member.id)).filter((c) => c.to_status === 'active'),
    ).toHaveLength(1);
    expect(await periodsOf(db(), member.id)).toHaveLength(1);
    expect(
      (await outboxTo(db(), user.email)).filter((o) => o.payload.includes('Velkommen')),
    ).toHaveLength(1);
  });

  it('needs a written reason to refuse, mails it, and lets the refused apply again', async () => {
    const user = await createUser(db(), { name: 'Rolf Refusert' });
    const applicant = await loggedIn(app, user.email);
    await applicant.get('/membership/apply');
    await applicant.post('/membership/apply', applyForm({ name: 'Rolf Refusert' }));
    const member = (await memberOfUser(db(), user.id))!;

    const board = await loggedIn(app, ADMIN.email, ADMIN.password);
    await board.get('/members/applications');
    const noReason = await board.post(`/members/${member.id}/refuse`, {
      back: 'applications',
      reason: '  ',
    });
    expect(noReason.res.status).toBe(400);
    expect(noReason.html).toContain('Må fylles ut.');
    expect(noReason.html).toContain('Rolf Refusert');
    expect((await memberRow(db(), member.id)).status).toBe('applied');

    const reason = 'Vi tar bare opp medlemmer som bor i Norge.';
    const refused = await board.post(`/members/${member.id}/refuse`, {
      back: 'applications',
      reason,
    });
    expect(refused.res.status).toBe(303);
    expect((await memberRow(db(), member.id)).status).toBe('refused');
    expect((await statusChangesOf(db(), member.id)).at(-1)).toMatchObject({
      to_status: 'refused',
      reason,
    });
    await app.worker.runOnce();
    const mail = await smtp.waitFor(
      (m) => m.to.includes(user.email) && m.subject.includes('ikke innvilget'),
    );
    expect(mail.text).toContain(reason);

    await applicant.get('/membership/apply');
    const again = await applicant.post('/membership/apply', applyForm({ name: 'Rolf Refusert' }));
    expect(again.res.status).toBe(303);
    const row = await memberRow(db(), member.id);
    expect(row.status).toBe('applied');
    expect(row.member_number).toBe(member.member_number);
    expect((await statusChangesOf(db(), member.id)).at(-1)).toMatchObject({
      from_status: 'refused',
      to_status: 'applied',
    });
  });

  it('takes over a registered member without an account instead of duplicating it', async () => {
    const user = await createUser(db());
    const imported = await createMember(db(), {
      userId: null,
      email: user.email,
      status: 'resigned',
    });
    const client = await loggedIn(app, user.email);
    await client.get('/membership/apply');
    const res = await client.post('/membership/apply', applyForm());
    expect(res.res.status).toBe(303);
    const row = await memberRow(db(), imported.id);
    expect(row).toMatchObject({ user_id: user.id, status: 'applied' });
    expect(row.member_number).toBe(imported.memberNumber);
    const count = await db()
      .selectFrom('members')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('email', '=', user.email)
      .executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(1);
  });

  it('lets a member resign with confirmation, by mail and audited', async () => {
    const { user, member } = await createMemberUser(db());
    const client = await loggedIn(app, user.email);
    const page = await client.get('/membership');
    expect(page.html).toContain('action="/membership/resign"');
    const unconfirmed = await client.post('/membership/resign', { reason: 'Flytter' });
    expect(unconfirmed.res.status).toBe(400);
    expect(unconfirmed.html).toContain('Kryss av for å bekrefte');
    expect((await memberRow(db(), member.id)).status).toBe('active');

    const ok = await client.post('/membership/resign', { confirm: 'on', reason: 'Flytter' });
    expect(ok.res.status).toBe(303);
    expect((await memberRow(db(), member.id)).status).toBe('resigned');
    expect((await statusChangesOf(db(), member.id)).at(-1)).toMatchObject({
      from_status: 'active',
      to_status: 'resigned',
      reason: 'Flytter',
      actor_label: user.handle,
    });
    expect((await auditOf(db(), member.id)).at(-1)!.action).toBe('members.resigned');
    await app.worker.runOnce();
    await smtp.waitFor((m) => m.to.includes(user.email) && m.subject.includes('Utmeldingen'));

    const after = await client.get('/membership');
    expect(after.html).not.toContain('action="/membership/resign"');
    expect(after.html).toContain('Søk medlemskap på nytt');
    const twice = await client.post('/membership/resign', { confirm: 'on' });
    expect(twice.res.status).toBe(409);
  });

  it('refuses a POST without a CSRF token and changes nothing', async () => {
    const user = await createUser(db());
    const client = await loggedIn(app, user.email);
    await client.get('/membership/apply');
    const res = await client.post('/membership/apply', applyForm(), { csrf: null });
    expect(res.res.status).toBe(403);
    expect(await memberOfUser(db(), user.id)).toBeUndefined();

    const { user: m, member } = await createMemberUser(db());
    const memberClient = await loggedIn(app, m.email);
    await memberClient.get('/membership');
    const resign = await memberClient.post('/membership/resign', { confirm: 'on' }, { csrf: null });
    expect(resign.res.status).toBe(403);
    expect((await memberRow(db(), member.id)).status).toBe('active');
  });
});

describeEachDialect('applying for membership (no approval)', (h) => {
  let app: Running;
  let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
  beforeAll(async () => {
    smtp = await startSmtpServer();
    app = await startTestApp({ database: h.database(), smtpUrl: smtp.url });
    await setUpAssociation(app, { require_approval: '', year_start_month: '7' });
  });
  afterAll(async () => {
    await app.close();
    await smtp.close();
  });

  it('makes the applicant active at once with a period to the end of the association year', async () => {
    const user = await createUser(h.db(), { name: 'Ivar Ivrig' });
    const client = await loggedIn(app, user.email);
    await client.get('/membership/apply');
    const res = await client.post('/membership/apply', applyForm({ name: 'Ivar Ivrig' }));
    expect(res.res.status).toBe(303);
    const member = (await memberOfUser(h.db(), user.id))!;
    const { today, year } = todayAndYear(app, 7);
    expect(member.status).toBe('active');
    expect(member.joined_on).toBe(today);
    const periods = await periodsOf(h.db(), member.id);
    expect(periods).toMatchObject([{ year: year.year, starts_on: today, ends_on: year.endsOn }]);
    expect(year.endsOn.slice(5)).toBe('06-30');
    await app.worker.runOnce();
    await smtp.waitFor((m) => m.to.includes(user.email) && m.subject.includes('Velkommen'));
    const page = await client.get('/membership');
    expect(page.html).toContain('badge active');
    expect(page.html).toContain(`${year.year}/${String(year.year + 1).slice(2)}`);
  });
});
