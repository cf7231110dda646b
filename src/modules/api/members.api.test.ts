import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Running } from '../../app/bootstrap.js';
import { setUpAssociation, startTestApp } from '../../../test/helpers/app.js';
import { apiGet, apiSend, issueToken } from '../../../test/helpers/api.js';
import { describeEachDialect } from '../../../test/helpers/db.js';
import { createMember, createMemberUser } from '../../../test/helpers/fixtures.js';

type Detail = {
  id: string;
  status: string;
  offices: { office: string }[];
  statusHistory: unknown[];
};

describeEachDialect('members API', (h) => {
  let app: Running;
  let adminId: string;
  let write: string;
  let read: string;
  beforeAll(async () => {
    app = await startTestApp({ database: h.database() });
    ({ userId: adminId } = await setUpAssociation(app));
    write = await issueToken(h.db(), adminId, ['members:write']);
    read = await issueToken(h.db(), adminId, ['members:read']);
  });
  afterAll(async () => app.close());

  it('approves an application and refuses another only with a reason', async () => {
    const a = await createMember(h.db(), { status: 'applied', name: 'Søker En' });
    const b = await createMember(h.db(), { status: 'applied', name: 'Søker To' });
    const list = await apiGet(app.url, '/applications', write);
    expect(list.status).toBe(200);
    expect((list.body as { id: string }[]).map((x) => x.id)).toEqual(
      expect.arrayContaining([a.id, b.id]),
    );

    const approved = await apiSend(app.url, 'POST', `/applications/${a.id}/approve`, write, {});
    expect(approved.status).toBe(200);
    expect((approved.body as Detail).status).toBe('active');
    // Approving twice is a conflict, not a second change.
    const again = await apiSend(app.url, 'POST', `/applications/${a.id}/approve`, write, {});
    expect(again.status).toBe(409);

    const noReason = await apiSend(app.url, 'POST', `/applications/${b.id}/refuse`, write, {
      reason: '  ',
    });
    expect(noReason.status).toBe(400);
    expect(
      (noReason.body as { error: { code: string; fields: Record<string, string> } }).error.fields,
    ).toHaveProperty('reason');
    const refused = await apiSend(app.url, 'POST', `/applications/${b.id}/refuse`, write, {
      reason: 'Ikke bosatt i Norge',
    });
    expect((refused.body as Detail).status).toBe('refused');
  });

  it('changes status by the transition table, and refuses invalid transitions', async () => {
    const m = await createMember(h.db(), { status: 'active' });
    const bad = await apiSend(app.url, 'POST', `/members/${m.id}/status`, write, { to: 'applied' });
    expect(bad.status).toBe(409);
    const noReason = await apiSend(app.url, 'POST', `/members/${m.id}/status`, write, {
      to: 'suspended',
    });
    expect(noReason.status).toBeGreaterThanOrEqual(400);
    const ok = await apiSend(app.url, 'POST', `/members/${m.id}/status`, write, {
      to: 'suspended',
      reason: 'AUP 3.2',
    });
    expect(ok.status).toBe(200);
    expect((ok.body as Detail).status).toBe('suspended');
    expect((ok.body as Detail).statusHistory.length).toBe(2);
  });

  it('gives an office and shows it; a read-only token cannot write', async () => {
    const m = await createMember(h.db(), { status: 'active' });
    const denied = await apiSend(app.url, 'POST', `/members/${m.id}/offices`, read, {
      office: 'treasurer',
      starts_on: '2026-01-01',
    });
    expect(denied.status).toBe(403);
    const res = await apiSend(app.url, 'POST', `/members/${m.id}/offices`, write, {
      office: 'treasurer',
      starts_on: '2026-01-01',
    });
    expect(res.status).toBe(200);
    expect((res.body as Detail).offices.map((o) => o.office)).toEqual(['treasurer']);
    const shown = await apiGet(app.url, `/members/${m.id}`, read);
    expect((shown.body as Detail).offices.length).toBe(1);
    const malformed = await apiGet(app.url, '/members/not-an-id', read);
    expect(malformed.status).toBe(404);
  });

  it("lets a member read their own membership and data, but no one else's", async () => {
    const { user, member } = await createMemberUser(h.db(), { name: 'Egen Person' });
    const other = await createMember(h.db());
    const token = await issueToken(h.db(), user.id, ['admin']);
    const mine = await apiGet(app.url, '/me/membership', token);
    expect(mine.status).toBe(200);
    expect((mine.body as { id: string }).id).toBe(member.id);
    const data = await apiGet(app.url, '/me/data', token);
    expect(JSON.stringify(data.body)).toContain('Egen Person');
    expect(JSON.stringify(data.body)).not.toContain('$argon2');
    expect((await apiGet(app.url, `/members/${other.id}`, token)).status).toBe(403);
    expect((await apiGet(app.url, `/members/${member.id}`, token)).status).toBe(403);
    const resign = await apiSend(app.url, 'POST', '/me/resign', token, {});
    expect(resign.status).toBe(200);
    expect(
      ((await apiGet(app.url, '/me/membership', token)).body as { status: string }).status,
    ).toBe('resigned');
  });

  it('refuses malformed JSON with a 400', async () => {
    const m = await createMember(h.db(), { status: 'active' });
    const res = await apiSend(app.url, 'POST', `/members/${m.id}/status`, write, '{not json');
    expect(res.status).toBe(400);
    expect((res.body as { error: { code: string } }).error.code).toBe('common.invalid_json');
  });
});
