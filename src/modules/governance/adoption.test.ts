import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Running } from '../../app/bootstrap.js';
import { fixedClock } from '../../app/clock.js';
import { AppError } from '../../app/errors.js';
import type { TestClient } from '../../../test/helpers/app.js';
import { setUpAssociation, startTestApp } from '../../../test/helpers/app.js';
import { describeEachDialect } from '../../../test/helpers/db.js';
import { createMemberUser } from '../../../test/helpers/fixtures.js';
import { loadCurrentUser } from '../accounts/current-user.js';
import { findCurrentDocument } from '../association/association.repository.js';
import { loggedIn } from '../members/members.test-support.js';
import { submitAppeal } from '../moderation/appeals.usecases.js';
import { findDecision } from '../moderation/decisions.repository.js';
import { hearTestCase, openTestCase } from '../moderation/decisions.test-support.js';
import { decideCase, type Handler } from '../moderation/decisions.usecases.js';
import {
  daysAhead,
  NOW,
  requestKey,
  scheduleViaForm,
  setClock,
} from './governance.test-support.js';
import { publishDocumentVersion } from './statutes.usecases.js';
import { quickMember } from './votes.test-support.js';
import type { MajorityRule } from './votes.tables.js';
import { castVote, closeVote, createVote, openVote } from './votes.usecases.js';

const MEETING_DAY = daysAhead(30); // 2027-05-01
const AT_MEETING = `${MEETING_DAY}T16:30:00Z`;

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (err) {
    if (err instanceof AppError) return err.code;
    throw err;
  }
  return 'ok';
}

describeEachDialect('governance: adopted amendments and appeals', (h) => {
  let app: Running;
  let board: TestClient;
  let boardEmail = '';
  let boardUser = { id: '', memberId: '' };
  let meetingId = '';
  type Voter = Awaited<ReturnType<typeof quickMember>>;
  const voters: Voter[] = [];
  const proposals: Record<string, string> = {};
  const appeals: Record<'suspended' | 'excluded', { memberId: string; decisionId: string }> = {
    suspended: { memberId: '', decisionId: '' },
    excluded: { memberId: '', decisionId: '' },
  };
  const db = () => h.db();
  const base = () => `/meetings/${meetingId}`;
  const boardActor = () => ({ userId: boardUser.id, label: 'board' });
  const boardCurrentUser = () =>
    loadCurrentUser(db(), { userId: boardUser.id, today: MEETING_DAY });

  async function submit(client: TestClient, kind: string, form: Record<string, string>) {
    await client.get(`${base()}/proposals/new?kind=${kind}`);
    const r = await client.post(`${base()}/proposals`, {
      kind,
      request_key: requestKey(),
      ...form,
    });
    expect(r.res.status, r.html.slice(0, 500)).toBe(303);
    return /\/proposals\/([0-9a-z]+)$/.exec(r.res.headers.get('location') ?? '')![1]!;
  }

  /** A named vote on a proposal, everyone present voting `choice`, then closed. */
  async function decide(proposalId: string, choice: 'yes' | 'no', rule: MajorityRule = 'statutes') {
    const user = await boardCurrentUser();
    const { vote } = await createVote(app.ctx, {
      actor: boardActor(),
      user,
      meetingId,
      subject: `Forslag ${proposalId}`,
      kind: 'named',
      rule,
      proposalId,
    });
    await openVote(app.ctx, { actor: boardActor(), user, meetingId, voteId: vote.id });
    for (const v of voters)
      await castVote(app.ctx, {
        memberId: v.memberId,
        meetingId,
        voteId: vote.id,
        choice,
        locale: 'nb',
      });
    return (await closeVote(app.ctx, { actor: boardActor(), user, meetingId, voteId: vote.id }))
      .vote;
  }

  const proposalRow = (id: string) =>
    db().selectFrom('proposals').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

  beforeAll(async () => {
    app = await startTestApp({ database: h.database(), clock: fixedClock(NOW) });
    await setUpAssociation(app);
    const bm = await createMemberUser(db(), { offices: ['board_member'], name: 'Bente Board' });
    boardUser = { id: bm.user.id, memberId: bm.member.id };
    boardEmail = bm.user.email;
    board = await loggedIn(app, boardEmail);
    meetingId = await scheduleViaForm(board, { date: MEETING_DAY });
    for (let i = 0; i < 4; i++)
      voters.push(await quickMember(db(), app.url, { name: `Velger ${i + 1}` }));

    const statutes = (await findCurrentDocument(db(), 'statutes'))!;
    const aup = (await findCurrentDocument(db(), 'aup'))!;
    expect(statutes.bodyEn).toBeTruthy();
    const client = voters[0]!.client;
    proposals['notice'] = await submit(client, 'statutes', {
      title: 'Lengre varsel',
      body: 'To uker er for kort.',
      amendment_locale: 'nb',
      amendment_text: statutes.bodyNb.replace('minst 14 dagers varsel', 'minst 21 dagers varsel'),
    });
    proposals['second'] = await submit(client, 'statutes', {
      title: 'Enda lengre varsel',
      body: 'Fire uker.',
      amendment_locale: 'nb',
      amendment_text: statutes.bodyNb.replace('minst 14 dagers varsel', 'minst 28 dagers varsel'),
    });
    proposals['english'] = await submit(client, 'aup', {
      title: 'AUP in English',
      body: 'A clearer rule.',
      amendment_locale: 'en',
      amendment_text: `${aup.bodyEn ?? aup.bodyNb}\n\nBe kind.`,
    });
    proposals['rejected'] = await submit(client, 'statutes', {
      title: 'Kortere varsel',
      body: 'En uke holder.',
      amendment_locale: 'nb',
      amendment_text: statutes.bodyNb.replace('minst 14 dagers varsel', 'minst 7 dagers varsel'),
    });

    // Two members sanctioned, who appeal to this general assembly.
    const mod = await createMemberUser(db(), { offices: ['moderator'] });
    const moderator: Handler = {
      actor: { userId: mod.user.id, label: mod.user.handle },
      memberId: mod.member.id,
      canExclude: false,
    };
    const boardHandler: Handler = {
      actor: { userId: bm.user.id, label: bm.user.handle },
      memberId: bm.member.id,
      canExclude: true,
    };
    for (const which of ['suspended', 'excluded'] as const) {
      const { user, member } = await createMemberUser(db(), { name: `Anker ${which}` });
      const { caseId } = await openTestCase(db(), { memberId: member.id });
      await hearTestCase(db(), { caseId, deadlineOn: '2027-03-31' });
      const { decisionId } = await decideCase(app.ctx, {
        handler: which === 'suspended' ? moderator : boardHandler,
        decision: {
          caseId,
          kind: which === 'suspended' ? 'suspension' : 'exclusion',
          urgent: false,
          reasons: 'Threats in the chat.',
          clause: 'AUP 2.1',
          endsOn: which === 'suspended' ? '2027-09-30' : null,
        },
      });
      const { meeting } = await submitAppeal(app.ctx, {
        actor: { userId: user.id, label: user.handle },
        memberId: member.id,
        decisionId,
        text: 'I was provoked.',
      });
      expect(meeting?.id).toBe(meetingId);
      appeals[which] = { memberId: member.id, decisionId };
    }
  });
  afterAll(async () => {
    await app.close();
  });

  it('refuses a vote on a statute or AUP change with a rule other than the statutes’ majority', async () => {
    const votes = `${base()}/votes`;
    await board.get(votes);
    const simple = await board.post(votes, {
      subject: 'Lengre varsel',
      kind: 'named',
      rule: 'simple',
      agenda_item_id: '',
      proposal_id: proposals['notice']!,
      options: '',
    });
    expect(simple.res.status).toBe(400);
    expect(simple.html).toContain('krever flertallet for vedtektsendringer');
    const user = await boardCurrentUser();
    expect(
      await codeOf(
        createVote(app.ctx, {
          actor: boardActor(),
          user,
          meetingId,
          subject: 'AUP',
          kind: 'open',
          rule: 'two_thirds',
          proposalId: proposals['english']!,
        }),
      ),
    ).toBe('adoption.statute_rule_required');
    expect(await db().selectFrom('votes').select('id').execute()).toHaveLength(0);

    // A vote made with another rule before this check existed is refused when it opens.
    const { vote } = await createVote(app.ctx, {
      actor: boardActor(),
      user,
      meetingId,
      subject: 'Gammel',
      kind: 'named',
      rule: 'statutes',
      proposalId: proposals['rejected']!,
    });
    await db().updateTable('votes').set({ rule: 'simple' }).where('id', '=', vote.id).execute();
    setClock(app, AT_MEETING);
    board = await loggedIn(app, boardEmail);
    expect((await board.get(`${base()}/register`)).res.status).toBe(200);
    expect((await board.post(`${base()}/open`, {})).res.status).toBe(303);
    expect(
      await codeOf(openVote(app.ctx, { actor: boardActor(), user, meetingId, voteId: vote.id })),
    ).toBe('adoption.statute_rule_required');
    await db().deleteFrom('votes').where('id', '=', vote.id).execute();
    for (const v of voters) {
      await v.client.get(`${base()}/votes`);
      expect((await v.client.post(`${base()}/checkin`, {})).res.status).toBe(303);
    }
  });

  it('makes an adopted statute amendment the next version, dated and noted with the meeting', async () => {
    const before = (await findCurrentDocument(db(), 'statutes'))!;
    const vote = await decide(proposals['notice']!, 'yes');
    expect(vote.outcome).toBe('passed');
    const after = (await findCurrentDocument(db(), 'statutes'))!;
    expect(after.version).toBe(before.version + 1);
    expect(after.bodyNb).toContain('minst 21 dagers varsel');
    expect(after.bodyEn).toBeNull(); // the old translation does not say what was adopted
    expect(after.adoptedOn).toBe(MEETING_DAY);
    expect(after.adoptedNote).toContain('forslag 1: Lengre varsel');
    const doc = await db()
      .selectFrom('documents')
      .select('adopted_at_meeting_id')
      .where('id', '=', after.id)
      .executeTakeFirstOrThrow();
    expect(doc.adopted_at_meeting_id).toBe(meetingId);
    expect(await proposalRow(proposals['notice']!)).toMatchObject({
      outcome: 'adopted',
      resulting_document_id: after.id,
    });

    // Members see the new statutes and the change from the old ones.
    const member = voters[1]!.client;
    const proposalPage = await member.get(`${base()}/proposals/${proposals['notice']}`);
    expect(proposalPage.html).toContain(`vedtektenes versjon ${after.version}`);
    expect(proposalPage.html).toContain(`/documents/statutes/${after.version}/changes`);
    expect((await member.get('/documents/statutes')).html).toContain('minst 21 dagers varsel');
    const diff = await member.get(`/documents/statutes/${after.version}/changes`);
    expect(diff.html).toMatch(/<ins><span class="visually-hidden">\[lagt til: <\/span>21/);
  });

  it('flags an amendment adopted against a text no longer current, for the board to merge by hand', async () => {
    const current = (await findCurrentDocument(db(), 'statutes'))!;
    await decide(proposals['second']!, 'yes');
    expect((await findCurrentDocument(db(), 'statutes'))!.version).toBe(current.version);
    expect(await proposalRow(proposals['second']!)).toMatchObject({
      outcome: 'adopted',
      resulting_document_id: null,
    });
    const page = `${base()}/proposals/${proposals['second']}`;
    const seen = await board.get(page);
    expect(seen.html).toContain('Ikke innarbeidet automatisk');
    expect(seen.html).toContain(`nå versjon ${current.version}`);
    expect(seen.html).toContain(`${page}/merged`);
    // A member cannot record the merge; the board cannot before publishing it.
    const member = voters[1]!.client;
    expect((await member.get(page)).html).not.toContain(`${page}/merged`);
    expect((await member.post(`${page}/merged`, {})).res.status).toBe(403);
    const tooEarly = await board.post(`${page}/merged`, {});
    expect(tooEarly.res.status).toBe(409);
    expect(tooEarly.html).toContain('ble publisert før møtet vedtok');

    setClock(app, `${MEETING_DAY}T17:30:00Z`);
    await publishDocumentVersion(app.ctx, {
      actor: boardActor(),
      kind: 'statutes',
      title: current.title,
      bodyNb: current.bodyNb.replace('minst 21 dagers varsel', 'minst 28 dagers varsel'),
      bodyEn: null,
      adoptedOn: null,
      meetingId,
      note: 'Forslag 2, innarbeidet av styret',
    });
    await board.get(page);
    expect((await board.post(`${page}/merged`, {})).res.status).toBe(303);
    const merged = (await findCurrentDocument(db(), 'statutes'))!;
    expect((await proposalRow(proposals['second']!)).resulting_document_id).toBe(merged.id);
    expect((await board.get(page)).html).toContain(`vedtektenes versjon ${merged.version}`);
    expect((await board.post(`${page}/merged`, {})).res.status).toBe(409);
  });

  it('flags an amendment written against the English text, and applies nothing when a change is rejected', async () => {
    const aup = (await findCurrentDocument(db(), 'aup'))!;
    await decide(proposals['english']!, 'yes');
    expect((await findCurrentDocument(db(), 'aup'))!.version).toBe(aup.version);
    const page = await board.get(`${base()}/proposals/${proposals['english']}`);
    expect(page.html).toContain('skrevet mot den engelske teksten');

    const statutes = (await findCurrentDocument(db(), 'statutes'))!;
    const vote = await decide(proposals['rejected']!, 'no');
    expect(vote.outcome).toBe('failed');
    expect((await findCurrentDocument(db(), 'statutes'))!.version).toBe(statutes.version);
    expect(await proposalRow(proposals['rejected']!)).toMatchObject({
      outcome: 'rejected',
      resulting_document_id: null,
    });
    expect((await board.get(`${base()}/proposals/${proposals['rejected']}`)).html).toContain(
      'Ikke vedtatt.',
    );
  });

  it('records the GA’s decision on a moderation appeal: upheld lifts the suspension, rejected leaves the exclusion', async () => {
    const appealProposals = await db()
      .selectFrom('proposals')
      .innerJoin('moderation_appeals', 'moderation_appeals.proposal_id', 'proposals.id')
      .select(['proposals.id', 'proposals.kind', 'moderation_appeals.member_id'])
      .where('proposals.meeting_id', '=', meetingId)
      .execute();
    expect(appealProposals.map((p) => p.kind)).toEqual(['appeal', 'appeal']);
    expect((await voters[0]!.client.get(base())).html).toContain('Anke over modereringsvedtak');
    const of = (memberId: string) => appealProposals.find((p) => p.member_id === memberId)!.id;
    const status = async (memberId: string) =>
      (
        await db()
          .selectFrom('members')
          .select('status')
          .where('id', '=', memberId)
          .executeTakeFirstOrThrow()
      ).status;
    expect(await status(appeals.suspended.memberId)).toBe('suspended');
    expect(await status(appeals.excluded.memberId)).toBe('excluded');

    // An appeal is a general proposal: a simple majority will do.
    await decide(of(appeals.suspended.memberId), 'yes', 'simple');
    expect(await status(appeals.suspended.memberId)).toBe('active');
    const lifted = await findDecision(db(), appeals.suspended.decisionId);
    expect(lifted).toMatchObject({ state: 'lifted', liftReason: 'appeal_upheld' });
    const upheld = await db()
      .selectFrom('moderation_appeals')
      .select(['status', 'decided_at'])
      .where('proposal_id', '=', of(appeals.suspended.memberId))
      .executeTakeFirstOrThrow();
    expect(upheld.status).toBe('upheld');
    expect(
      (await board.get(`${base()}/proposals/${of(appeals.suspended.memberId)}`)).html,
    ).toContain('tok anken til følge');

    await decide(of(appeals.excluded.memberId), 'no', 'simple');
    expect(await status(appeals.excluded.memberId)).toBe('excluded');
    expect((await findDecision(db(), appeals.excluded.decisionId))?.state).toBe('active');
    const rejected = await db()
      .selectFrom('moderation_appeals')
      .select('status')
      .where('proposal_id', '=', of(appeals.excluded.memberId))
      .executeTakeFirstOrThrow();
    expect(rejected.status).toBe('rejected');
    expect(
      (await board.get(`${base()}/proposals/${of(appeals.excluded.memberId)}`)).html,
    ).toContain('forkastet anken; vedtaket står');
  });
});
