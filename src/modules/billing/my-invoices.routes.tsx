import { Hono } from 'hono';
import type { AppEnv } from '../../app/context.js';
import { todayIn } from '../../app/dates.js';
import { page } from '../../app/layout.js';
import { requireUser } from '../../app/middleware.js';
import { memberAccount } from './member-account.repository.js';
import { MyInvoicesPage } from './my-invoices.views.js';

/** The signed-in member's own invoices and payments: only ever their own. */
export function myInvoicesRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  app.get('/membership/invoices', requireUser(), async (c) => {
    const ctx = c.get('ctx');
    const memberId = c.get('user')?.memberId ?? null;
    const account = memberId ? await memberAccount(ctx.db, memberId) : null;
    const today = todayIn(c.get('association')?.timeZone ?? 'Europe/Oslo', ctx.clock.now());
    return page(c, {
      title: c.get('t')('billing.my.title'),
      body: <MyInvoicesPage c={c} account={account} today={today} />,
    });
  });

  return app;
}
