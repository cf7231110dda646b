import { inflateSync } from 'node:zlib';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Running } from '../../app/bootstrap.js';
import { fixedClock } from '../../app/clock.js';
import { sha256 } from '../../app/crypto.js';
import { AppError } from '../../app/errors.js';
import { newId } from '../../app/ids.js';
import { loadCurrentUser } from '../accounts/current-user.js';
import { setUpAssociation, startTestApp, TestClient } from '../../../test/helpers/app.js';
import { apiGet, issueToken } from '../../../test/helpers/api.js';
import { describeEachDialect } from '../../../test/helpers/db.js';
import { createMemberUser, createUser } from '../../../test/helpers/fixtures.js';
import { startSmtpServer } from '../../../test/helpers/smtp.js';
import { loggedIn } from '../members/members.test-support.js';
import { daysAhead, emailsTo, NOW, setClock } from './governance.test-support.js';
import { composeMinutes, loadMeetingRecord } from './minutes-draft.js';
import { holdMeeting } from './minutes.test-support.js';
import {
  chooseConfirmers,
  confirmMinutes,
  saveMinutes,
  sendBack,
  sendForConfirmation,
} from './minutes.usecases.js';
import { quickMember } from './votes.test-support.js';

const MEETING_DAY = daysAhead(30); // 2027-05-01
const LATER_DAY = '2027-06-01';

/** The text a PDF shows, for the standard fonts pdfkit writes as hex strings in TJ arrays. */
function pdfText(pdf: Buffer): string {
  const raw = pdf.toString('latin1');
  const out: string[] = [];
  for (let i = 0; ;) {
    const start = raw.indexOf('stream\n', i);
    if (start < 0) break;
    const end = raw.indexOf('endstream', start);
    let content = '';
    try {
      content = inflateSync(pdf.subarray(start + 7, end)).toString('latin1');
    } catch {
      // not a compressed content stream (fonts, images)
    }
    for (const m of content.matchAll(/\[(.*?)\]\s*TJ/g))
      out.push(
        [...m[1]!.matchAll(/<([0-9a-fA-F]*)>/g)]
          .map((h) => Buffer.from(h[1]!, 'hex').toString('latin1'))
          .join(''),
      );
    i = end + 9;
  }
  return out.join('\n');
}

function errorCode(err: unknown): string {
  return err instanceof AppError ? err.code : String(err);
}

describeEachDialect('governance: minutes', (h) => {
  let app: Running;
  let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
  type Person = Awaited<ReturnType<typeof quickMember>>;
  let board: TestClient;
  let boardUserId = '';
  let boardEmail = '';
  let sara: Person; // the secretary
  let kari: Person;
  let ola: Person;
  let per: Person;
  let liv: Person;
  let mona: Person; // a member who did not attend
  let outsider: TestClient; // an account without a membership
  let outsiderId = '';
  let outsiderEmail = '';
  let meetingId = '';
  let laterMeetingId = '';
  const db = () => h.db();
  const base = () => `/meetings/${meetingId}/minutes`;

  async function minutesRow(id = meetingId) {
    return db()
      .selectFrom('meeting_minutes')
      .selectAll()
      .where('meeting_id', '=', id)
      .executeTakeFirstOrThrow();
  }
  async function post(client: TestClient, action: string, form: Record<string, string> = {}) {
    await client.get(`/meetings/${meetingId}`);
    return client.post(action, form);
  }
  const actorOf = (p: { userId: string }) => ({ userId: p.userId, label: 'test' });
  const userOf = (p: { userId: string }) =>
    loadCurrentUser(db(), { userId: p.userId, today: MEETING_DAY });

  beforeAll(async () => {
    smtp = await startSmtpServer();
    app = await startTestApp({
      database: h.database(),
      clock: fixedClock(NOW),
      smtpUrl: smtp.url,
    });
    await setUpAssociation(app);
    const b = await createMemberUser(db(), { offices: ['board_member'], name: 'Bente Board' });
    boardUserId = b.user.id;
    boardEmail = b.user.email;
    board = await loggedIn(app, boardEmail);
    sara = await quickMember(db(), app.url, { name: 'Sara Sekretær' });
    kari = await quickMember(db(), app.url, { name: 'Kari Konfirmant' });
    ola = await quickMember(db(), app.url, { name: 'Ola Konfirmant' });
    per = await quickMember(db(), app.url, { name: 'Per Person' });
    liv = await quickMember(db(), app.url, { name: 'Liv Lund' });
    mona = await quickMember(db(), app.url, { name: 'Mona Medlem' });
    const o = await createUser(db(), { name: 'Olav Utenfor' });
    outsiderId = o.id;
    outsiderEmail = o.email;
    outsider = await loggedIn(app, o.email);
    const held = await holdMeeting(app, {
      board: { client: board, userId: boardUserId },
      date: MEETING_DAY,
      secretaryMemberId: sara.memberId,
      attendees: [sara, kari, ola, per, liv].map((p) => p.memberId),
      votes: [
        {
          subject: 'Budsjett 2027',
          kind: 'secret',
          choices: ['yes', 'yes', 'yes', 'no', 'blank'],
          onAgendaKind: 'budget_fee',
        },
        { subject: 'Styrehonorar', kind: 'named', choices: ['yes', 'no'] },
        {
          subject: 'Kontingent 2028',
          kind: 'open',
          choices: ['no', 'no', 'yes'],
          onAgendaKind: 'budget_fee',
        },
      ],
    });
    meetingId = held.meetingId;
    // The election (built alongside): two elected, one not.
    const electionId = newId();
    await db()
      .insertInto('elections')
      .values({
        id: electionId,
        meeting_id: meetingId,
        agenda_item_id: null,
        office: 'board_member',
        title: null,
        seats: 2,
        term_months: 24,
        term_starts_on: '2027-07-01',
        status: 'decided',
        vote_id: null,
        decided_at: `${MEETING_DAY}T17:00:00Z`,
        request_key: `el-${electionId}`,
        created_by: 'board',
        created_at: `${MEETING_DAY}T16:30:00Z`,
      })
      .execute();
    for (const [p, votes, elected, rank] of [
      [kari, 4, 1, 1],
      [per, 3, 1, 2],
      [liv, 1, 0, 3],
    ] as const)
      await db()
        .insertInto('election_candidates')
        .values({
          id: newId(),
          election_id: electionId,
          member_id: p.memberId,
          name: p.name,
          statement: null,
          nominated_by: null,
          self_nominated: 1,
          accepted_at: `${MEETING_DAY}T16:00:00Z`,
          withdrawn_at: null,
          votes,
          elected,
          rank,
          office_term_id: null,
          created_at: `${MEETING_DAY}T16:00:00Z`,
        })
        .execute();
    board = await loggedIn(app, boardEmail); // a month on: a fresh session
  });
  afterAll(async () => {
    await app.close();
    await smtp.close();
  });

  it('refuses visitors, non-members and ordinary members before anything is drafted', async () => {
    const visitor = new TestClient(app.url);
    for (const path of [base(), '/governance/minutes', `/meetings/${meetingId}/minutes.pdf`]) {
      const { res } = await visitor.get(path);
      expect(res.status, path).toBe(303);
      expect(res.headers.get('location'), path).toContain('/login');
    }
    await visitor.get('/login'); // a page with a form, for the CSRF token
    const anon = await visitor.post(base(), {});
    expect(anon.res.status).toBe(303);
    expect(anon.res.headers.get('location')).toContain('/login');
    outsider = await loggedIn(app, outsiderEmail); // the clock has moved: a fresh session
    expect((await outsider.get('/governance/minutes')).res.status).toBe(403);
    expect((await outsider.get(base())).res.status).toBe(403);
    expect((await mona.client.get(base())).res.status).toBe(404);
    for (const m of [mona, kari]) {
      const r = await post(m.client, base());
      expect(r.res.status).toBe(403);
      expect(r.html).toContain('Bare referenten, møtelederen og styret');
    }
    expect(await db().selectFrom('meeting_minutes').select('meeting_id').execute()).toHaveLength(0);
  });

  it('drafts the minutes from the record: attendance, register, agenda, vote results from the ballots, and who was elected', async () => {
    const { html } = await sara.client.get(base());
    expect(html).toContain('Lag utkast fra det som er registrert på møtet');
    const drafted = await sara.client.post(base(), {});
    expect(drafted.res.status).toBe(303);
    const again = await post(board, base());
    expect(again.res.status).toBe(409);
    expect(again.html).toContain('allerede et utkast');

    const row = await minutesRow();
    expect(row).toMatchObject({ status: 'draft', revision: 1, body_sha256: null });
    const body = row.body;
    const register = await db()
      .selectFrom('voter_registers')
      .select('eligible_count')
      .where('meeting_id', '=', meetingId)
      .executeTakeFirstOrThrow();
    expect(body).toContain('# Protokoll fra Ordinært årsmøte 2027');
    expect(body).toContain('Type møte: Ordinært årsmøte');
    expect(body).toContain('Sted: Folkets hus, Oslo');
    expect(body).toContain('Møteleder: (ikke ført inn)');
    expect(body).toContain('Referent: Sara Sekretær');
    expect(body).toContain(
      `5 stemmeberettigede til stede av ${register.eligible_count} i manntallet.`,
    );
    expect(body).toContain(`- Kari Konfirmant (nr. ${kari.memberNumber})`);
    expect(body).not.toContain('Mona Medlem');
    expect(body).toContain(
      `Manntallet med ${register.eligible_count} stemmeberettigede ble godkjent av møtet`,
    );

    // The secret vote's counts are the ballots' counts.
    const ballots = await db()
      .selectFrom('ballots')
      .select(['choice', (eb) => eb.fn.countAll<number>().as('n')])
      .groupBy('choice')
      .execute();
    const counted = Object.fromEntries(ballots.map((b) => [b.choice, Number(b.n)]));
    expect(counted).toEqual({ yes: 3, no: 1, blank: 1 });
    expect(body).toContain(
      `For: ${counted['yes']} · Mot: ${counted['no']} · Blank: ${counted['blank']}`,
    );

    // Agenda items in order; the budget votes under their item, before the next item.
    const headings = [...body.matchAll(/^### Sak (\d+): /gm)].map((m) => Number(m[1]));
    expect(headings).toEqual(headings.map((_, i) => i + 1));
    expect(headings.length).toBeGreaterThan(5);
    const budgetItem = body.slice(
      body.lastIndexOf('### Sak', body.indexOf('Avstemning: Budsjett 2027')),
    );
    const budgetSection = budgetItem.slice(0, budgetItem.indexOf('### Sak', 5));
    expect(budgetSection).toMatch(/^### Sak \d+: Budsjett og kontingent\n/);
    expect(budgetSection).toContain('Avstemning: Budsjett 2027');
    expect(budgetSection).toContain('Skriftlig, hemmelig avstemning · Alminnelig flertall');
    expect(budgetSection).toContain('Avgitte stemmer: 5 (blanke: 1) · Til stede: 5');
    expect(budgetSection).toContain('Krevd flertall: 3 av 4 (av avgitte stemmer uten blanke).');
    expect(budgetSection).toContain('Resultat: Vedtatt');
    expect(budgetSection).toContain('Avstemning: Kontingent 2028');
    expect(budgetSection).toContain('For: 1 · Mot: 2 · Blank: 0');
    expect(budgetSection).toContain('Resultat: Ikke vedtatt');

    // The named vote belongs to no item: at the end, with who voted what; a tie.
    const other = body.slice(body.indexOf('## Andre forslag og avstemninger'));
    expect(other).toContain('Avstemning: Styrehonorar');
    expect(other).toContain('Resultat: Stemmelikhet');
    expect(other).toContain('- For: Sara Sekretær');
    expect(other).toContain('- Mot: Kari Konfirmant');

    const elections = body.slice(body.indexOf('## Valg'));
    expect(elections).toContain('Styremedlem (2 plasser, 24 måneder fra 1. juli 2027):');
    expect(elections).toContain('- Kari Konfirmant (4 stemmer)');
    expect(elections).toContain('- Per Person (3 stemmer)');
    expect(elections).not.toContain('Liv Lund');

    // In English when that is the association's language.
    const record = await loadMeetingRecord(db(), {
      meetingId,
      association: { name: 'Test', timeZone: 'Europe/Oslo' },
    });
    const en = composeMinutes(record, 'en');
    expect(en).toContain('# Minutes of Ordinary general assembly 2027');
    expect(en).toContain('Result: Adopted');
    expect(en).toContain('Result: Tie');
    expect(en).toContain('Board member (2 seats, 24 months from');
  });

  it('keeps drafts from members: every write route is refused and nothing changes', async () => {
    const before = await minutesRow();
    expect((await mona.client.get(base())).res.status).toBe(404);
    expect((await kari.client.get(base())).res.status).toBe(404); // not chosen yet
    expect((await mona.client.get(`${base()}/edit`)).res.status).toBe(403);
    for (const [path, form] of [
      [`${base()}/edit`, { body: 'Kupp', revision: '1' }],
      [`${base()}/confirmers`, { first: mona.memberId, second: kari.memberId }],
      [`${base()}/send`, { revision: '1' }],
      [`${base()}/send-back`, {}],
    ] as const)
      expect((await post(mona.client, path, { ...form })).res.status, path).toBe(403);
    const confirm = await post(mona.client, `${base()}/confirm`, { revision: '1' });
    expect(confirm.res.status).toBe(403);
    expect(confirm.html).toContain('Bare de to møtet valgte');
    expect(await minutesRow()).toEqual(before);
    expect(await db().selectFrom('minutes_confirmers').selectAll().execute()).toHaveLength(0);
  });

  it('refuses a stale save, keeping the typed text and showing the version saved meanwhile', async () => {
    const saraEdit = await sara.client.get(`${base()}/edit`);
    expect(saraEdit.res.status).toBe(200);
    expect(saraEdit.html).toContain('name="revision" value="1"');
    await board.get(`${base()}/edit`);
    const first = await board.post(`${base()}/edit`, {
      body: 'Board text first line\r\nBoard text second line',
      revision: '1',
    });
    expect(first.res.status).toBe(303);
    expect(await minutesRow()).toMatchObject({
      revision: 2,
      body: 'Board text first line\nBoard text second line',
    });

    const stale = await sara.client.post(`${base()}/edit`, {
      body: 'Secretary text typed meanwhile',
      revision: '1',
    });
    expect(stale.res.status).toBe(409);
    expect(stale.html).toContain('Noen andre lagret protokollen (versjon 2)');
    expect(stale.html).toMatch(/<textarea[^>]*name="body"[^>]*>Secretary text typed meanwhile/);
    expect(stale.html).toMatch(/id="their-version">Board text first line\nBoard text second line/);
    expect(stale.html).toContain('name="revision" value="2"');
    expect((await minutesRow()).body).toBe('Board text first line\nBoard text second line');

    const resolved = await sara.client.post(`${base()}/edit`, {
      body: 'Secretary text typed meanwhile\nBoard text second line',
      revision: '2',
    });
    expect(resolved.res.status).toBe(303);
    expect(await minutesRow()).toMatchObject({
      revision: 3,
      body: 'Secretary text typed meanwhile\nBoard text second line',
    });
    // Through the use-case: an older revision is refused as stale.
    await expect(
      saveMinutes(app.ctx, {
        actor: actorOf(sara),
        user: await userOf(sara),
        meetingId,
        body: 'x',
        revision: 2,
      }),
    ).rejects.toSatisfy((e) => errorCode(e) === 'minutes.stale');
  });

  it('records two confirmers who attended, sends, and takes one confirmation per confirmer of the exact revision', async () => {
    const same = await post(sara.client, `${base()}/confirmers`, {
      first: kari.memberId,
      second: kari.memberId,
    });
    expect(same.res.status).toBe(400);
    expect(same.html).toContain('Velg to forskjellige personer');
    const absent = await post(sara.client, `${base()}/confirmers`, {
      first: kari.memberId,
      second: mona.memberId,
    });
    expect(absent.res.status).toBe(400);
    expect(absent.html).toContain('må ha vært til stede på møtet');
    const notYet = await post(sara.client, `${base()}/send`, { revision: '3' });
    expect(notYet.res.status).toBe(409);
    expect(notYet.html).toContain('Velg to som skal godkjenne');
    for (const second of [per, ola])
      expect(
        (
          await post(sara.client, `${base()}/confirmers`, {
            first: kari.memberId,
            second: second.memberId,
          })
        ).res.status,
      ).toBe(303);
    const chosen = await db()
      .selectFrom('minutes_confirmers')
      .select('member_id')
      .where('meeting_id', '=', meetingId)
      .execute();
    expect(chosen.map((c) => c.member_id).sort()).toEqual([kari.memberId, ola.memberId].sort());

    expect((await post(sara.client, `${base()}/send`, { revision: '2' })).res.status).toBe(409);
    expect((await post(sara.client, `${base()}/send`, { revision: '3' })).res.status).toBe(303);
    expect((await minutesRow()).status).toBe('confirming');
    const edit = await post(sara.client, `${base()}/edit`, { body: 'Late change', revision: '3' });
    expect(edit.res.status).toBe(409);
    expect(edit.html).toContain('sendt til godkjenning');

    expect((await mona.client.get(base())).res.status).toBe(404);
    expect((await per.client.get(base())).res.status).toBe(404);
    const kariPage = await kari.client.get(base());
    expect(kariPage.res.status).toBe(200);
    expect(kariPage.html).toContain('Jeg godkjenner protokollen');
    expect((await post(per.client, `${base()}/confirm`, { revision: '3' })).res.status).toBe(403);

    setClock(app, `${MEETING_DAY}T19:00:00Z`);
    expect((await post(kari.client, `${base()}/confirm`, { revision: '3' })).res.status).toBe(303);
    const twice = await post(kari.client, `${base()}/confirm`, { revision: '3' });
    expect(twice.res.status).toBe(409);
    expect(twice.html).toContain('allerede godkjent');
    expect((await minutesRow()).status).toBe('confirming');

    // Sent back: the confirmation is void, and the text can change again.
    expect((await post(sara.client, `${base()}/send-back`)).res.status).toBe(303);
    expect(
      (
        await db()
          .selectFrom('minutes_confirmers')
          .select('confirmed_at')
          .where('meeting_id', '=', meetingId)
          .execute()
      ).every((c) => c.confirmed_at === null),
    ).toBe(true);
    const body = `${(await minutesRow()).body}\nRettet etter innspill fra Kari.`;
    expect((await post(sara.client, `${base()}/edit`, { body, revision: '3' })).res.status).toBe(
      303,
    );
    expect((await post(sara.client, `${base()}/send`, { revision: '4' })).res.status).toBe(303);

    setClock(app, `${daysAhead(31)}T09:00:00Z`);
    const old = await post(kari.client, `${base()}/confirm`, { revision: '3' });
    expect(old.res.status).toBe(409);
    expect(old.html).toContain('endret siden du leste den (nå versjon 4)');
    expect((await post(kari.client, `${base()}/confirm`, { revision: '4' })).res.status).toBe(303);
    await expect(
      confirmMinutes(app.ctx, {
        actor: actorOf(per),
        memberId: per.memberId,
        meetingId,
        revision: 4,
      }),
    ).rejects.toSatisfy((e) => errorCode(e) === 'minutes.not_confirmer');
    expect((await minutesRow()).status).toBe('confirming');
  });

  it('locks and publishes when both have confirmed, and emails every active member a link', async () => {
    setClock(app, `${daysAhead(31)}T10:30:00Z`);
    const last = await post(ola.client, `${base()}/confirm`, { revision: '4' });
    expect(last.res.status).toBe(303);
    const row = await minutesRow();
    expect(row.status).toBe('locked');
    expect(row.body_sha256).toBe(sha256(row.body));
    expect(row.locked_at).toBe(`${daysAhead(31)}T10:30:00.000Z`);
    expect(row.published_at).toBe(row.locked_at);
    const confirmers = await db()
      .selectFrom('minutes_confirmers')
      .selectAll()
      .where('meeting_id', '=', meetingId)
      .execute();
    expect(confirmers.every((c) => c.confirmed_revision === 4 && c.confirmed_at)).toBe(true);

    const active = await db()
      .selectFrom('members')
      .select('email')
      .where('status', '=', 'active')
      .where('email', 'is not', null)
      .execute();
    const mails = await emailsTo(db(), 'Protokollen fra Ordinært årsmøte 2027 er publisert');
    expect(mails.map((m) => m.to).sort()).toEqual(active.map((a) => a.email).sort());
    const { email: monaEmail } = await db()
      .selectFrom('members')
      .select('email')
      .where('id', '=', mona.memberId)
      .executeTakeFirstOrThrow();
    const toMona = mails.find((m) => m.to === monaEmail);
    expect(toMona?.text).toContain('Hei Mona Medlem');
    expect(toMona?.text).toContain('godkjent av Kari Konfirmant og Ola Konfirmant');
    for (let i = 0; i < 5; i++) await app.worker.runOnce();
    const delivered = await smtp.waitFor(
      (m) => m.to.includes(monaEmail!) && m.subject.includes('Protokollen fra'),
    );
    expect(delivered.text).toContain(`${app.url}/meetings/${meetingId}/minutes`);
  });

  it('never changes locked minutes: not through the pages, not through the use-cases', async () => {
    const before = await minutesRow();
    for (const client of [sara.client, board]) {
      const r = await post(client, `${base()}/edit`, { body: 'Forfalsket', revision: '4' });
      expect(r.res.status).toBe(409);
      expect(r.html).toContain('godkjent og låst');
    }
    expect((await sara.client.get(`${base()}/edit`)).res.status).toBe(409);
    expect((await post(sara.client, `${base()}/send-back`)).res.status).toBe(409);
    const deps = app.ctx;
    const bente = await loadCurrentUser(db(), { userId: boardUserId, today: MEETING_DAY });
    const saraUser = await userOf(sara);
    const attempts: [string, () => Promise<unknown>][] = [
      [
        'save',
        () =>
          saveMinutes(deps, {
            actor: actorOf({ userId: boardUserId }),
            user: bente,
            meetingId,
            body: 'Forfalsket',
            revision: 4,
          }),
      ],
      [
        'save, later revision',
        () =>
          saveMinutes(deps, {
            actor: actorOf({ userId: boardUserId }),
            user: bente,
            meetingId,
            body: 'Forfalsket',
            revision: 5,
          }),
      ],
      ['send back', () => sendBack(deps, { actor: actorOf(sara), user: saraUser, meetingId })],
      [
        'send',
        () =>
          sendForConfirmation(deps, {
            actor: actorOf(sara),
            user: saraUser,
            meetingId,
            revision: 4,
          }),
      ],
      [
        'confirmers',
        () =>
          chooseConfirmers(deps, {
            actor: actorOf(sara),
            user: saraUser,
            meetingId,
            memberIds: [per.memberId, liv.memberId],
          }),
      ],
    ];
    for (const [name, attempt] of attempts)
      await expect(attempt(), name).rejects.toSatisfy((e) => errorCode(e) === 'minutes.locked');
    await expect(
      confirmMinutes(deps, {
        actor: actorOf(kari),
        memberId: kari.memberId,
        meetingId,
        revision: 4,
      }),
    ).rejects.toSatisfy((e) => errorCode(e) === 'minutes.already_confirmed');
    expect(await minutesRow()).toEqual(before);
  });

  it('shows the published minutes to members as a page and a PDF with the confirmers', async () => {
    const { res, html } = await mona.client.get(base());
    expect(res.status).toBe(200);
    expect(html).toContain('Secretary text typed meanwhile');
    expect(html).toContain('Godkjent og publisert');
    expect(html).toContain('Kari Konfirmant – godkjent 2. mai 2027, 11:00');
    expect(html).toContain('Ola Konfirmant – godkjent 2. mai 2027, 12:30');
    expect(html).not.toContain('Jeg godkjenner protokollen');
    const meetingPage = await mona.client.get(`/meetings/${meetingId}`);
    expect(meetingPage.html).toContain(`href="/meetings/${meetingId}/minutes"`);

    const pdf = await mona.client.request('GET', `/meetings/${meetingId}/minutes.pdf`);
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    const bytes = Buffer.from(await pdf.arrayBuffer());
    expect(bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const text = pdfText(bytes);
    expect(text).toContain('Protokoll: Ordinært årsmøte 2027');
    expect(text).toContain('Kari Konfirmant, godkjent 2. mai 2027, 11:00');
    expect(text).toContain('Ola Konfirmant, godkjent 2. mai 2027, 12:30');
    expect(text).toContain((await minutesRow()).body_sha256!);
    outsider = await loggedIn(app, outsiderEmail);
    expect((await outsider.get(`/meetings/${meetingId}/minutes.pdf`)).res.status).toBe(403);
  });

  it('lists the archive newest first: published minutes for members, drafts too for the board', async () => {
    board = await loggedIn(app, boardEmail);
    const later = await holdMeeting(app, {
      board: { client: board, userId: boardUserId },
      date: LATER_DAY,
      secretaryMemberId: sara.memberId,
      attendees: [sara.memberId, per.memberId],
      votes: [],
    });
    laterMeetingId = later.meetingId;
    // Closed meetings are drafted too.
    await db()
      .updateTable('meetings')
      .set({ status: 'closed', closed_at: `${LATER_DAY}T19:00:00Z` })
      .where('id', '=', laterMeetingId)
      .execute();
    await sara.client.get(`/meetings/${laterMeetingId}/minutes`);
    expect((await sara.client.post(`/meetings/${laterMeetingId}/minutes`, {})).res.status).toBe(
      303,
    );
    board = await loggedIn(app, boardEmail);

    const forBoard = (await board.get('/governance/minutes')).html;
    const iLater = forBoard.indexOf(`/meetings/${laterMeetingId}/minutes`);
    const iFirst = forBoard.indexOf(`/meetings/${meetingId}/minutes`);
    expect(iLater).toBeGreaterThan(0);
    expect(iFirst).toBeGreaterThan(iLater);
    expect(forBoard).toContain('Utkast');
    const forMember = (await mona.client.get('/governance/minutes')).html;
    expect(forMember).toContain(`/meetings/${meetingId}/minutes`);
    expect(forMember).not.toContain(`/meetings/${laterMeetingId}/minutes`);
    expect((await mona.client.get(`/meetings/${laterMeetingId}/minutes`)).res.status).toBe(404);
  });

  it('answers the API: members read published minutes and the archive, the board drafts too', async () => {
    const memberToken = await issueToken(db(), mona.userId, ['members:read']);
    const boardToken = await issueToken(db(), boardUserId, ['admin']);
    const outsiderToken = await issueToken(db(), outsiderId, ['members:read']);

    expect((await apiGet(app.url, `/meetings/${meetingId}/minutes`)).status).toBe(401);
    expect((await apiGet(app.url, `/meetings/${meetingId}/minutes`, outsiderToken)).status).toBe(
      403,
    );
    const got = await apiGet(app.url, `/meetings/${meetingId}/minutes`, memberToken);
    expect(got.status).toBe(200);
    const row = await minutesRow();
    expect(got.body).toMatchObject({
      meetingId,
      title: 'Ordinært årsmøte 2027',
      status: 'locked',
      revision: 4,
      body: row.body,
      bodySha256: row.body_sha256,
      confirmers: [
        { name: 'Kari Konfirmant', confirmedRevision: 4 },
        { name: 'Ola Konfirmant', confirmedRevision: 4 },
      ],
    });
    expect((await apiGet(app.url, `/meetings/${laterMeetingId}/minutes`, memberToken)).status).toBe(
      404,
    );
    const draft = await apiGet(app.url, `/meetings/${laterMeetingId}/minutes`, boardToken);
    expect(draft.status).toBe(200);
    expect(draft.body).toMatchObject({ status: 'draft', revision: 1 });

    const archive = await apiGet(app.url, '/governance/minutes', memberToken);
    expect(archive.status).toBe(200);
    expect((archive.body as { meetingId: string }[]).map((e) => e.meetingId)).toEqual([meetingId]);
    const boardArchive = await apiGet(app.url, '/governance/minutes', boardToken);
    expect(
      (boardArchive.body as { meetingId: string; status: string }[]).map((e) => [
        e.meetingId,
        e.status,
      ]),
    ).toEqual([
      [laterMeetingId, 'draft'],
      [meetingId, 'locked'],
    ]);
    expect((await apiGet(app.url, '/governance/minutes', outsiderToken)).status).toBe(403);
  });
});
