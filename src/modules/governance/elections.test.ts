import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Running } from '../../app/bootstrap.js';
import { fixedClock } from '../../app/clock.js';
import { newId } from '../../app/ids.js';
import { setUpAssociation, startTestApp, TestClient } from '../../../test/helpers/app.js';
import { apiGet, apiSend, issueToken } from '../../../test/helpers/api.js';
import { describeEachDialect } from '../../../test/helpers/db.js';
import { createMember, createMemberUser } from '../../../test/helpers/fixtures.js';
import { loadCurrentUser } from '../accounts/current-user.js';
import { loggedIn } from '../members/members.test-support.js';
import { canonicalChoice, rankCandidates, termEndsOn } from './elections-count.js';
import { drawLots } from './elections-voting.usecases.js';
import { nominate } from './elections-nominations.usecases.js';
import { createElection } from './elections.usecases.js';
import { daysAhead, emailsTo, NOW, scheduleViaForm, setClock } from './governance.test-support.js';
import { castVote } from './votes.usecases.js';
import { quickMember } from './votes.test-support.js';

const MEETING_DAY = daysAhead(30); // 2027-05-01; qualifying date 2027-04-01
const AT_MEETING = `${MEETING_DAY}T16:30:00Z`;

it('counts a multi-seat ballot by its canonical form and ranks with ties at the boundary', () => {
  const options = ['a', 'b', 'c', 'blank'];
  expect(canonicalChoice({ seats: 2, options, choice: 'c,a' })).toBe('a,c');
  expect(canonicalChoice({ seats: 2, options, choice: 'blank' })).toBe('blank');
  expect(() => canonicalChoice({ seats: 2, options, choice: 'a,b,c' })).toThrow(/ballot_too_many/);
  expect(() => canonicalChoice({ seats: 2, options, choice: 'a,a' })).toThrow(/ballot_duplicate/);
  expect(() => canonicalChoice({ seats: 2, options, choice: 'a,x' })).toThrow(/ballot_unknown/);
  expect(() => canonicalChoice({ seats: 2, options, choice: 'a,blank' })).toThrow(
    /ballot_blank_and_names/,
  );
  expect(() => canonicalChoice({ seats: 2, options, choice: '' })).toThrow(/ballot_empty/);

  const clear = rankCandidates({
    candidateIds: ['a', 'b', 'c'],
    counts: { a: 5, b: 3, c: 1 },
    seatsOpen: 2,
  });
  expect(clear).toMatchObject({ elected: ['a', 'b'], tied: [], ranks: { a: 1, b: 2, c: 3 } });
  const tie = rankCandidates({
    candidateIds: ['a', 'b', 'c'],
    counts: { a: 5, b: 3, c: 3 },
    seatsOpen: 2,
  });
  expect(tie).toMatchObject({ elected: ['a'], seatsLeft: 1, ranks: { a: 1, b: 2, c: 2 } });
  expect(tie.tied.sort()).toEqual(['b', 'c']);
  // A tie below the boundary decides nothing: both seats are clear.
  const below = rankCandidates({
    candidateIds: ['a', 'b', 'c', 'd'],
    counts: { a: 5, b: 4, c: 2, d: 2 },
    seatsOpen: 2,
  });
  expect(below).toMatchObject({ elected: ['a', 'b'], tied: [] });
  // Nobody is elected without a vote.
  expect(
    rankCandidates({ candidateIds: ['a', 'b'], counts: { a: 2 }, seatsOpen: 2 }).elected,
  ).toEqual(['a']);

  expect(termEndsOn('2027-05-01', 24)).toBe('2029-04-30');
  expect(termEndsOn('2027-05-01', 12)).toBe('2028-04-30');
  expect(termEndsOn('2027-01-31', 1)).toBe('2027-02-27');
});

describeEachDialect('governance: elections', (h) => {
  let app: Running;
  let board: TestClient;
  let boardEmail = '';
  let boardUserId = '';
  let meetingId = '';
  type Voter = Awaited<ReturnType<typeof quickMember>>;
  const v: Voter[] = [];
  let late: Voter;
  const db = () => h.db();
  const deps = () => app.ctx;
  const boardActor = () => ({ userId: boardUserId, label: 'board' });
  const boardUser = () => loadCurrentUser(db(), { userId: boardUserId, today: MEETING_DAY });
  const base = () => `/meetings/${meetingId}/elections`;
  let e1 = ''; // board members: 2 seats, 24 months
  let e2 = ''; // auditor: 1 seat (a tie, then a runoff)
  let e3 = ''; // alternates: 2 seats, one candidate (acclamation)
  let e4 = ''; // moderator: 1 seat (a tie, then lots)

  beforeAll(async () => {
    app = await startTestApp({ database: h.database(), clock: fixedClock(NOW) });
    await setUpAssociation(app);
    const b = await createMemberUser(db(), { offices: ['board_member'], name: 'Bente Board' });
    boardUserId = b.user.id;
    boardEmail = b.user.email;
    board = await loggedIn(app, boardEmail);
    meetingId = await scheduleViaForm(board, { date: MEETING_DAY });
    for (let i = 0; i < 7; i++)
      v.push(await quickMember(db(), app.url, { name: `Velger ${i + 1}` }));
    late = await quickMember(db(), app.url, { joinedOn: '2027-04-15', name: 'Sen Innmelding' });
  });
  afterAll(async () => {
    await app.close();
  });

  async function post(client: TestClient, page: string, action: string, form = {}) {
    await client.get(page);
    return client.post(action, form);
  }

  async function candidateOf(electionId: string, memberId: string) {
    return db()
      .selectFrom('election_candidates')
      .selectAll()
      .where('election_id', '=', electionId)
      .where('member_id', '=', memberId)
      .executeTakeFirstOrThrow();
  }

  it('lets only the board set up elections; members may read; visitors go to login', async () => {
    const m = v[0]!.client;
    expect((await m.get(base())).res.status).toBe(200);
    for (const [path, form] of [
      [
        base(),
        { office: 'board_member', seats: '2', term_months: '24', request_key: 'member-try-1' },
      ],
      [`${base()}/standard`, { request_key: 'member-try-2' }],
    ] as const)
      expect((await m.post(path, form)).res.status, path).toBe(403);
    expect(await db().selectFrom('elections').select('id').execute()).toHaveLength(0);
    const visitor = new TestClient(app.url);
    const { res } = await visitor.get(base());
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toContain('/login');
    const anonPost = await visitor.post(
      `${base()}/standard`,
      { request_key: 'anon-1234' },
      { csrf: null },
    );
    expect(anonPost.res.status).toBeGreaterThanOrEqual(300);
    expect(await db().selectFrom('elections').select('id').execute()).toHaveLength(0);
  });

  it('creates the standard elections: open board seats for 24 months, 2 alternates and 1 auditor for 12', async () => {
    // A board seat elected last year runs to 2028 (held); one elected two years ago ends
    // the day before this GA (up for election). With Bente's open-ended term: 2 held.
    const sitting = await createMember(db(), { name: 'Sittende' });
    const leaving = await createMember(db(), { name: 'Går av' });
    for (const [member, starts, ends] of [
      [sitting.id, '2026-05-01', '2028-04-30'],
      [leaving.id, '2025-05-01', '2027-04-30'],
    ] as const)
      await db()
        .insertInto('office_terms')
        .values({
          id: newId(),
          member_id: member,
          office: 'board_member',
          starts_on: starts,
          ends_on: ends,
          note: null,
          created_at: NOW,
          created_by: null,
        })
        .execute();
    const r = await post(board, base(), `${base()}/standard`, { request_key: 'standard-key-1' });
    expect(r.res.status).toBe(303);
    const rows = await db()
      .selectFrom('elections')
      .select(['office', 'seats', 'term_months', 'term_starts_on', 'status', 'agenda_item_id'])
      .where('meeting_id', '=', meetingId)
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    expect(rows.map((e) => [e.office, e.seats, e.term_months])).toEqual([
      ['board_member', 3, 24],
      ['board_alternate', 2, 12],
      ['auditor', 1, 12],
    ]);
    for (const e of rows) {
      expect(e.term_starts_on).toBe(MEETING_DAY);
      expect(e.status).toBe('nominating');
      expect(e.agenda_item_id).not.toBeNull();
    }
    const again = await post(board, base(), `${base()}/standard`, {
      request_key: 'standard-key-2',
    });
    expect(again.res.status).toBe(409);
    // The standard set is not used further here: the tests below make their own.
    await db().deleteFrom('audit_log').where('entity_type', '=', 'election').execute();
    await db().deleteFrom('elections').where('meeting_id', '=', meetingId).execute();
  });

  it('creates custom elections through the form, validating the input', async () => {
    const bad = await post(board, base(), base(), {
      office: 'president',
      seats: '0',
      term_months: 'x',
      request_key: 'custom-bad-1',
    });
    expect(bad.res.status).toBe(400);
    const make = async (office: string, seats: string, months: string) => {
      const r = await post(board, base(), base(), {
        office,
        title: '',
        seats,
        term_months: months,
        term_starts_on: '',
        agenda_item_id: '',
        request_key: `custom-${office}-${seats}-${months}`,
      });
      expect(r.res.status, r.html.slice(0, 500)).toBe(303);
      return r.res.headers.get('location')!.split('/').pop()!;
    };
    e1 = await make('board_member', '2', '24');
    e2 = await make('auditor', '1', '12');
    e3 = await make('board_alternate', '2', '12');
    e4 = await make('moderator', '1', '12');
    expect(new Set([e1, e2, e3, e4]).size).toBe(4);
    const page = await v[0]!.client.get(base());
    expect(page.html).toContain('Styremedlem');
    expect(page.html).toContain('Revisor');
  });

  it('takes self-nominations and nominations that the nominee accepts, and refuses the rest', async () => {
    const page = `${base()}/${e1}`;
    const self = await post(v[0]!.client, page, `${page}/nominations`, {
      self: 'on',
      statement: 'Jeg vil bidra.',
    });
    expect(self.res.status).toBe(303);
    expect((await candidateOf(e1, v[0]!.memberId)).accepted_at).not.toBeNull();

    // Velger 1 nominates Velger 2, who must accept; an email tells her.
    const other = await post(v[0]!.client, page, `${page}/nominations`, {
      member_number: String(v[1]!.memberNumber),
    });
    expect(other.res.status).toBe(303);
    const pending = await candidateOf(e1, v[1]!.memberId);
    expect(pending.accepted_at).toBeNull();
    expect(pending.nominated_by).toBe(v[0]!.memberId);
    expect((await emailsTo(db(), 'nominert')).map((m) => m.to)).toContain(
      (
        await db()
          .selectFrom('members')
          .select('email')
          .where('id', '=', v[1]!.memberId)
          .executeTakeFirstOrThrow()
      ).email,
    );
    // Nobody else can accept for her.
    const forHer = await post(v[2]!.client, page, `${page}/candidates/${pending.id}/accept`);
    expect(forHer.res.status).toBe(403);
    const accepted = await post(v[1]!.client, page, `${page}/candidates/${pending.id}/accept`);
    expect(accepted.res.status).toBe(303);
    expect((await candidateOf(e1, v[1]!.memberId)).accepted_at).not.toBeNull();

    // Twice: refused.
    const twice = await post(v[2]!.client, page, `${page}/nominations`, {
      member_number: String(v[0]!.memberNumber),
    });
    expect(twice.res.status).toBe(409);
    expect(twice.html).toContain('allerede nominert');
    // Not on the register (joined after the qualifying date): neither stands nor nominates.
    const notEligible = await post(v[2]!.client, page, `${page}/nominations`, {
      member_number: String(late.memberNumber),
    });
    expect(notEligible.res.status).toBe(400);
    expect(notEligible.html).toContain('står ikke i manntallet');
    const lateNominates = await post(late.client, page, `${page}/nominations`, { self: 'on' });
    expect(lateNominates.res.status).toBe(403);
    // A member number that is not a number, or names nobody.
    expect(
      (await post(v[2]!.client, page, `${page}/nominations`, { member_number: 'abc' })).res.status,
    ).toBe(400);
    expect(
      (await post(v[2]!.client, page, `${page}/nominations`, { member_number: '99999' })).res
        .status,
    ).toBe(400);

    // Velger 4 stands, withdraws, and stands again; others cannot withdraw her.
    await post(v[3]!.client, page, `${page}/nominations`, { self: 'on' });
    const c4 = await candidateOf(e1, v[3]!.memberId);
    expect(
      (await post(v[4]!.client, page, `${page}/candidates/${c4.id}/withdraw`)).res.status,
    ).toBe(403);
    expect(
      (await post(v[3]!.client, page, `${page}/candidates/${c4.id}/withdraw`)).res.status,
    ).toBe(303);
    expect((await candidateOf(e1, v[3]!.memberId)).withdrawn_at).not.toBeNull();
    expect((await post(v[3]!.client, page, `${page}/nominations`, { self: 'on' })).res.status).toBe(
      303,
    );
    expect((await candidateOf(e1, v[3]!.memberId)).withdrawn_at).toBeNull();

    // Only officers register nominations made in the room.
    const room = await post(v[2]!.client, page, `${page}/nominations/room`, {
      member_number: String(v[4]!.memberNumber),
    });
    expect(room.res.status).toBe(403);

    // The other elections: auditor and moderator have two candidates each, alternates one.
    for (const [e, voters] of [
      [e2, [v[4]!, v[5]!]],
      [e3, [v[6]!]],
      [e4, [v[5]!, v[6]!]],
    ] as const)
      for (const voter of voters) {
        const p = `${base()}/${e}`;
        expect((await post(voter.client, p, `${p}/nominations`, { self: 'on' })).res.status).toBe(
          303,
        );
      }
    const html = (await v[5]!.client.get(page)).html;
    expect(html).toContain('Velger 1');
    expect(html).toContain('Jeg vil bidra.');
  });

  it('keeps the votes and decisions to the officers', async () => {
    const page = `${base()}/${e1}`;
    for (const action of ['start', 'acclamation', 'close', 'lots', 'runoff'])
      expect((await post(v[0]!.client, page, `${page}/${action}`)).res.status, action).toBe(403);
    expect(
      (
        await db()
          .selectFrom('elections')
          .select('status')
          .where('id', '=', e1)
          .executeTakeFirstOrThrow()
      ).status,
    ).toBe('nominating');
  });

  it('opens the vote at the meeting, closes nominations, and validates the multi-seat ballot', async () => {
    setClock(app, AT_MEETING);
    board = await loggedIn(app, boardEmail);
    expect(
      (await post(board, `/meetings/${meetingId}/register`, `/meetings/${meetingId}/open`)).res
        .status,
    ).toBe(303);
    for (const voter of v)
      expect(
        (await post(voter.client, `/meetings/${meetingId}/votes`, `/meetings/${meetingId}/checkin`))
          .res.status,
      ).toBe(303);

    const page = `${base()}/${e1}`;
    // Two or more candidates for fewer seats: no acclamation.
    expect((await post(board, page, `${page}/acclamation`)).res.status).toBe(409);
    expect((await post(board, page, `${page}/start`)).res.status).toBe(303);
    const election = await db()
      .selectFrom('elections')
      .selectAll()
      .where('id', '=', e1)
      .executeTakeFirstOrThrow();
    expect(election.status).toBe('voting');
    const vote = await db()
      .selectFrom('votes')
      .selectAll()
      .where('id', '=', election.vote_id!)
      .executeTakeFirstOrThrow();
    expect(vote.kind).toBe('secret');
    expect(vote.status).toBe('open');
    expect(vote.election_ref).toBe(e1);

    // The generic vote pages send the election's vote to the election's pages, and the
    // meeting's list of votes names the candidates instead of showing their ids.
    const votePage = await v[6]!.client.get(`/meetings/${meetingId}/votes/${vote.id}`);
    expect(votePage.res.status).toBe(303);
    expect(votePage.res.headers.get('location')).toBe(page);
    const voteResults = await v[6]!.client.get(`/meetings/${meetingId}/votes/${vote.id}/results`);
    expect(voteResults.res.status).toBe(303);
    expect(voteResults.res.headers.get('location')).toBe(`${page}/results`);
    const list = await v[6]!.client.get(`/meetings/${meetingId}/votes`);
    expect(list.res.status).toBe(200);
    expect(list.html).toContain(`href="${page}"`);
    const listed = await Promise.all([v[0]!, v[1]!, v[3]!].map((x) => candidateOf(e1, x.memberId)));
    for (const candidate of listed) {
      expect(list.html).toContain(candidate.name);
      expect(list.html).not.toContain(candidate.id);
    }

    // Nominations are closed now.
    const closed = await post(v[5]!.client, page, `${page}/nominations`, { self: 'on' });
    expect(closed.res.status).toBe(409);
    expect(closed.html).toContain('Nominasjonen er stengt');

    const [a, b, c] = await Promise.all(
      [v[0]!, v[1]!, v[3]!].map((x) => candidateOf(e1, x.memberId)),
    );
    const ballotPage = `${page}/ballot`;
    const form = await v[6]!.client.get(ballotPage);
    expect(form.res.status).toBe(200);
    expect(form.html).toContain('Kryss av for inntil 2');
    // Too many marks, blank with names, an unknown candidate, nothing: refused, nothing stored.
    for (const [marks, text] of [
      [{ [`c_${a!.id}`]: 'on', [`c_${b!.id}`]: 'on', [`c_${c!.id}`]: 'on' }, 'høyst 2'],
      [{ [`c_${a!.id}`]: 'on', blank: 'on' }, 'blank stemme'],
      [{ c_0000000000000000000000000z: 'on' }, 'ikke stiller'],
      [{}, 'minst én'],
    ] as const) {
      const r = await post(v[6]!.client, ballotPage, ballotPage, marks);
      expect(r.res.status).toBe(400);
      expect(r.html.toLowerCase()).toContain(text.toLowerCase());
    }
    // The same candidate twice (not possible through the form): refused by the use-case.
    await expect(
      castVote(deps(), {
        memberId: v[6]!.memberId,
        meetingId,
        voteId: vote.id,
        choice: `${a!.id},${a!.id}`,
        locale: 'nb',
      }),
    ).rejects.toMatchObject({ code: 'elections.ballot_duplicate' });
    expect(
      await db().selectFrom('ballots').select('id').where('vote_id', '=', vote.id).execute(),
    ).toHaveLength(0);
    expect(
      await db()
        .selectFrom('vote_participation')
        .select('member_id')
        .where('vote_id', '=', vote.id)
        .execute(),
    ).toHaveLength(0);
  });

  it('counts the ballots: ranks, elected, office terms from the term start, with the office permissions', async () => {
    const page = `${base()}/${e1}`;
    const [a, b, c] = await Promise.all(
      [v[0]!, v[1]!, v[3]!].map((x) => candidateOf(e1, x.memberId)),
    );
    const ballots: Record<string, string>[] = [
      { [`c_${a!.id}`]: 'on', [`c_${b!.id}`]: 'on' },
      { [`c_${a!.id}`]: 'on', [`c_${c!.id}`]: 'on' },
      { [`c_${a!.id}`]: 'on' },
      { [`c_${b!.id}`]: 'on' },
      { blank: 'on' },
    ];
    for (const [i, marks] of ballots.entries()) {
      const r = await post(v[i]!.client, `${page}/ballot`, `${page}/ballot`, marks);
      expect(r.res.status, r.html.slice(0, 300)).toBe(200);
      expect(r.html).toMatch(/id="receipt"/);
    }
    const again = await post(v[0]!.client, `${page}/ballot`, `${page}/ballot`, { blank: 'on' });
    expect(again.res.status).toBe(409);

    // Secrecy: a ballot row holds the vote, a random id, the canonical marks and a hash.
    const election = await db()
      .selectFrom('elections')
      .selectAll()
      .where('id', '=', e1)
      .executeTakeFirstOrThrow();
    const rows = await db()
      .selectFrom('ballots')
      .selectAll()
      .where('vote_id', '=', election.vote_id!)
      .execute();
    expect(rows).toHaveLength(5);
    const memberIds = new Set(
      (await db().selectFrom('members').select('id').execute()).map((m) => m.id),
    );
    for (const row of rows) {
      expect(Object.keys(row).sort()).toEqual(['choice', 'id', 'receipt_hash', 'vote_id']);
      for (const value of Object.values(row)) {
        expect(memberIds.has(value)).toBe(false);
        for (const id of memberIds) expect(value).not.toContain(id);
      }
    }
    expect(rows.map((r) => r.choice).sort()).toEqual(
      [
        [a!.id, b!.id].sort().join(','),
        [a!.id, c!.id].sort().join(','),
        a!.id,
        b!.id,
        'blank',
      ].sort(),
    );

    // Before the count, Velger 2 has no board permissions (and never before the term).
    expect((await post(board, page, `${page}/close`)).res.status).toBe(303);
    const after = await Promise.all([v[0]!, v[1]!, v[3]!].map((x) => candidateOf(e1, x.memberId)));
    expect(after.map((x) => [x.votes, x.rank, x.elected])).toEqual([
      [3, 1, 1],
      [2, 2, 1],
      [1, 3, 0],
    ]);
    const decided = await db()
      .selectFrom('elections')
      .selectAll()
      .where('id', '=', e1)
      .executeTakeFirstOrThrow();
    expect(decided.status).toBe('decided');
    for (const x of after.slice(0, 2)) {
      const term = await db()
        .selectFrom('office_terms')
        .selectAll()
        .where('id', '=', x.office_term_id!)
        .executeTakeFirstOrThrow();
      expect(term).toMatchObject({
        member_id: x.member_id,
        office: 'board_member',
        starts_on: MEETING_DAY,
        ends_on: '2029-04-30',
      });
    }
    expect(after[2]!.office_term_id).toBeNull();

    const elected = await db()
      .selectFrom('members')
      .select('user_id')
      .where('id', '=', v[1]!.memberId)
      .executeTakeFirstOrThrow();
    const dayBefore = await loadCurrentUser(db(), {
      userId: elected.user_id!,
      today: '2027-04-30',
    });
    expect(dayBefore!.permissions.has('meetings.manage')).toBe(false);
    const fromStart = await loadCurrentUser(db(), { userId: elected.user_id!, today: MEETING_DAY });
    expect(fromStart!.permissions.has('meetings.manage')).toBe(true);
    const afterTerm = await loadCurrentUser(db(), {
      userId: elected.user_id!,
      today: '2029-05-01',
    });
    expect(afterTerm!.permissions.has('meetings.manage')).toBe(false);

    // Results with votes per candidate, for members; and as JSON.
    const results = await v[6]!.client.get(`${page}/results`);
    expect(results.html).toContain('Velger 1');
    expect(results.html).toMatch(/Velger 2[^<]*valgt/);
    const json = await v[6]!.client.get(`${page}/results`, { accept: 'application/json' });
    const body = JSON.parse(json.html) as { rounds: { counts: Record<string, number> }[] };
    expect(body.rounds[0]!.counts).toMatchObject({ [a!.id]: 3, [b!.id]: 2, [c!.id]: 1, blank: 1 });
    // The elected member sees the office on her membership page.
    const audit = await db()
      .selectFrom('audit_log')
      .select('action')
      .where('entity_id', '=', e1)
      .execute();
    expect(audit.map((x) => x.action)).toContain('governance.election_decided');
  });

  it('reports a tie at the boundary and decides nothing; a runoff between the tied decides', async () => {
    const page = `${base()}/${e2}`;
    expect((await post(board, page, `${page}/start`)).res.status).toBe(303);
    const [x, y] = await Promise.all([v[4]!, v[5]!].map((m) => candidateOf(e2, m.memberId)));
    await post(v[0]!.client, `${page}/ballot`, `${page}/ballot`, { [`c_${x!.id}`]: 'on' });
    await post(v[1]!.client, `${page}/ballot`, `${page}/ballot`, { [`c_${y!.id}`]: 'on' });
    expect((await post(board, page, `${page}/close`)).res.status).toBe(303);
    const tied = await db()
      .selectFrom('elections')
      .selectAll()
      .where('id', '=', e2)
      .executeTakeFirstOrThrow();
    expect(tied.status).toBe('voting');
    const firstVote = tied.vote_id!;
    expect(
      (
        await db()
          .selectFrom('votes')
          .select('outcome')
          .where('id', '=', firstVote)
          .executeTakeFirstOrThrow()
      ).outcome,
    ).toBe('tie');
    expect(
      await db()
        .selectFrom('election_candidates')
        .select('id')
        .where('election_id', '=', e2)
        .where('office_term_id', 'is not', null)
        .execute(),
    ).toHaveLength(0);
    const shown = await board.get(page);
    expect(shown.html).toContain('Stemmelikhet');

    expect((await post(board, page, `${page}/runoff`)).res.status).toBe(303);
    const runoff = await db()
      .selectFrom('elections')
      .selectAll()
      .where('id', '=', e2)
      .executeTakeFirstOrThrow();
    expect(runoff.vote_id).not.toBe(firstVote);
    for (const [i, voter] of [v[0]!, v[1]!, v[2]!].entries()) {
      const r = await post(voter.client, `${page}/ballot`, `${page}/ballot`, {
        [`c_${(i < 2 ? y : x)!.id}`]: 'on',
      });
      expect(r.res.status).toBe(200);
    }
    expect((await post(board, page, `${page}/close`)).res.status).toBe(303);
    const after = await Promise.all([v[4]!, v[5]!].map((m) => candidateOf(e2, m.memberId)));
    expect(after.map((c) => [c.rank, c.elected])).toEqual([
      [2, 0],
      [1, 1],
    ]);
    const term = await db()
      .selectFrom('office_terms')
      .selectAll()
      .where('id', '=', after[1]!.office_term_id!)
      .executeTakeFirstOrThrow();
    expect(term).toMatchObject({
      office: 'auditor',
      starts_on: MEETING_DAY,
      ends_on: '2028-04-30',
    });
    const results = await v[6]!.client.get(`${page}/results`);
    expect(results.html).toContain('Ny avstemning 1');
  });

  it('lets the chair settle a tie by drawing lots, recorded in the audit log', async () => {
    const page = `${base()}/${e4}`;
    expect((await post(board, page, `${page}/start`)).res.status).toBe(303);
    const [x, y] = await Promise.all([v[5]!, v[6]!].map((m) => candidateOf(e4, m.memberId)));
    await post(v[0]!.client, `${page}/ballot`, `${page}/ballot`, { [`c_${x!.id}`]: 'on' });
    await post(v[1]!.client, `${page}/ballot`, `${page}/ballot`, { [`c_${y!.id}`]: 'on' });
    expect((await post(board, page, `${page}/close`)).res.status).toBe(303);
    // Not tied any more after the draw: a second draw is refused.
    const { drawn } = await drawLots(deps(), {
      actor: boardActor(),
      user: await boardUser(),
      meetingId,
      electionId: e4,
      pick: () => 1,
    });
    expect(drawn).toHaveLength(1);
    const winner = await db()
      .selectFrom('election_candidates')
      .selectAll()
      .where('election_id', '=', e4)
      .where('elected', '=', 1)
      .execute();
    expect(winner.map((w) => w.id)).toEqual(drawn);
    expect(winner[0]!.office_term_id).not.toBeNull();
    expect((await post(board, page, `${page}/lots`)).res.status).toBe(409);
    const audit = await db()
      .selectFrom('audit_log')
      .select(['action', 'after'])
      .where('entity_id', '=', e4)
      .execute();
    const lots = audit.find((a) => a.action === 'governance.election_lots_drawn');
    expect(JSON.parse(lots!.after!)).toMatchObject({ drawn, seats: 1 });
  });

  it('declares candidates elected by acclamation when there are no more than seats, without a vote', async () => {
    const page = `${base()}/${e3}`;
    expect((await post(board, page, `${page}/acclamation`)).res.status).toBe(303);
    const e = await db()
      .selectFrom('elections')
      .selectAll()
      .where('id', '=', e3)
      .executeTakeFirstOrThrow();
    expect(e.status).toBe('decided');
    expect(e.vote_id).toBeNull();
    const c = await candidateOf(e3, v[6]!.memberId);
    expect(c.elected).toBe(1);
    const term = await db()
      .selectFrom('office_terms')
      .selectAll()
      .where('id', '=', c.office_term_id!)
      .executeTakeFirstOrThrow();
    expect(term).toMatchObject({
      office: 'board_alternate',
      starts_on: MEETING_DAY,
      ends_on: '2028-04-30',
    });
    const results = await v[0]!.client.get(`${page}/results`);
    expect(results.html).toContain('akklamasjon');
    expect(results.html).toContain('1 plass(er) står ubesatt');
  });

  it('serves elections, candidates, nominations and results over the API', async () => {
    const token = await issueToken(db(), v[2]!.userId, ['members:read']);
    expect((await apiGet(app.url, `/meetings/${meetingId}/elections`)).status).toBe(401);
    const list = await apiGet(app.url, `/meetings/${meetingId}/elections`, token);
    expect(list.status).toBe(200);
    const elections = (list.body as { elections: { id: string; office: string }[] }).elections;
    expect(elections.map((e) => e.id).sort()).toEqual([e1, e2, e3, e4].sort());
    const cands = await apiGet(app.url, `/meetings/${meetingId}/elections/${e1}/candidates`, token);
    expect(cands.status).toBe(200);
    expect((cands.body as { candidates: unknown[] }).candidates).toHaveLength(3);
    const results = await apiGet(app.url, `/meetings/${meetingId}/elections/${e1}/results`, token);
    expect(results.body).toMatchObject({ status: 'decided', tie: false });

    const { election } = await createElection(deps(), {
      actor: boardActor(),
      user: await boardUser(),
      meetingId,
      office: 'sysadmin',
      title: null,
      seats: 1,
      termMonths: 12,
      termStartsOn: '2027-06-01',
      agendaItemId: null,
      requestKey: 'api-election-1',
    });
    const nom = await apiSend(
      app.url,
      'POST',
      `/meetings/${meetingId}/elections/${election.id}/nominations`,
      token,
      { self: true },
    );
    expect(nom.status).toBe(200);
    expect(nom.body).toMatchObject({
      candidate: { memberNumber: v[2]!.memberNumber, accepted: true },
    });
    const dup = await apiSend(
      app.url,
      'POST',
      `/meetings/${meetingId}/elections/${election.id}/nominations`,
      token,
      { self: true },
    );
    expect(dup.status).toBe(409);
    const bad = await apiSend(
      app.url,
      'POST',
      `/meetings/${meetingId}/elections/${election.id}/nominations`,
      token,
      {},
    );
    expect(bad.status).toBe(400);
  });

  it('at a founding meeting, counts those checked in with a member row as eligible', async () => {
    setClock(app, NOW);
    board = await loggedIn(app, boardEmail);
    const founding = await scheduleViaForm(board, { kind: 'founding', date: daysAhead(20) });
    const attendee = await createMember(db(), { name: 'Frida Stifter', status: 'applied' });
    const stranger = await createMember(db(), { name: 'Ukjent', status: 'applied' });
    await db()
      .insertInto('meeting_attendance')
      .values({
        id: newId(),
        meeting_id: founding,
        member_id: attendee.id,
        name: 'Frida Stifter',
        email: null,
        method: 'registration',
        checked_in_at: NOW,
        checked_in_by: null,
        checked_out_at: null,
        wants_membership: 1,
      })
      .execute();
    const user = await loadCurrentUser(db(), { userId: boardUserId, today: '2027-04-01' });
    const { election } = await createElection(deps(), {
      actor: boardActor(),
      user,
      meetingId: founding,
      office: 'board_member',
      title: null,
      seats: 3,
      termMonths: 24,
      termStartsOn: null,
      agendaItemId: null,
      requestKey: 'founding-board-1',
    });
    expect(election.termStartsOn).toBe(daysAhead(20));
    const args = {
      actor: boardActor(),
      user,
      meetingId: founding,
      electionId: election.id,
      self: false,
      statement: null,
      inRoom: true,
    };
    const { candidate } = await nominate(deps(), { ...args, memberNumber: attendee.memberNumber });
    expect(candidate.acceptedAt).not.toBeNull();
    await expect(
      nominate(deps(), { ...args, memberNumber: stranger.memberNumber }),
    ).rejects.toMatchObject({
      code: 'elections.not_eligible',
    });
  });
});
