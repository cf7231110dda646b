import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Running } from '../../app/bootstrap.js';
import { ADMIN, setUpAssociation, startTestApp, TestClient } from '../../../test/helpers/app.js';
import { describeEachDialect } from '../../../test/helpers/db.js';
import { createMemberUser, PASSWORD } from '../../../test/helpers/fixtures.js';
import { insertService } from '../../../test/helpers/sso-fixtures.js';
import { startSmtpServer } from '../../../test/helpers/smtp.js';

describeEachDialect("members' services and access requests", (h) => {
  let app: Running;
  let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
  let admin: TestClient;
  let alice: TestClient;
  let aliceEmail: string;
  let bob: TestClient;
  let bobNumber: number;
  let vault: { id: string; slug: string };

  beforeAll(async () => {
    smtp = await startSmtpServer();
    app = await startTestApp({
      database: h.database(),
      smtpUrl: smtp.url,
      config: { worker: true },
    });
    await setUpAssociation(app);
    admin = new TestClient(app.url);
    await admin.logIn(ADMIN.email, ADMIN.password);
    const a = await createMemberUser(h.db(), { name: 'Alice Medlem' });
    aliceEmail = a.user.email;
    alice = new TestClient(app.url);
    await alice.logIn(a.user.email, PASSWORD);
    const b = await createMemberUser(h.db());
    bobNumber = b.member.memberNumber;
    bob = new TestClient(app.url);
    await bob.logIn(b.user.email, PASSWORD);
    const secret = app.ctx.secret;
    await insertService(h.db(), {
      appSecret: secret,
      url: 'https://social.example.org',
      slug: 'social',
      name: 'Mastodon',
    });
    vault = await insertService(h.db(), {
      appSecret: secret,
      url: 'https://vault.example.org',
      slug: 'vault',
      name: 'Vaultwarden',
      accessPolicy: 'on_request',
    });
    await insertService(h.db(), {
      appSecret: secret,
      url: 'https://board.example.org',
      slug: 'board-wiki',
      name: 'Styrewiki',
      accessPolicy: 'by_office',
      offices: ['board_member'],
    });
  });
  afterAll(async () => {
    await app.close();
    await smtp.close();
  });

  it('shows a member what they can use, what needs a request, and why the rest is closed', async () => {
    const { res, html } = await alice.get('/services');
    expect(res.status).toBe(200);
    expect(html).toContain('href="https://social.example.org"');
    expect(html).toContain('Søk om tilgang');
    expect(html).toContain('Tjenesten er bare for medlemmer med bestemte verv.');
    expect(html).not.toContain('href="https://vault.example.org"');
    expect(html).not.toContain('href="https://board.example.org"');
  });

  it('a request needs the CSRF token; then it waits, and the member sees it pending', async () => {
    const noCsrf = await alice.post('/services/vault/request', { note: 'x' }, { csrf: null });
    expect(noCsrf.res.status).toBe(403);
    await alice.get('/services');
    const sent = await alice.post('/services/vault/request', { note: 'For passordene mine' });
    expect(sent.res.status).toBe(303);
    const again = await alice.get('/services');
    expect(again.html).toContain('Forespørselen venter på behandling');
    const twice = await alice.post('/services/vault/request', { note: '' });
    expect(twice.res.status).toBe(409);
    // An all-members service needs no request.
    await alice.get('/services');
    expect((await alice.post('/services/social/request', {})).res.status).toBe(409);
  });

  it("a member cannot see another member's requests nor decide them", async () => {
    const bobs = await bob.get('/services');
    expect(bobs.html).not.toContain('For passordene mine');
    expect(bobs.html).toContain('Søk om tilgang');
    const queue = await admin.get('/admin/services/requests');
    expect(queue.html).toContain('For passordene mine');
    const row = await h
      .db()
      .selectFrom('service_access')
      .select('id')
      .where('service_id', '=', vault.id)
      .executeTakeFirstOrThrow();
    await bob.get('/services');
    expect(
      (await bob.post(`/admin/services/requests/${row.id}`, { decision: 'grant' })).res.status,
    ).toBe(403);
  });

  it('refusing needs a reason, which is emailed to the member', async () => {
    const row = await h
      .db()
      .selectFrom('service_access')
      .select('id')
      .where('service_id', '=', vault.id)
      .executeTakeFirstOrThrow();
    await admin.get('/admin/services/requests');
    const noReason = await admin.post(`/admin/services/requests/${row.id}`, {
      decision: 'refuse',
      reason: '',
    });
    expect(noReason.res.status).toBe(400);
    expect(noReason.html).toContain('Skriv en begrunnelse');
    const refused = await admin.post(`/admin/services/requests/${row.id}`, {
      decision: 'refuse',
      reason: 'Vi har ikke plass før i høst.',
      back: '/admin/services/requests',
    });
    expect(refused.res.status).toBe(303);
    const mail = await smtp.waitFor((m) => m.to.includes(aliceEmail.toLowerCase()));
    expect(mail.subject).toContain('Vaultwarden');
    expect(mail.text).toContain('Vi har ikke plass før i høst.');
    const mine = await alice.get('/services');
    expect(mine.html).toContain('Forespørselen din ble avslått.');
    expect(mine.html).toContain('Vi har ikke plass før i høst.');
    const audit = await h
      .db()
      .selectFrom('audit_log')
      .select('action')
      .where('entity_id', '=', row.id)
      .execute();
    expect(audit.map((a) => a.action)).toEqual([
      'services.access_requested',
      'services.access_refused',
    ]);
  });

  it('after a new request and a grant the member sees the service; withdrawal needs a reason', async () => {
    await alice.get('/services');
    expect((await alice.post('/services/vault/request', { note: 'Igjen' })).res.status).toBe(303);
    const row = await h
      .db()
      .selectFrom('service_access')
      .select(['id', 'status'])
      .where('service_id', '=', vault.id)
      .executeTakeFirstOrThrow();
    expect(row.status).toBe('requested');
    await admin.get(`/admin/services/${vault.id}/access`);
    const granted = await admin.post(`/admin/services/requests/${row.id}`, {
      decision: 'grant',
      back: `/admin/services/${vault.id}/access`,
    });
    expect(granted.res.status).toBe(303);
    expect(granted.res.headers.get('location')).toBe(`/admin/services/${vault.id}/access`);
    await smtp.waitFor((m) => m.subject.includes('Du har fått tilgang til Vaultwarden'));
    const mine = await alice.get('/services');
    expect(mine.html).toContain('href="https://vault.example.org"');

    const list = await admin.get(`/admin/services/${vault.id}/access`);
    expect(list.html).toContain('Alice Medlem');
    const noReason = await admin.post(`/admin/services/requests/${row.id}`, {
      decision: 'withdraw',
      back: `/admin/services/${vault.id}/access`,
    });
    expect(noReason.res.status).toBe(400);
    const withdrawn = await admin.post(`/admin/services/requests/${row.id}`, {
      decision: 'withdraw',
      reason: 'Brudd på retningslinjene.',
      back: `/admin/services/${vault.id}/access`,
    });
    expect(withdrawn.res.status).toBe(303);
    await smtp.waitFor((m) => m.text.includes('Brudd på retningslinjene.'));
    const after = await alice.get('/services');
    expect(after.html).not.toContain('href="https://vault.example.org"');
    expect(after.html).toContain('Tilgangen din er trukket tilbake.');
  });

  it('an administrator can grant directly by member number', async () => {
    await admin.get(`/admin/services/${vault.id}/access`);
    const bad = await admin.post(`/admin/services/${vault.id}/access/grant`, {
      memberNumber: '99999',
    });
    expect(bad.res.status).toBe(404);
    expect(bad.html).toContain('Fant ingen aktivt medlem');
    const ok = await admin.post(`/admin/services/${vault.id}/access/grant`, {
      memberNumber: String(bobNumber),
    });
    expect(ok.res.status).toBe(303);
    expect((await bob.get('/services')).html).toContain('href="https://vault.example.org"');
  });

  it('tells an unpaid or suspended member why, in plain words, and works for an account without membership', async () => {
    const s = await createMemberUser(h.db(), { status: 'suspended' });
    const sus = new TestClient(app.url);
    await sus.logIn(s.user.email, PASSWORD);
    const page = await sus.get('/services');
    expect(page.html).toContain('Medlemskapet ditt er suspendert.');
    expect(page.html).not.toContain('href="https://social.example.org"');
    expect(page.html).not.toContain('Søk om tilgang');
  });
});
