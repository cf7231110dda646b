import { Hono } from 'hono';
import type { Context, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { HTTPException } from 'hono/http-exception';
import { z } from 'zod';
import type { AppContext, AppEnv } from './context.js';
import { AppError, CommonErrors, type Locale } from './errors.js';
import { zodFieldErrors } from './forms.js';
import { translator } from './i18n.js';
import { page } from './layout.js';
import {
  authMiddleware,
  baseMiddleware,
  csrfMiddleware,
  isApiPath,
  setupGuard,
} from './middleware.js';
import { STYLESHEET } from './styles.js';
import { associationRoutes } from '../modules/association/association.routes.js';
import { accountsRoutes } from '../modules/accounts/accounts.routes.js';
import { membersRoutes } from '../modules/members/members.routes.js';
import { registerRoutes } from '../modules/members/register.routes.js';
import { profileRoutes } from '../modules/members/profile.routes.js';
import { auditRoutes } from '../modules/audit/audit.routes.js';
import { adminRoutes } from '../modules/api/admin.routes.js';
import { apiRoutes } from '../modules/api/api.routes.js';
import { billingRoutes } from '../modules/billing/billing.routes.js';
import { servicesRoutes } from '../modules/services/services.routes.js';
import { ssoRoutes } from '../modules/sso/sso.routes.js';
import { discourseRoutes } from '../modules/sso/discourse.routes.js';
import { enforcementRoutes } from '../modules/sso/enforcement.routes.js';
import { clientsRoutes } from '../modules/services/clients.routes.js';
import { financeRoutes } from '../modules/finance/finance.routes.js';
import { governanceRoutes } from '../modules/governance/governance.routes.js';
import { moderationRoutes } from '../modules/moderation/moderation.routes.js';

export const MAX_BODY_BYTES = 1024 * 1024;
/**
 * Imports may be large: 100 000 CSV rows are about 12 MB, a camt.053 of 100 000 payments
 * about 70 MB.
 */
export const MAX_IMPORT_BYTES = 128 * 1024 * 1024;
/**
 * Expense claims carry a receipt of at most 10 MB (checked by the use-case, which answers
 * with a message beside the field); the body may be a little larger than the file.
 */
export const MAX_UPLOAD_BYTES = 16 * 1024 * 1024;

function isUniqueViolation(err: unknown): boolean {
  const code = (err as { code?: unknown }).code;
  return (
    code === '23505' ||
    code === 'SQLITE_CONSTRAINT_UNIQUE' ||
    code === 'SQLITE_CONSTRAINT_PRIMARYKEY'
  );
}

function toAppError(err: unknown, c: Context<AppEnv>): AppError {
  if (err instanceof AppError) return err;
  if (err instanceof z.ZodError) {
    const fields: Record<string, { nb: string; en: string }> = {};
    const nb = zodFieldErrors(err, translator('nb'));
    const en = zodFieldErrors(err, translator('en'));
    for (const k of Object.keys(nb)) fields[k] = { nb: nb[k]!, en: en[k] ?? nb[k]! };
    return CommonErrors.validation(undefined, fields);
  }
  if (err instanceof HTTPException) {
    if (err.status === 413) return CommonErrors.tooLarge();
    if (err.status === 400) return CommonErrors.validation();
  }
  if (isUniqueViolation(err)) return CommonErrors.conflict();
  const ctx = c.get('ctx') as AppContext | undefined;
  ctx?.logger.error({ err, path: c.req.path, method: c.req.method }, 'unhandled error');
  return CommonErrors.internal();
}

export function renderError(c: Context<AppEnv>, err: AppError): Response | Promise<Response> {
  const locale: Locale = c.get('locale') ?? 'nb';
  const message = err.message_(locale);
  const wantsJson =
    isApiPath(c.req.path) || (c.req.header('accept') ?? '').startsWith('application/json');
  if (wantsJson) {
    const fields = err.fields
      ? Object.fromEntries(Object.entries(err.fields).map(([k, v]) => [k, v[locale]]))
      : undefined;
    return c.json(
      { error: { code: err.code, message, ...(fields ? { fields } : {}) } },
      err.status as 400,
    );
  }
  if (!c.get('t')) c.set('t', translator(locale));
  const t = c.get('t');
  return page(c, {
    title: t('error.title'),
    status: err.status,
    body: (
      <section>
        <h1>{t('error.title')}</h1>
        <p class="alert" role="alert">
          {message}
        </p>
        <p>
          <a href="/">{t('error.back_home')}</a>
        </p>
      </section>
    ),
  });
}

export function createApp(ctx: AppContext): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  app.onError((err, c) => renderError(c, toAppError(err, c)));
  app.notFound((c) => renderError(c, CommonErrors.notFound()));

  app.get('/healthz', async (c) => {
    await ctx.db.selectFrom('settings').select('key').limit(1).execute();
    return c.json({ status: 'ok' });
  });
  app.get('/static/app.css', (c) => {
    c.header('Cache-Control', 'public, max-age=3600');
    return c.body(STYLESHEET, 200, { 'Content-Type': 'text/css; charset=utf-8' });
  });

  const tooLarge = () => {
    throw CommonErrors.tooLarge();
  };
  const smallBodies: MiddlewareHandler<AppEnv> = bodyLimit({
    maxSize: MAX_BODY_BYTES,
    onError: tooLarge,
  });
  const importBodies: MiddlewareHandler<AppEnv> = bodyLimit({
    maxSize: MAX_IMPORT_BYTES,
    onError: tooLarge,
  });
  const uploadBodies: MiddlewareHandler<AppEnv> = bodyLimit({
    maxSize: MAX_UPLOAD_BYTES,
    onError: tooLarge,
  });
  const limitBodies: MiddlewareHandler<AppEnv> = (c, next) => {
    const path = c.req.path;
    if (path.endsWith('/import')) return importBodies(c, next);
    if (path.startsWith('/expenses') || path.startsWith('/api/v1/expenses'))
      return uploadBodies(c, next);
    return smallBodies(c, next);
  };
  app.use('*', limitBodies);
  app.use('*', baseMiddleware(ctx));
  app.use('*', setupGuard());
  app.use('*', authMiddleware());
  app.use('*', csrfMiddleware());

  app.route('/', associationRoutes());
  app.route('/', accountsRoutes());
  // The register's static paths (/members/import …) before /members/:id.
  app.route('/', registerRoutes());
  app.route('/', profileRoutes());
  app.route('/', membersRoutes());
  app.route('/', auditRoutes());
  app.route('/', adminRoutes());
  app.route('/', billingRoutes());
  app.route('/', clientsRoutes());
  app.route('/', enforcementRoutes());
  app.route('/', servicesRoutes());
  app.route('/', ssoRoutes());
  app.route('/', discourseRoutes());
  app.route('/', financeRoutes());
  app.route('/', governanceRoutes());
  app.route('/', moderationRoutes());
  app.route('/api/v1', apiRoutes());
  return app;
}
