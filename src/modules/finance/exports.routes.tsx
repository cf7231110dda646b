import type { Context } from 'hono';
import { Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../../app/context.js';
import { isIsoDate } from '../../app/dates.js';
import { page } from '../../app/layout.js';
import { actorOf, requirePermission } from '../../app/middleware.js';
import { yearLabel } from '../members/members.components.js';
import { countExportEntries, type ExportRange } from './exports.repository.js';
import { exportJournal, type JournalExportFormat } from './exports.usecases.js';
import { ExportsPage } from './exports.views.js';
import { encodeLatin1 } from './gbat10.js';
import { ReportsErrors } from './reports.errors.js';
import { currentFiscalYear, listJournalYears } from './reports.repository.js';

const rangeQuery = z.union([
  z.object({
    from: z.string().refine(isIsoDate),
    to: z.string().refine(isIsoDate),
  }),
  z.object({ year: z.coerce.number().int().min(2000).max(2200) }),
]);

/** `?year=2026` or `?from=…&to=…` (from ≤ to); anything else is a 400 with a message. */
export function parseRange(query: Record<string, string>): ExportRange {
  const q = Object.fromEntries(Object.entries(query).filter(([, v]) => v !== ''));
  const parsed = rangeQuery.safeParse(q);
  if (!parsed.success) throw ReportsErrors.badRange();
  const r = parsed.data;
  if ('from' in r && r.from > r.to) throw ReportsErrors.badRange();
  return r;
}

function stream(
  c: Context<AppEnv>,
  chunks: AsyncGenerator<string>,
  opts: { filename: string; format: JournalExportFormat },
) {
  const logger = c.get('ctx').logger;
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const next = await chunks.next();
        if (next.done) controller.close();
        else
          controller.enqueue(
            opts.format === 'csv' ? encoder.encode(next.value) : encodeLatin1(next.value),
          );
      } catch (err) {
        logger.error({ err }, 'journal export failed');
        controller.error(err);
      }
    },
    async cancel() {
      await chunks.return(undefined);
    },
  });
  return c.body(body, 200, {
    'Content-Type':
      opts.format === 'csv' ? 'text/csv; charset=utf-8' : 'text/plain; charset=iso-8859-1',
    'Content-Disposition': `attachment; filename="${opts.filename}"`,
    'Cache-Control': 'no-store',
  });
}

/** /finance/exports: the page, and the journal as CSV and GBAT10. */
export function exportsRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const read = requirePermission('finance.read');

  app.get('/finance/exports', read, async (c) => {
    const { db, clock } = c.get('ctx');
    const current = await currentFiscalYear(db, clock.now());
    const years = [...new Set([current.year, ...(await listJournalYears(db))])].sort(
      (a, b) => b - a,
    );
    const counts = await Promise.all(
      years.map(async (y) => ({ year: y, count: await countExportEntries(db, { year: y }) })),
    );
    return page(c, {
      title: c.get('t')('finance.exports.title'),
      body: (
        <ExportsPage
          c={c}
          counts={counts}
          current={current.year}
          yearLabel={(y) => yearLabel(c, y)}
        />
      ),
    });
  });

  for (const format of ['csv', 'gbat10'] as const) {
    app.get(`/finance/exports/journal.${format}`, read, async (c) => {
      const range = parseRange(c.req.query());
      const { filename, chunks } = await exportJournal(c.get('ctx'), {
        actor: actorOf(c),
        range,
        format,
      });
      return stream(c, chunks, { filename, format });
    });
  }

  return app;
}
