import { Hono } from 'hono';
import type { MiddlewareHandler } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../../app/context.js';
import { CommonErrors } from '../../app/errors.js';
import { redirectWithFlash } from '../../app/flash.js';
import { page } from '../../app/layout.js';
import { actorOf, requirePermission, requireUser } from '../../app/middleware.js';
import { outboxStats } from '../../app/outbox.js';
import type { Permission } from '../../app/policy.js';
import { AdminErrors } from './admin.errors.js';
import { AdminIndexPage, OutboxMessagePage, OutboxPage } from './admin.views.js';
import { apiTokenRoutes } from './api-tokens.routes.js';
import { findOutboxMessage, listOutbox, OUTBOX_STATUSES } from './outbox-admin.repository.js';
import { retryOutboxMessage } from './outbox-admin.usecases.js';

/** The administrators' index opens for anyone holding one of these. */
export const ADMIN_PERMISSIONS: readonly Permission[] = [
  'settings.manage',
  'outbox.read',
  'api_tokens.manage',
];

function requireAnyPermission(permissions: readonly Permission[]): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const user = c.get('user');
    if (!user) return requireUser()(c, next);
    if (!permissions.some((p) => user.permissions.has(p))) throw CommonErrors.forbidden();
    return next();
  };
}

const outboxQuery = z.object({
  status: z
    .enum(OUTBOX_STATUSES as [string, ...string[]])
    .optional()
    .catch(undefined),
  before: z
    .string()
    .regex(/^[0-9a-z]{1,40}$/)
    .optional()
    .catch(undefined),
});

const idParam = z.string().regex(/^[0-9a-z]{1,40}$/);

export function adminRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  app.get('/admin', requireAnyPermission(ADMIN_PERMISSIONS), async (c) => {
    const { db } = c.get('ctx');
    const counts = c.get('user')!.permissions.has('outbox.read') ? await outboxStats(db) : null;
    return page(c, {
      title: c.get('t')('admin.title'),
      body: <AdminIndexPage c={c} outboxCounts={counts} />,
    });
  });

  app.get('/admin/outbox', requirePermission('outbox.read'), async (c) => {
    const { db } = c.get('ctx');
    const query = outboxQuery.parse(c.req.query());
    const status = OUTBOX_STATUSES.find((s) => s === query.status);
    const [counts, list] = await Promise.all([
      outboxStats(db),
      listOutbox(db, { status, before: query.before }),
    ]);
    return page(c, {
      title: c.get('t')('admin.outbox.title'),
      body: (
        <OutboxPage
          c={c}
          counts={counts}
          status={status}
          items={list.items}
          older={list.older}
          paged={!!query.before}
        />
      ),
    });
  });

  app.get('/admin/outbox/:id', requirePermission('outbox.read'), async (c) => {
    const id = idParam.safeParse(c.req.param('id'));
    if (!id.success) throw AdminErrors.outboxNotFound();
    const message = await findOutboxMessage(c.get('ctx').db, id.data);
    if (!message) throw AdminErrors.outboxNotFound();
    c.header('Cache-Control', 'no-store'); // it may hold a login or reset link
    return page(c, {
      title: c.get('t')('admin.outbox.message_title', { subject: message.subject ?? message.kind }),
      body: <OutboxMessagePage c={c} message={message} />,
    });
  });

  app.post('/admin/outbox/:id/retry', requirePermission('outbox.read'), async (c) => {
    const id = idParam.safeParse(c.req.param('id'));
    if (!id.success) throw AdminErrors.outboxNotFound();
    const ctx = c.get('ctx');
    await retryOutboxMessage(ctx, { actor: actorOf(c), id: id.data });
    return redirectWithFlash(c, `/admin/outbox/${id.data}`, 'admin.outbox.retried');
  });

  app.route('/', apiTokenRoutes());
  return app;
}
