import type { Context } from 'hono';
import { Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../../app/context.js';
import { todayIn } from '../../app/dates.js';
import { CommonErrors } from '../../app/errors.js';
import { page } from '../../app/layout.js';
import { actorOf, requirePermission } from '../../app/middleware.js';
import { findMemberByNumber } from '../members/members.repository.js';
import { listOverdueInvoices } from './overview.repository.js';
import {
  exportInvoicesCsv,
  exportPaymentsCsv,
  getMemberStatement,
  getOverview,
} from './overview.usecases.js';
import { OverviewPage, StatementPage } from './overview.views.js';
import { remindersRoutes } from './reminders.routes.js';
import { bucketize, bucketLabel } from './svg-chart.js';

const yearQuery = z.object({
  year: z.coerce.number().int().min(2000).max(2100).optional(),
  by: z.enum(['month', 'week']).default('month'),
});

const OVERDUE_LIMIT = 50;

/** Today in the association's time zone. */
export function todayOf(c: Context<AppEnv>): string {
  return todayIn(c.get('association')?.timeZone ?? 'Europe/Oslo', c.get('ctx').clock.now());
}

/** Streams a CSV export a chunk at a time. */
function csvResponse(c: Context<AppEnv>, chunks: AsyncGenerator<string>, filename: string) {
  const logger = c.get('ctx').logger;
  const encoder = new TextEncoder();
  const stream = new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const next = await chunks.next();
        if (next.done) controller.close();
        else controller.enqueue(encoder.encode(next.value));
      } catch (err) {
        logger.error({ err }, 'billing export failed');
        controller.error(err);
      }
    },
    async cancel() {
      await chunks.return(undefined);
    },
  });
  return c.body(stream, 200, {
    'Content-Type': 'text/csv; charset=utf-8',
    'Content-Disposition': `attachment; filename="${filename}"`,
    'Cache-Control': 'no-store',
  });
}

/** The treasurer's overview, member statements and CSV exports (and the reminders page). */
export function overviewRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const read = requirePermission('billing.read');
  app.route('/', remindersRoutes());

  app.get('/billing', read, async (c) => {
    const query = yearQuery.parse(c.req.query());
    const ctx = c.get('ctx');
    const overview = await getOverview(ctx.db, {
      now: ctx.clock.now(),
      ...(query.year ? { year: query.year } : {}),
    });
    const overdue = await listOverdueInvoices(ctx.db, {
      bounds: overview.bounds,
      today: overview.today,
      limit: OVERDUE_LIMIT,
    });
    const locale = c.get('locale');
    const bars = bucketize(overview.byDay, {
      by: query.by,
      from: overview.bounds.startsOn,
      to: overview.bounds.endsOn,
    }).map((b) => ({ ...bucketLabel(b, query.by, locale), amountOre: b.amountOre }));
    return page(c, {
      title: c.get('t')('billing.overview.title'),
      body: (
        <OverviewPage
          c={c}
          overview={overview}
          by={query.by}
          bars={bars}
          overdue={overdue}
          overdueLimit={OVERDUE_LIMIT}
        />
      ),
    });
  });

  // The look-up form on the overview: a member number leads to that member's statement.
  app.get('/billing/members', read, async (c) => {
    const parsed = z.coerce.number().int().min(1).safeParse(c.req.query('number')?.trim());
    if (!parsed.success) throw CommonErrors.notFound();
    const member = await findMemberByNumber(c.get('ctx').db, parsed.data);
    if (!member) throw CommonErrors.notFound();
    return c.redirect(`/billing/members/${member.id}`, 303);
  });

  app.get('/billing/members/:id', read, async (c) => {
    const ctx = c.get('ctx');
    const { member, account } = await getMemberStatement(ctx.db, c.req.param('id'));
    return page(c, {
      title: c.get('t')('billing.statement.title', { name: member.name }),
      body: <StatementPage c={c} member={member} account={account} today={todayOf(c)} />,
    });
  });

  app.get('/billing/export/invoices.csv', read, async (c) => {
    const query = yearQuery.parse(c.req.query());
    const { year, chunks } = await exportInvoicesCsv(c.get('ctx'), {
      actor: actorOf(c),
      ...(query.year ? { year: query.year } : {}),
    });
    return csvResponse(c, chunks, `invoices-${year}.csv`);
  });

  app.get('/billing/export/payments.csv', read, async (c) => {
    const query = yearQuery.parse(c.req.query());
    const { year, chunks } = await exportPaymentsCsv(c.get('ctx'), {
      actor: actorOf(c),
      ...(query.year ? { year: query.year } : {}),
    });
    return csvResponse(c, chunks, `payments-${year}.csv`);
  });

  return app;
}
