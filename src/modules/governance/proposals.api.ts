import type { Context } from 'hono';
import { z } from 'zod';
import type { AppEnv, CurrentUser } from '../../app/context.js';
import { CommonErrors } from '../../app/errors.js';
import { formText } from '../../app/forms.js';
import { actorOf } from '../../app/middleware.js';
import type { ApiRegistry } from '../api/openapi.js';
import {
  createdStatus,
  meetingFor,
  requestKeyFor,
  withOptionalRequestKey,
} from './governance.api-support.js';
import { GovernanceErrors } from './governance.errors.js';
import { PROPOSAL_KINDS, RECOMMENDATIONS } from './governance.tables.js';
import type { Meeting } from './meetings.repository.js';
import { today } from './meetings.routes.js';
import { proposalEditSchema, proposalSchema, recommendationSchema } from './meetings.schemas.js';
import { findProposal, listProposals, type Proposal } from './proposals.repository.js';
import {
  editOwnProposal,
  proposalAccess,
  recommendProposal,
  registerLateProposal,
  submitProposal,
  withdrawOwnProposal,
  type NewProposal,
} from './proposals.usecases.js';

// Proposals to a meeting under /api/v1: members submit, edit and withdraw their own and
// read the others once published; the board reads all, recommends and takes in late ones.

type C = Context<AppEnv>;

const TAG = 'governance';

const proposalApiSchema = withOptionalRequestKey(proposalSchema);
const lateProposalApiSchema = z
  .object({
    member_number: z.coerce.number().int().min(1),
    reason: formText(2000),
  })
  .and(proposalApiSchema);

const proposalResponse = z.object({
  id: z.string(),
  meetingId: z.string(),
  number: z.number().int(),
  kind: z.enum(PROPOSAL_KINDS),
  title: z.string(),
  body: z.string(),
  amendmentText: z.string().nullable(),
  amendmentLocale: z.enum(['nb', 'en']).nullable(),
  baseDocumentId: z.string().nullable(),
  status: z.enum(['submitted', 'withdrawn']),
  submittedAt: z.string(),
  author: z.object({ name: z.string(), memberNumber: z.number().int().nullable() }),
  own: z.boolean(),
  late: z.boolean(),
  lateDecidedBy: z.string().nullable(),
  lateReason: z.string().nullable(),
  recommendation: z.enum(RECOMMENDATIONS).nullable(),
  recommendationText: z.string().nullable(),
  recommendedAt: z.string().nullable(),
});

/** The board reads every proposal of a meeting, withdrawn ones too. */
function boardReads(user: CurrentUser | null): boolean {
  return !!user?.permissions.has('meetings.read') || !!user?.permissions.has('meetings.manage');
}

function presentProposal(p: Proposal, user: CurrentUser | null): z.infer<typeof proposalResponse> {
  return {
    id: p.id,
    meetingId: p.meetingId,
    number: p.number,
    kind: p.kind,
    title: p.title,
    body: p.body,
    amendmentText: p.amendmentText,
    amendmentLocale: p.amendmentLocale,
    baseDocumentId: p.baseDocumentId,
    status: p.status,
    submittedAt: p.submittedAt,
    // Members see the author's name, as on the page; the board also their number.
    author: { name: p.memberName, memberNumber: boardReads(user) ? p.memberNumber : null },
    own: !!user?.memberId && user.memberId === p.memberId,
    late: p.late,
    lateDecidedBy: p.lateDecidedLabel,
    lateReason: p.lateReason,
    recommendation: p.recommendation,
    recommendationText: p.recommendationText,
    recommendedAt: p.recommendedAt,
  };
}

function newProposal(
  c: C,
  input: z.output<typeof proposalApiSchema> | z.output<typeof lateProposalApiSchema>,
): NewProposal {
  return {
    kind: input.kind,
    title: input.title,
    body: input.body,
    amendmentText: input.amendment_text,
    amendmentLocale: input.amendment_locale,
    requestKey: requestKeyFor(c, input.request_key),
  };
}

/** Who reads which proposal: the pages' rule (proposalAccess), and the board reads all. */
function access(c: C, meeting: Meeting) {
  const user = c.get('user');
  if (boardReads(user)) return { all: true, own: user?.memberId ?? null, board: true };
  return { ...proposalAccess({ meeting, today: today(c), user }), board: false };
}

async function readableProposal(c: C): Promise<Proposal> {
  const meeting = await meetingFor(c, c.req.param('id') ?? '');
  const proposal = await findProposal(c.get('ctx').db, c.req.param('pid') ?? '');
  if (!proposal || proposal.meetingId !== meeting.id) throw GovernanceErrors.proposalNotFound();
  const a = access(c, meeting);
  if (!a.all && a.own !== proposal.memberId) throw CommonErrors.forbidden();
  return proposal;
}

/** The proposal of this meeting by id, for the use-cases that change it. */
async function proposalOfMeeting(c: C): Promise<Proposal> {
  const proposal = await findProposal(c.get('ctx').db, c.req.param('pid') ?? '');
  if (!proposal || proposal.meetingId !== c.req.param('id'))
    throw GovernanceErrors.proposalNotFound();
  return proposal;
}

async function reloaded(c: C, id: string) {
  const proposal = await findProposal(c.get('ctx').db, id);
  if (!proposal) throw GovernanceErrors.proposalNotFound();
  return presentProposal(proposal, c.get('user'));
}

export function registerProposalsApi(api: ApiRegistry): void {
  api.route(
    {
      method: 'get',
      path: '/meetings/:id/proposals',
      summary:
        "A meeting's proposals: members see their own, and all from the publication date; the board (governance:read) sees all, withdrawn ones too",
      tag: TAG,
      permission: null,
      response: z.array(proposalResponse),
    },
    async (c) => {
      const { db } = c.get('ctx');
      const meeting = await meetingFor(c, c.req.param('id') ?? '');
      const user = c.get('user');
      const a = access(c, meeting);
      if (!a.all && !a.own) return c.json([]);
      const list = await listProposals(db, {
        meetingId: meeting.id,
        ...(a.all ? {} : { memberId: a.own! }),
      });
      // Members see what was withdrawn only when it was their own, as on the meeting page.
      const shown = a.board
        ? list
        : list.filter((p) => p.status === 'submitted' || p.memberId === user?.memberId);
      return c.json(shown.map((p) => presentProposal(p, user)));
    },
  );

  api.route(
    {
      method: 'get',
      path: '/meetings/:id/proposals/:pid',
      summary: 'One proposal, to those who may read it',
      tag: TAG,
      permission: null,
      response: proposalResponse,
    },
    async (c) => c.json(presentProposal(await readableProposal(c), c.get('user'))),
  );

  api.route(
    {
      method: 'post',
      path: '/meetings/:id/proposals',
      summary:
        "A member submits a proposal, until the meeting's deadline. A statute or AUP amendment carries the whole new text (amendment_text). Send an Idempotency-Key header (or request_key): a retry returns the same proposal (200)",
      tag: TAG,
      permission: null,
      body: proposalApiSchema,
      response: proposalResponse,
    },
    async (c, { body }) => {
      const meeting = await meetingFor(c, c.req.param('id') ?? '');
      const user = c.get('user')!;
      const { proposalId, created } = await submitProposal(c.get('ctx'), {
        actor: actorOf(c),
        memberId: user.memberId,
        memberStatus: user.memberStatus,
        meetingId: meeting.id,
        proposal: newProposal(c, body),
      });
      return c.json(await reloaded(c, proposalId), createdStatus(c, created));
    },
  );

  api.route(
    {
      method: 'post',
      path: '/meetings/:id/proposals/late',
      summary:
        "The board takes in a member's proposal after the deadline by a recorded decision (member_number, reason). Idempotent like a submission",
      tag: TAG,
      permission: 'meetings.manage',
      body: lateProposalApiSchema,
      response: proposalResponse,
    },
    async (c, { body }) => {
      const { proposalId, created } = await registerLateProposal(c.get('ctx'), {
        actor: actorOf(c),
        meetingId: c.req.param('id') ?? '',
        memberNumber: body.member_number,
        reason: body.reason,
        proposal: newProposal(c, body),
      });
      return c.json(await reloaded(c, proposalId), createdStatus(c, created));
    },
  );

  api.route(
    {
      method: 'patch',
      path: '/meetings/:id/proposals/:pid',
      summary: 'The author changes their own proposal, until the deadline',
      tag: TAG,
      permission: null,
      body: proposalEditSchema,
      response: proposalResponse,
    },
    async (c, { body }) => {
      const proposal = await proposalOfMeeting(c);
      await editOwnProposal(c.get('ctx'), {
        actor: actorOf(c),
        memberId: c.get('user')?.memberId ?? null,
        proposalId: proposal.id,
        title: body.title,
        body: body.body,
        amendmentText: body.amendment_text,
      });
      return c.json(await reloaded(c, proposal.id));
    },
  );

  api.route(
    {
      method: 'post',
      path: '/meetings/:id/proposals/:pid/withdraw',
      summary: 'The author withdraws their own proposal, any time before the meeting',
      tag: TAG,
      permission: null,
      response: proposalResponse,
    },
    async (c) => {
      const proposal = await proposalOfMeeting(c);
      await withdrawOwnProposal(c.get('ctx'), {
        actor: actorOf(c),
        memberId: c.get('user')?.memberId ?? null,
        proposalId: proposal.id,
      });
      return c.json(await reloaded(c, proposal.id));
    },
  );

  api.route(
    {
      method: 'put',
      path: '/meetings/:id/proposals/:pid/recommendation',
      summary: "The board's recommendation on a proposal (adopt, reject or none), with a text",
      tag: TAG,
      permission: 'meetings.manage',
      body: recommendationSchema,
      response: proposalResponse,
    },
    async (c, { body }) => {
      const proposal = await proposalOfMeeting(c);
      await recommendProposal(c.get('ctx'), {
        actor: actorOf(c),
        proposalId: proposal.id,
        recommendation: body.recommendation,
        text: body.recommendation_text,
      });
      return c.json(await reloaded(c, proposal.id));
    },
  );
}
