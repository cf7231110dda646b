import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Running } from '../../app/bootstrap.js';
import { fixedClock } from '../../app/clock.js';
import { startTestApp, setUpAssociation, TestClient } from '../../../test/helpers/app.js';
import { describeEachDialect } from '../../../test/helpers/db.js';
import { createMemberUser } from '../../../test/helpers/fixtures.js';
import { loadCurrentUser } from '../accounts/current-user.js';
import { loggedIn } from '../members/members.test-support.js';
import { closeMeeting } from './meeting-lifecycle.usecases.js';
import { daysAhead, NOW, scheduleViaForm, setClock } from './governance.test-support.js';
import { quickMember } from './votes.test-support.js';
import { createVote, openVote } from './votes.usecases.js';

// Running a meeting: the chair and the secretary it elects, and closing it. The same for
// an ordinary GA, an extraordinary GA and a board meeting.

const MEETING_DAY = daysAhead(30); // 2027-05-01
const AT_MEETING = `${MEETING_DAY}T16:30:00Z`;

describeEachDialect('governance: running and closing a meeting', (h) => {
  let app: Running;
  let board: TestClient;
  let boardEmail = '';
  let meetingId = '';
  type Voter = Awaited<ReturnType<typeof quickMember>>;
  let chair: Voter;
  let secretary: Voter;
  let plain: Voter;
  let absent: Voter;
  const db = () => h.db();
  const base = () => `/meetings/${meetingId}`;

  async function post(client: TestClient, page: string, action: string, form = {}) {
    await client.get(page);
    return client.post(action, form);
  }
  const meetingRow = (id: string) =>
    db().selectFrom('meetings').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  const audits = (id: string, action: string) =>
    db()
      .selectFrom('audit_log')
      .selectAll()
      .where('entity_id', '=', id)
      .where('action', '=', action)
      .execute();

  beforeAll(async () => {
    app = await startTestApp({ database: h.database(), clock: fixedClock(NOW) });
    await setUpAssociation(app);
    boardEmail = (await createMemberUser(db(), { offices: ['board_member'], name: 'Bente Board' }))
      .user.email;
    board = await loggedIn(app, boardEmail);
    meetingId = await scheduleViaForm(board, { date: MEETING_DAY });
    chair = await quickMember(db(), app.url, { name: 'Dina Dirigent' });
    secretary = await quickMember(db(), app.url, { name: 'Rolf Referent' });
    plain = await quickMember(db(), app.url, { name: 'Vera Velger' });
    absent = await quickMember(db(), app.url, { name: 'Borte Bjørn' });
  });
  afterAll(async () => {
    await app.close();
  });

  it('runs a board meeting the same way: opened on its day, closed, then closed to check-in', async () => {
    const id = await scheduleViaForm(board, { kind: 'board', date: daysAhead(0), time: '18:00' });
    const page = `/meetings/${id}/register`;
    expect((await post(board, page, `/meetings/${id}/open`)).res.status).toBe(303);
    const closed = await post(board, page, `/meetings/${id}/close`);
    expect(closed.res.status).toBe(303);
    const row = await meetingRow(id);
    expect(row.status).toBe('closed');
    expect(row.closed_at).toBe(new Date(NOW).toISOString());
    expect(await audits(id, 'governance.meeting_closed')).toHaveLength(1);
    // Closing twice is refused and recorded once.
    const again = await post(board, page, `/meetings/${id}/close`);
    expect(again.res.status).toBe(409);
    expect(again.html).toContain('allerede avsluttet');
    expect(await audits(id, 'governance.meeting_closed')).toHaveLength(1);
  });

  it('opens no vote once the meeting is closed, also when both happen at the same moment', async () => {
    const boardUser = await db()
      .selectFrom('users')
      .select('id')
      .where('email', '=', boardEmail)
      .executeTakeFirstOrThrow();
    const user = await loadCurrentUser(db(), { userId: boardUser.id, today: daysAhead(0) });
    const actor = { userId: boardUser.id, label: 'board' };
    const ctx = app.ctx;
    const draftIn = async (id: string, subject: string) =>
      (
        await createVote(ctx, {
          actor,
          user,
          meetingId: id,
          subject,
          kind: 'open',
          rule: 'simple',
        })
      ).vote.id;
    const voteRow = (id: string) =>
      db().selectFrom('votes').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

    // One after the other: the vote prepared before the close cannot be opened after it.
    const id = await scheduleViaForm(board, { kind: 'board', date: daysAhead(0), time: '19:00' });
    expect((await post(board, `/meetings/${id}/register`, `/meetings/${id}/open`)).res.status).toBe(
      303,
    );
    const late = await draftIn(id, 'For sent');
    await closeMeeting(ctx, { actor, user, meetingId: id });
    await expect(openVote(ctx, { actor, user, meetingId: id, voteId: late })).rejects.toMatchObject(
      { code: 'votes.meeting_closed' },
    );
    expect((await voteRow(late)).status).toBe('draft');

    // The list of meetings shows each one's status as a badge.
    const running = await scheduleViaForm(board, {
      kind: 'board',
      date: daysAhead(0),
      time: '19:30',
    });
    await post(board, `/meetings/${running}/register`, `/meetings/${running}/open`);
    const list = (await board.get('/meetings')).html;
    const badgeOf = (meeting: string) =>
      new RegExp(`href="/meetings/${meeting}"[^<]*</a>\\s*<span class="badge ([a-z_]+)">([^<]+)<`)
        .exec(list)
        ?.slice(1);
    expect(badgeOf(meetingId)).toEqual(['scheduled', 'Planlagt']);
    expect(badgeOf(running)).toEqual(['in_progress', 'Pågår']);
    expect(badgeOf(id)).toEqual(['closed', 'Avsluttet']);
    expect((await board.get('/meetings?lang=en')).html).toContain('>In progress<');
    await board.get('/meetings?lang=nb'); // the language choice is kept: back to bokmål

    // At the same moment: one of the two wins, and never a vote open on a closed meeting.
    for (let round = 0; round < 5; round++) {
      const racing = await scheduleViaForm(board, {
        kind: 'board',
        date: daysAhead(0),
        time: `20:0${round}`,
      });
      expect(
        (await post(board, `/meetings/${racing}/register`, `/meetings/${racing}/open`)).res.status,
      ).toBe(303);
      const voteId = await draftIn(racing, `Samtidig ${round}`);
      const [opened, closed] = await Promise.allSettled([
        openVote(ctx, { actor, user, meetingId: racing, voteId }),
        closeMeeting(ctx, { actor, user, meetingId: racing }),
      ]);
      const meeting = await meetingRow(racing);
      const vote = await voteRow(voteId);
      expect(opened.status === 'fulfilled').not.toBe(closed.status === 'fulfilled');
      if (closed.status === 'fulfilled') {
        expect(meeting.status).toBe('closed');
        expect(vote.status).toBe('draft');
      } else {
        expect(closed.reason).toMatchObject({ code: 'meetings.votes_still_open' });
        expect(meeting.status).toBe('in_progress');
        expect(vote.status).toBe('open');
      }
    }
  });

  it('refuses to close or set officers before the meeting has opened', async () => {
    const page = `${base()}/register`;
    const close = await post(board, page, `${base()}/close`);
    expect(close.res.status).toBe(409);
    expect(close.html).toContain('ikke åpnet');
    const officers = await post(board, page, `${base()}/officers`, {
      chair_member_id: chair.memberId,
      secretary_member_id: secretary.memberId,
    });
    expect(officers.res.status).toBe(409);
    expect(officers.html).toContain('ikke i gang');
    expect((await meetingRow(meetingId)).chair_member_id).toBeNull();
  });

  it('keeps the actions to officers: a member gets 403 on each, a visitor goes to login', async () => {
    setClock(app, AT_MEETING);
    board = await loggedIn(app, boardEmail);
    expect((await post(board, `${base()}/register`, `${base()}/open`)).res.status).toBe(303);
    for (const v of [chair, secretary, plain])
      expect((await post(v.client, `${base()}/votes`, `${base()}/checkin`)).res.status).toBe(303);
    const m = plain.client;
    await m.get(`${base()}/votes`);
    for (const [path, form] of [
      [
        `${base()}/officers`,
        { chair_member_id: plain.memberId, secretary_member_id: plain.memberId },
      ],
      [`${base()}/close`, {}],
      [`${base()}/attendees`, { name: 'X', email: 'x@example.org', wants_membership: 'on' }],
    ] as const)
      expect((await m.post(path, form)).res.status, path).toBe(403);
    const row = await meetingRow(meetingId);
    expect(row.status).toBe('in_progress');
    expect(row.chair_member_id).toBeNull();
    const visitor = new TestClient(app.url);
    const res = (await visitor.get(`${base()}/register`)).res;
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toContain('/login');
  });

  it('records the chair and the secretary, who must be present, can change them, and audits each', async () => {
    const page = `${base()}/register`;
    const notThere = await post(board, page, `${base()}/officers`, {
      chair_member_id: absent.memberId,
      secretary_member_id: secretary.memberId,
    });
    expect(notThere.res.status).toBe(400);
    expect(notThere.html).toContain('må være til stede');
    expect((await meetingRow(meetingId)).chair_member_id).toBeNull();
    const empty = await post(board, page, `${base()}/officers`, {
      chair_member_id: '',
      secretary_member_id: '',
    });
    expect(empty.res.status).toBe(400);

    const first = await post(board, page, `${base()}/officers`, {
      chair_member_id: chair.memberId,
      secretary_member_id: plain.memberId,
    });
    expect(first.res.status).toBe(303);
    const changed = await post(board, page, `${base()}/officers`, {
      chair_member_id: chair.memberId,
      secretary_member_id: secretary.memberId,
    });
    expect(changed.res.status).toBe(303);
    const row = await meetingRow(meetingId);
    expect(row.chair_member_id).toBe(chair.memberId);
    expect(row.secretary_member_id).toBe(secretary.memberId);
    const log = await audits(meetingId, 'governance.meeting_officers_set');
    expect(log).toHaveLength(2);
    const last = log.find((l) => (l.before ?? '').includes(plain.memberId));
    expect(last?.after).toContain(secretary.memberId);
    // The meeting page shows them, to anyone.
    const { html } = await new TestClient(app.url).get(base());
    expect(html).toContain('Møteleder');
    expect(html).toContain('Dina Dirigent');
    expect(html).toContain('Rolf Referent');
    expect(html).toContain('Møtet pågår');
  });

  it('gives the chair and the secretary the officer powers for this meeting only', async () => {
    // The chair reads the register and approves it; the secretary checks a member in.
    expect((await chair.client.get(`${base()}/register`)).res.status).toBe(200);
    const approved = await post(chair.client, `${base()}/register`, `${base()}/register/approve`);
    expect(approved.res.status).toBe(303);
    const checkIn = await post(secretary.client, `${base()}/register`, `${base()}/attendance`, {
      member_number: String(absent.memberNumber),
    });
    expect(checkIn.res.status).toBe(303);
    // Recording the officers stays with the board.
    const officers = await post(chair.client, `${base()}/register`, `${base()}/officers`, {
      chair_member_id: chair.memberId,
      secretary_member_id: chair.memberId,
    });
    expect(officers.res.status).toBe(403);
    // Another meeting's register is not theirs.
    const other = await scheduleViaForm(board, { kind: 'board', date: daysAhead(31) });
    expect((await chair.client.get(`/meetings/${other}/register`)).res.status).toBe(403);
  });

  it('refuses to close while a vote is open and names it; the chair closes it after the vote', async () => {
    const votes = `${base()}/votes`;
    const created = await post(chair.client, votes, votes, {
      subject: 'Budsjett 2027',
      kind: 'open',
      rule: 'simple',
    });
    expect(created.res.status).toBe(303);
    const votePath = created.res.headers.get('location') ?? '';
    expect((await post(chair.client, votePath, `${votePath}/open`)).res.status).toBe(303);

    const refused = await post(chair.client, `${base()}/register`, `${base()}/close`);
    expect(refused.res.status).toBe(409);
    expect(refused.html).toContain('«Budsjett 2027»');
    expect((await meetingRow(meetingId)).status).toBe('in_progress');

    const counted = await post(secretary.client, votePath, `${votePath}/counts`, {
      count_0: '3',
      count_1: '1',
      count_2: '0',
    });
    expect(counted.res.status).toBe(303);
    const closed = await post(chair.client, `${base()}/register`, `${base()}/close`);
    expect(closed.res.status).toBe(303);
    const row = await meetingRow(meetingId);
    expect(row.status).toBe('closed');
    expect(row.closed_at).toBe(new Date(AT_MEETING).toISOString());
    const log = await audits(meetingId, 'governance.meeting_closed');
    expect(log).toHaveLength(1);
    expect(log[0]?.actor_user_id).toBe(chair.userId);
    const { html } = await new TestClient(app.url).get(base());
    expect(html).toContain('Møtet ble avsluttet');
  });

  it('takes no check-in, vote, officers or proposal once closed', async () => {
    const votes = `${base()}/votes`;
    const checkIn = await post(absent.client, votes, `${base()}/checkin`);
    expect(checkIn.res.status).toBe(409);
    expect(checkIn.html).toContain('avsluttet');
    const secretaryIn = await post(secretary.client, `${base()}/register`, `${base()}/attendance`, {
      member_number: String(plain.memberNumber),
      action: 'out',
    });
    expect(secretaryIn.res.status).toBe(409);
    const vote = await post(board, votes, votes, {
      subject: 'Etterpå',
      kind: 'open',
      rule: 'simple',
    });
    expect(vote.res.status).toBe(409);
    const officers = await post(board, `${base()}/register`, `${base()}/officers`, {
      chair_member_id: chair.memberId,
      secretary_member_id: secretary.memberId,
    });
    expect(officers.res.status).toBe(409);
    const late = await post(board, `${base()}/register`, `${base()}/proposals/late`, {
      kind: 'general',
      member_number: String(plain.memberNumber),
      title: 'For sent',
      body: 'Etter møtet',
      reason: 'Styrevedtak',
      request_key: 'late-after-close-0001',
    });
    expect(late.res.status).toBe(409);
    expect(late.html).toContain('avholdt');
    const votesAfter = await db()
      .selectFrom('votes')
      .select('subject')
      .where('meeting_id', '=', meetingId)
      .execute();
    expect(votesAfter.map((v) => v.subject)).toEqual(['Budsjett 2027']);
  });

  it('runs an extraordinary GA through the same lifecycle', async () => {
    setClock(app, NOW);
    board = await loggedIn(app, boardEmail);
    const id = await scheduleViaForm(board, { kind: 'extraordinary', date: daysAhead(14) });
    setClock(app, `${daysAhead(14)}T16:00:00Z`);
    board = await loggedIn(app, boardEmail);
    const page = `/meetings/${id}/register`;
    expect((await post(board, page, `/meetings/${id}/open`)).res.status).toBe(303);
    expect(
      (await post(plain.client, `/meetings/${id}/votes`, `/meetings/${id}/checkin`)).res.status,
    ).toBe(303);
    expect(
      (
        await post(board, page, `/meetings/${id}/officers`, {
          chair_member_id: plain.memberId,
          secretary_member_id: plain.memberId,
        })
      ).res.status,
    ).toBe(303);
    expect((await post(plain.client, page, `/meetings/${id}/close`)).res.status).toBe(303);
    expect((await meetingRow(id)).status).toBe('closed');
  });
});
