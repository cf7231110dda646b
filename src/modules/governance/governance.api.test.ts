import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import type { Running } from '../../app/bootstrap.js';
import { fixedClock } from '../../app/clock.js';
import { setUpAssociation, startTestApp } from '../../../test/helpers/app.js';
import { apiGet, issueToken } from '../../../test/helpers/api.js';
import { describeEachDialect } from '../../../test/helpers/db.js';
import { createMemberUser, createUser } from '../../../test/helpers/fixtures.js';
import { findCurrentDocument } from '../association/association.repository.js';
import { daysAhead, NOW, setClock } from './governance.test-support.js';
import { publishDocumentVersion } from './statutes.usecases.js';
import { quickMember } from './votes.test-support.js';

type ErrorBody = { error: { code: string; message: string; fields?: Record<string, string> } };
type MeetingBody = {
  id: string;
  kind: string;
  status: string;
  url: string | null;
  hasUrl: boolean;
  agenda: { id: string; kind: string; title: string | null; mandatory: boolean }[];
};
type ProposalBody = {
  id: string;
  title: string;
  status: string;
  own: boolean;
  late: boolean;
  author: { name: string; memberNumber: number | null };
  recommendation: string | null;
};
type VoteBody = {
  id: string;
  kind: string;
  status: string;
  voted: number;
  outcome: string | null;
  result: {
    counts: Record<string, number>;
    base: number;
    required: number;
    outcome: string;
  } | null;
  named: { name: string; choice: string }[] | null;
  participants?: { name: string; memberNumber: number }[] | null;
};

const MEETING_DAY = daysAhead(30); // 2027-05-01: proposals until 24 April, published 27 April
const AT_MEETING = `${MEETING_DAY}T16:30:00Z`;

/** A request with any method, headers and an optional token (none: no Authorization). */
async function send(
  app: Running,
  method: string,
  path: string,
  token: string | null,
  body?: unknown,
  headers: Record<string, string> = {},
) {
  const res = await fetch(new URL(`/api/v1${path}`, app.url), {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...headers,
    },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : null) as unknown, text, res };
}

const code = (r: { body: unknown }) => (r.body as ErrorBody).error.code;
const fields = (r: { body: unknown }) => (r.body as ErrorBody).error.fields ?? {};

function gaBody(overrides: Record<string, string> = {}) {
  return {
    kind: 'ordinary',
    date: MEETING_DAY,
    time: '18:00',
    format: 'hybrid',
    place: 'Folkets hus, Oslo',
    url: 'https://meet.example.org/aarsmote',
    ...overrides,
  };
}

describeEachDialect('governance over the API', (h) => {
  let app: Running;
  let write = ''; // a board member, governance:write
  let read = ''; // the same board member, governance:read
  let noScope = ''; // the same board member, members:read only
  let alice = ''; // a member, members:read only: member-side calls need no scope
  let bob = '';
  let outsider = ''; // an account without membership, admin scope
  let aliceNumber = 0;
  const db = () => h.db();

  beforeAll(async () => {
    app = await startTestApp({ database: h.database(), clock: fixedClock(NOW) });
    await setUpAssociation(app);
    const board = await createMemberUser(db(), { offices: ['board_member'], name: 'Bente Board' });
    write = await issueToken(db(), board.user.id, ['governance:write']);
    read = await issueToken(db(), board.user.id, ['governance:read']);
    noScope = await issueToken(db(), board.user.id, ['members:read']);
    const a = await createMemberUser(db(), { name: 'Alice Forslag' });
    aliceNumber = a.member.memberNumber;
    alice = await issueToken(db(), a.user.id, ['members:read']);
    const b = await createMemberUser(db(), { name: 'Bob Nabo' });
    bob = await issueToken(db(), b.user.id, ['members:read']);
    outsider = await issueToken(db(), (await createUser(db())).id, ['admin']);
  });
  afterAll(async () => app.close());
  beforeEach(() => setClock(app, NOW));

  async function schedule(overrides: Record<string, string> = {}): Promise<MeetingBody> {
    const res = await send(app, 'POST', '/meetings', write, gaBody(overrides));
    expect(res.status, res.text).toBe(201);
    return res.body as MeetingBody;
  }

  it('lists every governance path in the OpenAPI document, the public ones without a token', async () => {
    const res = await apiGet(app.url, '/openapi.json');
    const doc = res.body as {
      paths: Record<string, Record<string, { security?: unknown[]; description?: string }>>;
    };
    const expected: Record<string, string[]> = {
      '/meetings': ['get', 'post'],
      '/meetings/{id}': ['get'],
      '/meetings/{id}/cancel': ['post'],
      '/meetings/{id}/open': ['post'],
      '/meetings/{id}/agenda': ['post'],
      '/meetings/{id}/agenda/{itemId}/move': ['post'],
      '/meetings/{id}/agenda/{itemId}': ['delete'],
      '/meetings/{id}/proposals': ['get', 'post'],
      '/meetings/{id}/proposals/late': ['post'],
      '/meetings/{id}/proposals/{pid}': ['get', 'patch'],
      '/meetings/{id}/proposals/{pid}/withdraw': ['post'],
      '/meetings/{id}/proposals/{pid}/recommendation': ['put'],
      '/meetings/{id}/register': ['get'],
      '/meetings/{id}/register/freeze': ['post'],
      '/meetings/{id}/register/approve': ['post'],
      '/meetings/{id}/checkin': ['post'],
      '/meetings/{id}/attendance': ['post'],
      '/meetings/{id}/present': ['get'],
      '/meetings/{id}/votes': ['get', 'post'],
      '/meetings/{id}/votes/{voteId}': ['get'],
      '/meetings/{id}/votes/{voteId}/open': ['post'],
      '/meetings/{id}/votes/{voteId}/close': ['post'],
      '/meetings/{id}/votes/{voteId}/counts': ['post'],
      '/meetings/{id}/votes/{voteId}/secret-request': ['post'],
      '/meetings/{id}/votes/{voteId}/ballot': ['post'],
      '/meetings/{id}/votes/{voteId}/receipt': ['get'],
      '/meetings/{id}/votes/{voteId}/results': ['get'],
      '/documents/{kind}': ['get'],
      '/documents/{kind}/versions': ['get'],
      '/documents/{kind}/versions/{version}': ['get'],
      '/documents/{kind}/changes': ['get'],
    };
    for (const [path, methods] of Object.entries(expected))
      for (const m of methods) expect(doc.paths[path]?.[m], `${m} ${path}`).toBeDefined();
    expect(doc.paths['/meetings']!['get']!.security).toEqual([{}, { bearer: [] }]);
    expect(doc.paths['/meetings']!['post']!.security).toBeUndefined();
    expect(doc.paths['/meetings']!['post']!.description).toContain('meetings.manage');
  });

  it('schedules a meeting once per Idempotency-Key, refuses a short notice as the page does, and keeps it to the board', async () => {
    const key = 'retry-key-0000000000000001';
    const first = await send(app, 'POST', '/meetings', write, gaBody(), { 'Idempotency-Key': key });
    expect(first.status, first.text).toBe(201);
    const meeting = first.body as MeetingBody & { notified: number };
    expect(meeting.notified).toBeGreaterThan(0);
    expect(meeting.agenda[0]!.kind).toBe('chair_secretary');
    const mails = await db().selectFrom('outbox').select('id').execute();
    const again = await send(app, 'POST', '/meetings', write, gaBody(), { 'Idempotency-Key': key });
    expect(again.status).toBe(200);
    expect(again.res.headers.get('idempotent-replayed')).toBe('true');
    expect((again.body as MeetingBody).id).toBe(meeting.id);
    expect(await db().selectFrom('outbox').select('id').execute()).toHaveLength(mails.length);
    // The same key in the body (request_key) does the same.
    const byBody = await send(app, 'POST', '/meetings', write, { ...gaBody(), request_key: key });
    expect((byBody.body as MeetingBody).id).toBe(meeting.id);

    // 13 days ahead: the page's error, code and message, with the earliest date.
    const early = await send(app, 'POST', '/meetings', write, gaBody({ date: daysAhead(13) }));
    expect(early.status).toBe(400);
    expect(code(early)).toBe('governance.notice_too_short');
    expect((early.body as ErrorBody).error.message).toContain('minst 14 dager i forveien');
    expect((early.body as ErrorBody).error.message).toContain(daysAhead(14));
    expect(fields(early)['date']).toContain('15. apr. 2027');

    const bad = await send(app, 'POST', '/meetings', write, {
      ...gaBody({ format: 'physical', time: '25:00' }),
      place: '',
    });
    expect(bad.status).toBe(400);
    expect(code(bad)).toBe('common.validation');
    expect(Object.keys(fields(bad)).sort()).toEqual(['place', 'time']);
    const badKey = await send(app, 'POST', '/meetings', write, gaBody(), {
      'Idempotency-Key': 'short',
    });
    expect(badKey.status).toBe(400);
    expect(fields(badKey)).toHaveProperty('Idempotency-Key');

    expect((await send(app, 'POST', '/meetings', null, gaBody())).status).toBe(401);
    for (const token of [read, noScope, alice, outsider]) {
      const refused = await send(app, 'POST', '/meetings', token, gaBody());
      expect(refused.status).toBe(403);
      expect(code(refused)).toBe('common.forbidden');
    }
    const count = await db().selectFrom('meetings').select('id').execute();
    expect(count).toHaveLength(1);
  });

  it('lists meetings publicly as the pages do: general assemblies only, the link for members', async () => {
    const ga = await schedule({ title: 'Offentlig årsmøte' });
    const boardMeeting = await schedule({ kind: 'board', date: daysAhead(2), title: 'Styremøte' });
    const cancelled = await schedule({ kind: 'extraordinary', date: daysAhead(20) });
    const reason = await send(app, 'POST', `/meetings/${cancelled.id}/cancel`, write, {
      reason: ' ',
    });
    expect(reason.status).toBe(400);
    expect(fields(reason)).toHaveProperty('reason');
    expect(
      (await send(app, 'POST', `/meetings/${cancelled.id}/cancel`, read, { reason: 'Nei' })).status,
    ).toBe(403);
    const done = await send(app, 'POST', `/meetings/${cancelled.id}/cancel`, write, {
      reason: 'Feil dato',
    });
    expect((done.body as MeetingBody).status).toBe('cancelled');

    const open = await apiGet(app.url, '/meetings');
    expect(open.status).toBe(200);
    const publicList = open.body as MeetingBody[];
    const ids = publicList.map((m) => m.id);
    expect(ids).toContain(ga.id);
    expect(ids).not.toContain(boardMeeting.id);
    const publicGa = publicList.find((m) => m.id === ga.id)!;
    expect(publicGa).toMatchObject({ url: null, hasUrl: true });
    expect((await apiGet(app.url, `/meetings/${boardMeeting.id}`)).status).toBe(404);
    const detail = await apiGet(app.url, `/meetings/${ga.id}`);
    expect((detail.body as MeetingBody).agenda.length).toBeGreaterThan(5);

    const member = (await apiGet(app.url, '/meetings', alice)).body as MeetingBody[];
    expect(member.map((m) => m.id)).toContain(boardMeeting.id);
    expect(member.find((m) => m.id === ga.id)!.url).toBe('https://meet.example.org/aarsmote');

    const upcoming = (await apiGet(app.url, '/meetings?upcoming=true&kind=extraordinary'))
      .body as MeetingBody[];
    expect(upcoming.map((m) => m.id)).not.toContain(cancelled.id);
    const cancelledOnly = (await apiGet(app.url, '/meetings?status=cancelled&year=2027'))
      .body as MeetingBody[];
    expect(cancelledOnly.map((m) => m.id)).toEqual([cancelled.id]);
    expect((await apiGet(app.url, '/meetings?year=2026')).body).toEqual([]);
    const badFilter = await apiGet(app.url, '/meetings?year=abc&kind=party');
    expect(badFilter.status).toBe(400);
    expect(Object.keys(fields(badFilter)).sort()).toEqual(['kind', 'year']);
  });

  it('keeps the agenda: the board adds, moves and removes its own items, never a standing one', async () => {
    const m = await schedule();
    const base = `/meetings/${m.id}/agenda`;
    expect((await send(app, 'POST', base, read, { title: 'Ny sak' })).status).toBe(403);
    expect((await send(app, 'POST', base, null, { title: 'Ny sak' })).status).toBe(401);
    const empty = await send(app, 'POST', base, write, { title: '' });
    expect(empty.status).toBe(400);
    expect(fields(empty)).toHaveProperty('title');
    const added = await send(app, 'POST', base, write, { title: 'Ny sak' });
    expect(added.status).toBe(201);
    const agenda = (added.body as { agenda: MeetingBody['agenda'] }).agenda;
    const item = agenda.find((a) => a.title === 'Ny sak')!;
    expect(agenda.at(-1)!.kind).toBe('any_other_business');
    expect(agenda.at(-2)!.id).toBe(item.id);
    const badMove = await send(app, 'POST', `${base}/${item.id}/move`, write, {
      direction: 'left',
    });
    expect(badMove.status).toBe(400);
    const moved = await send(app, 'POST', `${base}/${item.id}/move`, write, { direction: 'up' });
    expect(moved.status).toBe(200);
    expect((moved.body as { agenda: MeetingBody['agenda'] }).agenda.at(-3)!.id).toBe(item.id);
    const standing = agenda.find((a) => a.mandatory)!;
    const refused = await send(app, 'DELETE', `${base}/${standing.id}`, write);
    expect(refused.status).toBe(409);
    expect(code(refused)).toBe('governance.agenda_item_mandatory');
    expect((await send(app, 'DELETE', `${base}/${item.id}`, read)).status).toBe(403);
    const removed = await send(app, 'DELETE', `${base}/${item.id}`, write);
    expect(
      (removed.body as { agenda: MeetingBody['agenda'] }).agenda.map((a) => a.id),
    ).not.toContain(item.id);
  });

  it('takes members’ proposals by the page’s rules: deadline, publication, own edits, the board’s recommendation and late decisions', async () => {
    const m = await schedule();
    const path = `/meetings/${m.id}/proposals`;
    const proposal = { kind: 'general', title: 'Flere tjenester', body: 'Vi bør drifte PeerTube.' };
    const key = { 'Idempotency-Key': 'alice-proposal-000001' };
    const first = await send(app, 'POST', path, alice, proposal, key);
    expect(first.status, first.text).toBe(201);
    const mine = first.body as ProposalBody;
    expect(mine).toMatchObject({ own: true, status: 'submitted', author: { memberNumber: null } });
    const retry = await send(app, 'POST', path, alice, proposal, key);
    expect(retry.status).toBe(200);
    expect((retry.body as ProposalBody).id).toBe(mine.id);
    // Bob's key of the same spelling is his own: a new proposal, not Alice's.
    const bobs = await send(app, 'POST', path, bob, { ...proposal, title: 'Bobs forslag' }, key);
    expect(bobs.status).toBe(201);
    const bobsId = (bobs.body as ProposalBody).id;
    expect(bobsId).not.toBe(mine.id);

    const invalid = await send(app, 'POST', path, alice, {
      kind: 'statutes',
      title: '',
      body: 'x',
    });
    expect(invalid.status).toBe(400);
    expect(Object.keys(fields(invalid)).sort()).toEqual(['amendment_text', 'title']);
    const notMember = await send(app, 'POST', path, outsider, proposal);
    expect(notMember.status).toBe(403);
    expect(code(notMember)).toBe('governance.not_a_member');
    expect((await send(app, 'GET', path, null)).status).toBe(401);

    // Before publication: each member sees their own; the board (governance:read) all.
    const bobSees = (await apiGet(app.url, path, bob)).body as ProposalBody[];
    expect(bobSees.map((p) => p.id)).toEqual([bobsId]);
    const boardSees = (await apiGet(app.url, path, read)).body as ProposalBody[];
    expect(boardSees.map((p) => p.id).sort()).toEqual([mine.id, bobsId].sort());
    expect(boardSees.find((p) => p.id === mine.id)!.author.memberNumber).toBe(aliceNumber);
    expect((await apiGet(app.url, `${path}/${mine.id}`, bob)).status).toBe(403);

    // The author edits and withdraws their own, nobody else's.
    const notYours = await send(app, 'PATCH', `${path}/${mine.id}`, bob, {
      title: 'Kapret',
      body: 'x',
    });
    expect(notYours.status).toBe(403);
    expect(code(notYours)).toBe('governance.proposal_not_yours');
    const edited = await send(app, 'PATCH', `${path}/${mine.id}`, alice, {
      title: 'Flere tjenester i 2027',
      body: 'Vi bør drifte PeerTube.',
    });
    expect((edited.body as ProposalBody).title).toBe('Flere tjenester i 2027');
    expect((await send(app, 'POST', `${path}/${mine.id}/withdraw`, bob)).status).toBe(403);
    const withdrawn = await send(app, 'POST', `${path}/${bobsId}/withdraw`, bob);
    expect((withdrawn.body as ProposalBody).status).toBe('withdrawn');

    // The board recommends.
    const recPath = `${path}/${mine.id}/recommendation`;
    const rec = { recommendation: 'adopt', recommendation_text: 'Styret støtter forslaget.' };
    for (const token of [read, alice])
      expect((await send(app, 'PUT', recPath, token, rec)).status).toBe(403);
    expect((await send(app, 'PUT', recPath, write, { recommendation: 'maybe' })).status).toBe(400);
    const recommended = await send(app, 'PUT', recPath, write, rec);
    expect((recommended.body as ProposalBody).recommendation).toBe('adopt');

    // Published: members see the submitted ones (a withdrawn one only its author); the board all.
    setClock(app, `${daysAhead(26)}T10:00:00Z`);
    const published = (await apiGet(app.url, path, alice)).body as ProposalBody[];
    expect(published.map((p) => p.id)).toEqual([mine.id]);
    expect(published[0]!.own).toBe(true);
    expect(
      ((await apiGet(app.url, path, bob)).body as ProposalBody[]).map((p) => p.id).sort(),
    ).toEqual([mine.id, bobsId].sort());
    expect(((await apiGet(app.url, path, read)).body as ProposalBody[]).length).toBe(2);

    // After the deadline: refused to the member; the board takes one in by a recorded decision.
    const late = await send(app, 'POST', path, alice, { ...proposal, title: 'For sent' });
    expect(late.status).toBe(409);
    expect(code(late)).toBe('governance.proposal_deadline_passed');
    const latePath = `${path}/late`;
    const lateBody = {
      ...proposal,
      title: 'Tatt inn',
      member_number: aliceNumber,
      reason: 'Styrevedtak 3/27',
    };
    expect((await send(app, 'POST', latePath, read, lateBody)).status).toBe(403);
    const noReason = await send(app, 'POST', latePath, write, {
      ...lateBody,
      reason: '',
      member_number: 'x',
    });
    expect(noReason.status).toBe(400);
    expect(Object.keys(fields(noReason)).sort()).toEqual(['member_number', 'reason']);
    const takenIn = await send(app, 'POST', latePath, write, lateBody);
    expect(takenIn.status, takenIn.text).toBe(201);
    expect(takenIn.body).toMatchObject({ late: true, title: 'Tatt inn' });
  });

  it('runs the register, attendance and votes; a second vote is refused and a secret ballot is never tied to a member', async () => {
    const m = await schedule();
    const base = `/meetings/${m.id}`;
    const voters = [];
    for (let i = 0; i < 3; i++) {
      const v = await quickMember(db(), app.url, { name: `Velger ${i + 1}` });
      voters.push({ ...v, token: await issueToken(db(), v.userId, ['members:read']) });
    }
    const [v1, v2, v3] = voters as [(typeof voters)[0], (typeof voters)[0], (typeof voters)[0]];

    const notOfficer = await apiGet(app.url, `${base}/register`, alice);
    expect(notOfficer.status).toBe(403);
    expect(code(notOfficer)).toBe('votes.not_officer');
    expect((await apiGet(app.url, `${base}/register`, read)).body).toMatchObject({ frozen: false });
    const tooEarly = await send(app, 'POST', `${base}/open`, write);
    expect(tooEarly.status).toBe(409);
    expect(code(tooEarly)).toBe('votes.meeting_too_early');

    setClock(app, AT_MEETING);
    expect((await send(app, 'POST', `${base}/register/freeze`, read)).status).toBe(403);
    const frozen = await send(app, 'POST', `${base}/register/freeze`, write);
    expect(frozen.status).toBe(200);
    expect(frozen.body).toMatchObject({ frozen: true, qualifyingOn: '2027-04-01' });
    expect((await send(app, 'POST', `${base}/register/freeze`, write)).status).toBe(409);
    expect((await send(app, 'POST', `${base}/register/approve`, read)).status).toBe(403);
    const approved = await send(app, 'POST', `${base}/register/approve`, write);
    expect((approved.body as { approvedAt: string | null }).approvedAt).not.toBeNull();
    expect((await send(app, 'POST', `${base}/open`, write)).body).toMatchObject({
      status: 'in_progress',
    });

    // Self check-in by each voter's own token; no governance scope needed.
    for (const [i, v] of voters.entries()) {
      const r = await send(app, 'POST', `${base}/checkin`, v.token);
      expect(r.body).toEqual({ present: i + 1 });
    }
    const notMember = await send(app, 'POST', `${base}/checkin`, outsider);
    expect(notMember.status).toBe(403);
    expect((await send(app, 'POST', `${base}/checkin`, null)).status).toBe(401);
    // The secretary checks Alice in by number.
    const attendance = `${base}/attendance`;
    expect(
      (await send(app, 'POST', attendance, alice, { member_number: aliceNumber })).status,
    ).toBe(403);
    expect(
      fields(await send(app, 'POST', attendance, write, { member_number: 'x' })),
    ).toHaveProperty('member_number');
    const missing = await send(app, 'POST', attendance, write, { member_number: 999999 });
    expect(code(missing)).toBe('votes.member_not_on_register');
    expect(
      (await send(app, 'POST', attendance, write, { member_number: aliceNumber })).body,
    ).toEqual({ present: 4 });
    expect((await apiGet(app.url, `${base}/present`, bob)).body).toEqual({ present: 4 });
    expect((await apiGet(app.url, `${base}/register`, read)).body).toMatchObject({ present: 4 });

    // A named vote: one vote each; the record names who voted what.
    const votes = `${base}/votes`;
    const named = { subject: 'Budsjett 2027', kind: 'named', rule: 'simple' };
    expect((await send(app, 'POST', votes, read, named)).status).toBe(403);
    expect((await send(app, 'POST', votes, alice, named)).status).toBe(403);
    const badVote = await send(app, 'POST', votes, write, { ...named, kind: 'loud', subject: '' });
    expect(badVote.status).toBe(400);
    expect(Object.keys(fields(badVote)).sort()).toEqual(['kind', 'subject']);
    const created = await send(app, 'POST', votes, write, named);
    expect(created.status).toBe(201);
    const namedId = (created.body as VoteBody).id;
    const earlyCast = await send(app, 'POST', `${votes}/${namedId}/ballot`, v1.token, {
      choice: 'yes',
    });
    expect(code(earlyCast)).toBe('votes.vote_not_open');
    expect((await send(app, 'POST', `${votes}/${namedId}/open`, read)).status).toBe(403);
    expect((await send(app, 'POST', `${votes}/${namedId}/open`, write)).body).toMatchObject({
      status: 'open',
    });
    const cast = await send(app, 'POST', `${votes}/${namedId}/ballot`, v1.token, { choice: 'yes' });
    expect(cast.status).toBe(201);
    expect(cast.body).toEqual({ voteId: namedId, kind: 'named', receipt: null });
    const twice = await send(app, 'POST', `${votes}/${namedId}/ballot`, v1.token, { choice: 'no' });
    expect(twice.status).toBe(409);
    expect(code(twice)).toBe('votes.already_voted');
    const badChoice = await send(app, 'POST', `${votes}/${namedId}/ballot`, v2.token, {
      choice: 'kanskje',
    });
    expect(code(badChoice)).toBe('votes.invalid_choice');
    expect(
      (await send(app, 'POST', `${votes}/${namedId}/ballot`, v2.token, { choice: '' })).status,
    ).toBe(400);
    await send(app, 'POST', `${votes}/${namedId}/ballot`, v2.token, { choice: 'yes' });
    await send(app, 'POST', `${votes}/${namedId}/ballot`, v3.token, { choice: 'no' });
    // While it runs, the record is for the officers (and the board's readers).
    expect(
      ((await apiGet(app.url, `${votes}/${namedId}`, alice)).body as VoteBody).named,
    ).toBeNull();
    const running = (await apiGet(app.url, `${votes}/${namedId}`, read)).body as VoteBody;
    expect(running.named!.map((n) => n.name).sort()).toEqual(['Velger 1', 'Velger 2', 'Velger 3']);
    const closed = await send(app, 'POST', `${votes}/${namedId}/close`, write);
    expect(closed.status).toBe(200);
    expect((closed.body as VoteBody).result).toMatchObject({
      counts: { yes: 2, no: 1, blank: 0 },
      base: 3, // a simple majority of the votes cast (the default base)
      required: 2,
      outcome: 'passed',
    });
    const record = (await apiGet(app.url, `${votes}/${namedId}`, alice)).body as VoteBody;
    expect(record.named).toEqual(
      expect.arrayContaining([expect.objectContaining({ name: 'Velger 3', choice: 'no' })]),
    );
    expect(
      (await send(app, 'POST', `${votes}/${namedId}/ballot`, alice, { choice: 'yes' })).status,
    ).toBe(409);

    // A secret ballot, asked for by two members present.
    const secret = await send(app, 'POST', votes, write, {
      subject: 'Eksklusjon',
      kind: 'open',
      rule: 'two_thirds',
    });
    const secretId = (secret.body as VoteBody).id;
    const ask = `${votes}/${secretId}/secret-request`;
    expect((await send(app, 'POST', ask, v1.token)).body).toMatchObject({
      requests: 1,
      secret: false,
    });
    expect((await send(app, 'POST', ask, v1.token)).body).toMatchObject({ requests: 1 });
    expect((await send(app, 'POST', ask, v2.token)).body).toMatchObject({
      requests: 2,
      secret: true,
    });
    await send(app, 'POST', `${votes}/${secretId}/open`, write);
    const receipts: string[] = [];
    for (const [v, choice] of [
      [v1, 'yes'],
      [v2, 'no'],
      [v3, 'blank'],
    ] as const) {
      const r = await send(app, 'POST', `${votes}/${secretId}/ballot`, v.token, { choice });
      expect(r.status).toBe(201);
      expect(r.res.headers.get('cache-control')).toBe('no-store');
      const receipt = (r.body as { receipt: string }).receipt;
      expect(receipt).toMatch(/^[2-9A-Z]{4}(-[2-9A-Z]{4}){3}$/);
      receipts.push(receipt);
    }
    const again = await send(app, 'POST', `${votes}/${secretId}/ballot`, v1.token, {
      choice: 'no',
    });
    expect(again.status).toBe(409);
    expect(code(again)).toBe('votes.already_voted');
    const receiptPath = `${votes}/${secretId}/receipt`;
    expect((await apiGet(app.url, `${receiptPath}?code=${receipts[0]}`)).body).toEqual({
      counted: true,
    });
    expect((await apiGet(app.url, `${receiptPath}?code=AAAA-BBBB-CCCC-DDDD`)).body).toEqual({
      counted: false,
    });
    expect((await apiGet(app.url, receiptPath)).status).toBe(400);
    const closedSecret = await send(app, 'POST', `${votes}/${secretId}/close`, write);
    expect((closedSecret.body as VoteBody).result).toMatchObject({
      counts: { yes: 1, no: 1, blank: 1 },
      base: 2, // votes cast without blanks
      required: 2,
      outcome: 'tie',
    });
    expect((await apiGet(app.url, `${receiptPath}?code=${receipts[2]}`)).body).toEqual({
      counted: true,
    });

    // Nothing any endpoint answers ties a secret ballot to a member.
    const ballots = await db()
      .selectFrom('ballots')
      .select(['id', 'receipt_hash'])
      .where('vote_id', '=', secretId)
      .execute();
    expect(ballots).toHaveLength(3);
    const memberIds = voters.map((v) => v.memberId);
    const admin = await issueToken(
      db(),
      (await createMemberUser(db(), { offices: ['board_member'] })).user.id,
      ['admin'],
    );
    const answers: string[] = [];
    for (const token of [admin, read, write, v1.token, alice])
      for (const p of [
        votes,
        `${votes}/${secretId}`,
        `${votes}/${secretId}/results`,
        `${base}/register`,
        `${base}/present`,
      ]) {
        const r = await send(app, 'GET', p, token);
        answers.push(r.text);
        if (p === votes) {
          const entry = (r.body as VoteBody[]).find((v) => v.id === secretId)!;
          expect(entry.named).toBeNull();
          expect(JSON.stringify(entry)).not.toContain('choice');
        }
        if (p === `${votes}/${secretId}` && r.status === 200) {
          const detail = r.body as VoteBody;
          expect(detail.kind).toBe('secret');
          expect(detail.named).toBeNull();
          for (const participant of detail.participants ?? [])
            expect(Object.keys(participant).sort()).toEqual(['memberNumber', 'name']);
        }
      }
    const everything = answers.join('\n');
    for (const b of ballots) {
      expect(everything).not.toContain(b.id);
      expect(everything).not.toContain(b.receipt_hash);
    }
    for (const id of memberIds) expect(everything).not.toContain(id);

    // An open vote (a show of hands): the secretary enters the counts.
    const show = await send(app, 'POST', votes, write, {
      subject: 'Møteleder',
      kind: 'open',
      rule: 'simple',
    });
    const showId = (show.body as VoteBody).id;
    await send(app, 'POST', `${votes}/${showId}/open`, write);
    const noBallots = await send(app, 'POST', `${votes}/${showId}/ballot`, v1.token, {
      choice: 'yes',
    });
    expect(code(noBallots)).toBe('votes.open_vote_counts');
    const unknown = await send(app, 'POST', `${votes}/${showId}/counts`, write, {
      counts: { maybe: 1 },
    });
    expect(unknown.status).toBe(400);
    expect(fields(unknown)).toHaveProperty('counts.maybe');
    const negative = await send(app, 'POST', `${votes}/${showId}/counts`, write, {
      counts: { yes: -1 },
    });
    expect(negative.status).toBe(400);
    const tooMany = await send(app, 'POST', `${votes}/${showId}/counts`, write, {
      counts: { yes: 5 },
    });
    expect(code(tooMany)).toBe('votes.counts_too_many');
    expect(
      (await send(app, 'POST', `${votes}/${showId}/counts`, read, { counts: { yes: 3 } })).status,
    ).toBe(403);
    const counted = await send(app, 'POST', `${votes}/${showId}/counts`, write, {
      counts: { yes: 3, no: 1 },
    });
    expect((counted.body as VoteBody).result).toMatchObject({
      base: 4,
      required: 3,
      outcome: 'passed',
    });

    // Results for a phone, without a token; the list with every result for members.
    const live = await apiGet(app.url, `${votes}/${showId}/results`);
    expect(live.body).toMatchObject({ status: 'closed', outcome: 'passed', present: 4 });
    const list = (await apiGet(app.url, votes, bob)).body as VoteBody[];
    // (Created within the same instant of the test's clock, so compared by id.)
    const byId = new Map(list.map((v) => [v.id, v]));
    expect(
      [namedId, secretId, showId].map((id) => [byId.get(id)?.kind, byId.get(id)?.outcome]),
    ).toEqual([
      ['named', 'passed'],
      ['secret', 'tie'],
      ['open', 'passed'],
    ]);
    // Choices appear only in the named vote's record, never beside a secret vote.
    expect(byId.get(namedId)!.named).toHaveLength(3);
    expect(byId.get(secretId)!.named).toBeNull();
    expect((await apiGet(app.url, votes)).status).toBe(401);
  });

  it('serves the statutes and the AUP publicly: current, versions, one version, and the latest change', async () => {
    const current = await apiGet(app.url, '/documents/statutes');
    expect(current.status).toBe(200);
    expect(current.body).toMatchObject({ kind: 'statutes', version: 1 });
    const v1 = (await findCurrentDocument(db(), 'statutes'))!;
    const actor = { userId: null, label: 'test' };
    for (const [i, extra] of ['§ 12 Ny paragraf.', '§ 13 Enda en.'].entries())
      await publishDocumentVersion(app.ctx, {
        actor,
        kind: 'statutes',
        title: v1.title,
        bodyNb: `${v1.bodyNb}\n\n${extra}`,
        bodyEn: null,
        adoptedOn: `2027-0${i + 2}-01`,
        meetingId: null,
        note: null,
      });
    const versions = (await apiGet(app.url, '/documents/statutes/versions')).body as {
      version: number;
    }[];
    expect(versions.map((v) => v.version)).toEqual([3, 2, 1]);
    const second = await apiGet(app.url, '/documents/statutes/versions/2');
    expect(second.body).toMatchObject({ version: 2, adoptedOn: '2027-02-01' });
    expect((second.body as { bodyNb: string }).bodyNb).toContain('§ 12 Ny paragraf.');
    expect((await apiGet(app.url, '/documents/statutes/versions/9')).status).toBe(404);
    expect((await apiGet(app.url, '/documents/bylaws')).status).toBe(404);
    expect((await apiGet(app.url, '/documents/aup')).body).toMatchObject({ kind: 'aup' });

    const latest = await apiGet(app.url, '/documents/statutes/changes');
    expect(latest.status).toBe(200);
    const diff = latest.body as { inserted: number; parts: { op: string; text: string }[] };
    expect(
      diff.parts
        .filter((p) => p.op === 'insert')
        .map((p) => p.text)
        .join(''),
    ).toContain('13');
    expect(diff.inserted).toBeGreaterThan(0);
    // Older history, as on the page: members and the board only.
    const older = '/documents/statutes/changes?from=1&to=2';
    expect((await apiGet(app.url, older)).status).toBe(401);
    expect((await apiGet(app.url, older, outsider)).status).toBe(403);
    expect((await apiGet(app.url, older, alice)).status).toBe(200);
    expect((await apiGet(app.url, '/documents/statutes/changes?from=abc')).status).toBe(400);
  });
});
