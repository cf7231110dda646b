import type { Context } from 'hono';
import { Hono } from 'hono';
import type { AppEnv } from '../../app/context.js';
import { CommonErrors } from '../../app/errors.js';
import { handleForm, type FormState } from '../../app/forms.js';
import { redirectWithFlash } from '../../app/flash.js';
import { page } from '../../app/layout.js';
import { actorOf, requirePermission } from '../../app/middleware.js';
import { todayOf } from '../billing/overview.routes.js';
import { yearLabel } from '../members/members.components.js';
import { findBudget, listBudgetYears } from './budget.repository.js';
import { adoptSchema, budgetFormSchema, budgetYear } from './budget.schemas.js';
import {
  adoptBudget,
  copyBudget,
  getBudgetComparison,
  reopenBudget,
  saveBudget,
} from './budget.usecases.js';
import { BudgetPage } from './budget.views.js';
import { currentFiscalYear, listJournalYears } from './reports.repository.js';

export function yearParam(value: string | undefined): number {
  const parsed = budgetYear.safeParse(value);
  if (!parsed.success) throw CommonErrors.notFound();
  return parsed.data;
}

async function renderBudget(
  c: Context<AppEnv>,
  opts: { year: number; formState?: FormState; adoptState?: FormState; status?: number },
) {
  const { db, clock } = c.get('ctx');
  const [comparison, budgetYears, journalYears, current, previous] = await Promise.all([
    getBudgetComparison(db, { year: opts.year }),
    listBudgetYears(db),
    listJournalYears(db),
    currentFiscalYear(db, clock.now()),
    findBudget(db, opts.year - 1),
  ]);
  const years = [
    ...new Set([opts.year, current.year, current.year + 1, ...budgetYears, ...journalYears]),
  ].sort((a, b) => b - a);
  const canEdit = !!c.get('user')?.permissions.has('finance.manage');
  const empty = !comparison.budget || comparison.budget.lines.length === 0;
  return page(c, {
    title: c.get('t')('finance.budget.title', { year: yearLabel(c, opts.year) }),
    status: opts.status ?? 200,
    body: (
      <BudgetPage
        c={c}
        year={opts.year}
        years={years}
        comparison={comparison}
        canEdit={canEdit}
        canCopy={empty && !!previous && previous.lines.length > 0}
        formState={opts.formState ?? null}
        adoptState={opts.adoptState ?? null}
        today={todayOf(c)}
      />
    ),
  });
}

/** /finance/budget/:year: the budget, budget against actual, editing, adoption, copying. */
export function budgetRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const read = requirePermission('finance.read');
  const manage = requirePermission('finance.manage');

  app.get('/finance/budget', read, async (c) => {
    const q = c.req.query('year');
    const year = q
      ? yearParam(q)
      : (await currentFiscalYear(c.get('ctx').db, c.get('ctx').clock.now())).year;
    return c.redirect(`/finance/budget/${year}`, q ? 303 : 302);
  });

  app.get('/finance/budget/:year', read, (c) =>
    renderBudget(c, { year: yearParam(c.req.param('year')) }),
  );

  app.post('/finance/budget/:year', manage, (c) => {
    const year = yearParam(c.req.param('year'));
    return handleForm(c, {
      schema: budgetFormSchema,
      render: (formState, status) => renderBudget(c, { year, formState, status }),
      run: async ({ note, lines }) => {
        await saveBudget(c.get('ctx'), { actor: actorOf(c), year, note, lines });
        return redirectWithFlash(c, `/finance/budget/${year}`, 'finance.budget.saved');
      },
    });
  });

  app.post('/finance/budget/:year/adopt', manage, (c) => {
    const year = yearParam(c.req.param('year'));
    return handleForm(c, {
      schema: adoptSchema,
      render: (adoptState, status) => renderBudget(c, { year, adoptState, status }),
      run: async (input) => {
        await adoptBudget(c.get('ctx'), { actor: actorOf(c), year, adoptedOn: input.adopted_on });
        return redirectWithFlash(c, `/finance/budget/${year}`, 'finance.budget.adopted');
      },
    });
  });

  app.post('/finance/budget/:year/reopen', manage, async (c) => {
    const year = yearParam(c.req.param('year'));
    await reopenBudget(c.get('ctx'), { actor: actorOf(c), year });
    return redirectWithFlash(c, `/finance/budget/${year}`, 'finance.budget.reopened');
  });

  app.post('/finance/budget/:year/copy', manage, async (c) => {
    const year = yearParam(c.req.param('year'));
    await copyBudget(c.get('ctx'), { actor: actorOf(c), from: year - 1, to: year });
    return redirectWithFlash(c, `/finance/budget/${year}`, 'finance.budget.copied');
  });

  return app;
}
