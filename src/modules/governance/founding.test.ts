import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Running } from '../../app/bootstrap.js';
import { fixedClock } from '../../app/clock.js';
import { ADMIN, setUpAssociation, startTestApp, TestClient } from '../../../test/helpers/app.js';
import { describeEachDialect } from '../../../test/helpers/db.js';
import { createMemberUser } from '../../../test/helpers/fixtures.js';
import { loggedIn } from '../members/members.test-support.js';
import { daysAhead, emailsTo, NOW, scheduleViaForm, setClock } from './governance.test-support.js';
import { listAgenda } from './meetings.repository.js';
import { SELF_REGISTRATION_LIMIT } from './founding.usecases.js';

// The founding meeting: no members yet. People pre-register from the open call, the
// secretary registers attendees at the meeting, the register is the attendees, the
// meeting adopts the statutes, and closing it makes the attendees who join founding members.

const MEETING_DAY = daysAhead(14); // 2027-04-15
const AT_MEETING = `${MEETING_DAY}T16:30:00Z`;

describeEachDialect('governance: the founding meeting', (h) => {
  let app: Running;
  let admin: TestClient;
  let meetingId = '';
  let outsiderEmail = '';
  const db = () => h.db();
  const base = () => `/meetings/${meetingId}`;

  async function post(client: TestClient, page: string, action: string, form = {}) {
    await client.get(page);
    return client.post(action, form);
  }
  const memberByEmail = (email: string) =>
    db().selectFrom('members').selectAll().where('email', '=', email).executeTakeFirst();
  const attendanceOf = (memberId: string) =>
    db()
      .selectFrom('meeting_attendance')
      .selectAll()
      .where('meeting_id', '=', meetingId)
      .where('member_id', '=', memberId)
      .execute();
  const attendee = (name: string, email: string, wants = true) => ({
    name,
    email,
    ...(wants ? { wants_membership: 'on' } : {}),
  });

  beforeAll(async () => {
    app = await startTestApp({ database: h.database(), clock: fixedClock(NOW) });
    // Before the founding there are no members: the administrator is not one.
    await setUpAssociation(app, { admin_is_member: '' });
    admin = await loggedIn(app, ADMIN.email, ADMIN.password);
    meetingId = await scheduleViaForm(admin, {
      kind: 'founding',
      date: MEETING_DAY,
      format: 'hybrid',
    });
    // Someone with an account unrelated to the meeting, to try the officers' actions.
    outsiderEmail = (await createMemberUser(db(), { name: 'Olav Utenfor' })).user.email;
  });
  afterAll(async () => {
    await app.close();
  });

  it('is called with 14 days notice and has the founding agenda', async () => {
    const refused = await post(admin, '/meetings/new', '/meetings', {
      kind: 'founding',
      title: '',
      date: daysAhead(13),
      time: '18:00',
      format: 'hybrid',
      place: 'Folkets hus',
      url: 'https://meet.example.org/stiftelse',
      description: '',
      items: '',
      request_key: 'founding-13-days-0001',
    });
    expect(refused.res.status).toBe(400);
    expect(refused.html).toContain(MEETING_DAY);
    const kinds = (await listAgenda(db(), meetingId)).map((a) => a.kind);
    expect(kinds.slice(0, 3)).toEqual([
      'chair_secretary',
      'founding_decision',
      'statutes_adoption',
    ]);
  });

  it('lets people pre-register from the open call, once per address, with a CSRF token', async () => {
    const visitor = new TestClient(app.url);
    const page = await visitor.get(base());
    expect(page.html).toContain('Meld deg på stiftelsesmøtet');
    const noToken = await visitor.post(
      `${base()}/attend`,
      attendee('Uten Token', 'x@example.org'),
      {
        csrf: null,
      },
    );
    expect(noToken.res.status).toBe(403);
    const invalid = await post(visitor, base(), `${base()}/attend`, {
      name: '',
      email: 'ikke-epost',
    });
    expect(invalid.res.status).toBe(400);
    const done = await post(
      visitor,
      base(),
      `${base()}/attend`,
      attendee('Pia Påmeldt', 'Pia@Example.org'),
    );
    expect(done.res.status).toBe(303);
    const pia = await memberByEmail('pia@example.org');
    expect(pia?.status).toBe('applied');
    expect(pia?.application_note).toContain('stiftelsesmøtet');
    expect(pia?.founding_meeting_id).toBeNull();
    const [row] = await attendanceOf(pia!.id);
    expect(row?.method).toBe('registration');
    expect(row?.wants_membership).toBe(1);
    expect(row?.checked_out_at).not.toBeNull(); // registered, not present
    const twice = await post(
      visitor,
      base(),
      `${base()}/attend`,
      attendee('Pia P', 'pia@example.org'),
    );
    expect(twice.res.status).toBe(409);
    expect(twice.html).toContain('allerede registrert');
    const members = await db()
      .selectFrom('members')
      .select('id')
      .where('email', '=', 'pia@example.org')
      .execute();
    expect(members).toHaveLength(1);
    // A no-show who wanted to join, and one who did not.
    await post(visitor, base(), `${base()}/attend`, attendee('Nils Nei', 'nils@example.org'));
  });

  it('keeps the secretary’s actions to officers: 403 for a member, login for a visitor', async () => {
    const outsider = await loggedIn(app, outsiderEmail);
    await outsider.get(base());
    for (const [path, form] of [
      [`${base()}/attendees`, attendee('Kupp', 'kupp@example.org')],
      [`${base()}/close`, {}],
      [`${base()}/open`, {}],
      [`${base()}/officers`, { chair_member_id: 'x', secretary_member_id: 'x' }],
    ] as const)
      expect((await outsider.post(path, form)).res.status, path).toBe(403);
    expect(await memberByEmail('kupp@example.org')).toBeUndefined();
    const visitor = new TestClient(app.url);
    const res = (await visitor.get(`${base()}/register`)).res;
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toContain('/login');
  });

  it('opens with the registered attendees as the register; the secretary registers more, each once', async () => {
    setClock(app, AT_MEETING);
    admin = await loggedIn(app, ADMIN.email, ADMIN.password);
    const page = `${base()}/register`;
    expect((await post(admin, page, `${base()}/open`)).res.status).toBe(303);
    const register = () =>
      db()
        .selectFrom('voter_registers')
        .selectAll()
        .where('meeting_id', '=', meetingId)
        .executeTakeFirstOrThrow();
    expect((await register()).eligible_count).toBe(2); // Pia and Nils, pre-registered
    expect((await register()).qualifying_on).toBeNull();

    for (const [name, email, wants] of [
      ['Anne Stifter', 'anne@example.org', true],
      ['Bjørn Stifter', 'bjorn@example.org', true],
      ['Gro Gjest', 'gro@example.org', false],
    ] as const) {
      const r = await post(admin, page, `${base()}/attendees`, attendee(name, email, wants));
      expect(r.res.status, r.html.slice(0, 500)).toBe(303);
    }
    expect((await register()).eligible_count).toBe(5);
    const twice = await post(
      admin,
      page,
      `${base()}/attendees`,
      attendee('Anne igjen', 'ANNE@example.org'),
    );
    expect(twice.res.status).toBe(409);
    expect(twice.html).toContain('anne@example.org er allerede registrert');
    expect(
      await db()
        .selectFrom('members')
        .select('id')
        .where('email', '=', 'anne@example.org')
        .execute(),
    ).toHaveLength(1);
    // Pia arrives: registering her again checks her in.
    const pia = await post(
      admin,
      page,
      `${base()}/attendees`,
      attendee('Pia Påmeldt', 'pia@example.org'),
    );
    expect(pia.res.status).toBe(303);
    const piaRow = await memberByEmail('pia@example.org');
    expect((await attendanceOf(piaRow!.id))[0]?.checked_out_at).toBeNull();
    expect((await register()).eligible_count).toBe(5);

    const { html } = await admin.get(page);
    expect(html).toContain('Anne Stifter');
    expect(html).toContain('påmeldt'); // Nils, who has not come
    // An online attendee registers on the public page of the meeting in progress.
    const online = new TestClient(app.url);
    const self = await post(
      online,
      base(),
      `${base()}/attend`,
      attendee('Olga Online', 'olga@example.org'),
    );
    expect(self.res.status).toBe(303);
    const olga = await memberByEmail('olga@example.org');
    expect((await attendanceOf(olga!.id))[0]?.checked_out_at).toBeNull();
    expect((await register()).eligible_count).toBe(6);
  });

  it('records the chair and secretary among the registered attendees, then adopts the statutes by an open vote', async () => {
    const page = `${base()}/register`;
    const anne = (await memberByEmail('anne@example.org'))!;
    const bjorn = (await memberByEmail('bjorn@example.org'))!;
    const nils = (await memberByEmail('nils@example.org'))!;
    const absent = await post(admin, page, `${base()}/officers`, {
      chair_member_id: nils.id,
      secretary_member_id: bjorn.id,
    });
    expect(absent.res.status).toBe(400);
    const set = await post(admin, page, `${base()}/officers`, {
      chair_member_id: anne.id,
      secretary_member_id: bjorn.id,
    });
    expect(set.res.status).toBe(303);
    expect((await post(admin, page, `${base()}/register/approve`)).res.status).toBe(303);

    const item = (await listAgenda(db(), meetingId)).find((a) => a.kind === 'statutes_adoption')!;
    const votes = `${base()}/votes`;
    // A first vote that fails adopts nothing.
    const failing = await post(admin, votes, votes, {
      subject: 'Vedtektene, første utkast',
      kind: 'open',
      rule: 'simple',
      agenda_item_id: item.id,
    });
    const failingPath = failing.res.headers.get('location') ?? '';
    expect((await post(admin, failingPath, `${failingPath}/open`)).res.status).toBe(303);
    const rejected = await post(admin, failingPath, `${failingPath}/counts`, {
      count_0: '1',
      count_1: '4',
      count_2: '0',
    });
    expect(rejected.res.status).toBe(303);
    expect(
      await db().selectFrom('documents').select('id').where('adopted_on', 'is not', null).execute(),
    ).toHaveLength(0);
    const created = await post(admin, votes, votes, {
      subject: 'Vedtektene',
      kind: 'open',
      rule: 'simple',
      agenda_item_id: item.id,
    });
    expect(created.res.status).toBe(303);
    const votePath = created.res.headers.get('location') ?? '';
    expect((await post(admin, votePath, `${votePath}/open`)).res.status).toBe(303);
    const early = await post(admin, page, `${base()}/close`);
    expect(early.res.status).toBe(409);
    expect(early.html).toContain('«Vedtektene»');
    const statutes = () =>
      db()
        .selectFrom('documents')
        .selectAll()
        .where('kind', '=', 'statutes')
        .orderBy('version')
        .execute();
    expect((await statutes())[0]?.adopted_on).toBeNull(); // the model draft
    const counted = await post(admin, votePath, `${votePath}/counts`, {
      count_0: '5',
      count_1: '0',
      count_2: '0',
    });
    expect(counted.res.status).toBe(303);
    const docs = await statutes();
    expect(docs).toHaveLength(1);
    expect(docs[0]?.version).toBe(1);
    expect(docs[0]?.adopted_on).toBe(MEETING_DAY);
    expect(docs[0]?.adopted_at_meeting_id).toBe(meetingId);
    const aup = await db()
      .selectFrom('documents')
      .select(['version', 'adopted_on'])
      .where('kind', '=', 'aup')
      .execute();
    expect(aup).toEqual([{ version: 1, adopted_on: MEETING_DAY }]);
  });

  it('refuses self-registration during a physical founding meeting, and registration at other meetings', async () => {
    setClock(app, NOW);
    admin = await loggedIn(app, ADMIN.email, ADMIN.password);
    const physical = await scheduleViaForm(admin, {
      kind: 'founding',
      date: MEETING_DAY,
      format: 'physical',
      url: '',
    });
    const board = await scheduleViaForm(admin, { kind: 'board', date: daysAhead(1) });
    setClock(app, AT_MEETING);
    admin = await loggedIn(app, ADMIN.email, ADMIN.password);
    expect(
      (await post(admin, `/meetings/${physical}/register`, `/meetings/${physical}/open`)).res
        .status,
    ).toBe(303);
    const visitor = new TestClient(app.url);
    await visitor.get(`/meetings/${physical}`);
    await visitor.get(`/meetings/${meetingId}`); // a page with a form, for the token
    const refused = await visitor.post(
      `/meetings/${physical}/attend`,
      attendee('Sen Sofie', 'sofie@example.org'),
    );
    expect(refused.res.status).toBe(409);
    expect(refused.html).toContain('Påmeldingen her er stengt');
    const notFounding = await post(
      admin,
      `/meetings/${board}/register`,
      `/meetings/${board}/attendees`,
      attendee('Styre', 'styre@example.org'),
    );
    expect(notFounding.res.status).toBe(409);
    expect(await memberByEmail('sofie@example.org')).toBeUndefined();
    expect(await memberByEmail('styre@example.org')).toBeUndefined();
  });

  it('on closing, makes the attendees who join active founding members dated with the meeting, and closes the others’ applications', async () => {
    const page = `${base()}/register`;
    const closed = await post(admin, page, `${base()}/close`);
    expect(closed.res.status).toBe(303);
    const meeting = await db()
      .selectFrom('meetings')
      .selectAll()
      .where('id', '=', meetingId)
      .executeTakeFirstOrThrow();
    expect(meeting.status).toBe('closed');

    for (const email of [
      'anne@example.org',
      'bjorn@example.org',
      'pia@example.org',
      'olga@example.org',
    ]) {
      const m = (await memberByEmail(email))!;
      expect(m.status, email).toBe('active');
      expect(m.joined_on).toBe(MEETING_DAY);
      expect(m.founding_meeting_id).toBe(meetingId);
      const changes = await db()
        .selectFrom('member_status_changes')
        .select(['from_status', 'to_status'])
        .where('member_id', '=', m.id)
        .orderBy('at')
        .execute();
      expect(changes.map((c) => `${c.from_status}>${c.to_status}`)).toEqual([
        'null>applied',
        'applied>active',
      ]);
      const periods = await db()
        .selectFrom('membership_periods')
        .select('starts_on')
        .where('member_id', '=', m.id)
        .execute();
      expect(periods.map((p) => p.starts_on)).toEqual([MEETING_DAY]);
    }
    const gro = (await memberByEmail('gro@example.org'))!;
    expect(gro.status).toBe('refused');
    expect(gro.founding_meeting_id).toBeNull();
    const reason = await db()
      .selectFrom('member_status_changes')
      .select('reason')
      .where('member_id', '=', gro.id)
      .where('to_status', '=', 'refused')
      .executeTakeFirstOrThrow();
    expect(reason.reason).toContain('stiftelsesmøtet');
    // Nils pre-registered and never came: still an applicant for the board to decide.
    expect((await memberByEmail('nils@example.org'))?.status).toBe('applied');

    const welcome = await emailsTo(db(), 'stiftende medlem');
    expect(welcome.map((w) => w.to).sort()).toEqual([
      'anne@example.org',
      'bjorn@example.org',
      'olga@example.org',
      'pia@example.org',
    ]);
    expect(welcome[0]?.text).toContain('/signup');
    expect(await emailsTo(db(), 'ikke innvilget')).toHaveLength(0);
    const { html } = await new TestClient(app.url).get(base());
    expect(html).toContain('Møtet ble avsluttet');
    expect(html).not.toContain('Meld deg på stiftelsesmøtet');
  });

  it('takes no registration or check-in after closing', async () => {
    const page = `${base()}/register`;
    const late = await post(
      admin,
      page,
      `${base()}/attendees`,
      attendee('For Sen', 'sen@example.org'),
    );
    expect(late.res.status).toBe(409);
    const nils = (await memberByEmail('nils@example.org'))!;
    const checkIn = await post(admin, page, `${base()}/attendance`, {
      member_number: String(nils.member_number),
    });
    expect(checkIn.res.status).toBe(409);
    expect(await memberByEmail('sen@example.org')).toBeUndefined();
  });

  it('limits self-registration per address', async () => {
    setClock(app, NOW);
    admin = await loggedIn(app, ADMIN.email, ADMIN.password);
    const next = await scheduleViaForm(admin, { kind: 'founding', date: daysAhead(20) });
    await db().deleteFrom('login_attempts').execute();
    const visitor = new TestClient(app.url);
    let last = 0;
    for (let i = 0; i <= SELF_REGISTRATION_LIMIT.max; i++) {
      const r = await post(
        visitor,
        `/meetings/${next}`,
        `/meetings/${next}/attend`,
        attendee(`Flom ${i}`, `flom${i}@example.org`),
      );
      last = r.res.status;
      if (i < SELF_REGISTRATION_LIMIT.max) expect(r.res.status, `try ${i}`).toBe(303);
    }
    expect(last).toBe(429);
    expect(await memberByEmail(`flom${SELF_REGISTRATION_LIMIT.max}@example.org`)).toBeUndefined();
  });
});
