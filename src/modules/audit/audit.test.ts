import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Running } from '../../app/bootstrap.js';
import { recordAudit } from '../../app/audit.js';
import { formatInstant } from '../../app/dates.js';
import { setUpAssociation, startTestApp, TestClient } from '../../../test/helpers/app.js';
import { describeEachDialect } from '../../../test/helpers/db.js';
import { createMemberUser, PASSWORD } from '../../../test/helpers/fixtures.js';

describeEachDialect('audit log browser', (h) => {
  let app: Running;
  let board: TestClient;
  beforeAll(async () => {
    app = await startTestApp({ database: h.database() });
    await setUpAssociation(app);
    const entries: [string, string, string, string, string, unknown, unknown][] = [
      // action, at, actor, entity type, entity id, before, after
      [
        'testaudit.alpha',
        '2026-03-10T12:00:00Z',
        'kari',
        'member',
        'm-1',
        { city: 'Oslo' },
        { city: 'Bergen' },
      ],
      ['testaudit.beta', '2026-03-11T22:30:00Z', 'kari (api)', 'user', 'u-1', null, { name: 'Ny' }],
      ['testaudit_x.gamma', '2026-03-11T23:30:00Z', 'ola', 'member', 'm-2', null, null],
      ['testauditxy.delta', '2026-03-12T08:00:00Z', 'ola', 'member', 'm-1', null, null],
    ];
    for (const [action, at, label, entityType, entityId, before, after] of entries) {
      await recordAudit(h.db(), {
        actor: { userId: null, label },
        action,
        entityType,
        entityId,
        ...(before !== null ? { before } : {}),
        ...(after !== null ? { after } : {}),
        at: new Date(at),
      });
    }
    for (let i = 0; i < 120; i++) {
      await recordAudit(h.db(), {
        actor: { userId: null, label: 'system' },
        action: 'testpage.tick',
        entityType: 'job',
        entityId: `job-${String(i).padStart(3, '0')}`,
        at: new Date(Date.UTC(2025, 0, 1, 0, i)),
      });
    }
    const { user } = await createMemberUser(h.db(), { offices: ['board_member'] });
    board = new TestClient(app.url);
    await board.logIn(user.email, PASSWORD);
  });
  afterAll(async () => app.close());

  const actions = (html: string) =>
    [...html.matchAll(/<td><code>([^<]+)<\/code><\/td>/g)].map((m) => m[1]);

  it('is closed to visitors and to members without the office', async () => {
    const anon = new TestClient(app.url);
    for (const path of ['/audit', '/audit/export.csv']) {
      const { res } = await anon.get(path);
      expect(res.status).toBe(303);
      expect(res.headers.get('location')).toMatch(/^\/login\?next=/);
    }
    const { user } = await createMemberUser(h.db());
    const member = new TestClient(app.url);
    await member.logIn(user.email, PASSWORD);
    for (const path of ['/audit', '/audit/export.csv', '/audit?entity_type=member'])
      expect((await member.get(path)).res.status, path).toBe(403);
    // The treasurer holds no audit.read either; the auditor does.
    const treasurer = await createMemberUser(h.db(), { offices: ['treasurer'] });
    const t = new TestClient(app.url);
    await t.logIn(treasurer.user.email, PASSWORD);
    expect((await t.get('/audit')).res.status).toBe(403);
    const auditor = await createMemberUser(h.db(), { offices: ['auditor'] });
    const a = new TestClient(app.url);
    await a.logIn(auditor.user.email, PASSWORD);
    expect((await a.get('/audit')).res.status).toBe(200);
  });

  it('filters by action prefix, with LIKE wildcards taken literally', async () => {
    const { html } = await board.get('/audit?action=testaudit.');
    expect(actions(html)).toEqual(['testaudit.beta', 'testaudit.alpha']);
    const underscore = await board.get('/audit?action=testaudit_');
    expect(actions(underscore.html)).toEqual(['testaudit_x.gamma']);
  });

  it('filters by entity, actor (with API use) and local dates', async () => {
    const entity = await board.get('/audit?action=test&entity_type=member&entity_id=m-1');
    expect(actions(entity.html)).toEqual(['testauditxy.delta', 'testaudit.alpha']);
    const actor = await board.get('/audit?actor=Kari');
    expect(actions(actor.html)).toEqual(['testaudit.beta', 'testaudit.alpha']);
    // 22:30Z on the 11th is 23:30 in Oslo (the 11th); 23:30Z is already the 12th there.
    const day = await board.get('/audit?action=testaudit&from=2026-03-11&to=2026-03-11');
    expect(actions(day.html)).toEqual(['testaudit.beta']);
    const from = await board.get('/audit?action=testaudit&from=2026-03-12');
    expect(actions(from.html)).toEqual(['testauditxy.delta', 'testaudit_x.gamma']);
  });

  it('shows when in the association time zone, who, and a compact diff', async () => {
    const { html } = await board.get('/audit?action=testaudit.alpha');
    expect(html).toContain(formatInstant('2026-03-10T12:00:00Z', 'Europe/Oslo', 'nb'));
    expect(html).toContain('13:00');
    expect(html).toContain('kari');
    expect(html).toMatch(/<code>city<\/code>: <del>Oslo<\/del> → <ins>Bergen<\/ins>/);
    expect(html).toContain('href="/audit?entity_type=member&amp;entity_id=m-1"');
  });

  it('pages 50 at a time by id cursor, both ways', async () => {
    const first = await board.get('/audit?action=testpage.');
    const ids = (html: string) => [...html.matchAll(/<code>(job-\d+)<\/code>/g)].map((m) => m[1]);
    expect(ids(first.html)).toHaveLength(50);
    expect(ids(first.html)[0]).toBe('job-119');
    const link = (html: string, rel: 'next' | 'prev') =>
      new RegExp(`href="([^"]+)" rel="${rel}"`).exec(html)?.[1]?.replaceAll('&amp;', '&');
    expect(link(first.html, 'prev')).toBeUndefined();
    const second = await board.get(link(first.html, 'next')!);
    expect(ids(second.html)[0]).toBe('job-069');
    const third = await board.get(link(second.html, 'next')!);
    expect(ids(third.html)).toHaveLength(20);
    expect(ids(third.html).at(-1)).toBe('job-000');
    expect(link(third.html, 'next')).toBeUndefined();
    const newer = await board.get(link(third.html, 'prev')!);
    expect(ids(newer.html)[0]).toBe('job-069');
    expect(ids(newer.html)).toHaveLength(50);
  });

  it('reports a bad date beside the field and keeps the input', async () => {
    const { res, html } = await board.get('/audit?from=2026-13-01&actor=kari');
    expect(res.status).toBe(400);
    expect(html).toContain('Skriv en gyldig dato');
    expect(html).toContain('value="kari"');
  });

  it('exports the filtered log as CSV, and records the export', async () => {
    const res = await board.request('GET', '/audit/export.csv?action=testaudit.');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/csv');
    expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="audit-/);
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]); // BOM, for Excel
    const csv = new TextDecoder().decode(bytes);
    const lines = csv.trim().split('\r\n');
    expect(lines[0]).toBe('id,at_utc,at_local,actor,action,entity_type,entity_id,before,after,ip');
    expect(lines).toHaveLength(3);
    expect(lines[2]).toContain('2026-03-10 13:00:00');
    expect(lines[2]).toContain('"{""city"":""Oslo""}"');
    const logged = await h
      .db()
      .selectFrom('audit_log')
      .select('after')
      .where('action', '=', 'audit.exported')
      .executeTakeFirstOrThrow();
    expect(JSON.parse(logged.after!)).toMatchObject({ rows: 2 });
  });
});
