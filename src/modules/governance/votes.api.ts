import type { Context } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../../app/context.js';
import { CommonErrors } from '../../app/errors.js';
import { formText } from '../../app/forms.js';
import { actorOf } from '../../app/middleware.js';
import type { ApiRegistry } from '../api/openapi.js';
import { receiptCounted } from './ballots.repository.js';
import { getGovernanceSettings } from './governance-settings.repository.js';
import { meetingFor, readsAsBoard } from './governance.api-support.js';
import type { Meeting } from './meetings.repository.js';
import { countPresent, findRegister, isOnRegister, isPresent } from './register.repository.js';
import {
  approveRegister,
  freezeRegister,
  loadMeetingRow,
  secretaryCheckIn,
  selfCheckIn,
} from './register.usecases.js';
import { VoteErrors } from './votes.errors.js';
import {
  countParticipation,
  countSecretRequests,
  findVote,
  hasVoted,
  listNamedVotes,
  listParticipants,
  listVotes,
  type Vote,
} from './votes.repository.js';
import { MAJORITY_RULES, VOTE_KINDS } from './votes.tables.js';
import {
  castVote,
  closeVote,
  createVote,
  openVote,
  recordOpenCounts,
  requestSecretBallot,
} from './votes.usecases.js';

// The register of voters, attendance and votes under /api/v1. The officers (the board, the
// meeting's chair and secretary) run them; members check in, ask for a secret ballot and
// vote. A secret vote's ballots are never read here, only their counts and a receipt check.

type C = Context<AppEnv>;

const TAG = 'governance';
const OFFICERS = 'For the board (meetings.manage) and the meeting’s chair and secretary.';

const registerResponse = z.object({
  frozen: z.boolean(),
  qualifyingOn: z.string().nullable(),
  paidCutoffOn: z.string().nullable(),
  eligibleCount: z.number().int().nullable(),
  frozenAt: z.string().nullable(),
  approvedAt: z.string().nullable(),
  approvedBy: z.string().nullable(),
  present: z.number().int(),
});

const tallyResponse = z.object({
  counts: z.record(z.string(), z.number().int()),
  cast: z.number().int(),
  blank: z.number().int(),
  present: z.number().int(),
  base: z.number().int(),
  required: z.number().int(),
  winner: z.string().nullable(),
  outcome: z.enum(['passed', 'failed', 'tie']),
});

const namedResponse = z
  .array(z.object({ memberNumber: z.number().int(), name: z.string(), choice: z.string() }))
  .nullable();

const voteResponse = z.object({
  id: z.string(),
  meetingId: z.string(),
  agendaItemId: z.string().nullable(),
  proposalId: z.string().nullable(),
  subject: z.string(),
  kind: z.enum(VOTE_KINDS),
  options: z.array(z.string()),
  rule: z.enum(MAJORITY_RULES),
  majority: z.object({
    numerator: z.number().int(),
    denominator: z.number().int(),
    base: z.enum(['present', 'cast']),
  }),
  status: z.enum(['draft', 'open', 'closed']),
  openedAt: z.string().nullable(),
  closedAt: z.string().nullable(),
  voted: z.number().int(),
  result: tallyResponse.nullable(),
  outcome: z.enum(['passed', 'failed', 'tie']).nullable(),
  /** A named vote's record (who voted what): once closed, or to the officers. */
  named: namedResponse,
});

const voteDetailResponse = voteResponse.extend({
  present: z.number().int(),
  secretRequests: z.number().int(),
  secretBallotThreshold: z.number().int(),
  you: z.object({ onRegister: z.boolean(), present: z.boolean(), voted: z.boolean() }).nullable(),
  /** Who has voted, never what: to the officers. */
  participants: z.array(z.object({ memberNumber: z.number().int(), name: z.string() })).nullable(),
});

const presentResponse = z.object({ present: z.number().int() });

const createVoteSchema = z.object({
  subject: formText(300),
  kind: z.enum(VOTE_KINDS),
  rule: z.enum(MAJORITY_RULES),
  agenda_item_id: z.string().max(40).optional(),
  proposal_id: z.string().max(40).optional(),
  /** Other options than yes/no/blank (an election's candidates); blank is added. */
  options: z.array(z.string().trim().min(1).max(200)).max(100).optional(),
});
const countsSchema = z.object({
  counts: z.record(z.string(), z.number().int().min(0).max(1_000_000)),
});
const attendanceSchema = z.object({
  member_number: z.coerce.number().int().positive(),
  action: z.enum(['in', 'out']).default('in'),
});
const ballotSchema = z.object({ choice: z.string().min(1).max(200) });
const receiptQuery = z.object({ code: z.string().trim().min(1).max(40) });

const meetingId = (c: C) => c.req.param('id') ?? '';
const voteId = (c: C) => c.req.param('voteId') ?? '';

async function registerOf(c: C, id: string): Promise<z.infer<typeof registerResponse>> {
  const { db } = c.get('ctx');
  const register = await findRegister(db, id);
  return {
    frozen: !!register,
    qualifyingOn: register?.qualifyingOn ?? null,
    paidCutoffOn: register?.paidCutoffOn ?? null,
    eligibleCount: register?.eligibleCount ?? null,
    frozenAt: register?.frozenAt ?? null,
    approvedAt: register?.approvedAt ?? null,
    approvedBy: register?.approvedBy ?? null,
    present: await countPresent(db, id),
  };
}

async function presentVote(
  c: C,
  vote: Vote,
  board: boolean,
): Promise<z.infer<typeof voteResponse>> {
  const { db } = c.get('ctx');
  return {
    id: vote.id,
    meetingId: vote.meetingId,
    agendaItemId: vote.agendaItemId,
    proposalId: vote.proposalId,
    subject: vote.subject,
    kind: vote.kind,
    options: vote.options,
    rule: vote.rule,
    majority: vote.majority,
    status: vote.status,
    openedAt: vote.openedAt,
    closedAt: vote.closedAt,
    voted: await countParticipation(db, vote.id),
    result: vote.result,
    outcome: vote.outcome,
    named:
      vote.kind === 'named' && (vote.status === 'closed' || board)
        ? await listNamedVotes(db, vote.id)
        : null,
  };
}

async function voteDetail(c: C, meeting: Meeting, vote: Vote) {
  const { db } = c.get('ctx');
  const user = c.get('user');
  const board = readsAsBoard(user, await loadMeetingRow(db, meeting.id));
  const memberId = user?.memberId;
  return {
    ...(await presentVote(c, vote, board)),
    present: await countPresent(db, meeting.id),
    secretRequests: await countSecretRequests(db, vote.id),
    secretBallotThreshold: (await getGovernanceSettings(db)).secretBallotThreshold,
    you: memberId
      ? {
          onRegister: await isOnRegister(db, meeting.id, memberId),
          present: await isPresent(db, meeting.id, memberId),
          voted: await hasVoted(db, vote.id, memberId),
        }
      : null,
    participants: board ? await listParticipants(db, vote.id) : null,
  };
}

async function loadVote(c: C): Promise<{ meeting: Meeting; vote: Vote }> {
  const meeting = await meetingFor(c, meetingId(c));
  const vote = await findVote(c.get('ctx').db, meeting.id, voteId(c));
  if (!vote) throw VoteErrors.voteNotFound();
  return { meeting, vote };
}

/** The vote as the officer who just changed it sees it. */
async function officerView(c: C, vote: Vote) {
  const meeting = await meetingFor(c, vote.meetingId);
  const fresh = await findVote(c.get('ctx').db, meeting.id, vote.id);
  return voteDetail(c, meeting, fresh ?? vote);
}

export function registerVotesApi(api: ApiRegistry): void {
  // --- the register of voters and attendance -----------------------------------------

  api.route(
    {
      method: 'get',
      path: '/meetings/:id/register',
      summary: `The register of voters: frozen or not, the qualifying date, the number of voters, approval, and the number present. ${OFFICERS} Also with governance:read.`,
      tag: TAG,
      permission: null,
      response: registerResponse,
    },
    async (c) => {
      const row = await loadMeetingRow(c.get('ctx').db, meetingId(c));
      if (!readsAsBoard(c.get('user'), row)) throw VoteErrors.notOfficer();
      return c.json(await registerOf(c, row.id));
    },
  );

  api.route(
    {
      method: 'post',
      path: '/meetings/:id/register/freeze',
      summary:
        'Freeze the register by rule (membership active and paid, held since the qualifying date); once only',
      tag: TAG,
      permission: 'meetings.manage',
      response: registerResponse,
    },
    async (c) => {
      await freezeRegister(c.get('ctx'), { actor: actorOf(c), meetingId: meetingId(c) });
      return c.json(await registerOf(c, meetingId(c)));
    },
  );

  api.route(
    {
      method: 'post',
      path: '/meetings/:id/register/approve',
      summary: `The meeting approves the frozen register (its first item). ${OFFICERS}`,
      tag: TAG,
      permission: null,
      response: registerResponse,
    },
    async (c) => {
      await approveRegister(c.get('ctx'), {
        actor: actorOf(c),
        user: c.get('user'),
        meetingId: meetingId(c),
      });
      return c.json(await registerOf(c, meetingId(c)));
    },
  );

  api.route(
    {
      method: 'post',
      path: '/meetings/:id/checkin',
      summary:
        "A member on the register checks in online while the meeting is in progress (the token's owner; no scope needed)",
      tag: TAG,
      permission: null,
      response: presentResponse,
    },
    async (c) => {
      const { present } = await selfCheckIn(c.get('ctx'), {
        actor: actorOf(c),
        memberId: c.get('user')?.memberId ?? null,
        meetingId: meetingId(c),
        locale: c.get('locale'),
      });
      return c.json({ present });
    },
  );

  api.route(
    {
      method: 'post',
      path: '/meetings/:id/attendance',
      summary: `The secretary checks a member on the register in (or out) in the room, by member number. ${OFFICERS}`,
      tag: TAG,
      permission: null,
      body: attendanceSchema,
      response: presentResponse,
    },
    async (c, { body }) => {
      const { present } = await secretaryCheckIn(c.get('ctx'), {
        actor: actorOf(c),
        user: c.get('user'),
        meetingId: meetingId(c),
        memberNumber: body.member_number,
        out: body.action === 'out',
      });
      return c.json({ present });
    },
  );

  api.route(
    {
      method: 'get',
      path: '/meetings/:id/present',
      summary: 'The number of voters present now (on the register, checked in, not left)',
      tag: TAG,
      permission: null,
      response: presentResponse,
    },
    async (c) => {
      const meeting = await meetingFor(c, meetingId(c));
      return c.json({ present: await countPresent(c.get('ctx').db, meeting.id) });
    },
  );

  // --- votes ----------------------------------------------------------------------

  api.route(
    {
      method: 'get',
      path: '/meetings/:id/votes',
      summary:
        "A meeting's votes with their results (counts, base, required, outcome). A named vote lists who voted what once closed; a secret vote never does",
      tag: TAG,
      permission: null,
      response: z.array(voteResponse),
    },
    async (c) => {
      const { db } = c.get('ctx');
      const meeting = await meetingFor(c, meetingId(c));
      const board = readsAsBoard(c.get('user'), await loadMeetingRow(db, meeting.id));
      const votes = await listVotes(db, meeting.id);
      const out = [];
      for (const v of votes) out.push(await presentVote(c, v, board));
      return c.json(out);
    },
  );

  api.route(
    {
      method: 'get',
      path: '/meetings/:id/votes/:voteId',
      summary:
        'One vote: result, how many have voted and are present, your own state (on the register, present, voted), and for the officers who has voted (never what, in a secret vote)',
      tag: TAG,
      permission: null,
      response: voteDetailResponse,
    },
    async (c) => {
      const { meeting, vote } = await loadVote(c);
      return c.json(await voteDetail(c, meeting, vote));
    },
  );

  api.route(
    {
      method: 'post',
      path: '/meetings/:id/votes',
      summary: `Create a vote (open, named or secret) on an agenda item or a proposal, by a majority rule; not yet open. ${OFFICERS}`,
      tag: TAG,
      permission: null,
      body: createVoteSchema,
      response: voteDetailResponse,
    },
    async (c, { body }) => {
      const options = body.options?.map((o) => o.trim()).filter(Boolean) ?? [];
      const { vote } = await createVote(c.get('ctx'), {
        actor: actorOf(c),
        user: c.get('user'),
        meetingId: meetingId(c),
        subject: body.subject,
        kind: body.kind,
        rule: body.rule,
        agendaItemId: body.agenda_item_id || null,
        proposalId: body.proposal_id || null,
        ...(options.length ? { options } : {}),
      });
      return c.json(await officerView(c, vote), 201);
    },
  );

  api.route(
    {
      method: 'post',
      path: '/meetings/:id/votes/:voteId/open',
      summary: `Open a vote; the number present is recorded. ${OFFICERS}`,
      tag: TAG,
      permission: null,
      response: voteDetailResponse,
    },
    async (c) => {
      await openVote(c.get('ctx'), {
        actor: actorOf(c),
        user: c.get('user'),
        meetingId: meetingId(c),
        voteId: voteId(c),
      });
      const { meeting, vote } = await loadVote(c);
      return c.json(await voteDetail(c, meeting, vote));
    },
  );

  api.route(
    {
      method: 'post',
      path: '/meetings/:id/votes/:voteId/close',
      summary: `Close a named or secret vote; the result is computed from the ballots. ${OFFICERS}`,
      tag: TAG,
      permission: null,
      response: voteDetailResponse,
    },
    async (c) => {
      const { vote } = await closeVote(c.get('ctx'), {
        actor: actorOf(c),
        user: c.get('user'),
        meetingId: meetingId(c),
        voteId: voteId(c),
      });
      return c.json(await officerView(c, vote));
    },
  );

  api.route(
    {
      method: 'post',
      path: '/meetings/:id/votes/:voteId/counts',
      summary: `Record an open vote's counts (a show of hands) per option; the result is computed and the vote closes. More votes than voters present is refused. ${OFFICERS}`,
      tag: TAG,
      permission: null,
      body: countsSchema,
      response: voteDetailResponse,
    },
    async (c, { body }) => {
      const vote = await findVote(c.get('ctx').db, meetingId(c), voteId(c));
      if (!vote) throw VoteErrors.voteNotFound();
      // An option the vote does not have would be dropped silently: say so instead.
      const unknown = Object.keys(body.counts).filter((k) => !vote.options.includes(k));
      if (unknown.length)
        throw CommonErrors.validation(
          undefined,
          Object.fromEntries(
            unknown.map((k) => [`counts.${k}`, VoteErrors.invalidChoice().messages]),
          ),
        );
      const { vote: closed } = await recordOpenCounts(c.get('ctx'), {
        actor: actorOf(c),
        user: c.get('user'),
        meetingId: meetingId(c),
        voteId: voteId(c),
        counts: body.counts,
      });
      return c.json(await officerView(c, closed));
    },
  );

  api.route(
    {
      method: 'post',
      path: '/meetings/:id/votes/:voteId/secret-request',
      summary:
        'A member present asks for a secret ballot before the vote opens; at the configured number of requests the vote becomes secret. Asking twice counts once',
      tag: TAG,
      permission: null,
      response: z.object({
        requests: z.number().int(),
        threshold: z.number().int(),
        secret: z.boolean(),
      }),
    },
    async (c) =>
      c.json(
        await requestSecretBallot(c.get('ctx'), {
          actor: actorOf(c),
          memberId: c.get('user')?.memberId ?? null,
          meetingId: meetingId(c),
          voteId: voteId(c),
          locale: c.get('locale'),
        }),
      ),
  );

  api.route(
    {
      method: 'post',
      path: '/meetings/:id/votes/:voteId/ballot',
      summary:
        "Cast the token owner's vote (a member on the register, checked in). A secret vote answers with a receipt code, shown this once: keep it to check that the ballot was counted. A second vote is refused (409 votes.already_voted)",
      tag: TAG,
      permission: null,
      body: ballotSchema,
      response: z.object({
        voteId: z.string(),
        kind: z.enum(VOTE_KINDS),
        receipt: z.string().nullable(),
      }),
    },
    async (c, { body }) => {
      const { receipt, vote } = await castVote(c.get('ctx'), {
        memberId: c.get('user')?.memberId ?? null,
        meetingId: meetingId(c),
        voteId: voteId(c),
        choice: body.choice,
        locale: c.get('locale'),
      });
      // The receipt code is stored nowhere (only its hash, on the ballot): never cached.
      c.header('cache-control', 'no-store');
      return c.json({ voteId: vote.id, kind: vote.kind, receipt }, 201);
    },
  );

  api.route(
    {
      method: 'get',
      path: '/meetings/:id/votes/:voteId/receipt',
      summary:
        'Check a secret ballot’s receipt code: whether a ballot with it was counted (never what it says). Public, as the receipt page',
      tag: TAG,
      permission: null,
      auth: 'optional',
      query: receiptQuery,
      response: z.object({ counted: z.boolean() }),
    },
    async (c, { query }) => {
      const { vote } = await loadVote(c);
      c.header('cache-control', 'no-store');
      return c.json({ counted: await receiptCounted(c.get('ctx').db, vote.id, query.code) });
    },
  );

  api.route(
    {
      method: 'get',
      path: '/meetings/:id/votes/:voteId/results',
      summary:
        'Live results for polling: how many have voted of those present, and once closed the result. Public, as the results page',
      tag: TAG,
      permission: null,
      auth: 'optional',
      response: z.object({
        id: z.string(),
        subject: z.string(),
        kind: z.enum(VOTE_KINDS),
        status: z.enum(['draft', 'open', 'closed']),
        voted: z.number().int(),
        present: z.number().int(),
        outcome: z.enum(['passed', 'failed', 'tie']).nullable(),
        result: tallyResponse.nullable(),
      }),
    },
    async (c) => {
      const { db } = c.get('ctx');
      const { meeting, vote } = await loadVote(c);
      c.header('cache-control', 'no-store');
      return c.json({
        id: vote.id,
        subject: vote.subject,
        kind: vote.kind,
        status: vote.status,
        voted: await countParticipation(db, vote.id),
        present: await countPresent(db, meeting.id),
        outcome: vote.outcome,
        result: vote.result,
      });
    },
  );
}
