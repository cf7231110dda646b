import type { AppContext } from '../../app/context.js';
import type { JobHandler, Recurring } from '../../app/jobs.js';
import { postAll } from './posting.usecases.js';

type Ctx = Pick<AppContext, 'db' | 'clock' | 'logger'>;

export const POSTING_JOB = 'finance.post';
/** How often the journal catches up with dues, payments and expenses. */
export const POSTING_INTERVAL_MS = 10 * 60_000;

/** Every ten minutes: one job row per slot, so several instances never run it twice. */
export const postingRecurring: Recurring = {
  name: POSTING_JOB,
  next(now) {
    const slot = Math.ceil(now.getTime() / POSTING_INTERVAL_MS) * POSTING_INTERVAL_MS;
    const runAt = new Date(slot);
    return { dedupeKey: `${POSTING_JOB}:${runAt.toISOString()}`, runAt };
  },
};

/** The journal's posting run as a scheduled job. */
export function postingJobs(ctx: Ctx): {
  handlers: Record<string, JobHandler>;
  recurring: Recurring[];
} {
  return {
    handlers: {
      [POSTING_JOB]: async () => {
        const counts = await postAll({ db: ctx.db, clock: ctx.clock, logger: ctx.logger });
        if (counts.total > 0) ctx.logger.info({ posted: counts.posted }, 'journal posted');
      },
    },
    recurring: [postingRecurring],
  };
}
