import { Hono } from 'hono';
import type { Context } from 'hono';
import type { AppEnv } from '../../app/context.js';
import { associationYear, todayIn } from '../../app/dates.js';
import { CommonErrors } from '../../app/errors.js';
import { handleForm, type FormState } from '../../app/forms.js';
import { redirectWithFlash } from '../../app/flash.js';
import { page } from '../../app/layout.js';
import { actorOf, requirePermission } from '../../app/middleware.js';
import { billingSettingsRoutes } from './billing-settings.routes.js';
import { copyFeesSchema, feeFormSchema, feeYear } from './fees.schemas.js';
import { copyFees, feeYearChoices, getFeeSchedule, setFees } from './fees.usecases.js';
import { FeesPage, type FeeFormError } from './fees.views.js';

/** The association year today falls in. */
export function currentAssociationYear(c: Context<AppEnv>): number {
  const association = c.get('association');
  if (!association) throw CommonErrors.setupRequired();
  const today = todayIn(association.timeZone, c.get('ctx').clock.now());
  return associationYear(today, association.yearStartMonth).year;
}

function yearParam(value: string | undefined, fallback: number): number {
  if (value === undefined || value === '') return fallback;
  const parsed = feeYear.safeParse(value);
  if (!parsed.success) throw CommonErrors.notFound();
  return parsed.data;
}

async function renderFees(
  c: Context<AppEnv>,
  opts: { year: number; error?: FeeFormError; copyState?: FormState; status?: number },
) {
  const { db } = c.get('ctx');
  const [schedule, years] = await Promise.all([
    getFeeSchedule(db, opts.year),
    feeYearChoices(db, currentAssociationYear(c)),
  ]);
  return page(c, {
    title: c.get('t')('invoices.fees.title'),
    status: opts.status ?? 200,
    body: (
      <FeesPage
        c={c}
        schedule={schedule}
        years={years.includes(opts.year) ? years : [...years, opts.year].sort((a, b) => b - a)}
        canEdit={!!c.get('user')?.permissions.has('billing.manage')}
        error={opts.error ?? null}
        copyState={opts.copyState ?? null}
      />
    ),
  });
}

/** /billing/fees: the fee schedule per year and membership type; and /billing/settings. */
export function feesRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const read = requirePermission('billing.read');
  const manage = requirePermission('billing.manage');

  app.route('/', billingSettingsRoutes());

  app.get('/billing/fees', read, (c) =>
    renderFees(c, { year: yearParam(c.req.query('year'), currentAssociationYear(c)) }),
  );

  app.post('/billing/fees/copy', manage, (c) =>
    handleForm(c, {
      schema: copyFeesSchema,
      render: async (copyState, status) => {
        const to = yearParam(copyState.values['to'], currentAssociationYear(c));
        return renderFees(c, { year: to, copyState, status });
      },
      run: async (input) => {
        await copyFees(c.get('ctx'), { actor: actorOf(c), from: input.from, to: input.to });
        return redirectWithFlash(c, `/billing/fees?year=${input.to}`, 'invoices.fees.copied');
      },
    }),
  );

  app.post('/billing/fees/:year/:type', manage, (c) => {
    const year = yearParam(c.req.param('year'), 0);
    const typeCode = c.req.param('type');
    return handleForm(c, {
      schema: feeFormSchema,
      render: (state, status) => renderFees(c, { year, error: { typeCode, state }, status }),
      run: async (components) => {
        await setFees(c.get('ctx'), { actor: actorOf(c), year, typeCode, components });
        return redirectWithFlash(
          c,
          `/billing/fees?year=${year}#type-${typeCode}`,
          'invoices.fees.saved',
        );
      },
    });
  });

  return app;
}
