import { Hono, type Context } from 'hono';
import type { AppEnv } from '../../app/context.js';
import { todayIn } from '../../app/dates.js';
import { CommonErrors } from '../../app/errors.js';
import { emptyForm, formValues, handleForm, type FormState } from '../../app/forms.js';
import { redirectWithFlash } from '../../app/flash.js';
import { page } from '../../app/layout.js';
import { actorOf, requirePermission, requireUser } from '../../app/middleware.js';
import { findMemberById } from '../members/members.repository.js';
import { findMeeting } from '../governance/meetings.repository.js';
import { listAppealsOfDecisions } from './appeals.repository.js';
import { recordAppealOutcome, submitAppeal } from './appeals.usecases.js';
import { AppealPage, MyDecisionsPage } from './appeals.views.js';
import { CasePage, type CasePageData } from './case-page.views.js';
import {
  handlingConflict,
  listCaseEvents,
  listCaseReports,
  listHandlers,
  viewableCase,
} from './cases.repository.js';
import { HearingPanel } from './hearings.views.js';
import { DecisionErrors } from './decisions.errors.js';
import {
  earlierViolations,
  findDecision,
  getModerationSettings,
  listCaseDecisions,
  listMemberDecisions,
} from './decisions.repository.js';
import {
  appealOutcomeSchema,
  appealSchema,
  confirmSchema,
  decisionSchema,
  liftSchema,
} from './decisions.schemas.js';
import {
  addMonths,
  confirmUrgentSuspension,
  decideCase,
  liftSuspension,
  MAX_SUSPENSION_MONTHS,
  type Handler,
} from './decisions.usecases.js';
import { listHearings } from './hearings.repository.js';
import { decisionSettingsRoutes } from './decision-settings.routes.js';

type C = Context<AppEnv>;

function today(c: C): string {
  return todayIn(c.get('association')?.timeZone ?? 'Europe/Oslo', c.get('ctx').clock.now());
}

function handlerOf(c: C): Handler {
  const user = c.get('user');
  return {
    actor: actorOf(c),
    memberId: user?.memberId ?? null,
    canExclude: !!user?.permissions.has('moderation.exclude'),
  };
}

async function casePageData(c: C, caseId: string): Promise<CasePageData> {
  const { db } = c.get('ctx');
  const user = c.get('user');
  const kase = await viewableCase(db, {
    caseId,
    viewer: user ? { id: user.id, memberId: user.memberId, permissions: user.permissions } : null,
  });
  const day = today(c);
  const [member, reports, events, hearings, decisions, violations, settings, conflict, handlers] =
    await Promise.all([
      findMemberById(db, kase.memberId),
      listCaseReports(db, kase.id),
      listCaseEvents(db, kase.id),
      listHearings(db, kase.id),
      listCaseDecisions(db, kase.id),
      earlierViolations(db, { memberId: kase.memberId, exceptCaseId: kase.id }),
      getModerationSettings(db),
      handlingConflict(db, {
        caseId: kase.id,
        memberId: kase.memberId,
        viewer: { id: user!.id, memberId: user!.memberId },
      }),
      listHandlers(db, day),
    ]);
  return {
    kase,
    memberStatus: member?.status ?? 'active',
    reports,
    events,
    hearings,
    decisions,
    appeals: await listAppealsOfDecisions(
      db,
      decisions.map((d) => d.id),
    ),
    violations,
    today: day,
    latestEnd: addMonths(day, MAX_SUSPENSION_MONTHS),
    urgentHours: settings.urgentConfirmHours,
    conflict,
    canExclude: !!user?.permissions.has('moderation.exclude'),
    // The hearing module's panel: the notices, the answers, the send and assign forms.
    hearingPanel: (
      <HearingPanel
        c={c}
        caseId={kase.id}
        hearings={hearings}
        today={day}
        canHandle={conflict === null}
        caseOpen={kase.status === 'open' || kase.status === 'hearing'}
        handlers={handlers}
        assignedTo={kase.assignedTo}
      />
    ),
  };
}

/** Cases: the case page, decisions (warning, suspension, exclusion), urgent suspensions, appeals. */
export function casesRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.route('/', decisionSettingsRoutes());
  const handle = requirePermission('moderation.handle');
  const board = requirePermission('moderation.exclude');

  const renderCase = async (c: C, caseId: string, form: FormState, status = 200) => {
    const data = await casePageData(c, caseId);
    return page(c, {
      title: c.get('t')('moderation.casepage.title', { number: data.kase.number }),
      status,
      body: <CasePage c={c} data={data} form={form} />,
    });
  };

  app.get('/moderation/cases/:id', handle, (c) =>
    renderCase(c, c.req.param('id'), emptyForm({ kind: 'warning' })),
  );

  app.post('/moderation/cases/:id/decisions', handle, (c) => {
    const caseId = c.req.param('id');
    return handleForm(c, {
      schema: decisionSchema,
      render: (state, status) => renderCase(c, caseId, state, status),
      run: async (input) => {
        await decideCase(c.get('ctx'), {
          handler: handlerOf(c),
          decision: {
            caseId,
            kind: input.kind,
            urgent: input.urgent,
            reasons: input.reasons,
            clause: input.clause,
            endsOn: input.ends_on,
          },
        });
        return redirectWithFlash(
          c,
          `/moderation/cases/${caseId}`,
          'moderation.decision.decided_flash',
        );
      },
    });
  });

  app.post('/moderation/decisions/:id/confirm', handle, async (c) => {
    const decision = await findDecision(c.get('ctx').db, c.req.param('id'));
    if (!decision) throw DecisionErrors.decisionNotFound();
    return handleForm(c, {
      schema: confirmSchema,
      render: (state, status) => renderCase(c, decision.caseId, { ...state, values: {} }, status),
      run: async () => {
        await confirmUrgentSuspension(c.get('ctx'), {
          handler: handlerOf(c),
          decisionId: decision.id,
        });
        return redirectWithFlash(
          c,
          `/moderation/cases/${decision.caseId}`,
          'moderation.decision.confirmed_flash',
        );
      },
    });
  });

  app.post('/moderation/decisions/:id/lift', handle, async (c) => {
    const decision = await findDecision(c.get('ctx').db, c.req.param('id'));
    if (!decision) throw DecisionErrors.decisionNotFound();
    return handleForm(c, {
      schema: liftSchema,
      render: (state, status) => renderCase(c, decision.caseId, { ...state, values: {} }, status),
      run: async (input) => {
        await liftSuspension(c.get('ctx'), {
          handler: handlerOf(c),
          decisionId: decision.id,
          note: input.note,
        });
        return redirectWithFlash(
          c,
          `/moderation/cases/${decision.caseId}`,
          'moderation.decision.lifted_flash',
        );
      },
    });
  });

  app.post('/moderation/appeals/:id/outcome', board, async (c) => {
    const { db } = c.get('ctx');
    const appealRow = await db
      .selectFrom('moderation_appeals')
      .innerJoin(
        'moderation_decisions',
        'moderation_decisions.id',
        'moderation_appeals.decision_id',
      )
      .select(['moderation_appeals.id', 'moderation_decisions.case_id'])
      .where('moderation_appeals.id', '=', c.req.param('id'))
      .executeTakeFirst();
    if (!appealRow) throw DecisionErrors.appealNotFound();
    return handleForm(c, {
      schema: appealOutcomeSchema,
      render: (state, status) => renderCase(c, appealRow.case_id, { ...state, values: {} }, status),
      run: async (input) => {
        await recordAppealOutcome(c.get('ctx'), {
          actor: actorOf(c),
          appealId: appealRow.id,
          outcome: input.outcome,
          note: input.note ?? '',
        });
        return redirectWithFlash(
          c,
          `/moderation/cases/${appealRow.case_id}`,
          'moderation.appeal.outcome_flash',
        );
      },
    });
  });

  // --- the member's own pages ---------------------------------------------------------

  app.get('/moderation/appeals', requireUser(), async (c) => {
    const { db } = c.get('ctx');
    const memberId = c.get('user')?.memberId ?? null;
    const decisions = memberId
      ? (await listMemberDecisions(db, memberId)).filter((d) => d.kind !== 'no_action')
      : [];
    const appeals = await listAppealsOfDecisions(
      db,
      decisions.map((d) => d.id),
    );
    const meetings = new Map<string, string>();
    for (const a of appeals) {
      if (!a.meetingId) continue;
      const m = await findMeeting(db, a.meetingId);
      if (m) meetings.set(m.id, m.meetingDate);
    }
    return page(c, {
      title: c.get('t')('moderation.appeal.mine_title'),
      body: (
        <MyDecisionsPage
          c={c}
          decisions={decisions}
          appeals={appeals}
          meetings={meetings}
          today={today(c)}
        />
      ),
    });
  });

  /** Only the member the decision concerns; a missing decision and another's look alike. */
  const ownDecision = async (c: C, id: string) => {
    const decision = id ? await findDecision(c.get('ctx').db, id) : null;
    if (!decision) throw DecisionErrors.decisionNotFound();
    if (decision.memberId !== c.get('user')?.memberId) throw CommonErrors.forbidden();
    return decision;
  };

  const renderAppeal = async (c: C, decisionId: string, state: FormState, status = 200) => {
    const decision = await ownDecision(c, decisionId);
    return page(c, {
      title: c.get('t')('moderation.appeal.title'),
      status,
      body: <AppealPage c={c} decision={decision} state={state} today={today(c)} />,
    });
  };

  app.get('/moderation/appeals/new', requireUser(), (c) =>
    renderAppeal(c, c.req.query('decision') ?? '', emptyForm()),
  );

  app.post('/moderation/appeals', requireUser(), async (c) => {
    const values = await formValues(c);
    const decisionId = values['decision'] ?? '';
    await ownDecision(c, decisionId);
    return handleForm(c, {
      schema: appealSchema,
      values,
      render: (state, status) => renderAppeal(c, decisionId, state, status),
      run: async (input) => {
        await submitAppeal(c.get('ctx'), {
          actor: actorOf(c),
          memberId: c.get('user')?.memberId ?? null,
          decisionId: input.decision,
          text: input.text,
        });
        return redirectWithFlash(c, '/moderation/appeals', 'moderation.appeal.submitted_flash');
      },
    });
  });

  return app;
}
