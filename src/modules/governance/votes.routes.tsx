import { Hono, type Context } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../../app/context.js';
import { emptyForm, formText, formValues, handleForm, type FormState } from '../../app/forms.js';
import { redirectWithFlash } from '../../app/flash.js';
import { page } from '../../app/layout.js';
import { actorOf, requireUser } from '../../app/middleware.js';
import { receiptCounted } from './ballots.repository.js';
import { listCandidates } from './elections.repository.js';
import { getGovernanceSettings } from './governance-settings.repository.js';
import { listAgenda, type Meeting } from './meetings.repository.js';
import { visibleMeeting } from './meetings.routes.js';
import { listProposals } from './proposals.repository.js';
import { countPresent, isOnRegister, isPresent } from './register.repository.js';
import { countPresentByProxy } from './proxies.repository.js';
import { heldBallots } from './proxies.usecases.js';
import { ProxyBallots } from './proxies.views.js';
import { isMeetingOfficer, loadMeetingRow } from './register.usecases.js';
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
import { ReceiptCheckPage, ReceiptPage, ResultsPage, VotePage, VotesPage } from './votes.views.js';

type C = Context<AppEnv>;

const empty = z.object({});
const createSchema = z.object({
  subject: formText(300),
  kind: z.enum(VOTE_KINDS),
  rule: z.enum(MAJORITY_RULES),
  agenda_item_id: z.string().optional().default(''),
  proposal_id: z.string().optional().default(''),
  options: z.string().max(2000).optional().default(''),
});
const ballotSchema = z.object({
  choice: z.string().min(1).max(200),
  // A proxy vote: the member id of the grantor (checked against the proxies held).
  on_behalf_of: z.string().max(64).optional().default(''),
});

async function officerOf(c: C, meetingId: string): Promise<boolean> {
  return isMeetingOfficer(c.get('user'), await loadMeetingRow(c.get('ctx').db, meetingId));
}

async function voterState(c: C, meeting: Meeting) {
  const memberId = c.get('user')?.memberId;
  if (!memberId) return null;
  const { db } = c.get('ctx');
  return {
    onRegister: await isOnRegister(db, meeting.id, memberId),
    present: await isPresent(db, meeting.id, memberId),
  };
}

/** Candidate names by candidate id, for the options of the listed election votes. */
async function candidateNames(c: C, votes: Vote[]): Promise<Record<string, string>> {
  const names: Record<string, string> = {};
  const elections = new Set(votes.flatMap((v) => (v.electionRef ? [v.electionRef] : [])));
  for (const electionId of elections)
    for (const candidate of await listCandidates(c.get('ctx').db, electionId))
      names[candidate.id] = candidate.name;
  return names;
}

/** An election's vote is shown on the election's pages, where options have names. */
function electionPath(meetingId: string, vote: Vote): string | null {
  return vote.electionRef ? `/meetings/${meetingId}/elections/${vote.electionRef}` : null;
}

async function renderVotes(c: C, state: FormState, status = 200) {
  const { db } = c.get('ctx');
  const meeting = await visibleMeeting(c, c.req.param('id') ?? '');
  const officer = await officerOf(c, meeting.id);
  const votes = await listVotes(db, meeting.id);
  return page(c, {
    title: c.get('t')('votes.title'),
    status,
    body: (
      <VotesPage
        c={c}
        meeting={meeting}
        votes={votes}
        candidateNames={await candidateNames(c, votes)}
        agenda={officer ? await listAgenda(db, meeting.id) : []}
        proposals={
          officer
            ? (await listProposals(db, { meetingId: meeting.id })).filter(
                (p) => p.status === 'submitted',
              )
            : []
        }
        officer={officer}
        voter={await voterState(c, meeting)}
        present={await countPresent(db, meeting.id)}
        state={state}
        proxiesEnabled={(await getGovernanceSettings(db)).proxiesEnabled}
      />
    ),
  });
}

async function loadVote(c: C): Promise<{ meeting: Meeting; vote: Vote }> {
  const meeting = await visibleMeeting(c, c.req.param('id') ?? '');
  const vote = await findVote(c.get('ctx').db, meeting.id, c.req.param('voteId') ?? '');
  if (!vote) throw VoteErrors.voteNotFound();
  return { meeting, vote };
}

async function renderVote(c: C, state: FormState, status = 200) {
  const { db } = c.get('ctx');
  const { meeting, vote } = await loadVote(c);
  const officer = await officerOf(c, meeting.id);
  const voter = await voterState(c, meeting);
  const memberId = c.get('user')?.memberId;
  return page(c, {
    title: vote.subject,
    status,
    body: (
      <VotePage
        c={c}
        meeting={meeting}
        vote={vote}
        officer={officer}
        voter={
          voter && memberId ? { ...voter, voted: await hasVoted(db, vote.id, memberId) } : null
        }
        secretRequests={await countSecretRequests(db, vote.id)}
        threshold={(await getGovernanceSettings(db)).secretBallotThreshold}
        voted={await countParticipation(db, vote.id)}
        present={await countPresent(db, meeting.id)}
        byProxy={await countPresentByProxy(db, meeting.id)}
        proxyBallots={
          // A holder present casts a separate ballot for each member whose proxy they hold.
          memberId &&
          voter?.present &&
          vote.status === 'open' &&
          vote.kind !== 'open' &&
          !vote.electionRef ? (
            <ProxyBallots
              c={c}
              vote={vote}
              held={await heldBallots(db, {
                meetingId: meeting.id,
                voteId: vote.id,
                holderId: memberId,
              })}
            />
          ) : null
        }
        // Officers see who has voted — never what, in a secret vote.
        participants={officer ? await listParticipants(db, vote.id) : null}
        // A named vote's record is part of the minutes: shown to members once closed.
        named={
          vote.kind === 'named' && (vote.status === 'closed' || officer)
            ? await listNamedVotes(db, vote.id)
            : null
        }
        state={state}
      />
    ),
  });
}

/** Votes on agenda items and proposals: open, named and secret. */
export function votesRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const user = requireUser();
  const path = (c: C) => `/meetings/${c.req.param('id')}/votes/${c.req.param('voteId')}`;

  app.get('/meetings/:id/votes', user, (c) =>
    renderVotes(c, emptyForm({ kind: 'open', rule: 'simple' })),
  );

  app.post('/meetings/:id/votes', user, (c) =>
    handleForm(c, {
      schema: createSchema,
      render: (state, status) => renderVotes(c, state, status),
      run: async (input) => {
        const options = input.options
          .split('\n')
          .map((o) => o.trim())
          .filter(Boolean);
        const { vote } = await createVote(c.get('ctx'), {
          actor: actorOf(c),
          user: c.get('user'),
          meetingId: c.req.param('id'),
          subject: input.subject,
          kind: input.kind,
          rule: input.rule,
          agendaItemId: input.agenda_item_id || null,
          proposalId: input.proposal_id || null,
          ...(options.length ? { options } : {}),
        });
        return redirectWithFlash(
          c,
          `/meetings/${c.req.param('id')}/votes/${vote.id}`,
          'votes.created',
        );
      },
    }),
  );

  app.get('/meetings/:id/votes/:voteId', user, async (c) => {
    const { meeting, vote } = await loadVote(c);
    const election = electionPath(meeting.id, vote);
    if (election) return c.redirect(election, 303);
    return renderVote(c, emptyForm());
  });

  app.post('/meetings/:id/votes/:voteId/secret-request', user, (c) =>
    handleForm(c, {
      schema: empty,
      render: (state, status) => renderVote(c, state, status),
      run: async () => {
        const r = await requestSecretBallot(c.get('ctx'), {
          actor: actorOf(c),
          memberId: c.get('user')?.memberId ?? null,
          meetingId: c.req.param('id'),
          voteId: c.req.param('voteId'),
          locale: c.get('locale'),
        });
        return redirectWithFlash(
          c,
          path(c),
          r.secret ? 'votes.secret_request.now_secret' : 'votes.secret_request.done',
        );
      },
    }),
  );

  app.post('/meetings/:id/votes/:voteId/open', user, (c) =>
    handleForm(c, {
      schema: empty,
      render: (state, status) => renderVote(c, state, status),
      run: async () => {
        await openVote(c.get('ctx'), {
          actor: actorOf(c),
          user: c.get('user'),
          meetingId: c.req.param('id'),
          voteId: c.req.param('voteId'),
        });
        return redirectWithFlash(c, path(c), 'votes.opened');
      },
    }),
  );

  app.post('/meetings/:id/votes/:voteId/close', user, (c) =>
    handleForm(c, {
      schema: empty,
      render: (state, status) => renderVote(c, state, status),
      run: async () => {
        await closeVote(c.get('ctx'), {
          actor: actorOf(c),
          user: c.get('user'),
          meetingId: c.req.param('id'),
          voteId: c.req.param('voteId'),
        });
        return redirectWithFlash(c, `${path(c)}/results`, 'votes.closed');
      },
    }),
  );

  app.post('/meetings/:id/votes/:voteId/counts', user, async (c) => {
    const values = await formValues(c);
    const vote = await findVote(c.get('ctx').db, c.req.param('id'), c.req.param('voteId'));
    if (!vote) throw VoteErrors.voteNotFound();
    const shape: Record<string, z.ZodType<number>> = {};
    vote.options.forEach(
      (_, i) => (shape[`count_${i}`] = z.coerce.number().int().min(0).max(1_000_000)),
    );
    return handleForm(c, {
      schema: z.object(shape),
      values,
      render: (state, status) => renderVote(c, state, status),
      run: async (input) => {
        const counts: Record<string, number> = {};
        vote.options.forEach((o, i) => (counts[o] = input[`count_${i}`] ?? 0));
        await recordOpenCounts(c.get('ctx'), {
          actor: actorOf(c),
          user: c.get('user'),
          meetingId: c.req.param('id'),
          voteId: c.req.param('voteId'),
          counts,
        });
        return redirectWithFlash(c, `${path(c)}/results`, 'votes.closed');
      },
    });
  });

  app.post('/meetings/:id/votes/:voteId/ballot', user, (c) =>
    handleForm(c, {
      schema: ballotSchema,
      render: (state, status) => renderVote(c, state, status),
      run: async (input) => {
        // No reads before the use-case: a voter on the register may see the meeting.
        const { receipt, vote } = await castVote(c.get('ctx'), {
          memberId: c.get('user')?.memberId ?? null,
          meetingId: c.req.param('id'),
          voteId: c.req.param('voteId'),
          choice: input.choice,
          locale: c.get('locale'),
          onBehalfOf: input.on_behalf_of || null,
        });
        if (!receipt)
          return redirectWithFlash(
            c,
            path(c),
            input.on_behalf_of ? 'proxies.ballot.done' : 'votes.ballot.done',
          );
        // Shown once: the code itself is stored nowhere, only its hash on the ballot.
        c.header('cache-control', 'no-store');
        return page(c, {
          title: c.get('t')('votes.receipt.title'),
          body: <ReceiptPage c={c} vote={vote} receipt={receipt} />,
        });
      },
    }),
  );

  app.get('/meetings/:id/votes/:voteId/receipt', async (c) => {
    const { meeting, vote } = await loadVote(c);
    const code = (c.req.query('code') ?? '').slice(0, 40);
    const counted = code ? await receiptCounted(c.get('ctx').db, vote.id, code) : null;
    return page(c, {
      title: c.get('t')('votes.receipt.check'),
      body: <ReceiptCheckPage c={c} meeting={meeting} vote={vote} code={code} counted={counted} />,
    });
  });

  // Live results for a phone: the page asks to be reloaded every 5 s while the vote runs
  // (a Refresh header and a meta refresh: no JavaScript needed); JSON for scripts.
  app.get('/meetings/:id/votes/:voteId/results', async (c) => {
    const { db } = c.get('ctx');
    const { meeting, vote } = await loadVote(c);
    const voted = await countParticipation(db, vote.id);
    const present = await countPresent(db, meeting.id);
    c.header('cache-control', 'no-store');
    if ((c.req.header('accept') ?? '').includes('application/json'))
      return c.json({
        id: vote.id,
        subject: vote.subject,
        kind: vote.kind,
        status: vote.status,
        voted,
        present,
        outcome: vote.outcome,
        result: vote.result,
      });
    const election = electionPath(meeting.id, vote);
    if (election) return c.redirect(`${election}/results`, 303);
    if (vote.status !== 'closed') c.header('refresh', '5');
    return page(c, {
      title: vote.subject,
      body: <ResultsPage c={c} meeting={meeting} vote={vote} voted={voted} present={present} />,
    });
  });

  return app;
}
