import { Hono } from 'hono';
import type { Context } from 'hono';
import type { AppEnv } from '../../app/context.js';
import { handleForm } from '../../app/forms.js';
import { redirectWithFlash } from '../../app/flash.js';
import { page } from '../../app/layout.js';
import { actorOf, requirePermission } from '../../app/middleware.js';
import { MemberErrors } from './members.errors.js';
import { getFeeTable } from './members.queries.js';
import { isMemberId, typeActiveSchema } from './members.schemas.js';
import { currentYear } from './membership.routes.js';
import { changeMembershipTypeActive, feeYears } from './membership-types.usecases.js';
import { MembershipTypesPage, type FeeFormError } from './membership-types.views.js';

function typeIdParam(c: Context<AppEnv>): string {
  const id = c.req.param('typeId') ?? '';
  if (!isMemberId(id)) throw MemberErrors.typeNotFound();
  return id;
}

async function renderTypes(c: Context<AppEnv>, error: FeeFormError | null, status = 200) {
  const years = feeYears(currentYear(c).year);
  const rows = await getFeeTable(c.get('ctx').db, years);
  return page(c, {
    title: c.get('t')('members.types.title'),
    status,
    body: <MembershipTypesPage c={c} rows={rows} years={years} error={error} />,
  });
}

export function membershipTypesRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const guard = requirePermission('settings.manage');

  app.get('/admin/membership-types', guard, (c) => renderTypes(c, null));

  // Fees are set in the fee schedule (/billing/fees), which keeps membership_fees in step.

  app.post('/admin/membership-types/:typeId/active', guard, (c) => {
    const typeId = typeIdParam(c);
    return handleForm(c, {
      schema: typeActiveSchema,
      render: (state, status) => renderTypes(c, { typeId, state }, status),
      run: async (input) => {
        await changeMembershipTypeActive(c.get('ctx'), {
          actor: actorOf(c),
          typeId,
          active: input.active,
        });
        return redirectWithFlash(c, '/admin/membership-types', 'flash.saved');
      },
    });
  });

  return app;
}
