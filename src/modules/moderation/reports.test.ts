import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Running } from '../../app/bootstrap.js';
import { fixedClock } from '../../app/clock.js';
import { setUpAssociation, startTestApp, TestClient } from '../../../test/helpers/app.js';
import { describeEachDialect } from '../../../test/helpers/db.js';
import { createMemberUser } from '../../../test/helpers/fixtures.js';
import { loggedIn } from '../members/members.test-support.js';
import { nb } from './reports.messages.js';
import { ReportErrors } from './reports.errors.js';
import { insertReportingService, mailsTo } from './reports.test-support.js';

const NOW = '2026-03-02T10:00:00Z';

describeEachDialect('moderation: reports and triage', (h) => {
  let app: Running;
  const db = () => h.db();
  type Person = Awaited<ReturnType<typeof createMemberUser>>;
  let reporter: Person; // a plain member who reports
  let rita: Person; // the reported member
  let mod: Person; // a moderator
  let mod2: Person; // a moderator who reports someone
  let treasurer: Person;
  let serviceId = '';

  beforeAll(async () => {
    app = await startTestApp({ database: h.database(), clock: fixedClock(NOW) });
    await setUpAssociation(app);
    reporter = await createMemberUser(db(), { name: 'Randi Rapportør' });
    rita = await createMemberUser(db(), { name: 'Rita Rapportert' });
    mod = await createMemberUser(db(), { name: 'Mona Moderator', offices: ['moderator'] });
    mod2 = await createMemberUser(db(), { name: 'Mads Moderator', offices: ['moderator'] });
    treasurer = await createMemberUser(db(), { name: 'Kari Kasserer', offices: ['treasurer'] });
    serviceId = await insertReportingService(db(), { slug: 'social', appSecret: app.ctx.secret });
  });
  afterAll(async () => app.close());

  async function report(client: TestClient, form: Record<string, string>) {
    await client.get('/report');
    return client.post('/report', form);
  }

  async function reportIdOf(description: string): Promise<string> {
    const row = await db()
      .selectFrom('moderation_reports')
      .select('id')
      .where('description', '=', description)
      .executeTakeFirstOrThrow();
    return row.id;
  }

  it('refuses a report without content, with a clear message', async () => {
    const client = await loggedIn(app, reporter.user.email);
    const empty = await report(client, { reported: `@${rita.user.handle}`, description: '  ' });
    expect(empty.res.status).toBe(400);
    expect(empty.html).toContain(nb['moderation.report.description_required']);
    const nobody = await report(client, { description: 'Noe skjedde.' });
    expect(nobody.res.status).toBe(400);
    expect(nobody.html).toContain(ReportErrors.nothingReported().messages.nb);
    const unknown = await report(client, { reported: '@finnesikke', description: 'Noe.' });
    expect(unknown.res.status).toBe(400);
    expect(unknown.html).toContain(ReportErrors.reportedNotFound().messages.nb);
    const self = await report(client, {
      reported: String(reporter.member.memberNumber),
      description: 'Meg.',
    });
    expect(self.res.status).toBe(400);
    expect(self.html).toContain(ReportErrors.reportSelf().messages.nb);
    expect(await db().selectFrom('moderation_reports').select('id').execute()).toHaveLength(0);
  });

  it('takes a member’s report, keeps the reporter, sends a receipt', async () => {
    const client = await loggedIn(app, reporter.user.email);
    const res = await report(client, {
      reported: `@${rita.user.handle}`,
      service_id: serviceId,
      content_url: 'https://social.example.org/@rita/1',
      description: 'Rita organiserte en nazistisk gruppe.',
      aup_clause: 'AUP § 3',
    });
    expect(res.res.status).toBe(303);
    expect(res.res.headers.get('location')).toBe('/report');
    const row = await db()
      .selectFrom('moderation_reports')
      .selectAll()
      .where('description', '=', 'Rita organiserte en nazistisk gruppe.')
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({
      source: 'member',
      status: 'new',
      reporter_member_id: reporter.member.id,
      reporter_user_id: reporter.user.id,
      reported_member_id: rita.member.id,
      service_id: serviceId,
      content_url: 'https://social.example.org/@rita/1',
      aup_clause: 'AUP § 3',
    });
    const receipts = await mailsTo(db(), reporter.user.email);
    expect(receipts.some((m) => m.includes(`nr. ${row.number}`))).toBe(true);
    const audit = await db()
      .selectFrom('audit_log')
      .select('action')
      .where('entity_id', '=', row.id)
      .execute();
    expect(audit.map((a) => a.action)).toEqual(['moderation.report_submitted']);
    // By member number too.
    const byNumber = await report(client, {
      reported: String(rita.member.memberNumber),
      description: 'Andre gang: hatefulle ytringer.',
    });
    expect(byNumber.res.status).toBe(303);
  });

  it('keeps case data to moderators and the board: 403 for members and the treasurer', async () => {
    const id = await reportIdOf('Rita organiserte en nazistisk gruppe.');
    for (const who of [reporter, rita, treasurer]) {
      const client = await loggedIn(app, who.user.email);
      expect((await client.get('/moderation')).res.status).toBe(403);
      expect((await client.get('/moderation/statistics')).res.status).toBe(403);
      await client.get('/report');
      const post = await client.post(`/moderation/reports/${id}/dismiss`, { reason: 'x' });
      expect(post.res.status).toBe(403);
      const open = await client.post(`/moderation/reports/${id}/case`, { summary: 'x' });
      expect(open.res.status).toBe(403);
    }
    const anonymous = new TestClient(app.url);
    expect((await anonymous.get('/moderation')).res.status).toBe(303);
    expect((await anonymous.get('/report')).res.status).toBe(303);
  });

  it('lets a moderator see the queue with the reporter, then open a case', async () => {
    const client = await loggedIn(app, mod.user.email);
    const queue = await client.get('/moderation');
    expect(queue.res.status).toBe(200);
    expect(queue.html).toContain('Rita organiserte en nazistisk gruppe.');
    expect(queue.html).toContain('Randi Rapportør');
    const id = await reportIdOf('Rita organiserte en nazistisk gruppe.');
    const second = await db()
      .selectFrom('moderation_reports')
      .select(['id', 'number'])
      .where('description', '=', 'Andre gang: hatefulle ytringer.')
      .executeTakeFirstOrThrow();
    const empty = await client.post(`/moderation/reports/${id}/case`, { summary: '' });
    expect(empty.res.status).toBe(400);
    const res = await client.post(`/moderation/reports/${id}/case`, {
      summary: 'Nazistisk organisering',
      also: String(second.number),
    });
    expect(res.res.status).toBe(303);
    const caseId = /\/moderation\/cases\/(\w+)$/.exec(res.res.headers.get('location') ?? '')?.[1];
    expect(caseId).toBeTruthy();
    const kase = await db()
      .selectFrom('moderation_cases')
      .selectAll()
      .where('id', '=', caseId!)
      .executeTakeFirstOrThrow();
    expect(kase).toMatchObject({
      member_id: rita.member.id,
      status: 'open',
      assigned_to: mod.user.id,
    });
    const reports = await db()
      .selectFrom('moderation_reports')
      .select(['status', 'case_id'])
      .where('case_id', '=', caseId!)
      .execute();
    expect(reports).toHaveLength(2);
    expect(reports.every((r) => r.status === 'in_case')).toBe(true);
    const events = await db()
      .selectFrom('moderation_case_events')
      .select(['action', 'actor_user_id'])
      .where('case_id', '=', caseId!)
      .execute();
    expect(events).toEqual([{ action: 'opened', actor_user_id: mod.user.id }]);
    const audit = await db()
      .selectFrom('audit_log')
      .select('action')
      .where('entity_id', '=', caseId!)
      .execute();
    expect(audit.map((a) => a.action)).toContain('moderation.case_opened');
    // A triaged report cannot be triaged again.
    await client.get('/moderation');
    const again = await client.post(`/moderation/reports/${id}/dismiss`, { reason: 'nei' });
    expect(again.res.status).toBe(409);

    // A new report about Rita goes into the open case.
    const r = await loggedIn(app, reporter.user.email);
    await report(r, { reported: `@${rita.user.handle}`, description: 'Tredje rapport.' });
    const third = await reportIdOf('Tredje rapport.');
    await client.get('/moderation');
    const add = await client.post(`/moderation/reports/${third}/add`, { case_id: caseId! });
    expect(add.res.status).toBe(303);
    const added = await db()
      .selectFrom('moderation_case_events')
      .select('action')
      .where('case_id', '=', caseId!)
      .orderBy('id')
      .execute();
    // The clock stands still in tests, so both events carry the same instant.
    expect(added.map((e) => e.action).sort()).toEqual(['opened', 'report_added']);

    // Assignment: to another moderator, never to the member the case is about.
    await client.get('/moderation');
    const toRita = await client.post(`/moderation/cases/${caseId}/assign`, {
      assignee: rita.user.id,
    });
    expect(toRita.res.status).toBe(400);
    const toMads = await client.post(`/moderation/cases/${caseId}/assign`, {
      assignee: mod2.user.id,
    });
    expect(toMads.res.status).toBe(303);
    const assigned = await db()
      .selectFrom('moderation_cases')
      .select('assigned_to')
      .where('id', '=', caseId!)
      .executeTakeFirstOrThrow();
    expect(assigned.assigned_to).toBe(mod2.user.id);
  });

  it('dismisses a report with a reason', async () => {
    const r = await loggedIn(app, reporter.user.email);
    await report(r, { content_url: 'https://social.example.org/x', description: 'Spam.' });
    const id = await reportIdOf('Spam.');
    const client = await loggedIn(app, mod.user.email);
    await client.get('/moderation');
    const noReason = await client.post(`/moderation/reports/${id}/dismiss`, { reason: '' });
    expect(noReason.res.status).toBe(400);
    const res = await client.post(`/moderation/reports/${id}/dismiss`, {
      reason: 'Ikke et brudd.',
    });
    expect(res.res.status).toBe(303);
    const row = await db()
      .selectFrom('moderation_reports')
      .select(['status', 'dismiss_reason', 'triaged_by'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({
      status: 'dismissed',
      dismiss_reason: 'Ikke et brudd.',
      triaged_by: mod.user.id,
    });
  });

  it('refuses a moderator acting on a case about themselves or one they reported', async () => {
    // Mads reports Mona; Mona (a moderator) neither sees it nor can handle it.
    const mads = await loggedIn(app, mod2.user.email);
    await report(mads, { reported: `@${mod.user.handle}`, description: 'Mona trakasserer.' });
    const id = await reportIdOf('Mona trakasserer.');
    const mona = await loggedIn(app, mod.user.email);
    const queue = await mona.get('/moderation');
    expect(queue.html).not.toContain('Mona trakasserer.');
    expect(queue.html).not.toContain('Mads Moderator');
    const own = await mona.post(`/moderation/reports/${id}/case`, { summary: 'Min egen' });
    expect(own.res.status).toBe(403);
    expect(own.html).toContain(ReportErrors.ownCase().messages.nb);
    const dismiss = await mona.post(`/moderation/reports/${id}/dismiss`, { reason: 'Nei' });
    expect(dismiss.res.status).toBe(403);
    // Mads reported it, so he cannot open the case either.
    await mads.get('/moderation');
    const reporterTries = await mads.post(`/moderation/reports/${id}/case`, { summary: 'Sak' });
    expect(reporterTries.res.status).toBe(403);
    expect(reporterTries.html).toContain(ReportErrors.reporterOfCase().messages.nb);
    // The board (ada, the admin) can.
    const board = await loggedIn(app, 'admin@example.org', 'correct horse battery');
    await board.get('/moderation');
    const ok = await board.post(`/moderation/reports/${id}/case`, { summary: 'Sak om Mona' });
    expect(ok.res.status).toBe(303);
    const caseId = /\/moderation\/cases\/(\w+)$/.exec(ok.res.headers.get('location') ?? '')![1]!;
    // Mona cannot read it, send a notice in it, or be assigned it; Mads cannot handle it.
    expect((await mona.get(`/moderation/cases/${caseId}`)).res.status).toBe(403);
    await mona.get('/moderation');
    const hear = await mona.post(`/moderation/cases/${caseId}/hearing`, { accusation: 'x' });
    expect(hear.res.status).toBe(403);
    await mads.get('/moderation');
    const madsHears = await mads.post(`/moderation/cases/${caseId}/hearing`, { accusation: 'x' });
    expect(madsHears.res.status).toBe(403);
    await board.get('/moderation');
    const toMona = await board.post(`/moderation/cases/${caseId}/assign`, {
      assignee: mod.user.id,
    });
    expect(toMona.res.status).toBe(400);
    const toMads = await board.post(`/moderation/cases/${caseId}/assign`, {
      assignee: mod2.user.id,
    });
    expect(toMads.res.status).toBe(400);
  });
});
