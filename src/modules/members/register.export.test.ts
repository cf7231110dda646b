import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Running } from '../../app/bootstrap.js';
import { setUpAssociation, startTestApp, TestClient } from '../../../test/helpers/app.js';
import { describeEachDialect } from '../../../test/helpers/db.js';
import { createMember, createMemberUser, PASSWORD } from '../../../test/helpers/fixtures.js';
import { CSV_COLUMNS } from './csv-import.js';
import { importMembers } from './register-import.usecases.js';

describeEachDialect('member CSV export', (h) => {
  let app: Running;
  let treasurer: TestClient;

  beforeAll(async () => {
    app = await startTestApp({ database: h.database() });
    await setUpAssociation(app);
    const db = h.db();
    const { user } = await createMemberUser(db, { offices: ['treasurer'], name: 'Trine Teller' });
    treasurer = new TestClient(app.url);
    await treasurer.logIn(user.email, PASSWORD);
    const csv = [
      'name,email,type,status,joined_on,phone,address_line,postal_code,city,country,org_number,contact_person',
      '"Nordmann, Kari ""K""",kari@example.org,ordinary,active,2024-01-15,+47 22 33 44 55,"Storgata 1\nLeil. 3",0150,Oslo,NO,,',
      'Evil,evil@example.org,reduced,lapsed,,,,,"=HYPERLINK(""http://x"")",,,',
      'Fjordkraft AS,,organisation,active,2021-03-04,,,,Bergen,NO,974760673,Per Olsen',
    ].join('\n');
    const bulk = Array.from({ length: 1200 }, (_, i) => `Bulk ${i},,ordinary,,,,,,,,,`);
    const report = await importMembers(app.ctx, {
      actor: { userId: null, label: 'test' },
      bytes: Buffer.from([csv, ...bulk].join('\n')),
      commit: true,
    });
    expect(report.badRows).toEqual([]);
  });
  afterAll(async () => app.close());

  async function download(client: TestClient, query = '') {
    const res = await client.request('GET', `/members/export.csv${query}`);
    // Response.text() would drop the byte order mark; keep it to check it is there.
    const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(await res.arrayBuffer());
    return { res, text };
  }

  it('is for members.export only', async () => {
    const db = h.db();
    for (const offices of [[], ['moderator']] as const) {
      const { user } = await createMemberUser(db, { offices: [...offices] });
      const client = new TestClient(app.url);
      await client.logIn(user.email, PASSWORD);
      expect((await download(client)).res.status).toBe(403);
    }
    const anonymous = await download(new TestClient(app.url));
    expect(anonymous.res.status).toBe(303);
  });

  it('writes every member as UTF-8 CSV with a BOM, quoted where needed', async () => {
    const { res, text } = await download(treasurer);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toMatch(
      /^attachment; filename="members-\d{4}-\d{2}-\d{2}\.csv"$/,
    );
    expect(text.startsWith(`\uFEFF${CSV_COLUMNS.join(',')}\r\n`)).toBe(true);
    expect(text).toContain(
      '"Nordmann, Kari ""K""",kari@example.org,ordinary,active,2024-01-15,+47 22 33 44 55,"Storgata 1\nLeil. 3",0150,Oslo,NO,,\r\n',
    );
    expect(text).toContain(`,"'=HYPERLINK(""http://x"")",`);
    expect(text).toContain(',organisation,active,2021-03-04,,,,Bergen,NO,974760673,Per Olsen\r\n');
    const rows = parse<Record<string, string>>(text.slice(1), { columns: true });
    // Setup's administrator, the treasurer, the three above, the bulk, and the two members
    // the 403 test made.
    expect(rows).toHaveLength(2 + 3 + 1200 + 2);
    expect(rows.map((r) => Number(r['member_number']))).toEqual(
      [...rows.map((r) => Number(r['member_number']))].sort((a, b) => a - b),
    );
  });

  it('exports the filtered list, and records that it did', async () => {
    const lapsed = await download(treasurer, '?status=lapsed');
    const rows = parse<Record<string, string>>(lapsed.text.slice(1), { columns: true });
    expect(rows.map((r) => r['name'])).toEqual(['Evil']);
    const search = await download(treasurer, '?q=fjordkraft&type=organisation');
    expect(parse(search.text.slice(1), { columns: true })).toHaveLength(1);
    const bad = await download(treasurer, '?type=gold');
    expect(bad.res.status).toBe(400);
    const audit = await h
      .db()
      .selectFrom('audit_log')
      .select(['actor_label', 'after'])
      .where('action', '=', 'members.exported')
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    expect(JSON.parse(audit.after ?? '{}')).toMatchObject({
      filter: { q: 'fjordkraft', type: 'organisation' },
    });
  });

  it('gives a file the import recognises as the same members', async () => {
    await createMember(h.db(), { name: 'Solo', email: 'solo@example.org' });
    const { text } = await download(treasurer, '?q=solo');
    const report = await importMembers(app.ctx, {
      actor: { userId: null, label: 'test' },
      bytes: Buffer.from(text),
      commit: false,
    });
    expect(report.totalRows).toBe(1);
    expect(report.badRows[0]?.problems.map((p) => p.key)).toEqual([
      'register.import.p.email_exists',
      'register.import.p.number_exists',
    ]);
  });
});
