import type { AppContext } from '../../app/context.js';
import { daily, type JobHandler, type Recurring } from '../../app/jobs.js';
import { findAssociation } from '../association/association.repository.js';
import { runRetention } from './retention.usecases.js';

export const RETENTION_JOB = 'finance.retention';

/** Daily at 02:00 UTC: pseudonymises accounting records past their five years. Idempotent. */
export function retentionJobs(ctx: Pick<AppContext, 'db' | 'clock' | 'logger'>): {
  handlers: Record<string, JobHandler>;
  recurring: Recurring[];
} {
  return {
    handlers: {
      [RETENTION_JOB]: async () => {
        if (!(await findAssociation(ctx.db))) return;
        const counts = await runRetention(ctx);
        ctx.logger.info(counts, 'finance retention job done');
      },
    },
    recurring: [daily(RETENTION_JOB, 2)],
  };
}
