import { Hono, type Context } from 'hono';
import type { AppEnv } from '../../app/context.js';
import { emptyForm, handleForm, type FormState } from '../../app/forms.js';
import { redirectWithFlash } from '../../app/flash.js';
import { page } from '../../app/layout.js';
import { actorOf, requirePermission } from '../../app/middleware.js';
import { getGovernanceSettings } from './governance-settings.repository.js';
import { updateGovernanceSettings } from './governance-settings.usecases.js';
import { GovernanceSettingsPage, settingsValues } from './governance-settings.views.js';
import { governanceSettingsSchema } from './meetings.schemas.js';
import { meetingsRoutes } from './meetings.routes.js';
import { proposalsRoutes } from './proposals.routes.js';
import { statutesRoutes } from './statutes.routes.js';
import { registerRoutes } from './register.routes.js';
import { votesRoutes } from './votes.routes.js';
import { minutesRoutes } from './minutes.routes.js';
import { proxiesRoutes } from './proxies.routes.js';
import { adoptionRoutes } from './adoption.routes.js';
import { electionsRoutes } from './elections.routes.js';

function renderSettings(c: Context<AppEnv>, state: FormState, status = 200) {
  return page(c, {
    title: c.get('t')('governance.settings.title'),
    status,
    body: <GovernanceSettingsPage c={c} state={state} />,
  });
}

/** Governance: meetings and their agenda, proposals, versions of the statutes, the rules. */
export function governanceRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const manage = requirePermission('meetings.manage');

  app.get('/governance/settings', manage, async (c) =>
    renderSettings(c, emptyForm(settingsValues(await getGovernanceSettings(c.get('ctx').db)))),
  );
  app.post('/governance/settings', manage, (c) =>
    handleForm(c, {
      schema: governanceSettingsSchema,
      render: (state, status) => renderSettings(c, state, status),
      run: async (v) => {
        await updateGovernanceSettings(c.get('ctx'), {
          actor: actorOf(c),
          settings: {
            noticeDays: v.notice_days,
            foundingNoticeDays: v.founding_notice_days,
            proposalDeadlineDays: v.proposal_deadline_days,
            publicationDays: v.publication_days,
            qualifyingDays: v.qualifying_days,
            secretBallotThreshold: v.secret_ballot_threshold,
            statuteMajorityNumerator: v.statute_majority_numerator,
            statuteMajorityDenominator: v.statute_majority_denominator,
            statuteMajorityBase: v.statute_majority_base,
            simpleMajorityBase: v.simple_majority_base,
            proxiesEnabled: v.proxies_enabled,
            proxyCap: v.proxy_cap,
            boardSeats: v.board_seats,
            boardTermMonths: v.board_term_months,
            alternateSeats: v.alternate_seats,
            alternateTermMonths: v.alternate_term_months,
            auditorSeats: v.auditor_seats,
            auditorTermMonths: v.auditor_term_months,
          },
        });
        return redirectWithFlash(c, '/governance/settings', 'flash.saved');
      },
    }),
  );

  app.route('/', meetingsRoutes());
  app.route('/', proposalsRoutes());
  app.route('/', statutesRoutes());
  app.route('/', registerRoutes());
  app.route('/', votesRoutes());
  app.route('/', minutesRoutes());
  app.route('/', proxiesRoutes());
  app.route('/', adoptionRoutes());
  app.route('/', electionsRoutes());
  return app;
}
