import type { AppContext } from '../../app/context.js';
import type { JobHandler, Recurring } from '../../app/jobs.js';
import { postingJobs } from './posting.jobs.js';
import { expenseJobs } from './expenses.jobs.js';
import { retentionJobs } from './retention.jobs.js';

type Ctx = Pick<AppContext, 'db' | 'clock' | 'config' | 'logger' | 'kickOutbox' | 'secret'>;

/** Scheduled jobs of finance (journal posting, expense series, retention). */
export function financeJobs(ctx: Ctx): {
  handlers: Record<string, JobHandler>;
  recurring: Recurring[];
} {
  const posting = postingJobs(ctx);
  const expenses = expenseJobs(ctx);
  const retention = retentionJobs(ctx);
  return {
    handlers: { ...posting.handlers, ...expenses.handlers, ...retention.handlers },
    recurring: [...posting.recurring, ...expenses.recurring, ...retention.recurring],
  };
}
