import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Running } from '../../app/bootstrap.js';
import { DAY_MS, fixedClock } from '../../app/clock.js';
import { addDays } from '../../app/dates.js';
import { newId } from '../../app/ids.js';
import { setUpAssociation, startTestApp, TestClient } from '../../../test/helpers/app.js';
import { describeEachDialect } from '../../../test/helpers/db.js';
import { createMemberUser } from '../../../test/helpers/fixtures.js';
import { loggedIn } from '../members/members.test-support.js';
import { hearingSatisfied } from './hearings.repository.js';
import { ReportErrors } from './reports.errors.js';
import { mailsTo } from './reports.test-support.js';

const NOW = '2026-03-02T10:00:00Z';
const TODAY = '2026-03-02';

describeEachDialect('moderation: hearing, privacy of the reporter, statistics', (h) => {
  let app: Running;
  const db = () => h.db();
  const clock = fixedClock(NOW);
  type Person = Awaited<ReturnType<typeof createMemberUser>>;
  let reporter: Person;
  let rita: Person;
  let bob: Person;
  let mod: Person;
  let caseId = '';
  let hearingId = '';

  beforeAll(async () => {
    app = await startTestApp({ database: h.database(), clock });
    await setUpAssociation(app);
    reporter = await createMemberUser(db(), { name: 'Randi Rapportør' });
    rita = await createMemberUser(db(), { name: 'Rita Rapportert' });
    bob = await createMemberUser(db(), { name: 'Bob Brudd' });
    mod = await createMemberUser(db(), { name: 'Mona Moderator', offices: ['moderator'] });
  });
  afterAll(async () => app.close());

  /** A member reports, a moderator opens a case from it; the case id. */
  async function caseAbout(who: Person, description: string): Promise<string> {
    const r = await loggedIn(app, reporter.user.email);
    await r.get('/report');
    const sent = await r.post('/report', { reported: `@${who.user.handle}`, description });
    expect(sent.res.status).toBe(303);
    const report = await db()
      .selectFrom('moderation_reports')
      .select('id')
      .where('description', '=', description)
      .executeTakeFirstOrThrow();
    const m = await loggedIn(app, mod.user.email);
    await m.get('/moderation');
    const res = await m.post(`/moderation/reports/${report.id}/case`, { summary: description });
    expect(res.res.status).toBe(303);
    return /\/moderation\/cases\/(\w+)$/.exec(res.res.headers.get('location') ?? '')![1]!;
  }

  it('notifies the member of the accusation with a deadline, by email', async () => {
    caseId = await caseAbout(rita, 'Rita delte nazistisk propaganda.');
    expect(await hearingSatisfied(db(), caseId, TODAY)).toBe(false);
    const m = await loggedIn(app, mod.user.email);
    // The case page carries the hearing panel, with the reporter for the moderator.
    const casePage = await m.get(`/moderation/cases/${caseId}`);
    expect(casePage.res.status).toBe(200);
    expect(casePage.html).toContain(`action="/moderation/cases/${caseId}/hearing"`);
    expect(casePage.html).toContain('Randi Rapportør');
    await m.get('/moderation');
    const empty = await m.post(`/moderation/cases/${caseId}/hearing`, { accusation: '' });
    expect(empty.res.status).toBe(400);
    const res = await m.post(`/moderation/cases/${caseId}/hearing`, {
      accusation: 'Du delte nazistisk propaganda på Mastodon 1. mars.',
      aup_clause: 'AUP § 3',
      deadline_days: '',
    });
    expect(res.res.status).toBe(303);
    const hearing = await db()
      .selectFrom('moderation_hearings')
      .selectAll()
      .where('case_id', '=', caseId)
      .executeTakeFirstOrThrow();
    hearingId = hearing.id;
    expect(hearing).toMatchObject({
      aup_clause: 'AUP § 3',
      deadline_on: addDays(TODAY, 14),
      sent_by: mod.user.id,
      answer: null,
    });
    const kase = await db()
      .selectFrom('moderation_cases')
      .select('status')
      .where('id', '=', caseId)
      .executeTakeFirstOrThrow();
    expect(kase.status).toBe('hearing');
    const mails = await mailsTo(db(), rita.user.email);
    const notice = mails.find((x) => x.includes('Du delte nazistisk propaganda'));
    expect(notice).toBeDefined();
    expect(notice).toContain('AUP § 3');
    expect(notice).toContain(`/moderation/hearings/${hearingId}`);
    expect(notice).toContain('16. mars 2026');
    // A second notice while the first is open is refused.
    await m.get('/moderation');
    const twice = await m.post(`/moderation/cases/${caseId}/hearing`, { accusation: 'Igjen' });
    expect(twice.res.status).toBe(409);
    expect(await hearingSatisfied(db(), caseId, TODAY)).toBe(false);
  });

  it('never shows the reporter to the reported member: pages and emails', async () => {
    const client = await loggedIn(app, rita.user.email);
    const secrets = [reporter.user.name, reporter.user.email, reporter.user.handle, 'Randi'];
    const pages = [
      '/',
      '/membership',
      '/account',
      '/services',
      '/report',
      '/documents',
      '/meetings',
      `/moderation/hearings/${hearingId}`,
      '/moderation',
      '/moderation/statistics',
      `/moderation/cases/${caseId}`,
      `/moderation/cases/${caseId}/hearing`,
      '/api/v1/me',
    ];
    for (const path of pages) {
      const { res, html } = await client.get(path);
      for (const s of secrets) expect(html, `${path} (${res.status})`).not.toContain(s);
      if (path.startsWith('/moderation') && !path.includes('/hearings/'))
        expect([403, 404], path).toContain(res.status);
    }
    const own = await client.get(`/moderation/hearings/${hearingId}`);
    expect(own.res.status).toBe(200);
    expect(own.html).toContain('Du delte nazistisk propaganda på Mastodon 1. mars.');
    for (const mail of await mailsTo(db(), rita.user.email))
      for (const s of secrets) expect(mail).not.toContain(s);
  });

  it('lets only the member concerned answer, once, and records it with the case', async () => {
    const other = await loggedIn(app, bob.user.email);
    expect((await other.get(`/moderation/hearings/${hearingId}`)).res.status).toBe(404);
    const moderator = await loggedIn(app, mod.user.email);
    expect((await moderator.get(`/moderation/hearings/${hearingId}`)).res.status).toBe(404);
    await other.get('/report');
    const forged = await other.post(`/moderation/hearings/${hearingId}`, { answer: 'Ikke meg' });
    expect(forged.res.status).toBe(404);

    const client = await loggedIn(app, rita.user.email);
    await client.get(`/moderation/hearings/${hearingId}`);
    const empty = await client.post(`/moderation/hearings/${hearingId}`, { answer: ' ' });
    expect(empty.res.status).toBe(400);
    const res = await client.post(`/moderation/hearings/${hearingId}`, {
      answer: 'Det var satire, ikke propaganda.',
    });
    expect(res.res.status).toBe(303);
    const hearing = await db()
      .selectFrom('moderation_hearings')
      .select(['answer', 'answered_at'])
      .where('id', '=', hearingId)
      .executeTakeFirstOrThrow();
    expect(hearing.answer).toBe('Det var satire, ikke propaganda.');
    expect(hearing.answered_at).toBe(NOW.replace('Z', '.000Z'));
    const events = await db()
      .selectFrom('moderation_case_events')
      .select(['action', 'note', 'actor_user_id'])
      .where('case_id', '=', caseId)
      .execute();
    expect(events).toContainEqual({
      action: 'hearing_answered',
      note: 'Det var satire, ikke propaganda.',
      actor_user_id: rita.user.id,
    });
    expect(events.map((e) => e.action)).toContain('hearing_sent');
    expect(await hearingSatisfied(db(), caseId, TODAY)).toBe(true);
    await client.get(`/moderation/hearings/${hearingId}`);
    const again = await client.post(`/moderation/hearings/${hearingId}`, { answer: 'Mer' });
    expect(again.res.status).toBe(409);
    expect(again.html).toContain(ReportErrors.hearingAnswered().messages.nb);
  });

  it('counts the hearing as done when the deadline passes unanswered', async () => {
    const bobCase = await caseAbout(bob, 'Bob truet et medlem.');
    const m = await loggedIn(app, mod.user.email);
    await m.get('/moderation');
    const res = await m.post(`/moderation/cases/${bobCase}/hearing`, {
      accusation: 'Du truet et medlem.',
      deadline_days: '3',
    });
    expect(res.res.status).toBe(303);
    const hearing = await db()
      .selectFrom('moderation_hearings')
      .select(['id', 'deadline_on'])
      .where('case_id', '=', bobCase)
      .executeTakeFirstOrThrow();
    expect(hearing.deadline_on).toBe('2026-03-05');
    expect(await hearingSatisfied(db(), bobCase, '2026-03-05')).toBe(false);
    expect(await hearingSatisfied(db(), bobCase, '2026-03-06')).toBe(true);
    clock.advance(4 * DAY_MS);
    try {
      const client = await loggedIn(app, bob.user.email);
      const page = await client.get(`/moderation/hearings/${hearing.id}`);
      expect(page.html).not.toContain('name="answer"');
      const late = await client.post(
        `/moderation/hearings/${hearing.id}`,
        { answer: 'For sent' },
        { csrf: (await client.get('/report')) && client.csrf() },
      );
      expect(late.res.status).toBe(409);
      expect(late.html).toContain('Fristen for å svare gikk ut');
    } finally {
      clock.set(NOW);
    }
  });

  it('shows anonymised statistics per year to moderators', async () => {
    // A decision as M2's use-case would write it, four days after the first report.
    await db()
      .insertInto('moderation_decisions')
      .values({
        id: newId(),
        case_id: caseId,
        member_id: rita.member.id,
        kind: 'suspension',
        urgent: 0,
        reasons: 'Propaganda',
        clause: 'AUP § 3',
        starts_on: '2026-03-06',
        ends_on: '2026-04-05',
        confirm_by: null,
        confirmed_at: null,
        confirmed_by: null,
        state: 'active',
        lifted_at: null,
        lift_reason: null,
        appeal_deadline_on: '2026-04-05',
        decided_by: mod.user.id,
        decided_at: new Date(Date.parse(NOW) + 4 * DAY_MS).toISOString(),
      })
      .execute();
    await db()
      .insertInto('moderation_reports')
      .values({
        id: newId(),
        number: 900,
        source: 'mastodon',
        service_id: null,
        external_id: null,
        reporter_member_id: null,
        reporter_user_id: null,
        reported_member_id: null,
        reported_handle: 'x',
        content_url: null,
        description: 'Fjorårets',
        aup_clause: null,
        status: 'new',
        case_id: null,
        triaged_by: null,
        triaged_at: null,
        dismiss_reason: null,
        created_at: '2025-12-31T23:30:00.000Z', // 00:30 on 1 January 2026 in Oslo
      })
      .execute();
    const m = await loggedIn(app, mod.user.email);
    const { res, html } = await m.get('/moderation/statistics?year=2026');
    expect(res.status).toBe(200);
    const cell = (id: string) =>
      (new RegExp(`<table id="${id}">([\\s\\S]*?)</table>`).exec(html)?.[1] ?? '')
        .replace(/<[^>]+>/g, ' ')
        .replace(/\s+/g, ' ');
    expect(cell('stats-reports')).toContain('fra et medlem 2');
    expect(cell('stats-reports')).toContain('fra Mastodon 1');
    expect(cell('stats-reports')).toContain('Totalt 3');
    expect(cell('stats-decisions')).toContain('Suspensjon 1');
    expect(cell('stats-decisions')).toContain('Advarsel 0');
    expect(html).toMatch(/id="stats-cases">2</);
    expect(html).toContain('4 dager (1 saker)');
    for (const name of ['Rita', 'Bob', 'Randi', 'Mona']) expect(html).not.toContain(name);
    const last = await m.get('/moderation/statistics?year=2025');
    expect(last.html).toContain('Ingen avgjørelser dette året.');
    const member = await loggedIn(app, bob.user.email);
    expect((await member.get('/moderation/statistics')).res.status).toBe(403);
    const anonymous = new TestClient(app.url);
    expect((await anonymous.get('/moderation/statistics')).res.status).toBe(303);
  });
});
