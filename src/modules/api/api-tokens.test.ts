import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Running } from '../../app/bootstrap.js';
import { DAY_MS } from '../../app/clock.js';
import { sha256 } from '../../app/crypto.js';
import { ADMIN, setUpAssociation, startTestApp, TestClient } from '../../../test/helpers/app.js';
import { describeEachDialect } from '../../../test/helpers/db.js';
import { createMemberUser, PASSWORD } from '../../../test/helpers/fixtures.js';
import { authenticateApiToken } from './api-tokens.repository.js';

function tokenIn(html: string): string {
  const m = /<code class="secret" id="new-token">(alm_[A-Za-z0-9_-]+)<\/code>/.exec(html);
  if (!m?.[1]) throw new Error('no token on the page');
  return m[1];
}

describeEachDialect('API tokens', (h) => {
  let app: Running;
  let admin: TestClient;
  let adaId: string;
  beforeAll(async () => {
    app = await startTestApp({ database: h.database() });
    await setUpAssociation(app);
    admin = new TestClient(app.url);
    await admin.logIn(ADMIN.email, ADMIN.password);
    adaId = (
      await h
        .db()
        .selectFrom('users')
        .select('id')
        .where('handle', '=', ADMIN.handle)
        .executeTakeFirstOrThrow()
    ).id;
  });
  afterAll(async () => app.close());

  const create = (client: TestClient, form: Record<string, string>) =>
    client.submit('/admin/api-tokens', '/admin/api-tokens', form);

  it('validates the form and keeps the input', async () => {
    const none = await create(admin, { name: 'no scopes', expires_days: 'soon' });
    expect(none.res.status).toBe(400);
    expect(none.html).toContain('Velg minst én tilgang.');
    expect(none.html).toContain('Skriv et helt antall dager');
    expect(none.html).toContain('value="no scopes"');
    const nobody = await create(admin, { name: 'x', owner: 'nobody-here', scope_admin: 'on' });
    expect(nobody.res.status).toBe(400);
    expect(nobody.html).toContain('Fant ingen bruker');
    expect(nobody.html).toMatch(/name="scope_admin"[^>]*checked/);
    expect(await h.db().selectFrom('api_tokens').select('id').execute()).toHaveLength(0);
  });

  it('creates a token shown once, stored as a hash, that authenticates until revoked', async () => {
    const { res, html } = await create(admin, {
      name: 'export script',
      scope_audit_read: 'on',
      scope_members_read: 'on',
      expires_days: '30',
    });
    expect(res.status).toBe(201);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(html).toContain('vises bare denne ene gangen');
    const token = tokenIn(html);
    expect(token.length).toBeGreaterThan(40);

    const row = await h
      .db()
      .selectFrom('api_tokens')
      .selectAll()
      .where('name', '=', 'export script')
      .executeTakeFirstOrThrow();
    expect(row.token_hash).toBe(sha256(token));
    expect(Object.values(row)).not.toContain(token);
    expect(row.token_prefix).toBe(token.slice(4, 12));
    expect(row.user_id).toBe(adaId);
    expect(JSON.parse(row.scopes)).toEqual(['members:read', 'audit:read']);
    const in30 = Date.now() + 30 * DAY_MS;
    expect(Math.abs(new Date(row.expires_at!).getTime() - in30)).toBeLessThan(60_000);

    // Never shown again, never logged.
    const list = await admin.get('/admin/api-tokens');
    expect(list.html).not.toContain(token);
    expect(list.html).toContain(`alm_${row.token_prefix}…`);
    expect(list.html).toContain('export script');
    const audit = await h.db().selectFrom('audit_log').selectAll().execute();
    expect(JSON.stringify(audit)).not.toContain(token);
    expect(audit.some((a) => a.action === 'api_tokens.created' && a.entity_id === row.id)).toBe(
      true,
    );

    const now = new Date();
    expect(await authenticateApiToken(h.db(), token, now)).toEqual({
      id: row.id,
      userId: adaId,
      scopes: ['members:read', 'audit:read'],
    });
    expect(await authenticateApiToken(h.db(), `${token}x`, now)).toBeNull();
    // Over HTTP: the bearer token is accepted (the path does not exist: 404, not 401).
    const api = new TestClient(app.url, { authorization: `Bearer ${token}` });
    expect((await api.request('GET', '/api/v1/__no_such_route__')).status).toBe(404);
    // Expired after 30 days.
    expect(await authenticateApiToken(h.db(), token, new Date(in30 + DAY_MS))).toBeNull();

    await admin.get('/admin/api-tokens');
    const revoke = await admin.post(`/admin/api-tokens/${row.id}/revoke`, {});
    expect(revoke.res.status).toBe(303);
    expect(await authenticateApiToken(h.db(), token, new Date())).toBeNull();
    expect((await api.request('GET', '/api/v1/__no_such_route__')).status).toBe(401);
    const after = await admin.get('/admin/api-tokens');
    expect(after.html).toContain('trukket tilbake');
    expect(after.html).not.toContain(`action="/admin/api-tokens/${row.id}/revoke"`);
    const revoked = await h
      .db()
      .selectFrom('audit_log')
      .select('entity_id')
      .where('action', '=', 'api_tokens.revoked')
      .execute();
    expect(revoked).toEqual([{ entity_id: row.id }]);
  });

  it('lets an administrator create a token for another user; others only for themselves', async () => {
    const other = await createMemberUser(h.db());
    const forOther = await create(admin, {
      name: 'for someone',
      owner: other.user.handle,
      scope_members_read: 'on',
    });
    expect(forOther.res.status).toBe(201);
    const row = await h
      .db()
      .selectFrom('api_tokens')
      .select(['user_id', 'created_by'])
      .where('name', '=', 'for someone')
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ user_id: other.user.id, created_by: adaId });
    const byEmail = await create(admin, {
      name: 'by email',
      owner: other.user.email.toUpperCase(),
      scope_members_read: 'on',
    });
    expect(byEmail.res.status).toBe(201);

    const sysadmin = await createMemberUser(h.db(), { offices: ['sysadmin'] });
    const s = new TestClient(app.url);
    await s.logIn(sysadmin.user.email, PASSWORD);
    const refused = await create(s, {
      name: 'as the admin',
      owner: ADMIN.handle,
      scope_admin: 'on',
    });
    expect(refused.res.status).toBe(403);
    expect(refused.html).toContain('Bare en administrator');
    const own = await create(s, { name: 'my own', scope_audit_read: 'on' });
    expect(own.res.status).toBe(201);
    const token = tokenIn(own.html);
    expect((await authenticateApiToken(h.db(), token, new Date()))?.userId).toBe(sysadmin.user.id);
  });

  it('answers 404 when revoking an unknown token', async () => {
    await admin.get('/admin/api-tokens');
    const { res } = await admin.post('/admin/api-tokens/0000000000nothere00000000/revoke', {});
    expect(res.status).toBe(404);
  });
});
