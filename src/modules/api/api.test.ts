import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Running } from '../../app/bootstrap.js';
import { setUpAssociation, startTestApp } from '../../../test/helpers/app.js';
import { apiGet, issueToken } from '../../../test/helpers/api.js';
import { describeEachDialect } from '../../../test/helpers/db.js';
import { createMemberUser } from '../../../test/helpers/fixtures.js';

describeEachDialect('JSON API basics', (h) => {
  let app: Running;
  let adminId: string;
  beforeAll(async () => {
    app = await startTestApp({ database: h.database() });
    ({ userId: adminId } = await setUpAssociation(app));
  });
  afterAll(async () => app.close());

  it('refuses requests without a valid token, in the error format', async () => {
    const none = await apiGet(app.url, '/me');
    expect(none.status).toBe(401);
    expect(none.body).toEqual({
      error: { code: 'common.unauthenticated', message: 'Du må logge inn.' },
    });
    const forged = await apiGet(app.url, '/me', 'alm_not-a-real-token');
    expect(forged.status).toBe(401);
    const notOurs = await apiGet(app.url, '/me', 'Basic abc');
    expect(notOurs.status).toBe(401);
  });

  it('limits a token to its scopes, on top of its owner’s offices', async () => {
    const read = await issueToken(h.db(), adminId, ['members:read']);
    const me = await apiGet(app.url, '/me', read);
    expect(me.status).toBe(200);
    expect((me.body as { permissions: string[] }).permissions).toEqual([
      'members.export',
      'members.read',
    ]);

    // A plain member's admin-scoped token still has only the member's own permissions.
    const { user } = await createMemberUser(h.db());
    const plain = await issueToken(h.db(), user.id, ['admin']);
    const plainMe = await apiGet(app.url, '/me', plain);
    expect((plainMe.body as { permissions: string[] }).permissions).toEqual([]);
    expect((plainMe.body as { handle: string }).handle).toBe(user.handle);
  });

  it('lists membership types with this year’s fee', async () => {
    const token = await issueToken(h.db(), adminId, ['members:read']);
    const res = await apiGet(app.url, '/membership-types', token);
    expect(res.status).toBe(200);
    const types = res.body as { code: string; feeOre: number | null }[];
    expect(types.map((t) => t.code)).toEqual(['ordinary', 'reduced', 'supporter', 'organisation']);
    expect(types[0]!.feeOre).toBe(60000);
    const bad = await apiGet(app.url, '/membership-types?year=abc', token);
    expect(bad.status).toBe(400);
    expect((bad.body as { error: { code: string } }).error.code).toBe('common.validation');
  });

  it('describes itself in an OpenAPI document', async () => {
    const res = await apiGet(app.url, '/openapi.json');
    expect(res.status).toBe(200);
    const doc = res.body as {
      openapi: string;
      paths: Record<string, Record<string, { parameters: { name: string }[] }>>;
    };
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toContain('/me');
    expect(doc.paths['/membership-types']!['get']!.parameters.map((p) => p.name)).toContain('year');
  });
});
