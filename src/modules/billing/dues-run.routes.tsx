import { Hono } from 'hono';
import type { Context } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../../app/context.js';
import { emptyForm, handleForm, type FormState } from '../../app/forms.js';
import { redirectWithFlash } from '../../app/flash.js';
import { page } from '../../app/layout.js';
import { actorOf, requirePermission } from '../../app/middleware.js';
import { InvoiceErrors } from './billing.errors.js';
import { findRun, listRuns } from './dues-run.repository.js';
import { startDuesRunInBackground } from './dues-run.usecases.js';
import { DuesRunPage, DuesRunsPage } from './dues-run.views.js';
import { currentAssociationYear } from './fees.routes.js';
import { feeYear } from './fees.schemas.js';
import { feeYearChoices } from './fees.usecases.js';

const startSchema = z.object({ year: feeYear });

async function renderRuns(c: Context<AppEnv>, state: FormState, status = 200) {
  const { db } = c.get('ctx');
  const current = currentAssociationYear(c);
  const [runs, years] = await Promise.all([
    listRuns(db, { limit: 50 }),
    feeYearChoices(db, current),
  ]);
  return page(c, {
    title: c.get('t')('invoices.dues.title'),
    status,
    body: (
      <DuesRunsPage
        c={c}
        runs={runs}
        years={years}
        defaultYear={current}
        canStart={!!c.get('user')?.permissions.has('billing.manage')}
        state={state}
      />
    ),
  });
}

/** /billing/dues-runs: start the year's dues run, follow its progress, see past runs. */
export function duesRunRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const read = requirePermission('billing.read');
  const manage = requirePermission('billing.manage');

  app.get('/billing/dues-runs', read, (c) => renderRuns(c, emptyForm()));

  app.post('/billing/dues-runs', manage, (c) =>
    handleForm(c, {
      schema: startSchema,
      render: (state, status) => renderRuns(c, state, status),
      run: async (input) => {
        const run = await startDuesRunInBackground(c.get('ctx'), {
          actor: actorOf(c),
          year: input.year,
        });
        return redirectWithFlash(c, `/billing/dues-runs/${run.id}`, 'invoices.dues.started_flash');
      },
    }),
  );

  app.get('/billing/dues-runs/:id{[0-9a-z]{26}}', read, async (c) => {
    const run = await findRun(c.get('ctx').db, c.req.param('id'));
    if (!run) throw InvoiceErrors.duesRunNotFound();
    // While the run works, the page reloads itself (also without JavaScript).
    if (run.status === 'running') c.header('Refresh', '2');
    return page(c, {
      title: c.get('t')('invoices.dues.title'),
      body: <DuesRunPage c={c} run={run} />,
    });
  });

  return app;
}
