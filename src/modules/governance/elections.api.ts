import type { Context } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../../app/context.js';
import { actorOf } from '../../app/middleware.js';
import { OFFICES } from '../members/members.tables.js';
import type { ApiRegistry } from '../api/openapi.js';
import { electionResults } from './elections-voting.usecases.js';
import { ElectionErrors } from './elections.errors.js';
import {
  findElection,
  isStanding,
  listCandidates,
  listElections,
  type Candidate,
  type Election,
} from './elections.repository.js';
import { nominateApiSchema } from './elections.schemas.js';
import { nominate } from './elections-nominations.usecases.js';
import { termDates } from './elections.usecases.js';
import { ELECTION_STATUSES } from './governance.tables.js';
import type { Meeting } from './meetings.repository.js';
import { visibleMeeting } from './meetings.routes.js';

// Elections under /api/v1: a meeting's elections, their candidates and results, and
// nominating (oneself, or another member who then accepts on the election's page). The
// set-up, the vote and its decision are the pages' (the officers run them in the room).

type C = Context<AppEnv>;
const TAG = 'governance';

const electionResponse = z.object({
  id: z.string(),
  meetingId: z.string(),
  office: z.enum(OFFICES),
  title: z.string().nullable(),
  seats: z.number().int(),
  termMonths: z.number().int(),
  termStartsOn: z.string(),
  termEndsOn: z.string(),
  status: z.enum(ELECTION_STATUSES),
  candidates: z.number().int(),
  decidedAt: z.string().nullable(),
});

const candidateResponse = z.object({
  id: z.string(),
  memberNumber: z.number().int(),
  name: z.string(),
  statement: z.string().nullable(),
  selfNominated: z.boolean(),
  accepted: z.boolean(),
  withdrawn: z.boolean(),
  votes: z.number().int().nullable(),
  rank: z.number().int().nullable(),
  elected: z.boolean(),
});

const resultsResponse = z.object({
  id: z.string(),
  office: z.enum(OFFICES),
  seats: z.number().int(),
  status: z.enum(ELECTION_STATUSES),
  tie: z.boolean(),
  decidedAt: z.string().nullable(),
  byAcclamation: z.boolean(),
  candidates: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      memberNumber: z.number().int(),
      votes: z.number().int().nullable(),
      rank: z.number().int().nullable(),
      elected: z.boolean(),
    }),
  ),
  rounds: z.array(
    z.object({
      voteId: z.string(),
      status: z.string(),
      counts: z.record(z.string(), z.number().int()).nullable(),
      cast: z.number().int().nullable(),
      blank: z.number().int().nullable(),
    }),
  ),
});

function presentElection(e: Election, candidates: number): z.infer<typeof electionResponse> {
  return {
    id: e.id,
    meetingId: e.meetingId,
    office: e.office,
    title: e.title,
    seats: e.seats,
    termMonths: e.termMonths,
    termStartsOn: e.termStartsOn,
    termEndsOn: termDates(e).endsOn,
    status: e.status,
    candidates,
    decidedAt: e.decidedAt,
  };
}

function presentCandidate(x: Candidate): z.infer<typeof candidateResponse> {
  return {
    id: x.id,
    memberNumber: x.memberNumber,
    name: x.name,
    statement: x.statement,
    selfNominated: x.selfNominated,
    accepted: !!x.acceptedAt,
    withdrawn: !!x.withdrawnAt,
    votes: x.votes,
    rank: x.rank,
    elected: x.elected,
  };
}

async function electionOf(c: C): Promise<{ meeting: Meeting; election: Election }> {
  const meeting = await visibleMeeting(c, c.req.param('id') ?? '');
  const election = await findElection(c.get('ctx').db, meeting.id, c.req.param('electionId') ?? '');
  if (!election) throw ElectionErrors.notFound();
  return { meeting, election };
}

export function registerElectionsApi(api: ApiRegistry): void {
  api.route(
    {
      method: 'get',
      path: '/meetings/:id/elections',
      summary: "A meeting's elections: office, seats, term and status",
      tag: TAG,
      permission: null,
      response: z.object({ elections: z.array(electionResponse) }),
    },
    async (c) => {
      const { db } = c.get('ctx');
      const meeting = await visibleMeeting(c, c.req.param('id') ?? '');
      const elections = [];
      for (const e of await listElections(db, meeting.id))
        elections.push(
          presentElection(e, (await listCandidates(db, e.id)).filter(isStanding).length),
        );
      return c.json({ elections });
    },
  );

  api.route(
    {
      method: 'get',
      path: '/meetings/:id/elections/:electionId/candidates',
      summary: "An election's nominations: who stands, who has not yet answered",
      tag: TAG,
      permission: null,
      response: z.object({ candidates: z.array(candidateResponse) }),
    },
    async (c) => {
      const { election } = await electionOf(c);
      const all = await listCandidates(c.get('ctx').db, election.id);
      return c.json({ candidates: all.filter((x) => !x.withdrawnAt).map(presentCandidate) });
    },
  );

  api.route(
    {
      method: 'post',
      path: '/meetings/:id/elections/:electionId/nominations',
      summary:
        'Nominate yourself (`self`: standing at once) or another member by number (who must accept)',
      tag: TAG,
      permission: null,
      body: nominateApiSchema,
      response: z.object({ candidate: candidateResponse }),
    },
    async (c, { body }) => {
      const { meeting, election } = await electionOf(c);
      const { candidate } = await nominate(c.get('ctx'), {
        actor: actorOf(c),
        user: c.get('user'),
        meetingId: meeting.id,
        electionId: election.id,
        self: body.self,
        memberNumber: body.memberNumber ?? null,
        statement: body.statement || null,
        inRoom: false,
      });
      return c.json({ candidate: presentCandidate(candidate) });
    },
  );

  api.route(
    {
      method: 'get',
      path: '/meetings/:id/elections/:electionId/results',
      summary: 'The result: votes per candidate in each round, rank, elected, ties',
      tag: TAG,
      permission: null,
      response: resultsResponse,
    },
    async (c) => {
      const { db } = c.get('ctx');
      const { election } = await electionOf(c);
      return c.json(await electionResults(db, election));
    },
  );
}
