import { Hono } from 'hono';
import type { AppEnv } from '../../app/context.js';
import { redirectWithFlash } from '../../app/flash.js';
import { page } from '../../app/layout.js';
import { actorOf, requirePermission } from '../../app/middleware.js';
import { runLapses } from './lapse.usecases.js';
import { remindersOverview, sendDueReminders } from './reminders.usecases.js';
import { RemindersPage } from './reminders.views.js';

/** The treasurer's preview of today's reminders and lapses, and "send now" / "run now". */
export function remindersRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  app.get('/billing/reminders', requirePermission('billing.read'), async (c) => {
    const ctx = c.get('ctx');
    const data = await remindersOverview(ctx.db, ctx.clock.now());
    return page(c, {
      title: c.get('t')('billing.reminders.title'),
      body: <RemindersPage c={c} {...data} />,
    });
  });

  app.post('/billing/reminders/send', requirePermission('billing.manage'), async (c) => {
    const { failed } = await sendDueReminders(c.get('ctx'), { actor: actorOf(c) });
    return redirectWithFlash(
      c,
      '/billing/reminders',
      failed.length > 0 ? 'billing.reminders.some_failed' : 'billing.reminders.sent',
    );
  });

  app.post('/billing/lapse/run', requirePermission('billing.manage'), async (c) => {
    const { failed } = await runLapses(c.get('ctx'), { actor: actorOf(c) });
    return redirectWithFlash(
      c,
      '/billing/reminders',
      failed.length > 0 ? 'billing.lapse.some_failed' : 'billing.lapse.done',
    );
  });

  return app;
}
