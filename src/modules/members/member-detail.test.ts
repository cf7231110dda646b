import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Running } from '../../app/bootstrap.js';
import { addDays } from '../../app/dates.js';
import { ADMIN, setUpAssociation, startTestApp, TestClient } from '../../../test/helpers/app.js';
import { describeEachDialect } from '../../../test/helpers/db.js';
import { createMember, createMemberUser } from '../../../test/helpers/fixtures.js';
import { startSmtpServer } from '../../../test/helpers/smtp.js';
import {
  auditOf,
  loggedIn,
  memberRow,
  periodsOf,
  statusChangesOf,
  todayAndYear,
} from './members.test-support.js';

describeEachDialect('the member page and the board’s actions', (h) => {
  let app: Running;
  let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
  let board: TestClient;
  beforeAll(async () => {
    smtp = await startSmtpServer();
    app = await startTestApp({ database: h.database(), smtpUrl: smtp.url });
    await setUpAssociation(app);
    board = await loggedIn(app, ADMIN.email, ADMIN.password);
  });
  afterAll(async () => {
    await app.close();
    await smtp.close();
  });
  const db = () => h.db();

  it('sends visitors who are not logged in to the login page', async () => {
    const other = await createMember(db());
    const client = new TestClient(app.url);
    for (const path of ['/members/applications', `/members/${other.id}`]) {
      const { res } = await client.get(path);
      expect(res.status, path).toBe(303);
      expect(res.headers.get('location')).toBe(`/login?next=${encodeURIComponent(path)}`);
    }
  });

  it('gives a plain member 403 on every board route, for others and for themselves', async () => {
    const { user, member: own } = await createMemberUser(db());
    const other = await createMember(db(), { status: 'applied' });
    const client = await loggedIn(app, user.email);
    for (const path of ['/members/applications', `/members/${other.id}`, `/members/${own.id}`]) {
      const { res } = await client.get(path);
      expect(res.status, path).toBe(403);
    }
    await client.get('/membership');
    const posts: [string, Record<string, string>][] = [
      [`/members/${other.id}/approve`, { back: 'member' }],
      [`/members/${other.id}/refuse`, { back: 'member', reason: 'nei' }],
      [`/members/${own.id}/status`, { to: 'resigned' }],
      [`/members/${other.id}/edit`, { type: 'ordinary', name: 'Hacked' }],
      [`/members/${own.id}/offices`, { office: 'board_member', starts_on: '2020-01-01' }],
    ];
    for (const [path, form] of posts) {
      const { res } = await client.post(path, form);
      expect(res.status, path).toBe(403);
    }
    expect((await memberRow(db(), other.id)).status).toBe('applied');
    expect((await memberRow(db(), other.id)).name).not.toBe('Hacked');
    expect((await memberRow(db(), own.id)).status).toBe('active');
    const terms = await db()
      .selectFrom('office_terms')
      .selectAll()
      .where('member_id', '=', own.id)
      .execute();
    expect(terms).toEqual([]);
  });

  it('answers 404 for malformed and unknown ids', async () => {
    for (const path of [
      '/members/NOT-AN-ID',
      '/members/abc',
      `/members/${'z'.repeat(27)}`,
      `/members/${'0'.repeat(26)}`,
    ]) {
      const { res } = await board.get(path);
      expect(res.status, path).toBe(404);
    }
  });

  it('shows all fields, the history and the board’s forms', async () => {
    const { member } = await createMemberUser(db(), { name: 'Dina Detalj' });
    const { res, html } = await board.get(`/members/${member.id}`);
    expect(res.status).toBe(200);
    expect(html).toContain('Dina Detalj');
    expect(html).toContain('badge active');
    expect(html).toContain('fixture'); // the actor of the first status change
    expect(html).toContain(`action="/members/${member.id}/status"`);
    expect(html).toContain(`action="/members/${member.id}/edit"`);
    expect(html).toContain(`action="/members/${member.id}/offices"`);
  });

  it('refuses transitions outside the table with a clear message', async () => {
    const { member } = await createMemberUser(db());
    await board.get(`/members/${member.id}`);
    const bad = await board.post(`/members/${member.id}/status`, { to: 'applied' });
    expect(bad.res.status).toBe(409);
    expect(bad.html).toContain('kan ikke endres fra «Aktiv» til «Søkt»');
    const excluded = await createMember(db(), { status: 'excluded' });
    const fromExcluded = await board.post(`/members/${excluded.id}/status`, {
      to: 'suspended',
      reason: 'x',
    });
    expect(fromExcluded.res.status).toBe(409);
    const unknown = await board.post(`/members/${member.id}/status`, { to: 'promoted' });
    expect(unknown.res.status).toBe(400);
    expect((await memberRow(db(), member.id)).status).toBe('active');
    expect((await memberRow(db(), excluded.id)).status).toBe('excluded');
  });

  it('requires a reason to suspend, tells the member, and reactivates with a period', async () => {
    const { user, member } = await createMemberUser(db());
    await board.get(`/members/${member.id}`);
    const noReason = await board.post(`/members/${member.id}/status`, {
      to: 'suspended',
      reason: '',
    });
    expect(noReason.res.status).toBe(400);
    expect(noReason.html).toContain('Skriv en begrunnelse');
    expect((await memberRow(db(), member.id)).status).toBe('active');

    const reason = 'Brudd på retningslinjene, tredje gang.';
    const ok = await board.post(`/members/${member.id}/status`, { to: 'suspended', reason });
    expect(ok.res.status).toBe(303);
    expect((await memberRow(db(), member.id)).status).toBe('suspended');
    expect((await statusChangesOf(db(), member.id)).at(-1)).toMatchObject({
      from_status: 'active',
      to_status: 'suspended',
      actor_label: ADMIN.handle,
      reason,
    });
    const audit = (await auditOf(db(), member.id)).at(-1)!;
    expect(audit.action).toBe('members.status_changed');
    expect(JSON.parse(audit.after!)).toEqual({ status: 'suspended', reason });
    await app.worker.runOnce();
    const mail = await smtp.waitFor(
      (m) => m.to.includes(user.email) && m.subject.includes('Medlemsstatusen'),
    );
    expect(mail.text).toContain('Suspendert');
    expect(mail.text).toContain(reason);

    expect(await periodsOf(db(), member.id)).toEqual([]);
    await board.get(`/members/${member.id}`);
    const back = await board.post(`/members/${member.id}/status`, { to: 'active' });
    expect(back.res.status).toBe(303);
    const { year } = todayAndYear(app);
    expect(await periodsOf(db(), member.id)).toMatchObject([{ year: year.year }]);
    const page = await board.get(`/members/${member.id}`);
    expect(page.html).toContain(reason);
    expect(page.html.split('members.status_changed')).toHaveLength(3);
  });

  it('lets the board reinstate an excluded member, with a reason', async () => {
    const excluded = await createMember(db(), { status: 'excluded' });
    await board.get(`/members/${excluded.id}`);
    const noReason = await board.post(`/members/${excluded.id}/status`, { to: 'active' });
    expect(noReason.res.status).toBe(400);
    const ok = await board.post(`/members/${excluded.id}/status`, {
      to: 'active',
      reason: 'Klagen ble tatt til følge av generalforsamlingen.',
    });
    expect(ok.res.status).toBe(303);
    expect((await memberRow(db(), excluded.id)).status).toBe('active');
  });

  it('edits contact details and type, audited, with the search text in sync', async () => {
    const member = await createMember(db(), { userId: null, name: 'Gammelt Navn' });
    await board.get(`/members/${member.id}`);
    const base = {
      type: 'organisation',
      name: 'Nytt Lag AS',
      email: 'lag@example.org',
      city: 'Bergen',
    };
    const bad = await board.post(`/members/${member.id}/edit`, base);
    expect(bad.res.status).toBe(400);
    expect(bad.html).toContain('må oppgi organisasjonsnummer');
    expect(bad.html).toContain('value="Nytt Lag AS"');
    expect((await memberRow(db(), member.id)).name).toBe('Gammelt Navn');

    const ok = await board.post(`/members/${member.id}/edit`, {
      ...base,
      org_number: '974 760 673',
      contact_person: 'Kari Kontakt',
    });
    expect(ok.res.status).toBe(303);
    const row = await memberRow(db(), member.id);
    expect(row).toMatchObject({
      name: 'Nytt Lag AS',
      email: 'lag@example.org',
      city: 'Bergen',
      org_number: '974760673',
      contact_person: 'Kari Kontakt',
    });
    expect(row.search_text).toContain('nytt lag as');
    expect(row.search_text).toContain('974760673');
    expect(row.search_text).toContain('lag@example.org');
    const audit = (await auditOf(db(), member.id)).at(-1)!;
    expect(audit.action).toBe('members.updated');
    expect(JSON.parse(audit.before!)).toMatchObject({ name: 'Gammelt Navn', city: null });
    expect(JSON.parse(audit.after!)).toMatchObject({ name: 'Nytt Lag AS', city: 'Bergen' });
  });

  it('gives permissions with an office and takes them away when the term ends', async () => {
    const { user, member } = await createMemberUser(db(), { name: 'Tora Treasurer' });
    const other = await createMember(db(), { status: 'applied' });
    const treasurer = await loggedIn(app, user.email);
    expect((await treasurer.get(`/members/${other.id}`)).res.status).toBe(403);

    const { today } = todayAndYear(app);
    await board.get(`/members/${member.id}`);
    const badDates = await board.post(`/members/${member.id}/offices`, {
      office: 'treasurer',
      starts_on: today,
      ends_on: addDays(today, -1),
    });
    expect(badDates.res.status).toBe(400);
    expect(badDates.html).toContain('Sluttdatoen kan ikke være før startdatoen');
    const assigned = await board.post(`/members/${member.id}/offices`, {
      office: 'treasurer',
      starts_on: addDays(today, -7),
    });
    expect(assigned.res.status).toBe(303);
    expect((await auditOf(db(), member.id)).at(-1)!.action).toBe('members.office_assigned');

    const read = await treasurer.get(`/members/${other.id}`);
    expect(read.res.status).toBe(200);
    expect(read.html).not.toContain(`action="/members/${other.id}/approve"`);
    expect((await treasurer.get('/members/applications')).res.status).toBe(403);
    const approve = await treasurer.post(`/members/${other.id}/approve`, { back: 'member' });
    expect(approve.res.status).toBe(403);
    expect((await memberRow(db(), other.id)).status).toBe('applied');
    expect((await treasurer.get('/membership')).html).toContain('Kasserer');

    const term = await db()
      .selectFrom('office_terms')
      .selectAll()
      .where('member_id', '=', member.id)
      .executeTakeFirstOrThrow();
    await board.get(`/members/${member.id}`);
    const tooEarly = await board.post(`/members/${member.id}/offices/${term.id}/end`, {
      ends_on: addDays(today, -30),
    });
    expect(tooEarly.res.status).toBe(400);
    const ended = await board.post(`/members/${member.id}/offices/${term.id}/end`, {
      ends_on: addDays(today, -1),
    });
    expect(ended.res.status).toBe(303);
    const audit = (await auditOf(db(), member.id)).at(-1)!;
    expect(audit.action).toBe('members.office_ended');
    expect(JSON.parse(audit.before!)).toMatchObject({ endsOn: null });
    expect((await treasurer.get(`/members/${other.id}`)).res.status).toBe(403);
    // The audit trail on the member page shows the newest entry first.
    const page = await board.get(`/members/${member.id}`);
    expect(page.html.indexOf('members.office_ended')).toBeGreaterThan(-1);
    expect(page.html.indexOf('members.office_ended')).toBeLessThan(
      page.html.indexOf('members.office_assigned'),
    );
    const endedAgain = await board.post(`/members/${member.id}/offices/${term.id}/end`, {
      ends_on: today,
    });
    expect(endedAgain.res.status).toBe(409);
  });

  it('gives offices only to active members', async () => {
    const resigned = await createMember(db(), { status: 'resigned' });
    await board.get(`/members/${resigned.id}`);
    const res = await board.post(`/members/${resigned.id}/offices`, {
      office: 'auditor',
      starts_on: '2024-01-01',
    });
    expect(res.res.status).toBe(409);
    expect(res.html).toContain('bare gis til aktive medlemmer');
  });

  it('refuses a board POST without a CSRF token and changes nothing', async () => {
    const { member } = await createMemberUser(db());
    await board.get(`/members/${member.id}`);
    const res = await board.post(
      `/members/${member.id}/status`,
      { to: 'suspended', reason: 'x' },
      { csrf: null },
    );
    expect(res.res.status).toBe(403);
    const applied = await createMember(db(), { status: 'applied' });
    const approve = await board.post(
      `/members/${applied.id}/approve`,
      { back: 'member' },
      { csrf: null },
    );
    expect(approve.res.status).toBe(403);
    expect((await memberRow(db(), member.id)).status).toBe('active');
    expect((await memberRow(db(), applied.id)).status).toBe('applied');
  });
});
