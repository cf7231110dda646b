import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import type { Running } from '../../app/bootstrap.js';
import { fixedClock } from '../../app/clock.js';
import { setUpAssociation, startTestApp, TestClient } from '../../../test/helpers/app.js';
import { describeEachDialect } from '../../../test/helpers/db.js';
import { createMemberUser } from '../../../test/helpers/fixtures.js';
import { loggedIn } from '../members/members.test-support.js';
import { findCurrentDocument } from '../association/association.repository.js';
import { systemActor } from '../../app/audit.js';
import { governanceJobs } from './governance.jobs.js';
import { sendDuePublications } from './publication.usecases.js';
import {
  daysAhead,
  NOW,
  requestKey,
  scheduleViaForm,
  setClock,
} from './governance.test-support.js';

function proposalIdFrom(res: Response): string {
  const m = /\/proposals\/([0-9a-z]+)$/.exec(res.headers.get('location') ?? '');
  if (!m?.[1]) throw new Error(`unexpected redirect ${res.headers.get('location')}`);
  return m[1];
}

describeEachDialect('governance: proposals and statutes', (h) => {
  let app: Running;
  let board: { email: string };
  let alice: { email: string; memberId: string; memberNumber: number };
  let bob: { email: string };
  let meetingId = '';
  const db = () => h.db();

  beforeAll(async () => {
    app = await startTestApp({ database: h.database(), clock: fixedClock(NOW) });
    await setUpAssociation(app);
    board = (await createMemberUser(db(), { offices: ['board_member'] })).user;
    const a = await createMemberUser(db(), { name: 'Alice Forslag' });
    alice = { email: a.user.email, memberId: a.member.id, memberNumber: a.member.memberNumber };
    bob = (await createMemberUser(db(), { name: 'Bob Nabo' })).user;
    setClock(app, NOW);
    // The meeting is on 1 May: proposals until 24 April, published on 27 April.
    meetingId = await scheduleViaForm(await loggedIn(app, board.email), {
      date: daysAhead(30),
    });
  });
  afterAll(async () => app.close());
  beforeEach(() => setClock(app, NOW));

  async function submit(client: TestClient, form: Record<string, string>, kind = 'general') {
    await client.get(`/meetings/${meetingId}/proposals/new?kind=${kind}`);
    return client.post(`/meetings/${meetingId}/proposals`, {
      kind,
      request_key: requestKey(),
      ...form,
    });
  }

  it('takes a member’s proposal until the deadline, once even when sent twice', async () => {
    const client = await loggedIn(app, alice.email);
    const choice = await client.get(`/meetings/${meetingId}/proposals/new`);
    expect(choice.html).toContain('Endring i vedtektene');
    const form = await client.get(`/meetings/${meetingId}/proposals/new?kind=general`);
    expect(form.res.status).toBe(200);
    const values = {
      kind: 'general',
      request_key: requestKey(),
      title: 'Flere tjenester',
      body: 'Foreningen skal drifte PeerTube.',
    };
    const first = await client.post(`/meetings/${meetingId}/proposals`, values);
    expect(first.res.status).toBe(303);
    const again = await client.post(`/meetings/${meetingId}/proposals`, values);
    expect(again.res.headers.get('location')).toBe(first.res.headers.get('location'));
    const rows = await db().selectFrom('proposals').selectAll().execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ number: 1, member_id: alice.memberId, late: 0 });
    const item = await db()
      .selectFrom('agenda_items')
      .select('kind')
      .where('id', '=', rows[0]!.agenda_item_id!)
      .executeTakeFirstOrThrow();
    expect(item.kind).toBe('proposals');

    // Still on time on the deadline day itself (24 April, late evening in Oslo).
    setClock(app, '2027-04-24T21:30:00Z');
    const lastDay = await submit(client, { title: 'Siste dag', body: 'Rett før fristen.' });
    expect(lastDay.res.status).toBe(303);
  });

  it('refuses a proposal after the deadline with a clear message', async () => {
    setClock(app, '2027-04-24T22:30:00Z'); // 25 April in Oslo
    const client = await loggedIn(app, alice.email);
    const page = await client.get(`/meetings/${meetingId}/proposals/new?kind=general`);
    expect(page.res.status).toBe(409);
    expect(page.html).toContain('Fristen for forslag til dette møtet gikk ut 2027-04-24');
    await client.get(`/meetings/${meetingId}`);
    const late = await client.post(`/meetings/${meetingId}/proposals`, {
      kind: 'general',
      request_key: requestKey(),
      title: 'For sent',
      body: 'Kom etter fristen.',
    });
    expect(late.res.status).toBe(409);
    expect(late.html).toContain('ved et eget vedtak');
    expect(late.html).toContain('value="For sent"'); // the input is kept
    expect(
      await db().selectFrom('proposals').select('id').where('title', '=', 'For sent').execute(),
    ).toHaveLength(0);
  });

  it('lets the board take in a late proposal by a decision recorded as such', async () => {
    setClock(app, '2027-04-26T08:00:00Z');
    const member = await loggedIn(app, bob.email);
    await member.get(`/meetings/${meetingId}`);
    expect(
      (
        await member.post(`/meetings/${meetingId}/proposals/late`, {
          kind: 'general',
          member_number: String(alice.memberNumber),
          reason: 'x',
          title: 'x',
          body: 'x',
          request_key: requestKey(),
        })
      ).res.status,
    ).toBe(403);

    const client = await loggedIn(app, board.email);
    await client.get(`/meetings/${meetingId}/proposals/late?kind=general`);
    const missing = await client.post(`/meetings/${meetingId}/proposals/late`, {
      kind: 'general',
      member_number: '',
      reason: '',
      title: 'Sent forslag',
      body: 'Viktig sak.',
      request_key: requestKey(),
    });
    expect(missing.res.status).toBe(400);
    const res = await client.post(`/meetings/${meetingId}/proposals/late`, {
      kind: 'general',
      member_number: String(alice.memberNumber),
      reason: 'Styremøte 25. april: saken haster.',
      title: 'Sent forslag',
      body: 'Viktig sak.',
      request_key: requestKey(),
    });
    expect(res.res.status).toBe(303);
    const row = await db()
      .selectFrom('proposals')
      .selectAll()
      .where('title', '=', 'Sent forslag')
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({
      late: 1,
      member_id: alice.memberId,
      late_reason: 'Styremøte 25. april: saken haster.',
    });
    expect(row.late_decided_label).toBeTruthy();
    const audit = await db()
      .selectFrom('audit_log')
      .select('action')
      .where('entity_id', '=', row.id)
      .executeTakeFirstOrThrow();
    expect(audit.action).toBe('governance.proposal_accepted_late');
    const page = await client.get(`/meetings/${meetingId}/proposals/${row.id}`);
    expect(page.html).toContain('Tatt inn etter fristen');
    expect(page.html).toContain('saken haster');
  });

  it('shows proposals to their author, to members from the publication date, and lets only the author edit', async () => {
    const author = await loggedIn(app, alice.email);
    const res = await submit(author, { title: 'Kun min', body: 'Første utkast.' });
    const id = proposalIdFrom(res.res);
    const other = await loggedIn(app, bob.email);
    expect((await other.get(`/meetings/${meetingId}/proposals/${id}`)).res.status).toBe(403);
    const before = await other.get(`/meetings/${meetingId}`);
    expect(before.html).not.toContain('Kun min');
    expect(before.html).toContain('publiseres for medlemmene');
    expect(
      (await new TestClient(app.url).get(`/meetings/${meetingId}/proposals/${id}`)).res.status,
    ).toBe(303);

    // Another member cannot change or withdraw it.
    await other.get('/meetings');
    const edit = await other.post(`/meetings/${meetingId}/proposals/${id}/edit`, {
      title: 'Kapret',
      body: 'Kapret',
    });
    expect(edit.res.status).toBe(403);
    expect(
      (await other.post(`/meetings/${meetingId}/proposals/${id}/withdraw`, {})).res.status,
    ).toBe(403);
    // The author can, before the deadline.
    await author.get(`/meetings/${meetingId}/proposals/${id}/edit`);
    const own = await author.post(`/meetings/${meetingId}/proposals/${id}/edit`, {
      title: 'Kun min',
      body: 'Andre utkast.',
    });
    expect(own.res.status).toBe(303);
    const row = await db()
      .selectFrom('proposals')
      .select(['title', 'body'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ title: 'Kun min', body: 'Andre utkast.' });

    // After the deadline it is locked.
    setClock(app, '2027-04-25T10:00:00Z');
    await author.get(`/meetings/${meetingId}`);
    expect(
      (
        await author.post(`/meetings/${meetingId}/proposals/${id}/edit`, {
          title: 'Endret',
          body: 'For sent',
        })
      ).res.status,
    ).toBe(409);

    // From the publication date (27 April) every member sees them.
    setClock(app, '2027-04-26T21:59:00Z'); // 26 April 23:59 in Oslo
    expect((await other.get(`/meetings/${meetingId}`)).html).not.toContain('Kun min');
    setClock(app, '2027-04-26T22:00:00Z'); // 27 April 00:00 in Oslo
    const published = await other.get(`/meetings/${meetingId}`);
    expect(published.html).toContain('Kun min');
    expect(published.html).toContain('Flere tjenester');
    expect((await other.get(`/meetings/${meetingId}/proposals/${id}`)).res.status).toBe(200);
    // Never to the public.
    const visitor = await new TestClient(app.url).get(`/meetings/${meetingId}`);
    expect(visitor.html).not.toContain('Kun min');
  });

  it('tells members once, on the publication date, that the agenda and proposals are out', async () => {
    const job = governanceJobs(app.ctx).handlers['governance.publication']!;
    const published = () =>
      db()
        .selectFrom('outbox')
        .select(['recipient', 'payload'])
        .where('payload', 'like', '%"subject":"Saksdokumenter:%')
        .execute();
    setClock(app, '2027-04-26T05:00:00Z'); // the day before
    await job({ id: 'x', payload: null, now: app.ctx.clock.now() });
    expect(await published()).toHaveLength(0);
    setClock(app, '2027-04-27T05:00:00Z');
    await job({ id: 'x', payload: null, now: app.ctx.clock.now() });
    const first = await published();
    const members = await db()
      .selectFrom('members')
      .select('email')
      .where('status', '=', 'active')
      .execute();
    expect(first.map((r) => r.recipient).sort()).toEqual(members.map((m) => m.email).sort());
    const text = (JSON.parse(first[0]!.payload) as { text: string }).text;
    expect(text).toContain('Forslag 1: Flere tjenester');
    expect(text).toContain('Kun min');
    // Again (a second instance, a retry): nothing more.
    expect((await sendDuePublications(app.ctx, { actor: systemActor })).published).toEqual([]);
    await job({ id: 'y', payload: null, now: app.ctx.clock.now() });
    expect(await published()).toHaveLength(first.length);
  });

  it('lets the board recommend; members cannot', async () => {
    const row = await db()
      .selectFrom('proposals')
      .select('id')
      .where('title', '=', 'Flere tjenester')
      .executeTakeFirstOrThrow();
    const path = `/meetings/${meetingId}/proposals/${row.id}/recommendation`;
    const member = await loggedIn(app, alice.email);
    await member.get('/meetings');
    expect((await member.post(path, { recommendation: 'adopt' })).res.status).toBe(403);
    const client = await loggedIn(app, board.email);
    await client.get(`/meetings/${meetingId}/proposals/${row.id}`);
    const res = await client.post(path, {
      recommendation: 'reject',
      recommendation_text: 'For dyrt i år.',
    });
    expect(res.res.status).toBe(303);
    const page = await client.get(`/meetings/${meetingId}/proposals/${row.id}`);
    expect(page.html).toContain('Styret anbefaler å forkaste forslaget');
    expect(page.html).toContain('For dyrt i år.');
  });

  it('writes a statute amendment against the current text and shows it as a diff', async () => {
    const client = await loggedIn(app, alice.email);
    const form = await client.get(`/meetings/${meetingId}/proposals/new?kind=statutes`);
    const current = await findCurrentDocument(db(), 'statutes');
    expect(form.html).toContain('minst 14 dagers varsel'); // prefilled with the current text
    const unchanged = await client.post(`/meetings/${meetingId}/proposals`, {
      kind: 'statutes',
      request_key: requestKey(),
      title: 'Ingen endring',
      body: 'Ingenting.',
      amendment_locale: 'nb',
      amendment_text: current!.bodyNb,
    });
    expect(unchanged.res.status).toBe(400);
    expect(unchanged.html).toContain('likt gjeldende tekst');

    const res = await client.post(`/meetings/${meetingId}/proposals`, {
      kind: 'statutes',
      request_key: requestKey(),
      title: 'Lengre varsel',
      body: 'To uker er for kort.',
      amendment_locale: 'nb',
      amendment_text: current!.bodyNb.replace('minst 14 dagers varsel', 'minst 21 dagers varsel'),
    });
    expect(res.res.status).toBe(303);
    const id = proposalIdFrom(res.res);
    const row = await db()
      .selectFrom('proposals')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(row.base_document_id).toBe(current!.id);
    const item = await db()
      .selectFrom('agenda_items')
      .select('kind')
      .where('id', '=', row.agenda_item_id!)
      .executeTakeFirstOrThrow();
    expect(item.kind).toBe('statute_changes');
    const page = await client.get(`/meetings/${meetingId}/proposals/${id}`);
    expect(page.html).toMatch(/<del><span class="visually-hidden">\[fjernet: <\/span>14/);
    expect(page.html).toMatch(/<ins><span class="visually-hidden">\[lagt til: <\/span>21/);
    expect(page.html).toContain('1 ord lagt til, 1 ord fjernet');
  });

  it('keeps statutes versions: the board publishes one adopted by a meeting; the public sees the latest change, members all history', async () => {
    const member = await loggedIn(app, bob.email);
    expect((await member.get('/governance/documents/statutes/new')).res.status).toBe(403);
    const client = await loggedIn(app, board.email);
    const form = await client.get('/governance/documents/statutes/new');
    expect(form.res.status).toBe(200);
    const v1 = (await findCurrentDocument(db(), 'statutes'))!;
    const v2Text = v1.bodyNb.replace('tre fjerdedeler', 'to tredjedeler');
    const published = await client.post('/governance/documents/statutes/new', {
      title: v1.title,
      body_nb: v2Text,
      body_en: '',
      adopted_on: '',
      meeting_id: meetingId,
      note: 'Vedtatt på årsmøtet',
    });
    expect(published.res.status).toBe(303);
    expect(published.res.headers.get('location')).toBe('/documents/statutes/2/changes');
    const v2 = await db()
      .selectFrom('documents')
      .selectAll()
      .where('kind', '=', 'statutes')
      .where('version', '=', 2)
      .executeTakeFirstOrThrow();
    expect(v2).toMatchObject({ adopted_at_meeting_id: meetingId, adopted_on: daysAhead(30) });

    const visitor = new TestClient(app.url);
    const changes = await visitor.get('/documents/statutes/2/changes');
    expect(changes.res.status).toBe(200);
    expect(changes.html).toContain(
      '<del><span class="visually-hidden">[fjernet: </span>tre fjerdedeler',
    );
    expect(changes.html).toContain(
      '<ins><span class="visually-hidden">[lagt til: </span>to tredjedeler',
    );
    expect(changes.html).toContain(`href="/meetings/${meetingId}"`);

    await client.get('/governance/documents/statutes/new');
    await client.post('/governance/documents/statutes/new', {
      title: v1.title,
      body_nb: `${v2Text}\n## § 16 Ikrafttredelse\n\nVedtektene gjelder straks.\n`,
      adopted_on: '2027-05-02',
    });
    const history = await visitor.get('/documents/statutes/3/changes?from=1');
    expect(history.res.status).toBe(303);
    expect(history.res.headers.get('location')).toContain('/login');
    expect((await visitor.get('/documents/statutes/2/changes')).res.status).toBe(303);
    expect((await visitor.get('/documents/statutes/3/changes')).res.status).toBe(200);
    const full = await member.get('/documents/statutes/3/changes?from=1');
    expect(full.res.status).toBe(200);
    expect(full.html).toContain('to tredjedeler');
    expect(full.html).toContain('Ikrafttredelse');
    expect((await visitor.get('/documents/statutes')).html).toContain(
      'href="/documents/statutes/3/changes"',
    );
    expect((await member.get('/documents/statutes/9/changes')).res.status).toBe(404);
  });
});
