import { Hono } from 'hono';
import type { Context } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../../app/context.js';
import { emptyForm, formValues, handleForm, type FormState } from '../../app/forms.js';
import { redirectWithFlash } from '../../app/flash.js';
import { page } from '../../app/layout.js';
import { actorOf, requirePermission } from '../../app/middleware.js';
import { AdminErrors } from './admin.errors.js';
import { listApiTokensWithOwners } from './api-tokens.repository.js';
import { createTokenSchema, withScopes } from './api-tokens.schemas.js';
import { createApiToken, revokeApiTokenById } from './api-tokens.usecases.js';
import { ApiTokensPage, TokenCreatedPage } from './api-tokens.views.js';

async function renderTokens(c: Context<AppEnv>, state: FormState, status = 200) {
  const ctx = c.get('ctx');
  const tokens = await listApiTokensWithOwners(ctx.db);
  return page(c, {
    title: c.get('t')('admin.tokens.title'),
    status,
    body: <ApiTokensPage c={c} state={state} tokens={tokens} now={ctx.clock.now()} />,
  });
}

const idParam = z.string().regex(/^[0-9a-z]{1,40}$/);

export function apiTokenRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const allowed = requirePermission('api_tokens.manage');

  app.get('/admin/api-tokens', allowed, (c) => renderTokens(c, emptyForm()));

  app.post('/admin/api-tokens', allowed, async (c) =>
    handleForm(c, {
      schema: createTokenSchema,
      values: withScopes(await formValues(c)),
      render: (state, status) => renderTokens(c, state, status),
      run: async (input) => {
        const user = c.get('user')!;
        const created = await createApiToken(c.get('ctx'), {
          actor: actorOf(c),
          creator: { id: user.id, isAdmin: user.isAdmin },
          name: input.name,
          owner: input.owner,
          scopes: input.scopes,
          expiresDays: input.expires_days,
        });
        // Shown once, in this answer only: never cached, never redirected to.
        c.header('Cache-Control', 'no-store');
        return page(c, {
          title: c.get('t')('admin.tokens.created_title'),
          status: 201,
          body: (
            <TokenCreatedPage
              c={c}
              token={created.token}
              name={input.name}
              ownerHandle={created.ownerHandle}
            />
          ),
        });
      },
    }),
  );

  app.post('/admin/api-tokens/:id/revoke', allowed, async (c) => {
    const id = idParam.safeParse(c.req.param('id'));
    if (!id.success) throw AdminErrors.tokenNotFound();
    await revokeApiTokenById(c.get('ctx'), { actor: actorOf(c), id: id.data });
    return redirectWithFlash(c, '/admin/api-tokens', 'admin.tokens.revoked_flash');
  });

  return app;
}
