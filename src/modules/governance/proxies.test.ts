import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Running } from '../../app/bootstrap.js';
import { fixedClock } from '../../app/clock.js';
import { setUpAssociation, startTestApp, TestClient } from '../../../test/helpers/app.js';
import { describeEachDialect } from '../../../test/helpers/db.js';
import { createMemberUser } from '../../../test/helpers/fixtures.js';
import { loadCurrentUser } from '../accounts/current-user.js';
import { loggedIn } from '../members/members.test-support.js';
import { receiptHash } from './ballots.repository.js';
import {
  DEFAULT_GOVERNANCE_SETTINGS,
  getGovernanceSettings,
} from './governance-settings.repository.js';
import { updateGovernanceSettings } from './governance-settings.usecases.js';
import { daysAhead, NOW, scheduleViaForm, setClock } from './governance.test-support.js';
import { countPresentByProxy } from './proxies.repository.js';
import { countPresent } from './register.repository.js';
import { quickMember } from './votes.test-support.js';
import { castVote, closeVote, createVote, openVote } from './votes.usecases.js';

const MEETING_DAY = daysAhead(30); // 2027-05-01; qualifying date 2027-04-01
const AT_MEETING = `${MEETING_DAY}T16:30:00Z`;

describeEachDialect('governance: proxies', (h) => {
  let app: Running;
  let board: TestClient;
  let boardEmail = '';
  let boardUser = { id: '', memberId: '' };
  let meetingId = '';
  type Voter = Awaited<ReturnType<typeof quickMember>>;
  // a gives to b; d gives to c (written, recorded by the secretary); e, f are others.
  let a: Voter, b: Voter, c: Voter, d: Voter, e: Voter, f: Voter, late: Voter;
  const db = () => h.db();
  const base = () => `/meetings/${meetingId}`;
  const boardActor = () => ({ userId: boardUser.id, label: 'board' });
  const boardCurrentUser = () =>
    loadCurrentUser(db(), { userId: boardUser.id, today: MEETING_DAY });

  async function post(client: TestClient, page: string, action: string, form = {}) {
    await client.get(page);
    return client.post(action, form);
  }
  const give = (from: Voter, to: { memberNumber: number } | number) =>
    post(from.client, `${base()}/proxy`, `${base()}/proxy`, {
      member_number: String(typeof to === 'number' ? to : to.memberNumber),
    });
  const proxyRows = () =>
    db().selectFrom('meeting_proxies').selectAll().where('meeting_id', '=', meetingId).execute();
  const setProxies = async (enabled: boolean, cap = 1) =>
    updateGovernanceSettings(app.ctx, {
      actor: boardActor(),
      settings: {
        ...(await getGovernanceSettings(db())),
        proxiesEnabled: enabled,
        proxyCap: cap,
      },
    });

  beforeAll(async () => {
    app = await startTestApp({ database: h.database(), clock: fixedClock(NOW) });
    await setUpAssociation(app);
    const bm = await createMemberUser(db(), { offices: ['board_member'], name: 'Bente Board' });
    boardUser = { id: bm.user.id, memberId: bm.member.id };
    boardEmail = bm.user.email;
    board = await loggedIn(app, boardEmail);
    meetingId = await scheduleViaForm(board, { date: MEETING_DAY });
    a = await quickMember(db(), app.url, { name: 'Anne Giver' });
    b = await quickMember(db(), app.url, { name: 'Bjørn Holder' });
    c = await quickMember(db(), app.url, { name: 'Cecilie Holder' });
    d = await quickMember(db(), app.url, { name: 'Dag Skriftlig' });
    e = await quickMember(db(), app.url, { name: 'Eva Annen' });
    f = await quickMember(db(), app.url, { name: 'Frode Annen' });
    late = await quickMember(db(), app.url, { joinedOn: '2027-04-20', name: 'Sen Innmeldt' });
  });
  afterAll(async () => {
    await app.close();
  });

  it('is off by default: giving a proxy is refused and nothing is recorded', async () => {
    expect(DEFAULT_GOVERNANCE_SETTINGS.proxiesEnabled).toBe(false);
    const page = await a.client.get(`${base()}/proxy`);
    expect(page.html).toContain('tillater ikke fullmakter');
    expect((await board.get(base())).html).not.toContain(`${base()}/proxy"`);
    const r = await give(a, b);
    expect(r.res.status).toBe(409);
    expect(r.html).toContain('tillater ikke fullmakter');
    expect(await proxyRows()).toHaveLength(0);
  });

  it('keeps the proxy list and written proxies to the officers; visitors go to login', async () => {
    await setProxies(true, 1);
    expect((await a.client.get(`${base()}/proxies`)).res.status).toBe(403);
    const written = await post(a.client, `${base()}/proxy`, `${base()}/proxies`, {
      grantor_number: String(e.memberNumber),
      holder_number: String(a.memberNumber),
    });
    expect(written.res.status).toBe(403);
    const revoke = await post(a.client, `${base()}/proxy`, `${base()}/proxies/x/revoke`);
    expect(revoke.res.status).toBe(403);
    const visitor = new TestClient(app.url);
    for (const path of [`${base()}/proxy`, `${base()}/proxies`]) {
      const { res } = await visitor.get(path);
      expect(res.status, path).toBe(303);
      expect(res.headers.get('location')).toContain('/login');
    }
    expect(await proxyRows()).toHaveLength(0);
  });

  it('takes proxies only once the register is frozen, between members on it, within the rules', async () => {
    const early = await give(a, b);
    expect(early.res.status).toBe(409);
    expect(early.html).toContain('ikke låst ennå');
    expect((await post(board, `${base()}/register`, `${base()}/register/freeze`)).res.status).toBe(
      303,
    );

    // The meeting page now links to the proxy form.
    expect((await a.client.get(base())).html).toContain(`${base()}/proxy"`);
    expect((await give(a, a)).html).toContain('ikke gi fullmakt til deg selv');
    const notNumber = await give(a, 0);
    expect(notNumber.res.status).toBe(400);
    const toLate = await give(a, late);
    expect(toLate.res.status).toBe(400);
    expect(toLate.html).toContain('står ikke i manntallet');
    const fromLate = await give(late, b);
    expect(fromLate.res.status).toBe(403);
    expect(fromLate.html).toContain('har ikke stemmerett');
    expect(await proxyRows()).toHaveLength(0);

    const ok = await give(a, b);
    expect(ok.res.status).toBe(303);
    expect((await a.client.get(`${base()}/proxy`)).html).toContain(
      'Du har gitt fullmakt til Bjørn Holder',
    );
    expect((await b.client.get(`${base()}/proxy`)).html).toContain('Anne Giver');

    // A second proxy by the same grantor; a holder giving one; someone giving to a grantor;
    // over the cap (1): each refused with its reason.
    const twice = await give(a, c);
    expect(twice.res.status).toBe(409);
    expect(twice.html).toContain('allerede gitt fullmakt til Bjørn Holder');
    const holderGives = await give(b, c);
    expect(holderGives.res.status).toBe(409);
    expect(holderGives.html).toContain('har fullmakt fra andre');
    const toGrantor = await give(e, a);
    expect(toGrantor.res.status).toBe(409);
    expect(toGrantor.html).toContain('har selv gitt fullmakt');
    const overCap = await give(e, b);
    expect(overCap.res.status).toBe(409);
    expect(overCap.html).toContain('allerede 1 fullmakt');
    expect(await proxyRows()).toHaveLength(1);

    // Revoked, then given again: the same row comes back into force.
    expect((await post(a.client, `${base()}/proxy`, `${base()}/proxy/revoke`)).res.status).toBe(
      303,
    );
    expect((await post(a.client, `${base()}/proxy`, `${base()}/proxy/revoke`)).res.status).toBe(
      404,
    );
    expect((await proxyRows())[0]!.revoked_at).not.toBeNull();
    expect((await give(a, b)).res.status).toBe(303);
    const rows = await proxyRows();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      grantor_member_id: a.memberId,
      holder_member_id: b.memberId,
      revoked_at: null,
    });
  });

  it('lets the secretary record a written proxy and list them all', async () => {
    const list = `${base()}/proxies`;
    const bad = await post(board, list, list, {
      grantor_number: String(late.memberNumber),
      holder_number: String(c.memberNumber),
    });
    expect(bad.res.status).toBe(400);
    expect(bad.html).toContain(`nr. ${late.memberNumber} står ikke i manntallet`);
    const ok = await post(board, list, list, {
      grantor_number: String(d.memberNumber),
      holder_number: String(c.memberNumber),
    });
    expect(ok.res.status).toBe(303);
    const { html } = await board.get(list);
    for (const name of ['Anne Giver', 'Bjørn Holder', 'Dag Skriftlig', 'Cecilie Holder'])
      expect(html).toContain(name);
    expect(html).toContain('2 fullmakt(er) gjelder');
    const row = (await proxyRows()).find((r) => r.grantor_member_id === d.memberId)!;
    expect(row.created_by).toBeTruthy(); // the officer who recorded it
    expect(html).toContain(row.created_by!);
  });

  it('counts represented members as present while their holder is checked in', async () => {
    setClock(app, AT_MEETING);
    board = await loggedIn(app, boardEmail);
    expect((await post(board, `${base()}/register`, `${base()}/open`)).res.status).toBe(303);
    const votes = `${base()}/votes`;
    for (const v of [b, c, e])
      expect((await post(v.client, votes, `${base()}/checkin`)).res.status).toBe(303);
    // b, c, e in the room; a (by b) and d (by c) represented.
    expect(await countPresentByProxy(db(), meetingId)).toBe(2);
    expect(await countPresent(db(), meetingId)).toBe(5);
    // c leaves: d is no longer represented.
    const out = await post(board, `${base()}/register`, `${base()}/attendance`, {
      member_number: String(c.memberNumber),
      action: 'out',
    });
    expect(out.res.status).toBe(303);
    expect(await countPresent(db(), meetingId)).toBe(3);
    await post(board, `${base()}/register`, `${base()}/attendance`, {
      member_number: String(c.memberNumber),
      action: 'in',
    });
    expect(await countPresent(db(), meetingId)).toBe(5);
    // Proxies turned off: nobody is represented any more.
    await setProxies(false);
    expect(await countPresent(db(), meetingId)).toBe(3);
    await setProxies(true);
  });

  it('lets the holder cast a second, named ballot for the grantor, once; others cannot', async () => {
    const user = await boardCurrentUser();
    const { vote } = await createVote(app.ctx, {
      actor: boardActor(),
      user,
      meetingId,
      subject: 'Budsjett',
      kind: 'named',
      rule: 'simple',
    });
    await openVote(app.ctx, { actor: boardActor(), user, meetingId, voteId: vote.id });
    const page = `${base()}/votes/${vote.id}`;
    const holderView = await b.client.get(page);
    expect(holderView.html).toContain('Til stede: 5, av dem 2 ved fullmakt.');
    expect(holderView.html).toContain('Stem på vegne av Anne Giver');
    expect(holderView.html).toContain(`name="on_behalf_of" value="${a.memberId}"`);
    expect((await e.client.get(page)).html).not.toContain('on_behalf_of');

    expect((await post(b.client, page, `${page}/ballot`, { choice: 'yes' })).res.status).toBe(303);
    const forA = await post(b.client, page, `${page}/ballot`, {
      choice: 'no',
      on_behalf_of: a.memberId,
    });
    expect(forA.res.status).toBe(303);
    expect((await b.client.get(page)).html).toContain('Det er stemt for Anne Giver');
    const again = await post(b.client, page, `${page}/ballot`, {
      choice: 'yes',
      on_behalf_of: a.memberId,
    });
    expect(again.res.status).toBe(409);
    expect(again.html).toContain('allerede stemt for dette medlemmet');
    // c holds d's proxy, not a's; e holds none.
    const wrong = await post(c.client, page, `${page}/ballot`, {
      choice: 'yes',
      on_behalf_of: a.memberId,
    });
    expect(wrong.res.status).toBe(403);
    expect(wrong.html).toContain('ingen gjeldende fullmakt');
    const none = await post(e.client, page, `${page}/ballot`, {
      choice: 'yes',
      on_behalf_of: d.memberId,
    });
    expect(none.res.status).toBe(403);
    // The record: a's vote (cast by b) under a's name, b's own under b's.
    const named = await db()
      .selectFrom('named_votes')
      .select(['member_id', 'choice'])
      .where('vote_id', '=', vote.id)
      .orderBy('member_id')
      .execute();
    expect(named).toEqual(
      [
        { member_id: a.memberId, choice: 'no' },
        { member_id: b.memberId, choice: 'yes' },
      ].sort((x, y) => x.member_id.localeCompare(y.member_id)),
    );
    const { vote: closed } = await closeVote(app.ctx, {
      actor: boardActor(),
      user,
      meetingId,
      voteId: vote.id,
    });
    expect(closed.result).toMatchObject({ counts: { yes: 1, no: 1 }, present: 5 });
  });

  it('keeps a secret proxy ballot free of anything linking it to the grantor or the holder', async () => {
    const user = await boardCurrentUser();
    const { vote } = await createVote(app.ctx, {
      actor: boardActor(),
      user,
      meetingId,
      subject: 'Hemmelig',
      kind: 'secret',
      rule: 'statutes', // 3/4 of those present, represented members included
    });
    await openVote(app.ctx, { actor: boardActor(), user, meetingId, voteId: vote.id });
    const own = await castVote(app.ctx, {
      memberId: c.memberId,
      meetingId,
      voteId: vote.id,
      choice: 'yes',
      locale: 'nb',
    });
    const page = `${base()}/votes/${vote.id}`;
    const forD = await post(c.client, page, `${page}/ballot`, {
      choice: 'yes',
      on_behalf_of: d.memberId,
    });
    expect(forD.res.status).toBe(200);
    const receipt = /id="receipt"[^>]*>\s*([0-9A-Z-]{19})\s*</.exec(forD.html)?.[1];
    expect(receipt).toBeDefined();
    const ballots = await db()
      .selectFrom('ballots')
      .selectAll()
      .where('vote_id', '=', vote.id)
      .execute();
    expect(ballots).toHaveLength(2);
    // No id or name of either (member numbers are a few digits, so are not searched for).
    const people = [c, d].flatMap((p) => [p.memberId, p.userId, p.name]);
    for (const row of ballots) {
      expect(Object.keys(row).sort()).toEqual(['choice', 'id', 'receipt_hash', 'vote_id']);
      for (const value of [row.id, row.choice, row.receipt_hash])
        for (const p of people) expect(value).not.toContain(p);
    }
    // Each receipt hash is of the vote and the code only.
    expect(ballots.map((x) => x.receipt_hash).sort()).toEqual(
      [receiptHash(vote.id, own.receipt!), receiptHash(vote.id, receipt!)].sort(),
    );
    const voted = await db()
      .selectFrom('vote_participation')
      .select('member_id')
      .where('vote_id', '=', vote.id)
      .execute();
    expect(voted.map((v) => v.member_id).sort()).toEqual([c.memberId, d.memberId].sort());
    // The holder not present: refused.
    await post(board, `${base()}/register`, `${base()}/attendance`, {
      member_number: String(b.memberNumber),
      action: 'out',
    });
    const absent = await post(b.client, page, `${page}/ballot`, {
      choice: 'yes',
      on_behalf_of: a.memberId,
    });
    expect(absent.res.status).toBe(409);
    expect(absent.html).toContain('ikke sjekket inn');
    await post(board, `${base()}/register`, `${base()}/attendance`, {
      member_number: String(b.memberNumber),
      action: 'in',
    });
    const { vote: closed } = await closeVote(app.ctx, {
      actor: boardActor(),
      user,
      meetingId,
      voteId: vote.id,
    });
    // Present 5 (3 in the room, 2 by proxy): 3/4 of 5 needs 4; 2 yes is not enough.
    expect(closed.result).toMatchObject({ present: 5, base: 5, required: 4, outcome: 'failed' });
  });

  it('revokes the proxy when the grantor checks in; they then vote themselves', async () => {
    const votes = `${base()}/votes`;
    expect((await post(a.client, votes, `${base()}/checkin`)).res.status).toBe(303);
    const row = (await proxyRows()).find((r) => r.grantor_member_id === a.memberId)!;
    expect(row.revoked_at).not.toBeNull();
    // a in the room now, d still represented: 4 in the room + 1 by proxy.
    expect(await countPresent(db(), meetingId)).toBe(5);
    expect(await countPresentByProxy(db(), meetingId)).toBe(1);
    // a votes in person now; b's proxy for a is gone.
    const user = await boardCurrentUser();
    const { vote } = await createVote(app.ctx, {
      actor: boardActor(),
      user,
      meetingId,
      subject: 'Etter innsjekk',
      kind: 'named',
      rule: 'simple',
    });
    await openVote(app.ctx, { actor: boardActor(), user, meetingId, voteId: vote.id });
    const page = `${base()}/votes/${vote.id}`;
    expect((await b.client.get(page)).html).not.toContain('on_behalf_of');
    const byB = await post(b.client, page, `${page}/ballot`, {
      choice: 'yes',
      on_behalf_of: a.memberId,
    });
    expect(byB.res.status).toBe(403);
    expect((await post(a.client, page, `${page}/ballot`, { choice: 'no' })).res.status).toBe(303);
    // Present: a cannot give a proxy now.
    const present = await give(a, f);
    expect(present.res.status).toBe(409);
    expect(present.html).toContain('sjekket inn på møtet og stemmer selv');
    const audit = await db()
      .selectFrom('audit_log')
      .select(['action', 'after'])
      .where('entity_id', '=', meetingId)
      .where('action', 'in', ['governance.proxy_given', 'governance.proxy_revoked'])
      .execute();
    expect(audit.filter((x) => x.action === 'governance.proxy_given')).toHaveLength(3);
    expect(audit.some((x) => (x.after ?? '').includes('checked_in'))).toBe(true);
  });
});
