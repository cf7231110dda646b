import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Running } from '../../app/bootstrap.js';
import { fixedClock } from '../../app/clock.js';
import { startTestApp, setUpAssociation, TestClient } from '../../../test/helpers/app.js';
import { describeEachDialect } from '../../../test/helpers/db.js';
import { createMemberUser, PASSWORD } from '../../../test/helpers/fixtures.js';
import { nb } from './cases.messages.js';
import { hearTestCase, openTestCase } from './decisions.test-support.js';

const NOW = '2027-04-01T10:00:00Z';

describeEachDialect('moderation case page, decisions and appeals over HTTP', (h) => {
  let app: Running;
  const clock = fixedClock(NOW);
  type Who = Awaited<ReturnType<typeof createMemberUser>>;
  let mod: Who;
  let chair: Who;
  let plain: Who;
  let target: Who;

  async function as(who: Who) {
    const client = new TestClient(app.url, { 'accept-language': 'nb' });
    await client.logIn(who.user.email, PASSWORD);
    return client;
  }

  beforeAll(async () => {
    app = await startTestApp({ database: h.database(), clock });
    await setUpAssociation(app);
    mod = await createMemberUser(h.db(), { offices: ['moderator'] });
    chair = await createMemberUser(h.db(), { offices: ['board_member'] });
    plain = await createMemberUser(h.db());
    target = await createMemberUser(h.db());
  });
  afterAll(async () => {
    await app?.close();
  });

  it('shows the case to moderators only, never to the member it concerns', async () => {
    const { caseId } = await openTestCase(h.db(), {
      memberId: target.member.id,
      reporter: { memberId: plain.member.id, userId: plain.user.id },
    });
    const m = await as(mod);
    const page = await m.get(`/moderation/cases/${caseId}`);
    expect(page.res.status).toBe(200);
    expect(page.html).toContain(plain.user.name); // the reporter, for moderators
    expect(page.html).toContain(nb['moderation.decision.submit']);
    expect(page.html).not.toContain('value="exclusion"'); // board only
    for (const who of [plain, target]) {
      const c = await as(who);
      expect((await c.get(`/moderation/cases/${caseId}`)).res.status).toBe(403);
      await c.get('/moderation/appeals');
      const post = await c.post(`/moderation/cases/${caseId}/decisions`, {
        kind: 'warning',
        reasons: 'x',
        clause: 'AUP 1',
      });
      expect(post.res.status).toBe(403);
    }
    const board = await as(chair);
    const boardPage = await board.get(`/moderation/cases/${caseId}`);
    expect(boardPage.html).toContain('value="exclusion"');
    expect(boardPage.html).toContain(nb['moderation.decision.violations']);
  });

  it('refuses with clear messages: no hearing, too long, exclusion by a moderator, no CSRF', async () => {
    const { caseId } = await openTestCase(h.db(), { memberId: target.member.id });
    const m = await as(mod);
    await m.get(`/moderation/cases/${caseId}`);
    const form = {
      kind: 'suspension',
      reasons: 'Threats.',
      clause: 'AUP 2.1',
      ends_on: '2027-06-01',
    };
    let r = await m.post(`/moderation/cases/${caseId}/decisions`, form);
    expect(r.res.status).toBe(409);
    expect(r.html).toContain('Medlemmet må høres før en sanksjon');
    await hearTestCase(h.db(), { caseId, deadlineOn: '2027-04-10' });
    r = await m.post(`/moderation/cases/${caseId}/decisions`, { ...form, ends_on: '2028-04-02' });
    expect(r.res.status).toBe(400);
    expect(r.html).toContain('En suspensjon kan vare høyst 12 måneder');
    r = await m.post(`/moderation/cases/${caseId}/decisions`, { ...form, ends_on: 'soon' });
    expect(r.res.status).toBe(400);
    expect(r.html).toContain(nb['moderation.decision.invalid_date']);
    r = await m.post(`/moderation/cases/${caseId}/decisions`, { ...form, reasons: '' });
    expect(r.res.status).toBe(400);
    r = await m.post(`/moderation/cases/${caseId}/decisions`, { ...form, kind: 'exclusion' });
    expect(r.res.status).toBe(403);
    expect(r.html).toContain('Bare styret kan vedta eksklusjon');
    r = await m.post(`/moderation/cases/${caseId}/decisions`, form, { csrf: null });
    expect(r.res.status).toBe(403);
    const rows = await h
      .db()
      .selectFrom('moderation_decisions')
      .select('id')
      .where('case_id', '=', caseId)
      .execute();
    expect(rows).toEqual([]);
    r = await m.post(`/moderation/cases/${caseId}/decisions`, form);
    expect(r.res.status).toBe(303);
  });

  it('lets only the member concerned appeal, within the deadline, and only the board record the outcome', async () => {
    clock.set(NOW);
    const victim = await createMemberUser(h.db());
    const { caseId } = await openTestCase(h.db(), { memberId: victim.member.id });
    await hearTestCase(h.db(), { caseId, deadlineOn: '2027-04-10' });
    const m = await as(mod);
    await m.get(`/moderation/cases/${caseId}`);
    await m.post(`/moderation/cases/${caseId}/decisions`, {
      kind: 'suspension',
      reasons: 'Threats.',
      clause: 'AUP 2.1',
      ends_on: '2027-06-01',
    });
    const d = await h
      .db()
      .selectFrom('moderation_decisions')
      .select('id')
      .where('case_id', '=', caseId)
      .executeTakeFirstOrThrow();
    const other = await as(plain);
    expect((await other.get(`/moderation/appeals/new?decision=${d.id}`)).res.status).toBe(403);
    await other.get('/moderation/appeals');
    const forged = await other.post('/moderation/appeals', { decision: d.id, text: 'Not mine.' });
    expect(forged.res.status).toBe(403);
    expect((await other.get('/moderation/appeals')).html).not.toContain(d.id);
    const self = await as(victim);
    const mine = await self.get('/moderation/appeals');
    expect(mine.html).toContain(`/moderation/appeals/new?decision=${d.id}`);
    clock.set('2027-04-23T10:00:00Z');
    const late = await self.get(`/moderation/appeals/new?decision=${d.id}`);
    expect(late.html).toContain('Ankefristen gikk ut');
    const refused = await self.post('/moderation/appeals', { decision: d.id, text: 'Please.' });
    expect(refused.res.status).toBe(409);
    expect(refused.html).toContain('Ankefristen gikk ut');
    clock.set('2027-04-20T10:00:00Z');
    await self.get(`/moderation/appeals/new?decision=${d.id}`);
    const ok = await self.post('/moderation/appeals', { decision: d.id, text: 'Please.' });
    expect(ok.res.status).toBe(303);
    const again = await self.post(
      '/moderation/appeals',
      { decision: d.id, text: 'Again.' },
      { csrf: self.csrf() },
    );
    expect(again.res.status).toBe(409);
    const appeal = await h
      .db()
      .selectFrom('moderation_appeals')
      .select('id')
      .where('decision_id', '=', d.id)
      .executeTakeFirstOrThrow();
    await m.get(`/moderation/cases/${caseId}`);
    const byModerator = await m.post(`/moderation/appeals/${appeal.id}/outcome`, {
      outcome: 'upheld',
    });
    expect(byModerator.res.status).toBe(403);
    const board = await as(chair);
    await board.get(`/moderation/cases/${caseId}`);
    const byBoard = await board.post(`/moderation/appeals/${appeal.id}/outcome`, {
      outcome: 'rejected',
      note: 'GA item 7',
    });
    expect(byBoard.res.status).toBe(303);
    const status = await h
      .db()
      .selectFrom('members')
      .select('status')
      .where('id', '=', victim.member.id)
      .executeTakeFirstOrThrow();
    expect(status.status).toBe('suspended');
  });

  it('lets only the board change the settings, which the next decision uses', async () => {
    clock.set(NOW);
    const m = await as(mod);
    expect((await m.get('/moderation/settings')).res.status).toBe(403);
    const board = await as(chair);
    const form = await board.get('/moderation/settings');
    expect(form.html).toContain('value="72"');
    expect(form.html).toContain('value="21"');
    const bad = await board.post('/moderation/settings', {
      urgent_confirm_hours: '0',
      appeal_days: '14',
    });
    expect(bad.res.status).toBe(400);
    const ok = await board.post('/moderation/settings', {
      urgent_confirm_hours: '48',
      appeal_days: '14',
    });
    expect(ok.res.status).toBe(303);
    const member = await createMemberUser(h.db());
    const { caseId } = await openTestCase(h.db(), { memberId: member.member.id });
    await m.get(`/moderation/cases/${caseId}`);
    const urgent = await m.post(`/moderation/cases/${caseId}/decisions`, {
      kind: 'suspension',
      urgent: 'on',
      reasons: 'Ongoing threats.',
      clause: 'AUP 2.1',
      ends_on: '2027-05-01',
    });
    expect(urgent.res.status).toBe(303);
    const d = await h
      .db()
      .selectFrom('moderation_decisions')
      .selectAll()
      .where('case_id', '=', caseId)
      .executeTakeFirstOrThrow();
    expect(d.confirm_by).toBe('2027-04-03T10:00:00.000Z');
    expect(d.appeal_deadline_on).toBe('2027-04-15');
    // The case stays open for the hearing that must follow an urgent suspension.
    await m.get(`/moderation/cases/${caseId}`);
    const sent = await m.post(`/moderation/cases/${caseId}/hearing`, {
      accusation: 'Threats in the chat.',
      aup_clause: 'AUP 2.1',
      deadline_days: '7',
    });
    expect(sent.res.status).toBe(303);
    // A plain member cannot confirm or lift it.
    const p = await as(plain);
    await p.get('/moderation/appeals');
    expect((await p.post(`/moderation/decisions/${d.id}/confirm`, {})).res.status).toBe(403);
    expect((await p.post(`/moderation/decisions/${d.id}/lift`, { note: 'x' })).res.status).toBe(
      403,
    );
    // The moderator lifts it with a reason.
    await m.get(`/moderation/cases/${caseId}`);
    expect((await m.post(`/moderation/decisions/${d.id}/lift`, { note: '' })).res.status).toBe(400);
    expect(
      (await m.post(`/moderation/decisions/${d.id}/lift`, { note: 'Misunderstanding' })).res.status,
    ).toBe(303);
    const st = await h
      .db()
      .selectFrom('members')
      .select('status')
      .where('id', '=', member.member.id)
      .executeTakeFirstOrThrow();
    expect(st.status).toBe('active');
  });
});
