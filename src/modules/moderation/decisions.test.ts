import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Running } from '../../app/bootstrap.js';
import { fixedClock } from '../../app/clock.js';
import { AppError } from '../../app/errors.js';
import { startTestApp, setUpAssociation } from '../../../test/helpers/app.js';
import { describeEachDialect } from '../../../test/helpers/db.js';
import { createMemberUser } from '../../../test/helpers/fixtures.js';
import { scheduleMeeting } from '../governance/meetings.usecases.js';
import { editOwnProposal, withdrawOwnProposal } from '../governance/proposals.usecases.js';
import { earlierViolations, findDecision, listMemberDecisions } from './decisions.repository.js';
import {
  addMonths,
  confirmUrgentSuspension,
  decideCase,
  liftEndedSuspensions,
  liftUnconfirmedUrgent,
  type Handler,
} from './decisions.usecases.js';
import { attachPendingAppeals, recordAppealOutcome, submitAppeal } from './appeals.usecases.js';
import { hearTestCase, insertOidcArtefacts, openTestCase } from './decisions.test-support.js';

/** Thursday 1 April 2027, 10:00 UTC (12:00 in Oslo). */
const NOW = '2027-04-01T10:00:00Z';
const TODAY = '2027-04-01';

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (err) {
    if (err instanceof AppError) return err.code;
    throw err;
  }
  return 'ok';
}

describe('addMonths', () => {
  it('keeps the day, or takes the last of a shorter month', () => {
    expect(addMonths('2027-04-01', 12)).toBe('2028-04-01');
    expect(addMonths('2028-02-29', 12)).toBe('2029-02-28');
    expect(addMonths('2027-11-30', 3)).toBe('2028-02-29');
  });
});

describeEachDialect('moderation decisions and appeals', (h) => {
  let app: Running;
  const clock = fixedClock(NOW);
  let moderator: Handler;
  let board: Handler;

  beforeAll(async () => {
    app = await startTestApp({ database: h.database(), clock });
    await setUpAssociation(app);
    const mod = await createMemberUser(h.db(), { offices: ['moderator'] });
    const chair = await createMemberUser(h.db(), { offices: ['board_member'] });
    moderator = {
      actor: { userId: mod.user.id, label: mod.user.handle },
      memberId: mod.member.id,
      canExclude: false,
    };
    board = {
      actor: { userId: chair.user.id, label: chair.user.handle },
      memberId: chair.member.id,
      canExclude: true,
    };
  });
  afterAll(async () => {
    clock.set(NOW);
    await app?.close();
  });

  async function status(memberId: string) {
    const r = await h
      .db()
      .selectFrom('members')
      .select('status')
      .where('id', '=', memberId)
      .executeTakeFirstOrThrow();
    return r.status;
  }

  const suspension = (caseId: string, endsOn: string, urgent = false) => ({
    caseId,
    kind: 'suspension' as const,
    urgent,
    reasons: 'Threats against another member in the chat.',
    clause: 'AUP 2.1',
    endsOn,
  });

  it('refuses a sanction before the hearing, and a suspension longer than 12 months', async () => {
    clock.set(NOW);
    const { member } = await createMemberUser(h.db());
    const { caseId } = await openTestCase(h.db(), { memberId: member.id });
    expect(
      await codeOf(
        decideCase(app.ctx, { handler: moderator, decision: suspension(caseId, '2027-05-01') }),
      ),
    ).toBe('moderation.hearing_required');
    expect(
      await codeOf(
        decideCase(app.ctx, {
          handler: moderator,
          decision: {
            caseId,
            kind: 'warning',
            urgent: false,
            reasons: 'x',
            clause: 'AUP 1',
            endsOn: null,
          },
        }),
      ),
    ).toBe('moderation.hearing_required');
    // A hearing sent but neither answered nor past its deadline is not enough.
    await hearTestCase(h.db(), { caseId, deadlineOn: '2027-04-10', answered: false });
    expect(
      await codeOf(
        decideCase(app.ctx, { handler: moderator, decision: suspension(caseId, '2027-05-01') }),
      ),
    ).toBe('moderation.hearing_required');
    await hearTestCase(h.db(), { caseId, deadlineOn: '2027-04-10' });
    expect(
      await codeOf(
        decideCase(app.ctx, { handler: moderator, decision: suspension(caseId, '2028-04-02') }),
      ),
    ).toBe('moderation.suspension_too_long');
    expect(
      await codeOf(
        decideCase(app.ctx, { handler: moderator, decision: suspension(caseId, TODAY) }),
      ),
    ).toBe('moderation.end_before_start');
    expect(await status(member.id)).toBe('active');
    // Exactly 12 months is allowed.
    expect(
      await codeOf(
        decideCase(app.ctx, { handler: moderator, decision: suspension(caseId, '2028-04-01') }),
      ),
    ).toBe('ok');
    expect(await status(member.id)).toBe('suspended');
  });

  it('never lets a moderator decide a case about themselves or one they reported', async () => {
    clock.set(NOW);
    const { member } = await createMemberUser(h.db());
    const own = await openTestCase(h.db(), { memberId: moderator.memberId! });
    const reported = await openTestCase(h.db(), {
      memberId: member.id,
      reporter: { memberId: moderator.memberId!, userId: moderator.actor.userId! },
    });
    for (const c of [own, reported]) {
      await hearTestCase(h.db(), { caseId: c.caseId, deadlineOn: '2027-04-10' });
      expect(
        await codeOf(
          decideCase(app.ctx, {
            handler: moderator,
            decision: suspension(c.caseId, '2027-05-01', true),
          }),
        ),
      ).toBe('moderation.own_case');
    }
  });

  it('lets only the board exclude, and shows the earlier violations', async () => {
    clock.set(NOW);
    const { member } = await createMemberUser(h.db());
    const first = await openTestCase(h.db(), { memberId: member.id });
    await hearTestCase(h.db(), { caseId: first.caseId, deadlineOn: '2027-04-10' });
    await decideCase(app.ctx, {
      handler: moderator,
      decision: {
        caseId: first.caseId,
        kind: 'warning',
        urgent: false,
        reasons: 'First warning.',
        clause: 'AUP 2.1',
        endsOn: null,
      },
    });
    const second = await openTestCase(h.db(), { memberId: member.id });
    await hearTestCase(h.db(), { caseId: second.caseId, deadlineOn: '2027-04-10' });
    const exclusion = {
      caseId: second.caseId,
      kind: 'exclusion' as const,
      urgent: false,
      reasons: 'Repeated violations after a warning.',
      clause: 'Statutes § 5',
      endsOn: null,
    };
    expect(await codeOf(decideCase(app.ctx, { handler: moderator, decision: exclusion }))).toBe(
      'moderation.exclude_board_only',
    );
    expect(await status(member.id)).toBe('active');
    const violations = await earlierViolations(h.db(), {
      memberId: member.id,
      exceptCaseId: second.caseId,
    });
    expect(violations.map((v) => [v.kind, v.caseNumber])).toEqual([['warning', first.number]]);
    await decideCase(app.ctx, { handler: board, decision: exclusion });
    expect(await status(member.id)).toBe('excluded');
    const mail = await h
      .db()
      .selectFrom('outbox')
      .select('payload')
      .where('kind', '=', 'email')
      .execute();
    expect(
      mail.some(
        (m) =>
          m.payload.includes('Statutes § 5') &&
          m.payload.includes('/moderation/appeals/new?decision='),
      ),
    ).toBe(true);
  });

  it('applies an urgent suspension at once and lifts it when not confirmed in time', async () => {
    clock.set(NOW);
    const { user, member } = await createMemberUser(h.db());
    await insertOidcArtefacts(h.db(), user.id);
    const { caseId } = await openTestCase(h.db(), { memberId: member.id });
    const { decisionId } = await decideCase(app.ctx, {
      handler: moderator,
      decision: suspension(caseId, '2027-06-30', true),
    });
    expect(await status(member.id)).toBe('suspended');
    // Every OpenID Connect artefact of the account is gone, in the same transaction.
    const left = await h
      .db()
      .selectFrom('oidc_payloads')
      .select('id')
      .where('account_id', '=', user.id)
      .execute();
    expect(left).toEqual([]);
    const d = await findDecision(h.db(), decisionId);
    expect(d?.urgent).toBe(true);
    expect(d?.confirmBy).toBe('2027-04-04T10:00:00.000Z');
    // Confirming needs the hearing.
    expect(await codeOf(confirmUrgentSuspension(app.ctx, { handler: moderator, decisionId }))).toBe(
      'moderation.hearing_required',
    );
    clock.set('2027-04-04T09:00:00Z');
    expect(await liftUnconfirmedUrgent(app.ctx)).toEqual({ lifted: 0 });
    clock.set('2027-04-04T10:30:00Z');
    expect(await liftUnconfirmedUrgent(app.ctx)).toEqual({ lifted: 1 });
    expect(await liftUnconfirmedUrgent(app.ctx)).toEqual({ lifted: 0 });
    expect(await status(member.id)).toBe('active');
    expect((await findDecision(h.db(), decisionId))?.liftReason).toBe('urgent_unconfirmed');
    const log = await h
      .db()
      .selectFrom('moderation_case_events')
      .select('action')
      .where('case_id', '=', caseId)
      .execute();
    expect(log.map((e) => e.action)).toContain('decision.lifted.urgent_unconfirmed');
  });

  it('keeps a confirmed urgent suspension past its confirm-by', async () => {
    clock.set(NOW);
    const { member } = await createMemberUser(h.db());
    const { caseId } = await openTestCase(h.db(), { memberId: member.id });
    const { decisionId } = await decideCase(app.ctx, {
      handler: moderator,
      decision: suspension(caseId, '2027-06-30', true),
    });
    await hearTestCase(h.db(), { caseId, deadlineOn: '2027-04-03' });
    await confirmUrgentSuspension(app.ctx, { handler: moderator, decisionId });
    clock.set('2027-04-05T10:00:00Z');
    await liftUnconfirmedUrgent(app.ctx);
    expect(await status(member.id)).toBe('suspended');
  });

  it('lifts an ended suspension exactly once, the day after its last day (Oslo)', async () => {
    clock.set(NOW);
    const { member } = await createMemberUser(h.db());
    const { caseId } = await openTestCase(h.db(), { memberId: member.id });
    await hearTestCase(h.db(), { caseId, deadlineOn: '2027-04-10' });
    const { decisionId } = await decideCase(app.ctx, {
      handler: moderator,
      decision: suspension(caseId, '2027-04-10'),
    });
    // 23:30 UTC on the 10th is already the 11th in Oslo, but the 10th is the last day.
    clock.set('2027-04-10T21:30:00Z');
    await liftEndedSuspensions(app.ctx);
    expect(await status(member.id)).toBe('suspended');
    clock.set('2027-04-10T22:30:00Z');
    const runs = await Promise.all([liftEndedSuspensions(app.ctx), liftEndedSuspensions(app.ctx)]);
    expect(runs.reduce((n, r) => n + r.lifted, 0)).toBeGreaterThanOrEqual(1);
    await liftEndedSuspensions(app.ctx);
    expect(await status(member.id)).toBe('active');
    const d = await findDecision(h.db(), decisionId);
    expect(d).toMatchObject({ state: 'lifted', liftReason: 'expired' });
    const lifts = await h
      .db()
      .selectFrom('member_status_changes')
      .select(['from_status', 'to_status'])
      .where('member_id', '=', member.id)
      .where('to_status', '=', 'active')
      .where('from_status', '=', 'suspended')
      .execute();
    expect(lifts).toHaveLength(1);
    // Through the job runner as well: nothing left to lift.
    clock.set('2027-04-12T04:00:00Z');
    await app.jobs.tick();
    expect(await listMemberDecisions(h.db(), member.id)).toHaveLength(1);
  });

  it('only closes the decision when the member lapsed meanwhile', async () => {
    clock.set(NOW);
    const { member } = await createMemberUser(h.db());
    const { caseId } = await openTestCase(h.db(), { memberId: member.id });
    await hearTestCase(h.db(), { caseId, deadlineOn: '2027-04-10' });
    const { decisionId } = await decideCase(app.ctx, {
      handler: moderator,
      decision: suspension(caseId, '2027-04-20'),
    });
    await h
      .db()
      .updateTable('members')
      .set({ status: 'resigned' })
      .where('id', '=', member.id)
      .execute();
    clock.set('2027-04-22T10:00:00Z');
    await liftEndedSuspensions(app.ctx);
    expect(await status(member.id)).toBe('resigned');
    expect((await findDecision(h.db(), decisionId))?.state).toBe('lifted');
  });

  it('takes an appeal once within the deadline, to the next ordinary GA', async () => {
    clock.set(NOW);
    const { user, member } = await createMemberUser(h.db());
    const other = await createMemberUser(h.db());
    const { caseId } = await openTestCase(h.db(), { memberId: member.id });
    await hearTestCase(h.db(), { caseId, deadlineOn: '2027-04-10' });
    const { decisionId } = await decideCase(app.ctx, {
      handler: moderator,
      decision: suspension(caseId, '2027-09-30'),
    });
    const actor = { userId: user.id, label: user.handle };
    const appeal = (memberId: string, text = 'I was provoked.') =>
      submitAppeal(app.ctx, { actor, memberId, decisionId, text });
    expect(await codeOf(appeal(other.member.id))).toBe('moderation.appeal_not_yours');
    clock.set('2027-04-23T10:00:00Z'); // 22 days later: past the 21-day deadline
    expect(await codeOf(appeal(member.id))).toBe('moderation.appeal_deadline_passed');
    clock.set('2027-04-22T10:00:00Z');
    const first = await appeal(member.id);
    expect(first.meeting).toBeNull();
    expect(await codeOf(appeal(member.id))).toBe('moderation.appeal_exists');
    // No GA yet: the appeal waits, and goes on the agenda once one is scheduled.
    const { meeting } = await scheduleMeeting(app.ctx, {
      actor: board.actor,
      meeting: {
        kind: 'ordinary',
        title: null,
        date: '2027-05-08',
        time: '18:00',
        format: 'online',
        place: null,
        url: 'https://meet.example.org/ga',
        description: null,
        items: '',
        request_key: `ga-${h.dialect}-${Date.now()}`,
      },
    });
    expect(await attachPendingAppeals(app.ctx)).toEqual({ attached: 1 });
    expect(await attachPendingAppeals(app.ctx)).toEqual({ attached: 0 });
    const row = await h
      .db()
      .selectFrom('moderation_appeals')
      .selectAll()
      .where('id', '=', first.appealId)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({ status: 'on_agenda', meeting_id: meeting.id });
    const proposal = await h
      .db()
      .selectFrom('proposals')
      .selectAll()
      .where('id', '=', row.proposal_id!)
      .executeTakeFirstOrThrow();
    expect(proposal.meeting_id).toBe(meeting.id);
    expect(proposal.member_id).toBe(member.id);
    expect(proposal.title).toContain('Anke');
    expect(proposal.kind).toBe('appeal'); // shown labelled as an appeal
    // The appellant cannot change or withdraw it as if it were an ordinary proposal.
    const appellant = { userId: user.id, label: user.handle };
    expect(
      await codeOf(
        withdrawOwnProposal(app.ctx, {
          actor: appellant,
          memberId: member.id,
          proposalId: proposal.id,
        }),
      ),
    ).toBe('governance.appeal_not_editable');
    expect(
      await codeOf(
        editOwnProposal(app.ctx, {
          actor: appellant,
          memberId: member.id,
          proposalId: proposal.id,
          title: 'Trekkes',
          body: 'x',
          amendmentText: null,
        }),
      ),
    ).toBe('governance.appeal_not_editable');
    expect(proposal.late).toBe(0); // in time: the deadline is 1 May, 7 days before
    // An appeal does not pause the suspension.
    expect(await status(member.id)).toBe('suspended');
    // Upheld by the GA: the board records it, the suspension is lifted.
    await recordAppealOutcome(app.ctx, {
      actor: board.actor,
      appealId: first.appealId,
      outcome: 'upheld',
      note: 'GA 2027',
    });
    expect(await status(member.id)).toBe('active');
    expect((await findDecision(h.db(), decisionId))?.liftReason).toBe('appeal_upheld');
    expect(
      await codeOf(
        recordAppealOutcome(app.ctx, {
          actor: board.actor,
          appealId: first.appealId,
          outcome: 'rejected',
          note: '',
        }),
      ),
    ).toBe('moderation.appeal_decided');
  });

  it('reinstates an excluded member when the GA upholds the appeal', async () => {
    clock.set('2027-05-01T10:00:00Z');
    const { user, member } = await createMemberUser(h.db());
    const { caseId } = await openTestCase(h.db(), { memberId: member.id });
    await hearTestCase(h.db(), { caseId, deadlineOn: '2027-04-20', answered: false });
    const { decisionId } = await decideCase(app.ctx, {
      handler: board,
      decision: {
        caseId,
        kind: 'exclusion',
        urgent: false,
        reasons: 'Organising for nazi aims.',
        clause: 'Statutes § 5',
        endsOn: null,
      },
    });
    expect(await status(member.id)).toBe('excluded');
    const { appealId, meeting } = await submitAppeal(app.ctx, {
      actor: { userId: user.id, label: user.handle },
      memberId: member.id,
      decisionId,
      text: 'Mistaken identity.',
    });
    expect(meeting).not.toBeNull(); // the GA scheduled in the test before
    await recordAppealOutcome(app.ctx, {
      actor: board.actor,
      appealId,
      outcome: 'upheld',
      note: 'Mistaken identity',
    });
    expect(await status(member.id)).toBe('active');
  });
});
