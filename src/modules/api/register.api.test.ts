import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Running } from '../../app/bootstrap.js';
import { setUpAssociation, startTestApp } from '../../../test/helpers/app.js';
import { apiGet, apiSend, issueToken } from '../../../test/helpers/api.js';
import { describeEachDialect } from '../../../test/helpers/db.js';
import { createMember } from '../../../test/helpers/fixtures.js';

describeEachDialect('register API', (h) => {
  let app: Running;
  let admin: string;
  beforeAll(async () => {
    app = await startTestApp({ database: h.database() });
    const { userId } = await setUpAssociation(app);
    admin = await issueToken(h.db(), userId, ['admin']);
  });
  afterAll(async () => app.close());

  it('searches and filters the register', async () => {
    await createMember(h.db(), { name: 'Solveig Apifinn', status: 'lapsed' });
    const res = await apiGet(app.url, '/members?q=apifinn', admin);
    expect(res.status).toBe(200);
    const body = res.body as {
      total: number;
      members: { name: string; type: string; status: string }[];
    };
    expect(body.total).toBe(1);
    expect(body.members[0]).toMatchObject({
      name: 'Solveig Apifinn',
      type: 'ordinary',
      status: 'lapsed',
    });
    const bad = await apiGet(app.url, '/members?status=nonsense', admin);
    expect(bad.status).toBe(400);
  });

  it('imports CSV as a dry run, then commits, and refuses the same file twice', async () => {
    const csv =
      'name,email,type,status\nApi Importert,api.importert@example.org,ordinary,active\nApi To,api.to@example.org,reduced,active\n';
    const dry = await apiSend(app.url, 'POST', '/members/import', admin, csv, 'text/csv');
    expect(dry.status).toBe(200);
    expect(dry.body).toMatchObject({ goodRows: 2, committed: false, imported: 0 });
    const commit = await apiSend(
      app.url,
      'POST',
      '/members/import?commit=true',
      admin,
      csv,
      'text/csv',
    );
    expect(commit.body).toMatchObject({ committed: true, imported: 2 });
    const again = await apiSend(
      app.url,
      'POST',
      '/members/import?commit=true',
      admin,
      csv,
      'text/csv',
    );
    expect(again.status).toBe(422);
    expect(again.body).toMatchObject({ imported: 0 });
    const badCsv = 'name,email,type\nNo Type,x@example.org,unknown\n';
    const bad = await apiSend(
      app.url,
      'POST',
      '/members/import?commit=true',
      admin,
      badCsv,
      'text/csv',
    );
    expect(bad.status).toBe(422);
    expect((bad.body as { badRows: { line: number }[] }).badRows[0]!.line).toBe(2);
    const exported = await apiGet(app.url, '/members/export.csv?q=api', admin);
    expect(exported.res.headers.get('content-type')).toContain('text/csv');
    expect(exported.body as string).toContain('api.importert@example.org');
  });

  it('reads the audit log with filters', async () => {
    const res = await apiGet(app.url, '/audit?action=members.imported', admin);
    expect(res.status).toBe(200);
    const entries = (res.body as { entries: { action: string }[] }).entries;
    expect(entries.length).toBeGreaterThan(0);
    expect(entries.every((e) => e.action.startsWith('members.imported'))).toBe(true);
    const token = await issueToken(
      h.db(),
      (
        await h
          .db()
          .selectFrom('users')
          .select('id')
          .where('handle', '=', 'ada')
          .executeTakeFirstOrThrow()
      ).id,
      ['members:read'],
    );
    expect((await apiGet(app.url, '/audit', token)).status).toBe(403);
  });
});
