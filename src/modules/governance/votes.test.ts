import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Running } from '../../app/bootstrap.js';
import { fixedClock } from '../../app/clock.js';
import { setUpAssociation, startTestApp, TestClient } from '../../../test/helpers/app.js';
import { describeEachDialect } from '../../../test/helpers/db.js';
import { createMemberUser } from '../../../test/helpers/fixtures.js';
import { loggedIn } from '../members/members.test-support.js';
import { daysAhead, NOW, scheduleViaForm, setClock } from './governance.test-support.js';
import { receiptCounted } from './ballots.repository.js';
import { castVote, createVote, openVote, closeVote } from './votes.usecases.js';
import { selfCheckIn } from './register.usecases.js';
import { quickMember } from './votes.test-support.js';
import { loadCurrentUser } from '../accounts/current-user.js';

const MEETING_DAY = daysAhead(30); // 2027-05-01; qualifying date 2027-04-01
const AT_MEETING = `${MEETING_DAY}T16:30:00Z`;

describeEachDialect('governance: voter register and votes', (h) => {
  let app: Running;
  let board: TestClient;
  let boardUser = { id: '', memberId: '' };
  let boardEmail = '';
  let meetingId = '';
  type Voter = Awaited<ReturnType<typeof quickMember>>;
  const voters: Voter[] = [];
  const late: Voter[] = [];
  let suspended: Voter;
  let unpaid: Voter;
  let notYetDue: Voter;
  const db = () => h.db();
  const deps = () => app.ctx;
  const boardActor = () => ({ userId: boardUser.id, label: 'board' });

  beforeAll(async () => {
    app = await startTestApp({ database: h.database(), clock: fixedClock(NOW) });
    await setUpAssociation(app);
    const b = await createMemberUser(db(), { offices: ['board_member'], name: 'Bente Board' });
    boardUser = { id: b.user.id, memberId: b.member.id };
    boardEmail = b.user.email;
    board = await loggedIn(app, boardEmail);
    meetingId = await scheduleViaForm(board, { date: MEETING_DAY });
    for (let i = 0; i < 8; i++)
      voters.push(await quickMember(db(), app.url, { name: `Velger ${i + 1}` }));
    // 50 people who joined after the qualifying date, to take over the meeting.
    for (let i = 0; i < 50; i++)
      late.push(await quickMember(db(), app.url, { joinedOn: '2027-04-15', name: `Kupp ${i}` }));
    suspended = await quickMember(db(), app.url, { status: 'suspended' });
    // Active but not paid: dues overdue since March. And one whose dues are not yet due.
    unpaid = await quickMember(db(), app.url, { name: 'Ubetalt' });
    notYetDue = await quickMember(db(), app.url, { name: 'Ikke forfalt' });
    for (const [m, due, n] of [
      [unpaid, '2027-03-01', 900001],
      [notYetDue, '2027-04-28', 900002],
    ] as const)
      await db()
        .insertInto('invoices')
        .values({
          id: `inv${n}`,
          number: n,
          kind: 'invoice',
          credited_invoice_id: null,
          member_id: m.memberId,
          purpose: 'dues',
          year: 2027,
          dues_key: null,
          dues_run_id: null,
          issue_date: '2027-02-01',
          due_date: due,
          kid: null,
          bank_account: null,
          seller: '{}',
          buyer: '{}',
          vat_registered: 0,
          or_more: 0,
          net_ore: 60000,
          vat_ore: 0,
          total_ore: 60000,
          paid_ore: 0,
          settled_at: null,
          credited_ore: 0,
          created_at: NOW,
          created_by: null,
        })
        .execute();
  });
  afterAll(async () => {
    await app.close();
  });

  async function post(client: TestClient, page: string, action: string, form = {}) {
    await client.get(page);
    return client.post(action, form);
  }

  it('keeps the register and the votes to the board: members get 403, visitors go to login', async () => {
    const m = voters[0]!.client;
    const base = `/meetings/${meetingId}`;
    expect((await m.get(`${base}/register`)).res.status).toBe(403);
    await m.get(`${base}/votes`);
    for (const path of [
      `${base}/register/freeze`,
      `${base}/open`,
      `${base}/register/approve`,
      `${base}/attendance`,
    ])
      expect((await m.post(path, { member_number: '1' })).res.status, path).toBe(403);
    expect(
      (await m.post(`${base}/votes`, { subject: 'Kupp', kind: 'open', rule: 'simple' })).res.status,
    ).toBe(403);
    expect(await db().selectFrom('votes').select('id').execute()).toHaveLength(0);
    expect(await db().selectFrom('voter_registers').select('meeting_id').execute()).toHaveLength(0);
    const visitor = new TestClient(app.url);
    const { res } = await visitor.get(`${base}/votes`);
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toContain('/login');
  });

  it('refuses to open the meeting before its day, and then freezes the register by rule when it opens', async () => {
    const page = `/meetings/${meetingId}/register`;
    const early = await post(board, page, `/meetings/${meetingId}/open`);
    expect(early.res.status).toBe(409);
    expect(early.html).toContain('tidligst åpnes på møtedagen');

    setClock(app, AT_MEETING);
    board = await loggedIn(app, boardEmail); // a month later: a fresh session
    const opened = await post(board, page, `/meetings/${meetingId}/open`);
    expect(opened.res.status).toBe(303);
    const { html } = await board.get(page);
    expect(html).toContain('Velger 1');
    expect(html).not.toContain('Kupp 0');

    const entries = await db()
      .selectFrom('voter_register_entries')
      .select('member_id')
      .where('meeting_id', '=', meetingId)
      .execute();
    const onRegister = new Set(entries.map((e) => e.member_id));
    for (const v of voters) expect(onRegister.has(v.memberId)).toBe(true);
    for (const l of late) expect(onRegister.has(l.memberId)).toBe(false);
    expect(onRegister.has(suspended.memberId)).toBe(false);
    expect(onRegister.has(unpaid.memberId)).toBe(false); // overdue dues: not paid up
    expect(onRegister.has(notYetDue.memberId)).toBe(true); // an invoice not yet due is fine
    const reg = await db()
      .selectFrom('voter_registers')
      .selectAll()
      .where('meeting_id', '=', meetingId)
      .executeTakeFirstOrThrow();
    expect(reg.qualifying_on).toBe('2027-04-01');
    expect(reg.eligible_count).toBe(entries.length);
    // Frozen once: a second freeze is refused, and a new member changes nothing.
    const again = await post(board, page, `/meetings/${meetingId}/register/freeze`);
    expect(again.res.status).toBe(409);
    // The chair approves it as the first item.
    expect((await post(board, page, `/meetings/${meetingId}/register/approve`)).res.status).toBe(
      303,
    );
    expect((await board.get(page)).html).toContain('Godkjent av møtet');
  });

  it('lets none of the 50 members who joined after the qualifying date check in or vote', async () => {
    const votes = `/meetings/${meetingId}/votes`;
    for (const v of voters.slice(0, 5)) {
      const r = await post(v.client, votes, `/meetings/${meetingId}/checkin`);
      expect(r.res.status).toBe(303);
    }
    const { vote } = await createVote(deps(), {
      actor: boardActor(),
      user: await boardCurrentUser(),
      meetingId,
      subject: 'Budsjett 2027',
      kind: 'named',
      rule: 'simple',
    });
    expect(vote.options).toEqual(['yes', 'no', 'blank']);
    // Other options than yes/no always get a blank one, once and last.
    const { vote: choice } = await createVote(deps(), {
      actor: boardActor(),
      user: await boardCurrentUser(),
      meetingId,
      subject: 'Sted for neste møte',
      kind: 'named',
      rule: 'simple',
      options: ['Oslo', 'blank', 'Bergen'],
    });
    expect(choice.options).toEqual(['Oslo', 'blank', 'Bergen']);
    const { vote: plain } = await createVote(deps(), {
      actor: boardActor(),
      user: await boardCurrentUser(),
      meetingId,
      subject: 'Farge på logoen',
      kind: 'named',
      rule: 'simple',
      options: ['grønn', 'blå'],
    });
    expect(plain.options).toEqual(['grønn', 'blå', 'blank']);
    await openVote(deps(), {
      actor: boardActor(),
      user: await boardCurrentUser(),
      meetingId,
      voteId: vote.id,
    });
    for (const l of late) {
      const page = await l.client.get(votes);
      expect(page.html).toContain('står ikke i manntallet');
      const checkin = await l.client.post(`/meetings/${meetingId}/checkin`, {});
      expect(checkin.res.status).toBe(403);
      expect(checkin.html).toContain('står ikke i manntallet');
      await l.client.get(`${votes}/${vote.id}`);
      const cast = await l.client.post(`${votes}/${vote.id}/ballot`, { choice: 'yes' });
      expect(cast.res.status).toBe(403);
      expect(cast.html).toContain('har ikke stemmerett');
    }
    const voted = await db()
      .selectFrom('vote_participation')
      .select('member_id')
      .where('vote_id', '=', vote.id)
      .execute();
    expect(voted).toHaveLength(0);
    const attendance = await db()
      .selectFrom('meeting_attendance')
      .select('member_id')
      .where('meeting_id', '=', meetingId)
      .execute();
    expect(attendance.map((a) => a.member_id).sort()).toEqual(
      voters
        .slice(0, 5)
        .map((v) => v.memberId)
        .sort(),
    );

    // The named vote: one vote each, the record says who voted what.
    const page = `${votes}/${vote.id}`;
    for (const [i, v] of voters.slice(0, 5).entries()) {
      const r = await post(v.client, page, `${page}/ballot`, { choice: i < 3 ? 'yes' : 'no' });
      expect(r.res.status).toBe(303);
    }
    const twice = await post(voters[0]!.client, page, `${page}/ballot`, { choice: 'no' });
    expect(twice.res.status).toBe(409);
    expect(twice.html).toContain('allerede stemt');
    await board.get(page);
    expect((await board.post(`${page}/close`, {})).res.status).toBe(303);
    const closed = await voters[4]!.client.get(`${page}/results`);
    expect(closed.html).toContain('Vedtatt');
    const record = await voters[4]!.client.get(page);
    expect(record.html).toContain('Velger 1');
    expect(
      await db()
        .selectFrom('named_votes')
        .select('choice')
        .where('vote_id', '=', vote.id)
        .execute(),
    ).toHaveLength(5);
    expect(await db().selectFrom('ballots').select('id').execute()).toHaveLength(0);
  });

  function receiptOf(html: string): string {
    const m = /id="receipt"[^>]*>\s*([0-9A-Z-]{19})\s*</.exec(html);
    if (!m?.[1]) throw new Error('no receipt on the page');
    return m[1];
  }

  it('makes a vote secret when two members ask, keeps ballots apart from voters, and gives receipts that verify', async () => {
    const votes = `/meetings/${meetingId}/votes`;
    await board.get(votes);
    const created = await board.post(votes, {
      subject: 'Ny driftsavtale',
      kind: 'open',
      rule: 'simple',
      agenda_item_id: '',
      proposal_id: '',
      options: '',
    });
    expect(created.res.status).toBe(303);
    const page = created.res.headers.get('location')!;
    const voteId = page.split('/').pop()!;

    // Asking for a secret ballot: not present → refused; two present members → secret.
    const absent = await post(voters[5]!.client, page, `${page}/secret-request`);
    expect(absent.res.status).toBe(409);
    expect(absent.html).toContain('ikke sjekket inn');
    expect((await post(voters[0]!.client, page, `${page}/secret-request`)).res.status).toBe(303);
    expect((await post(voters[0]!.client, page, `${page}/secret-request`)).res.status).toBe(303);
    const kindAfterOne = await db()
      .selectFrom('votes')
      .select('kind')
      .where('id', '=', voteId)
      .executeTakeFirstOrThrow();
    expect(kindAfterOne.kind).toBe('open'); // the same member twice counts once
    expect((await post(voters[1]!.client, page, `${page}/secret-request`)).res.status).toBe(303);
    const kind = await db()
      .selectFrom('votes')
      .select('kind')
      .where('id', '=', voteId)
      .executeTakeFirstOrThrow();
    expect(kind.kind).toBe('secret');

    // Not open yet: a ballot is refused.
    const early = await post(voters[0]!.client, page, `${page}/ballot`, { choice: 'yes' });
    expect(early.res.status).toBe(409);
    expect((await post(board, page, `${page}/open`)).res.status).toBe(303);

    // A choice that is not an option, and a member not checked in: refused, nothing recorded.
    const bad = await post(voters[0]!.client, page, `${page}/ballot`, { choice: 'kanskje' });
    expect(bad.res.status).toBe(400);
    expect(bad.html).toContain('Velg et av alternativene');
    const absentCast = await post(voters[5]!.client, page, `${page}/ballot`, { choice: 'yes' });
    expect(absentCast.res.status).toBe(409);
    expect(
      await db()
        .selectFrom('vote_participation')
        .select('member_id')
        .where('vote_id', '=', voteId)
        .execute(),
    ).toHaveLength(0);

    const choices = ['yes', 'yes', 'no', 'blank'];
    const receipts: string[] = [];
    for (const [i, choice] of choices.entries()) {
      const r = await post(voters[i]!.client, page, `${page}/ballot`, { choice });
      expect(r.res.status).toBe(200);
      expect(r.res.headers.get('cache-control')).toBe('no-store');
      receipts.push(receiptOf(r.html));
    }
    // Five requests at once from the same member: one ballot, four refusals.
    const v4 = voters[4]!.client;
    await v4.get(page);
    const token = v4.csrf();
    const burst = await Promise.all(
      [0, 1, 2, 3, 4].map(() => v4.post(`${page}/ballot`, { choice: 'yes' }, { csrf: token })),
    );
    expect(burst.map((b) => b.res.status).sort()).toEqual([200, 409, 409, 409, 409]);
    receipts.push(receiptOf(burst.find((b) => b.res.status === 200)!.html));
    expect(burst.find((b) => b.res.status === 409)!.html).toContain('allerede stemt');

    // While it runs: the phone page refreshes itself and shows how many have voted, no counts.
    const live = await voters[5]!.client.get(`${page}/results`);
    expect(live.res.headers.get('refresh')).toBe('5');
    expect(live.html).toContain('5 har stemt');
    const json = await voters[5]!.client.get(`${page}/results`, { accept: 'application/json' });
    expect(JSON.parse(json.html)).toMatchObject({ voted: 5, present: 5, result: null });

    // The board sees who has voted, never what: the page carries no ballot and no choice.
    const boardPage = await board.get(page);
    expect(boardPage.html).toContain('Hvem har stemt');
    for (const v of voters.slice(0, 5)) expect(boardPage.html).toContain(v.name);
    const ballots = await db()
      .selectFrom('ballots')
      .selectAll()
      .where('vote_id', '=', voteId)
      .execute();
    expect(ballots).toHaveLength(5);
    for (const b of ballots) {
      expect(boardPage.html).not.toContain(b.id);
      expect(boardPage.html).not.toContain(b.receipt_hash);
    }
    expect(boardPage.html).not.toMatch(/Velger \d[^<]*(For|Mot|Blank)/);
    // A member sees neither who voted nor what: only the count.
    const memberView = await voters[5]!.client.get(page);
    expect(memberView.html).not.toContain('Hvem har stemt');
    expect(memberView.html).not.toContain(voters[1]!.name);

    expect((await post(board, page, `${page}/close`)).res.status).toBe(303);
    const result = await voters[5]!.client.get(`${page}/results`);
    expect(result.res.headers.get('refresh')).toBeNull();
    expect(result.html).toContain('Vedtatt'); // 3 for, 1 against, 1 blank: 3 of 4 > half
    const closed = await db()
      .selectFrom('votes')
      .selectAll()
      .where('id', '=', voteId)
      .executeTakeFirstOrThrow();
    expect(JSON.parse(closed.result!)).toMatchObject({
      counts: { yes: 3, no: 1, blank: 1 },
      cast: 5,
      base: 4,
      required: 3,
      outcome: 'passed',
    });

    // A vote after the close is refused, even by a member checked in by the secretary now.
    const register = `/meetings/${meetingId}/register`;
    const checkIn = await post(board, register, `/meetings/${meetingId}/attendance`, {
      member_number: String(voters[5]!.memberNumber),
      action: 'in',
    });
    expect(checkIn.res.status).toBe(303);
    const after = await post(voters[5]!.client, page, `${page}/ballot`, { choice: 'no' });
    expect(after.res.status).toBe(409);
    expect(after.html).toContain('avsluttet');
    expect(
      await db().selectFrom('ballots').select('id').where('vote_id', '=', voteId).execute(),
    ).toHaveLength(5);

    // Receipts: each one is found among the counted ballots; a made-up one is not.
    for (const code of receipts) {
      const { html } = await voters[6]!.client.get(
        `${page}/receipt?code=${encodeURIComponent(code)}`,
      );
      expect(html).toContain('registrert og telles med');
    }
    const { html: unknown } = await voters[6]!.client.get(
      `${page}/receipt?code=AAAA-BBBB-CCCC-DDDD`,
    );
    expect(unknown).toContain('Fant ingen stemme');
  });

  it('stores nothing that ties a ballot to its voter (inspected in the database)', async () => {
    const [vote] = await db()
      .selectFrom('votes')
      .select('id')
      .where('kind', '=', 'secret')
      .execute();
    const voteId = vote!.id;
    const columns = async (table: string) =>
      (await db().introspection.getTables())
        .find((t) => t.name === table)!
        .columns.map((c) => c.name)
        .sort();
    // A ballot: the vote, a random id, the choice, the receipt's hash. No voter, no time.
    expect(await columns('ballots')).toEqual(['choice', 'id', 'receipt_hash', 'vote_id']);
    // Who voted: the vote and the member. No time, no ballot.
    expect(await columns('vote_participation')).toEqual(['member_id', 'vote_id']);
    const ballots = await db()
      .selectFrom('ballots')
      .selectAll()
      .where('vote_id', '=', voteId)
      .execute();
    for (const b of ballots) expect(b.id).toMatch(/^[0-9a-f]{32}$/); // 128 random bits
    expect(new Set(ballots.map((b) => b.id.slice(0, 8))).size).toBe(ballots.length);
    const ids = ballots.map((b) => b.id);
    for (const v of voters) for (const id of ids) expect(id).not.toContain(v.memberId);

    if (h.dialect === 'sqlite') {
      // No hidden insertion order either: both tables are WITHOUT ROWID (kept in key order).
      await expect(sql`select rowid from ballots`.execute(db())).rejects.toThrow();
      await expect(sql`select rowid from vote_participation`.execute(db())).rejects.toThrow();
    } else {
      // PostgreSQL: at close both tables were rewritten in key order in one transaction,
      // so neither the physical position nor the writing transaction follows the casting.
      const rows = await sql<{ id: string; xmin: string; ctid: string }>`
        select id, xmin::text as xmin, ctid::text as ctid from ballots where vote_id = ${voteId}`.execute(
        db(),
      );
      expect(new Set(rows.rows.map((r) => r.xmin)).size).toBe(1);
      const byCtid = [...rows.rows]
        .sort((a, b) => {
          const [pa, oa] = a.ctid.slice(1, -1).split(',').map(Number);
          const [pb, ob] = b.ctid.slice(1, -1).split(',').map(Number);
          return pa! - pb! || oa! - ob!;
        })
        .map((r) => r.id);
      expect(byCtid).toEqual([...ids].sort());
      const part = await sql<{ xmin: string }>`
        select xmin::text as xmin from vote_participation where vote_id = ${voteId}`.execute(db());
      expect(new Set(part.rows.map((r) => r.xmin))).toEqual(new Set(rows.rows.map((r) => r.xmin)));
    }
    // The receipt hash is of the code only: no member id goes into it.
    expect(await receiptCounted(db(), voteId, 'ZZZZ-ZZZZ-ZZZZ-ZZZZ')).toBe(false);
  });

  it('computes an open vote from the counts typed in: more hands than voters present is refused; 3/4 of present for the statutes', async () => {
    const votes = `/meetings/${meetingId}/votes`;
    await board.get(votes);
    const created = await board.post(votes, {
      subject: 'Vedtektsendring § 4',
      kind: 'open',
      rule: 'statutes',
      agenda_item_id: '',
      proposal_id: '',
      options: '',
    });
    const page = created.res.headers.get('location')!;
    expect((await post(board, page, `${page}/open`)).res.status).toBe(303);
    // Six present now (five, and the one the secretary checked in).
    const tooMany = await post(board, page, `${page}/counts`, {
      count_0: '6',
      count_1: '1',
      count_2: '0',
    });
    expect(tooMany.res.status).toBe(400);
    expect(tooMany.html).toContain('bare 6 stemmeberettigede');
    const notNumber = await post(board, page, `${page}/counts`, {
      count_0: 'fire',
      count_1: '1',
      count_2: '0',
    });
    expect(notNumber.res.status).toBe(400);
    // 4 of 6 present is less than 3/4 (4.5, so 5 needed): not adopted.
    const ok = await post(board, page, `${page}/counts`, {
      count_0: '4',
      count_1: '2',
      count_2: '0',
    });
    expect(ok.res.status).toBe(303);
    const { html } = await voters[0]!.client.get(`${page}/results`);
    expect(html).toContain('Ikke vedtatt');
    expect(html).toContain('Krevd flertall: 5 av 6');
    // Nothing recorded twice: the counts cannot be typed again.
    const again = await post(board, page, `${page}/counts`, {
      count_0: '6',
      count_1: '0',
      count_2: '0',
    });
    expect(again.res.status).toBe(409);
  });

  it('takes concurrent ballots of different members exactly once each (use-case level)', async () => {
    const user = await boardCurrentUser();
    const { vote } = await createVote(deps(), {
      actor: boardActor(),
      user,
      meetingId,
      subject: 'Samtidig',
      kind: 'secret',
      rule: 'two_thirds',
    });
    await openVote(deps(), { actor: boardActor(), user, meetingId, voteId: vote.id });
    await selfCheckIn(deps(), {
      actor: boardActor(),
      memberId: voters[6]!.memberId,
      meetingId,
      locale: 'nb',
    });
    const present = voters.slice(0, 7);
    const attempts = present.flatMap((v) =>
      [0, 1, 2].map(() =>
        castVote(deps(), {
          memberId: v.memberId,
          meetingId,
          voteId: vote.id,
          choice: 'yes',
          locale: 'nb',
        }).then(
          () => 'ok',
          (e: Error) => e.message,
        ),
      ),
    );
    const outcomes = await Promise.all(attempts);
    expect(outcomes.filter((o) => o === 'ok')).toHaveLength(7);
    expect(outcomes.filter((o) => o.startsWith('votes.already_voted'))).toHaveLength(14);
    const { vote: closed } = await closeVote(deps(), {
      actor: boardActor(),
      user,
      meetingId,
      voteId: vote.id,
    });
    expect(closed.result).toMatchObject({ counts: { yes: 7 }, cast: 7, outcome: 'passed' });
  });

  async function boardCurrentUser() {
    return loadCurrentUser(db(), { userId: boardUser.id, today: MEETING_DAY });
  }
});
