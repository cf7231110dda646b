import type { AppContext } from '../../app/context.js';
import { daily, type JobHandler, type Recurring } from '../../app/jobs.js';
import { findAssociation } from '../association/association.repository.js';
import { createDueClaims } from './expense-series.usecases.js';

/**
 * The daily job that turns recurring costs into claims (05:00 UTC, so the member's
 * "attach the receipt" mail arrives in the Norwegian morning). Idempotent.
 */
export function expenseJobs(
  ctx: Pick<AppContext, 'db' | 'clock' | 'config' | 'logger' | 'kickOutbox'>,
): { handlers: Record<string, JobHandler>; recurring: Recurring[] } {
  return {
    handlers: {
      'finance.expense_series': async () => {
        if (!(await findAssociation(ctx.db))) return;
        const { created } = await createDueClaims(ctx);
        ctx.logger.info({ created: created.length }, 'expense series job done');
      },
    },
    recurring: [daily('finance.expense_series', 5)],
  };
}
