import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Running } from '../../app/bootstrap.js';
import { enqueueEmail } from '../../app/outbox.js';
import { ADMIN, setUpAssociation, startTestApp, TestClient } from '../../../test/helpers/app.js';
import { describeEachDialect } from '../../../test/helpers/db.js';
import { createMemberUser, PASSWORD } from '../../../test/helpers/fixtures.js';
import { startSmtpServer } from '../../../test/helpers/smtp.js';

describeEachDialect('administration: index and outbox', (h) => {
  let app: Running;
  let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
  let admin: TestClient;
  let member: TestClient;
  const ids: Record<'held' | 'failed' | 'sent', string> = { held: '', failed: '', sent: '' };

  beforeAll(async () => {
    smtp = await startSmtpServer();
    app = await startTestApp({ database: h.database(), smtpUrl: smtp.url });
    await setUpAssociation(app);
    const now = new Date();
    for (const status of ['held', 'failed', 'sent'] as const) {
      const { id } = await enqueueEmail(h.db(), {
        message: {
          to: `${status}@example.org`,
          subject: `Outbox test ${status}`,
          text: `Hello ${status}, your link is https://example.org/verify?token=abc`,
        },
        at: now,
      });
      await h
        .db()
        .updateTable('outbox')
        .set({
          status,
          attempts: status === 'failed' ? 10 : 1,
          last_error: status === 'failed' ? 'connection refused' : null,
          sent_at: status === 'sent' ? now.toISOString() : null,
        })
        .where('id', '=', id)
        .execute();
      ids[status] = id;
    }
    admin = new TestClient(app.url);
    await admin.logIn(ADMIN.email, ADMIN.password);
    const plain = await createMemberUser(h.db());
    member = new TestClient(app.url);
    await member.logIn(plain.user.email, PASSWORD);
  });
  afterAll(async () => {
    await app.close();
    await smtp.close();
  });

  const adminGets = () => [
    '/admin',
    '/admin/outbox',
    '/admin/outbox?status=failed',
    `/admin/outbox/${ids.held}`,
    '/admin/api-tokens',
  ];

  it('sends visitors to the login page', async () => {
    const anon = new TestClient(app.url);
    for (const path of adminGets()) {
      const { res } = await anon.get(path);
      expect(res.status, path).toBe(303);
      expect(res.headers.get('location'), path).toMatch(/^\/login\?next=/);
    }
    await anon.get('/login');
    const post = await anon.post(`/admin/outbox/${ids.held}/retry`, {});
    expect(post.res.status).toBe(303);
    expect(post.res.headers.get('location')).toBe('/login');
  });

  it('refuses a member without an office, on every page and action', async () => {
    for (const path of adminGets()) expect((await member.get(path)).res.status, path).toBe(403);
    await member.get('/membership/profile');
    for (const path of [
      `/admin/outbox/${ids.failed}/retry`,
      '/admin/api-tokens',
      '/admin/api-tokens/0123456789abcdefghjkmnpqrs/revoke',
    ]) {
      const { res } = await member.post(path, { name: 'x', scope_admin: 'on' });
      expect(res.status, path).toBe(403);
    }
    const row = await h
      .db()
      .selectFrom('outbox')
      .select('status')
      .where('id', '=', ids.failed)
      .executeTakeFirstOrThrow();
    expect(row.status).toBe('failed');
  });

  it('shows each office only its own administration pages', async () => {
    const board = await createMemberUser(h.db(), { offices: ['board_member'] });
    const b = new TestClient(app.url);
    await b.logIn(board.user.email, PASSWORD);
    const index = await b.get('/admin');
    expect(index.res.status).toBe(200);
    expect(index.html).toContain('href="/admin/settings"');
    expect(index.html).not.toContain('href="/admin/outbox"');
    expect((await b.get('/admin/outbox')).res.status).toBe(403);
    expect((await b.get('/admin/api-tokens')).res.status).toBe(403);

    const sysadmin = await createMemberUser(h.db(), { offices: ['sysadmin'] });
    const s = new TestClient(app.url);
    await s.logIn(sysadmin.user.email, PASSWORD);
    const sIndex = await s.get('/admin');
    expect(sIndex.html).toContain('href="/admin/outbox"');
    expect(sIndex.html).toContain('href="/admin/api-tokens"');
    expect(sIndex.html).toMatch(/data-status="failed">1</);
    expect((await s.get('/admin/outbox')).res.status).toBe(200);
  });

  it('lists the outbox with counts and a status filter', async () => {
    const all = await admin.get('/admin/outbox');
    expect(all.res.status).toBe(200);
    for (const status of ['held', 'failed', 'sent'])
      expect(all.html).toContain(`Outbox test ${status}`);
    expect(all.html).toContain('failed@example.org');
    expect(all.html).toContain('connection refused');
    expect(all.html).toMatch(/data-status="held">1</);
    const failed = await admin.get('/admin/outbox?status=failed');
    expect(failed.html).toContain('Outbox test failed');
    expect(failed.html).not.toContain('Outbox test held');
    const bogus = await admin.get('/admin/outbox?status=nonsense');
    expect(bogus.res.status).toBe(200);
  });

  it("shows one message's text, so held mail can be read", async () => {
    const { res, html } = await admin.get(`/admin/outbox/${ids.held}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(html).toContain('Hello held, your link is https://example.org/verify?token=abc');
    expect(html).toContain(`action="/admin/outbox/${ids.held}/retry"`);
    const sent = await admin.get(`/admin/outbox/${ids.sent}`);
    expect(sent.html).not.toContain('/retry"');
    expect((await admin.get('/admin/outbox/0000000000nothere00000000')).res.status).toBe(404);
    expect((await admin.get('/admin/outbox/..%2Fetc')).res.status).toBe(404);
  });

  it('retries failed and held mail now, audited, and the worker delivers it', async () => {
    await admin.get(`/admin/outbox/${ids.failed}`);
    const { res } = await admin.post(`/admin/outbox/${ids.failed}/retry`, {});
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe(`/admin/outbox/${ids.failed}`);
    const row = await h
      .db()
      .selectFrom('outbox')
      .selectAll()
      .where('id', '=', ids.failed)
      .executeTakeFirstOrThrow();
    expect(row.status).toBe('pending');
    expect(new Date(row.next_attempt_at).getTime()).toBeLessThanOrEqual(Date.now());
    const audit = await h
      .db()
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'outbox.retried')
      .where('entity_id', '=', ids.failed)
      .executeTakeFirstOrThrow();
    expect(JSON.parse(audit.before!)).toMatchObject({ status: 'failed', attempts: 10 });

    await admin.get(`/admin/outbox/${ids.held}`);
    expect((await admin.post(`/admin/outbox/${ids.held}/retry`, {})).res.status).toBe(303);
    await app.worker.runOnce();
    await smtp.waitFor((m) => m.subject === 'Outbox test failed');
    await smtp.waitFor((m) => m.subject === 'Outbox test held');
    const delivered = await h
      .db()
      .selectFrom('outbox')
      .select('status')
      .where('id', 'in', [ids.failed, ids.held])
      .execute();
    expect(delivered.map((d) => d.status)).toEqual(['sent', 'sent']);

    // Sent mail is not retried.
    await admin.get(`/admin/outbox/${ids.sent}`);
    const again = await admin.post(`/admin/outbox/${ids.sent}/retry`, {});
    expect(again.res.status).toBe(409);
  });
});
