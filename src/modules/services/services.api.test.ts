import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Running } from '../../app/bootstrap.js';
import { secretBox } from '../../app/secret-box.js';
import { setUpAssociation, startTestApp } from '../../../test/helpers/app.js';
import { apiGet, apiSend, issueToken } from '../../../test/helpers/api.js';
import { describeEachDialect } from '../../../test/helpers/db.js';
import { createMemberUser } from '../../../test/helpers/fixtures.js';

type Saved = {
  service: { id: string; slug: string; hasConnectorToken: boolean; hasDiscourseSecret: boolean };
  secrets: { webhookSecret: string | null; discourseSecret: string | null };
};

describeEachDialect('services API', (h) => {
  let app: Running;
  let adminToken: string;
  let memberToken: string;
  let otherToken: string;

  beforeAll(async () => {
    app = await startTestApp({ database: h.database() });
    await setUpAssociation(app);
    const board = await createMemberUser(h.db(), { offices: ['board_member'] });
    adminToken = await issueToken(h.db(), board.user.id, ['services:write']);
    const m = await createMemberUser(h.db());
    memberToken = await issueToken(h.db(), m.user.id, ['members:read']);
    const o = await createMemberUser(h.db());
    otherToken = await issueToken(h.db(), o.user.id, ['members:read']);
  });
  afterAll(async () => app.close());

  it('creates, reads and patches services; secrets are write-only and sealed', async () => {
    const bad = await apiSend(app.url, 'POST', '/admin/services', adminToken, {
      name: 'X',
      slug: 'x',
      url: 'http://x.example.org',
      accessPolicy: 'by_office',
    });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('url');

    const created = await apiSend(app.url, 'POST', '/admin/services', adminToken, {
      name: 'Forum',
      slug: 'forum',
      url: 'https://forum.example.org',
      software: 'discourse',
      loginMethod: 'discourse',
      accessPolicy: 'on_request',
      connector: 'discourse',
      connectorUrl: 'https://forum.example.org',
      connectorToken: 'discourse-api-key-123',
    });
    expect(created.status).toBe(201);
    const saved = created.body as Saved;
    expect(saved.service).toMatchObject({
      slug: 'forum',
      hasConnectorToken: true,
      hasDiscourseSecret: true,
    });
    expect(saved.secrets.discourseSecret).toMatch(/^[A-Za-z0-9_-]{40,}$/);
    expect(JSON.stringify(saved.service)).not.toContain('discourse-api-key-123');

    const row = await h
      .db()
      .selectFrom('services')
      .selectAll()
      .where('id', '=', saved.service.id)
      .executeTakeFirstOrThrow();
    expect(secretBox(app.ctx.secret).open(row.connector_token_enc!)).toBe('discourse-api-key-123');

    const list = await apiGet(app.url, '/admin/services', adminToken);
    expect(list.status).toBe(200);
    expect(JSON.stringify(list.body)).not.toContain('enc');

    const patched = await apiSend(
      app.url,
      'PATCH',
      `/admin/services/${saved.service.id}`,
      adminToken,
      { name: 'Forumet' },
    );
    expect(patched.status).toBe(200);
    expect((patched.body as Saved).service).toMatchObject({
      name: 'Forumet',
      hasConnectorToken: true,
    });
    expect((patched.body as Saved).secrets).toEqual({ webhookSecret: null, discourseSecret: null });
    const badPatch = await apiSend(
      app.url,
      'PATCH',
      `/admin/services/${saved.service.id}`,
      adminToken,
      { accessPolicy: 'by_office' },
    );
    expect(badPatch.status).toBe(400);
  });

  it('lets a member list their services and request access; the decision goes through the API', async () => {
    const mine = await apiGet(app.url, '/services', memberToken);
    expect(mine.status).toBe(200);
    expect(mine.body).toEqual([
      expect.objectContaining({
        slug: 'forum',
        allowed: false,
        refusal: 'access_required',
        canRequest: true,
      }),
    ]);
    const req = await apiSend(app.url, 'POST', '/services/forum/access-requests', memberToken, {
      note: 'Jeg vil diskutere',
    });
    expect(req.status).toBe(201);
    const accessId = (req.body as { id: string }).id;

    // Another member sees only their own.
    const other = await apiGet(app.url, '/services', otherToken);
    expect(JSON.stringify(other.body)).not.toContain('Jeg vil diskutere');
    expect((await apiGet(app.url, '/admin/access-requests', otherToken)).status).toBe(403);
    expect(
      (
        await apiSend(app.url, 'POST', `/admin/access-requests/${accessId}/decision`, otherToken, {
          decision: 'grant',
        })
      ).status,
    ).toBe(403);
    expect(
      (await apiSend(app.url, 'POST', '/admin/services', otherToken, { name: 'x' })).status,
    ).toBe(403);

    const queue = await apiGet(app.url, '/admin/access-requests', adminToken);
    expect(queue.body).toEqual([
      expect.objectContaining({ id: accessId, serviceSlug: 'forum', note: 'Jeg vil diskutere' }),
    ]);
    const noReason = await apiSend(
      app.url,
      'POST',
      `/admin/access-requests/${accessId}/decision`,
      adminToken,
      { decision: 'refuse' },
    );
    expect(noReason.status).toBe(400);
    const granted = await apiSend(
      app.url,
      'POST',
      `/admin/access-requests/${accessId}/decision`,
      adminToken,
      { decision: 'grant' },
    );
    expect(granted.status).toBe(200);
    expect(granted.body).toMatchObject({ status: 'granted' });
    const after = await apiGet(app.url, '/services', memberToken);
    expect(after.body).toEqual([expect.objectContaining({ slug: 'forum', allowed: true })]);
  });

  it('lists the operations in the OpenAPI document', async () => {
    const doc = (await apiGet(app.url, '/openapi.json')).body as { paths: Record<string, object> };
    for (const path of [
      '/services',
      '/services/{slug}/access-requests',
      '/admin/services',
      '/admin/services/{id}',
      '/admin/access-requests',
      '/admin/access-requests/{id}/decision',
    ])
      expect(doc.paths[path], path).toBeDefined();
  });
});
