import { Hono, type Context } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../../app/context.js';
import { emptyForm, formValues, handleForm, type FormState } from '../../app/forms.js';
import { redirectWithFlash } from '../../app/flash.js';
import { newToken } from '../../app/ids.js';
import { page } from '../../app/layout.js';
import { actorOf, requirePermission, requireUser } from '../../app/middleware.js';
import {
  declareAcclamation,
  drawLots,
  startElectionVote,
  startRunoff,
  currentTie,
  closeElectionVote,
  electionResults,
  electionVotes,
} from './elections-voting.usecases.js';
import { ElectionErrors } from './elections.errors.js';
import {
  findElection,
  isStanding,
  listCandidates,
  listElections,
  type Election,
} from './elections.repository.js';
import {
  ballotMarks,
  createElectionSchema,
  nominateSchema,
  roomNominationSchema,
  standardElectionsSchema,
} from './elections.schemas.js';
import {
  createElection,
  createStandardElections,
  electionName,
  standardElectionSpecs,
} from './elections.usecases.js';
import { getGovernanceSettings } from './governance-settings.repository.js';
import { answerNomination, nominate, withdrawCandidate } from './elections-nominations.usecases.js';
import { ElectionPage, ElectionsPage, type ElectionView } from './elections.views.js';
import { BallotPage, ElectionReceiptPage, ElectionResultsPage } from './elections-ballot.views.js';
import { listAgenda, type Meeting } from './meetings.repository.js';
import { visibleMeeting } from './meetings.routes.js';
import { countPresent, isOnRegister, isPresent } from './register.repository.js';
import { isMeetingOfficer, loadMeetingRow } from './register.usecases.js';
import { countParticipation, findVote, hasVoted } from './votes.repository.js';
import { castVote } from './votes.usecases.js';

type C = Context<AppEnv>;
const empty = z.object({});

async function loadElection(c: C): Promise<{ meeting: Meeting; election: Election }> {
  const meeting = await visibleMeeting(c, c.req.param('id') ?? '');
  const election = await findElection(c.get('ctx').db, meeting.id, c.req.param('electionId') ?? '');
  if (!election) throw ElectionErrors.notFound();
  return { meeting, election };
}

async function renderList(c: C, state: FormState, status = 200) {
  const { db } = c.get('ctx');
  const meeting = await visibleMeeting(c, c.req.param('id') ?? '');
  const canManage = !!c.get('user')?.permissions.has('meetings.manage');
  const elections = await listElections(db, meeting.id);
  const rows = [];
  for (const election of elections)
    rows.push({
      election,
      standing: (await listCandidates(db, election.id)).filter(isStanding).length,
    });
  // What the one-click standard elections would create, by the current settings.
  const offersStandard =
    canManage &&
    elections.length === 0 &&
    (meeting.kind === 'founding' || meeting.kind === 'ordinary');
  const standard = offersStandard
    ? await standardElectionSpecs(db, meeting, await getGovernanceSettings(db))
    : [];
  return page(c, {
    title: c.get('t')('elections.title'),
    status,
    body: (
      <ElectionsPage
        c={c}
        meeting={meeting}
        elections={rows}
        standard={standard}
        agenda={canManage ? await listAgenda(db, meeting.id) : []}
        canManage={canManage}
        state={state}
        requestKey={state.values['request_key'] ?? newToken(12)}
      />
    ),
  });
}

/** What the election page shows this user. */
export async function electionView(
  c: C,
  meeting: Meeting,
  election: Election,
): Promise<ElectionView> {
  const { db } = c.get('ctx');
  const user = c.get('user');
  const row = await loadMeetingRow(db, meeting.id);
  const vote = election.voteId ? await findVote(db, meeting.id, election.voteId) : null;
  const memberId = user?.memberId ?? null;
  return {
    election,
    candidates: await listCandidates(db, election.id),
    vote,
    voted: vote ? await countParticipation(db, vote.id) : 0,
    present: await countPresent(db, meeting.id),
    tie: await currentTie(db, election),
    me: memberId
      ? {
          memberId,
          mayVote:
            (await isOnRegister(db, meeting.id, memberId)) &&
            (await isPresent(db, meeting.id, memberId)),
          hasVoted: vote ? await hasVoted(db, vote.id, memberId) : false,
        }
      : null,
    officer: isMeetingOfficer(user, row),
    meetingLive: meeting.status === 'in_progress' || meeting.status === 'scheduled',
  };
}

async function renderElection(c: C, state: FormState, status = 200) {
  const { meeting, election } = await loadElection(c);
  return page(c, {
    title: electionName(c.get('t'), election),
    status,
    body: (
      <ElectionPage
        c={c}
        meeting={meeting}
        view={await electionView(c, meeting, election)}
        state={state}
      />
    ),
  });
}

async function renderBallot(c: C, state: FormState, status = 200) {
  const { db } = c.get('ctx');
  const { meeting, election } = await loadElection(c);
  const vote = election.voteId ? await findVote(db, meeting.id, election.voteId) : null;
  if (!vote || vote.status !== 'open') throw ElectionErrors.notVoting();
  const candidates = await listCandidates(db, election.id);
  const already = candidates.filter((x) => x.elected).length;
  return page(c, {
    title: c.get('t')('elections.ballot.title', { election: electionName(c.get('t'), election) }),
    status,
    body: (
      <BallotPage
        c={c}
        meeting={meeting}
        election={election}
        vote={vote}
        candidates={candidates}
        seatsOpen={election.seats - already}
        state={state}
      />
    ),
  });
}

/** Elections at a meeting: set-up, nominations, the ballot, the result. */
export function electionsRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const user = requireUser();
  const manage = requirePermission('meetings.manage');
  const base = (c: C) => `/meetings/${c.req.param('id')}/elections/${c.req.param('electionId')}`;
  const ids = (c: C) => ({
    actor: actorOf(c),
    user: c.get('user'),
    meetingId: c.req.param('id') ?? '',
    electionId: c.req.param('electionId') ?? '',
  });

  app.get('/meetings/:id/elections', user, (c) => renderList(c, emptyForm()));

  app.post('/meetings/:id/elections', manage, (c) =>
    handleForm(c, {
      schema: createElectionSchema,
      render: (state, status) => renderList(c, state, status),
      run: async (v) => {
        const { election } = await createElection(c.get('ctx'), {
          actor: actorOf(c),
          user: c.get('user'),
          meetingId: c.req.param('id'),
          office: v.office,
          title: v.title,
          seats: v.seats,
          termMonths: v.term_months,
          termStartsOn: v.term_starts_on,
          agendaItemId: v.agenda_item_id || null,
          requestKey: v.request_key,
        });
        return redirectWithFlash(
          c,
          `/meetings/${c.req.param('id')}/elections/${election.id}`,
          'elections.created',
        );
      },
    }),
  );

  app.post('/meetings/:id/elections/standard', manage, (c) =>
    handleForm(c, {
      schema: standardElectionsSchema,
      render: (state, status) => renderList(c, state, status),
      run: async (v) => {
        await createStandardElections(c.get('ctx'), {
          actor: actorOf(c),
          user: c.get('user'),
          meetingId: c.req.param('id'),
          requestKey: v.request_key,
        });
        return redirectWithFlash(
          c,
          `/meetings/${c.req.param('id')}/elections`,
          'elections.standard.created',
        );
      },
    }),
  );

  app.get('/meetings/:id/elections/:electionId', user, (c) => renderElection(c, emptyForm()));

  app.post('/meetings/:id/elections/:electionId/nominations', user, (c) =>
    handleForm(c, {
      schema: nominateSchema,
      render: (state, status) => renderElection(c, state, status),
      run: async (v) => {
        await nominate(c.get('ctx'), {
          ...ids(c),
          self: v.self,
          memberNumber: v.self ? null : Number(v.member_number),
          statement: v.statement,
          inRoom: false,
        });
        return redirectWithFlash(c, base(c), 'elections.nomination.done');
      },
    }),
  );

  app.post('/meetings/:id/elections/:electionId/nominations/room', user, (c) =>
    handleForm(c, {
      schema: roomNominationSchema,
      render: (state, status) => renderElection(c, state, status),
      run: async (v) => {
        await nominate(c.get('ctx'), {
          ...ids(c),
          self: false,
          memberNumber: v.member_number,
          statement: v.statement,
          inRoom: true,
        });
        return redirectWithFlash(c, base(c), 'elections.nomination.done');
      },
    }),
  );

  for (const answer of ['accept', 'decline'] as const)
    app.post(`/meetings/:id/elections/:electionId/candidates/:candidateId/${answer}`, user, (c) =>
      handleForm(c, {
        schema: empty,
        render: (state, status) => renderElection(c, state, status),
        run: async () => {
          await answerNomination(c.get('ctx'), {
            ...ids(c),
            candidateId: c.req.param('candidateId') ?? '',
            accept: answer === 'accept',
          });
          return redirectWithFlash(
            c,
            base(c),
            answer === 'accept' ? 'elections.nomination.accepted' : 'elections.nomination.declined',
          );
        },
      }),
    );

  app.post('/meetings/:id/elections/:electionId/candidates/:candidateId/withdraw', user, (c) =>
    handleForm(c, {
      schema: empty,
      render: (state, status) => renderElection(c, state, status),
      run: async () => {
        await withdrawCandidate(c.get('ctx'), {
          ...ids(c),
          candidateId: c.req.param('candidateId') ?? '',
        });
        return redirectWithFlash(c, base(c), 'elections.nomination.withdrawn');
      },
    }),
  );

  app.post('/meetings/:id/elections/:electionId/acclamation', user, (c) =>
    handleForm(c, {
      schema: empty,
      render: (state, status) => renderElection(c, state, status),
      run: async () => {
        await declareAcclamation(c.get('ctx'), ids(c));
        return redirectWithFlash(c, `${base(c)}/results`, 'elections.acclamation.done');
      },
    }),
  );

  const subject = async (c: C) => {
    const { election } = await loadElection(c);
    return electionName(c.get('t'), election);
  };

  app.post('/meetings/:id/elections/:electionId/start', user, (c) =>
    handleForm(c, {
      schema: empty,
      render: (state, status) => renderElection(c, state, status),
      run: async () => {
        await startElectionVote(c.get('ctx'), { ...ids(c), subject: await subject(c) });
        return redirectWithFlash(c, base(c), 'elections.started');
      },
    }),
  );

  app.post('/meetings/:id/elections/:electionId/runoff', user, (c) =>
    handleForm(c, {
      schema: empty,
      render: (state, status) => renderElection(c, state, status),
      run: async () => {
        await startRunoff(c.get('ctx'), { ...ids(c), subject: await subject(c) });
        return redirectWithFlash(c, base(c), 'elections.started');
      },
    }),
  );

  app.post('/meetings/:id/elections/:electionId/lots', user, (c) =>
    handleForm(c, {
      schema: empty,
      render: (state, status) => renderElection(c, state, status),
      run: async () => {
        await drawLots(c.get('ctx'), ids(c));
        return redirectWithFlash(c, `${base(c)}/results`, 'elections.tie.drawn');
      },
    }),
  );

  app.post('/meetings/:id/elections/:electionId/close', user, (c) =>
    handleForm(c, {
      schema: empty,
      render: (state, status) => renderElection(c, state, status),
      run: async () => {
        await closeElectionVote(c.get('ctx'), ids(c));
        return redirectWithFlash(c, `${base(c)}/results`, 'elections.closed');
      },
    }),
  );

  app.get('/meetings/:id/elections/:electionId/ballot', user, (c) => renderBallot(c, emptyForm()));

  app.post('/meetings/:id/elections/:electionId/ballot', user, async (c) => {
    const values = await formValues(c);
    return handleForm(c, {
      schema: z.record(z.string(), z.string().max(10)),
      values,
      render: (state, status) => renderBallot(c, state, status),
      run: async () => {
        const { meeting, election } = await loadElection(c);
        if (!election.voteId) throw ElectionErrors.notVoting();
        const { receipt, vote } = await castVote(c.get('ctx'), {
          memberId: c.get('user')?.memberId ?? null,
          meetingId: meeting.id,
          voteId: election.voteId,
          choice: ballotMarks(values),
          locale: c.get('locale'),
        });
        // Shown once: the code itself is stored nowhere, only its hash on the ballot.
        c.header('cache-control', 'no-store');
        return page(c, {
          title: c.get('t')('votes.receipt.title'),
          body: (
            <ElectionReceiptPage
              c={c}
              meeting={meeting}
              election={election}
              vote={vote}
              receipt={receipt ?? ''}
            />
          ),
        });
      },
    });
  });

  app.get('/meetings/:id/elections/:electionId/results', user, async (c) => {
    const { db } = c.get('ctx');
    const { meeting, election } = await loadElection(c);
    const candidates = await listCandidates(db, election.id);
    const votes = await electionVotes(db, election);
    const tie = !!(await currentTie(db, election));
    c.header('cache-control', 'no-store');
    if ((c.req.header('accept') ?? '').includes('application/json'))
      return c.json(await electionResults(db, election));
    return page(c, {
      title: electionName(c.get('t'), election),
      body: (
        <ElectionResultsPage
          c={c}
          meeting={meeting}
          election={election}
          candidates={candidates}
          votes={votes}
          tie={tie}
        />
      ),
    });
  });

  return app;
}
