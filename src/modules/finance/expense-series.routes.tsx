import { Hono } from 'hono';
import type { Context } from 'hono';
import type { AppEnv } from '../../app/context.js';
import { CommonErrors } from '../../app/errors.js';
import { emptyForm, handleForm, type FormState } from '../../app/forms.js';
import { redirectWithFlash } from '../../app/flash.js';
import { page } from '../../app/layout.js';
import { actorOf, requireUser } from '../../app/middleware.js';
import { createSeries, stopSeries } from './expense-series.usecases.js';
import { SeriesPage } from './expense-series.views.js';
import { expenseCategories } from './expenses.categories.js';
import { ExpenseErrors } from './expenses.errors.js';
import { lastPayeeAccount, listSeriesOfMember } from './expenses.repository.js';
import { seriesFormSchema } from './expenses.schemas.js';
import { today, type Claimant } from './expenses.usecases.js';

type C = Context<AppEnv>;

function claimant(c: C): Claimant {
  const user = c.get('user');
  if (!user) throw CommonErrors.unauthenticated();
  return { userId: user.id, memberId: user.memberId, memberStatus: user.memberStatus };
}

async function renderSeries(c: C, state: FormState, status = 200) {
  const db = c.get('ctx').db;
  const who = claimant(c);
  const [series, categories] = await Promise.all([
    who.memberId ? listSeriesOfMember(db, who.memberId) : Promise.resolve([]),
    expenseCategories(db),
  ]);
  return page(c, {
    title: c.get('t')('expenses.series.title'),
    status,
    body: (
      <SeriesPage
        c={c}
        series={series}
        categories={categories}
        state={state}
        canSubmit={who.memberStatus === 'active'}
      />
    ),
  });
}

/** The member's recurring costs (series): list, create, stop. */
export function expenseSeriesRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  app.get('/expenses/series', requireUser(), async (c) => {
    const who = claimant(c);
    const association = c.get('association');
    const account = who.memberId ? await lastPayeeAccount(c.get('ctx').db, who.memberId) : null;
    return renderSeries(
      c,
      emptyForm({
        interval: 'monthly',
        starts_on: association ? today(association, c.get('ctx').clock.now()) : '',
        payee_account: account ?? '',
      }),
    );
  });

  app.post('/expenses/series', requireUser(), (c) => {
    const who = claimant(c);
    if (!who.memberId || who.memberStatus !== 'active') throw ExpenseErrors.notActiveMember();
    return handleForm(c, {
      schema: seriesFormSchema,
      render: (state, status) => renderSeries(c, state, status),
      run: async (input) => {
        await createSeries(c.get('ctx'), {
          actor: actorOf(c),
          claimant: who,
          input: {
            description: input.description,
            amountOre: input.amount,
            category: input.category,
            payeeAccount: input.payee_account,
            interval: input.interval,
            startsOn: input.starts_on,
            endsOn: input.ends_on,
          },
        });
        return redirectWithFlash(c, '/expenses/series', 'expenses.flash.series_created');
      },
    });
  });

  app.post('/expenses/series/:id{[0-9a-z]{26}}/stop', requireUser(), async (c) => {
    await stopSeries(c.get('ctx'), {
      actor: actorOf(c),
      claimant: claimant(c),
      seriesId: c.req.param('id'),
    });
    return redirectWithFlash(c, '/expenses/series', 'expenses.flash.series_stopped');
  });

  return app;
}
