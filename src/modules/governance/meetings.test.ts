import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import type { Running } from '../../app/bootstrap.js';
import { fixedClock } from '../../app/clock.js';
import { setUpAssociation, startTestApp, TestClient } from '../../../test/helpers/app.js';
import { describeEachDialect } from '../../../test/helpers/db.js';
import { createMember, createMemberUser } from '../../../test/helpers/fixtures.js';
import { startSmtpServer } from '../../../test/helpers/smtp.js';
import { loggedIn } from '../members/members.test-support.js';
import { getGovernanceSettings } from './governance-settings.repository.js';
import {
  daysAhead,
  emailsTo,
  NOW,
  requestKey,
  scheduleForm,
  scheduleViaForm,
  setClock,
  SETTINGS_FORM,
} from './governance.test-support.js';
import { listAgenda } from './meetings.repository.js';

describeEachDialect('governance: meetings', (h) => {
  let app: Running;
  let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
  let boardEmail = '';
  let memberEmail = '';
  const db = () => h.db();

  beforeAll(async () => {
    smtp = await startSmtpServer();
    app = await startTestApp({
      database: h.database(),
      clock: fixedClock(NOW),
      smtpUrl: smtp.url,
    });
    await setUpAssociation(app);
    boardEmail = (await createMemberUser(db(), { offices: ['board_member'] })).user.email;
    memberEmail = (await createMemberUser(db())).user.email;
  });
  afterAll(async () => {
    await app.close();
    await smtp.close();
  });
  beforeEach(() => setClock(app, NOW));

  it('is for the board: members get 403 on every board page and form, visitors go to login', async () => {
    const member = await loggedIn(app, memberEmail);
    const board = await loggedIn(app, boardEmail);
    const id = await scheduleViaForm(board);
    for (const path of [
      '/meetings/new',
      `/meetings/${id}/manage`,
      `/meetings/${id}/proposals/late`,
      '/governance/settings',
      '/governance/documents/statutes/new',
    ])
      expect((await member.get(path)).res.status, path).toBe(403);
    await member.get('/meetings');
    const [item] = await listAgenda(db(), id);
    for (const [path, form] of [
      ['/meetings', scheduleForm()],
      [`/meetings/${id}/agenda`, { title: 'Kupp' }],
      [`/meetings/${id}/agenda/${item!.id}/move`, { direction: 'down' }],
      [`/meetings/${id}/cancel`, { reason: 'Nei' }],
      ['/governance/settings', { notice_days: '1' }],
    ] as const)
      expect((await member.post(path, { ...form })).res.status, path).toBe(403);
    expect(await db().selectFrom('meetings').select('id').execute()).toHaveLength(1);
    expect((await listAgenda(db(), id)).every((a) => a.title !== 'Kupp')).toBe(true);

    const visitor = new TestClient(app.url);
    const { res } = await visitor.get('/meetings/new');
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toContain('/login');
    await db().deleteFrom('agenda_items').execute();
    await db().deleteFrom('meetings').execute();
    await db().deleteFrom('outbox').execute();
  });

  it('refuses a general assembly 13 days ahead, saying the earliest date; 14 days is fine', async () => {
    const board = await loggedIn(app, boardEmail);
    await board.get('/meetings/new');
    const early = await board.post('/meetings', scheduleForm({ date: daysAhead(13) }));
    expect(early.res.status).toBe(400);
    expect(early.html).toContain('minst 14 dager i forveien');
    expect(early.html).toContain(daysAhead(14)); // the summary: 2027-04-15
    expect(early.html).toContain('15. apr. 2027'); // beside the field, in words
    expect(early.html).toContain(`value="${daysAhead(13)}"`); // the input is kept
    for (const kind of ['extraordinary', 'founding'])
      expect(
        (await board.post('/meetings', scheduleForm({ kind, date: daysAhead(13) }))).res.status,
        kind,
      ).toBe(400);
    expect(await db().selectFrom('meetings').select('id').execute()).toHaveLength(0);

    const id = await scheduleViaForm(board, { date: daysAhead(14) });
    const meeting = await db()
      .selectFrom('meetings')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(meeting).toMatchObject({
      meeting_date: daysAhead(14),
      starts_at: `${daysAhead(14)}T16:00:00.000Z`, // 18:00 in Oslo, summer time
      notice_days: 14,
      proposal_deadline_on: daysAhead(7),
      publication_on: daysAhead(10),
      qualifying_on: '2027-03-16',
      status: 'scheduled',
    });
  });

  it('lets the board meet on any date from today, and refuses the past', async () => {
    const board = await loggedIn(app, boardEmail);
    await scheduleViaForm(board, {
      kind: 'board',
      date: daysAhead(1),
      format: 'online',
      place: '',
    });
    await scheduleViaForm(board, { kind: 'board', date: daysAhead(0), time: '20:00' });
    await board.get('/meetings/new');
    const past = await board.post(
      '/meetings',
      scheduleForm({ kind: 'board', date: daysAhead(-1) }),
    );
    expect(past.res.status).toBe(400);
    expect(past.html).toContain('en dato som har vært');
    const earlierToday = await board.post(
      '/meetings',
      scheduleForm({ kind: 'board', date: daysAhead(0), time: '08:00' }),
    );
    expect(earlierToday.res.status).toBe(400);
  });

  it('checks the form: place for a physical meeting, link for an online one, a real time', async () => {
    const board = await loggedIn(app, boardEmail);
    await board.get('/meetings/new');
    const bad = await board.post(
      '/meetings',
      scheduleForm({ format: 'hybrid', place: '', url: 'ftp://x', time: '25:00' }),
    );
    expect(bad.res.status).toBe(400);
    expect(bad.html).toContain('trenger et sted');
    expect(bad.html).toContain('begynner med https://');
    expect(bad.html).toContain('TT:MM');
  });

  it('sends the notice to every member once, in their language, even when the form is sent twice', async () => {
    await db().deleteFrom('outbox').execute();
    const english = await createMemberUser(db(), { name: 'Emma English' });
    await db()
      .updateTable('users')
      .set({ locale: 'en' })
      .where('email', '=', english.user.email)
      .execute();
    const suspended = await createMember(db(), { status: 'suspended' });
    const lapsed = await createMember(db(), { status: 'lapsed', email: 'lapsed@example.org' });
    await createMember(db(), { status: 'applied', email: 'applicant@example.org' });
    const withoutEmail = await createMember(db(), { email: null });
    const active = await db()
      .selectFrom('members')
      .select(['email'])
      .where('status', 'in', ['active', 'suspended'])
      .where('email', 'is not', null)
      .execute();

    const board = await loggedIn(app, boardEmail);
    await board.get('/meetings/new');
    const form = scheduleForm({
      date: daysAhead(21),
      title: 'Årsmøte 2027',
      items: 'Klage på eksklusjon\nNy server',
      request_key: requestKey(),
    });
    const first = await board.post('/meetings', form);
    expect(first.res.status).toBe(303);
    const again = await board.post('/meetings', form); // a double click, or a retry
    expect(again.res.status).toBe(303);
    expect(again.res.headers.get('location')).toBe(first.res.headers.get('location'));
    const meetings = await db()
      .selectFrom('meetings')
      .select('id')
      .where('title', '=', 'Årsmøte 2027')
      .execute();
    expect(meetings).toHaveLength(1);

    const nb = await emailsTo(db(), 'Innkalling: Årsmøte 2027');
    const en = await emailsTo(db(), 'Notice: Årsmøte 2027');
    const to = [...nb, ...en].map((m) => m.to).sort();
    expect(to).toEqual(active.map((m) => m.email).sort());
    expect(new Set(to).size).toBe(to.length);
    expect(en.map((m) => m.to)).toEqual([english.user.email]);
    expect(to).not.toContain('lapsed@example.org');
    expect(to).not.toContain('applicant@example.org');
    expect(suspended.id && lapsed.id && withoutEmail.id).toBeTruthy();
    const text = nb[0]!.text;
    expect(text).toContain('1. Valg av dirigent og referent');
    expect(text).toContain('9. Klage på eksklusjon');
    expect(text).toContain('11. Eventuelt');
    expect(text).toContain('https://meet.example.org/aarsmote');
    expect(text).toContain(`/meetings/${meetings[0]!.id}`);
    expect(en[0]!.text).toContain('1. Election of a chair and a secretary');

    // Delivered over real SMTP, once each.
    await app.worker.runOnce();
    await app.worker.runOnce();
    const delivered = smtp.messages.filter((m) => m.subject.includes('Årsmøte 2027'));
    expect(delivered.map((m) => m.to[0]).sort()).toEqual(to);
    const audit = await db()
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'governance.meeting_scheduled')
      .where('entity_id', '=', meetings[0]!.id)
      .execute();
    expect(audit).toHaveLength(1);
    expect(JSON.parse(audit[0]!.after!)).toMatchObject({ noticeRecipients: to.length });
  });

  it('starts the ordinary agenda with the standing items; the board adds and moves its own, never deletes a standing one', async () => {
    const board = await loggedIn(app, boardEmail);
    const id = await scheduleViaForm(board, { items: 'Ny server' });
    let agenda = await listAgenda(db(), id);
    expect(agenda.map((a) => a.kind)).toEqual([
      'chair_secretary',
      'approve_notice_register',
      'board_report',
      'accounts',
      'budget_fee',
      'proposals',
      'statute_changes',
      'elections',
      'custom',
      'any_other_business',
    ]);
    expect(agenda.filter((a) => a.mandatory)).toHaveLength(9);

    await board.get(`/meetings/${id}/manage`);
    const added = await board.post(`/meetings/${id}/agenda`, { title: 'Innkjøp av disk' });
    expect(added.res.status).toBe(303);
    agenda = await listAgenda(db(), id);
    expect(agenda.map((a) => a.title ?? a.kind).slice(-3)).toEqual([
      'Ny server',
      'Innkjøp av disk',
      'any_other_business',
    ]);

    const chair = agenda[0]!;
    await board.get(`/meetings/${id}/manage`);
    const del = await board.post(`/meetings/${id}/agenda/${chair.id}/delete`, {});
    expect(del.res.status).toBe(409);
    expect(del.html).toContain('kan ikke slettes');
    const swap = await board.post(`/meetings/${id}/agenda/${chair.id}/move`, {
      direction: 'down',
    });
    expect(swap.res.status).toBe(409);
    const disk = agenda.find((a) => a.title === 'Innkjøp av disk')!;
    expect(
      (await board.post(`/meetings/${id}/agenda/${disk.id}/move`, { direction: 'down' })).res
        .status,
    ).toBe(409); // "any other business" stays last
    for (let i = 0; i < 3; i++)
      expect(
        (await board.post(`/meetings/${id}/agenda/${disk.id}/move`, { direction: 'up' })).res
          .status,
      ).toBe(303);
    agenda = await listAgenda(db(), id);
    expect(agenda.map((a) => a.title ?? a.kind).slice(5, 9)).toEqual([
      'proposals',
      'Innkjøp av disk',
      'statute_changes',
      'elections',
    ]);
    expect(agenda.map((a) => a.position)).toEqual(agenda.map((_, i) => i + 1));
    const server = agenda.find((a) => a.title === 'Ny server')!;
    expect((await board.post(`/meetings/${id}/agenda/${server.id}/delete`, {})).res.status).toBe(
      303,
    );
    agenda = await listAgenda(db(), id);
    expect(agenda).toHaveLength(10);
    expect(agenda.map((a) => a.position)).toEqual(agenda.map((_, i) => i + 1));

    const founding = await scheduleViaForm(board, { kind: 'founding' });
    expect((await listAgenda(db(), founding)).map((a) => a.kind)).toEqual([
      'chair_secretary',
      'founding_decision',
      'statutes_adoption',
      'budget_fee',
      'elections',
      'any_other_business',
    ]);
  });

  it('publishes general assemblies on a public page with the agenda; the link and board meetings are for members', async () => {
    const board = await loggedIn(app, boardEmail);
    const ga = await scheduleViaForm(board, { title: 'Offentlig årsmøte' });
    const boardMeeting = await scheduleViaForm(board, {
      kind: 'board',
      title: 'Lukket styremøte',
      date: daysAhead(2),
    });
    const visitor = new TestClient(app.url);
    const list = await visitor.get('/meetings');
    expect(list.res.status).toBe(200);
    expect(list.html).toContain('Offentlig årsmøte');
    expect(list.html).not.toContain('Lukket styremøte');
    const pageHtml = (await visitor.get(`/meetings/${ga}`)).html;
    expect(pageHtml).toContain('Valg av dirigent og referent');
    expect(pageHtml).toContain('Folkets hus, Oslo');
    expect(pageHtml).not.toContain('https://meet.example.org/aarsmote');
    expect(pageHtml).toContain('Lenken vises for innloggede medlemmer');
    expect((await visitor.get(`/meetings/${boardMeeting}`)).res.status).toBe(404);

    const member = await loggedIn(app, memberEmail);
    expect((await member.get(`/meetings/${ga}`)).html).toContain(
      'https://meet.example.org/aarsmote',
    );
    expect((await member.get('/meetings')).html).toContain('Lukket styremøte');
    expect((await member.get(`/meetings/${boardMeeting}`)).res.status).toBe(200);
    expect((await visitor.get('/')).html).toContain('href="/meetings"');
    const en = await visitor.get(`/meetings/${ga}?lang=en`);
    expect(en.html).toContain('Election of a chair and a secretary');
  });

  it('cancels a meeting and tells the members', async () => {
    const board = await loggedIn(app, boardEmail);
    const id = await scheduleViaForm(board, { title: 'Avlyses snart' });
    await board.get(`/meetings/${id}/manage`);
    const { res } = await board.post(`/meetings/${id}/cancel`, { reason: 'Lokalet brant.' });
    expect(res.status).toBe(303);
    expect((await emailsTo(db(), 'Avlyst: Avlyses snart')).length).toBeGreaterThan(0);
    expect((await new TestClient(app.url).get(`/meetings/${id}`)).html).toContain('Lokalet brant.');
    expect((await new TestClient(app.url).get('/meetings')).html).toMatch(
      new RegExp(`href="/meetings/${id}"[^<]*</a>\\s*<span class="badge cancelled">Avlyst<`),
    );
    await board.get(`/meetings/${id}/manage`);
    expect((await board.post(`/meetings/${id}/agenda`, { title: 'For sent' })).res.status).toBe(
      409,
    );
  });

  it('keeps every rule as a setting: a longer notice period applies to the next meeting', async () => {
    const board = await loggedIn(app, boardEmail);
    await board.get('/governance/settings');
    const bad = await board.post('/governance/settings', {
      ...SETTINGS_FORM,
      notice_days: '21',
      publication_days: '8',
      statute_majority_numerator: '5',
    });
    expect(bad.res.status).toBe(400);
    expect(bad.html).toContain('Telleren kan ikke være større');
    expect(bad.html).toContain('kan ikke publiseres før fristen');
    const ok = await board.post('/governance/settings', {
      ...SETTINGS_FORM,
      notice_days: '21',
      qualifying_days: '60',
      secret_ballot_threshold: '3',
      statute_majority_numerator: '2',
      statute_majority_denominator: '3',
      proxies_enabled: 'on',
      proxy_cap: '2',
    });
    expect(ok.res.status).toBe(303);
    expect(await getGovernanceSettings(db())).toMatchObject({
      noticeDays: 21,
      qualifyingDays: 60,
      statuteMajorityNumerator: 2,
      proxiesEnabled: true,
    });
    await board.get('/meetings/new');
    const refused = await board.post('/meetings', scheduleForm({ date: daysAhead(20) }));
    expect(refused.res.status).toBe(400);
    expect(refused.html).toContain('minst 21 dager');
    await scheduleViaForm(board, { date: daysAhead(21) });
    await db().deleteFrom('governance_settings').execute();
  });
});
