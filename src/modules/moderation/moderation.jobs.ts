import type { AppContext } from '../../app/context.js';
import { daily, type JobHandler, type Recurring } from '../../app/jobs.js';
import { findAssociation } from '../association/association.repository.js';
import { attachPendingAppeals } from './appeals.usecases.js';
import { liftEndedSuspensions, liftUnconfirmedUrgent } from './decisions.usecases.js';

type Ctx = Pick<AppContext, 'db' | 'clock' | 'config' | 'logger' | 'kickOutbox' | 'secret'>;

export const LIFT_ENDED_JOB = 'moderation.lift_ended';
export const URGENT_EXPIRY_JOB = 'moderation.urgent_expiry';
export const ATTACH_APPEALS_JOB = 'moderation.attach_appeals';

/** Every hour on the hour (an urgent suspension's confirm-by is an instant, not a day). */
function hourly(name: string): Recurring {
  return {
    name,
    next(now) {
      const runAt = new Date(Math.floor(now.getTime() / 3_600_000) * 3_600_000);
      return { dedupeKey: `${name}:${runAt.toISOString().slice(0, 13)}`, runAt };
    },
  };
}

/**
 * Scheduled jobs of moderation: lifting ended suspensions (daily, by the association's
 * date), lifting urgent suspensions left unconfirmed (hourly), and placing appeals that
 * wait for a general assembly on the next one scheduled (hourly). Each is idempotent:
 * a decision is closed only while still active, an appeal placed only while pending.
 */
export function moderationJobs(ctx: Ctx): {
  handlers: Record<string, JobHandler>;
  recurring: Recurring[];
} {
  return {
    handlers: {
      [LIFT_ENDED_JOB]: async () => {
        // Nothing to do (and nothing to fail) before the association is set up.
        if (!(await findAssociation(ctx.db))) return;
        const { lifted } = await liftEndedSuspensions(ctx);
        if (lifted > 0) ctx.logger.info({ lifted }, 'moderation: ended suspensions lifted');
      },
      [URGENT_EXPIRY_JOB]: async () => {
        if (!(await findAssociation(ctx.db))) return;
        const { lifted } = await liftUnconfirmedUrgent(ctx);
        if (lifted > 0)
          ctx.logger.info({ lifted }, 'moderation: unconfirmed urgent suspensions lifted');
      },
      [ATTACH_APPEALS_JOB]: async () => {
        if (!(await findAssociation(ctx.db))) return;
        const { attached } = await attachPendingAppeals(ctx);
        if (attached > 0)
          ctx.logger.info({ attached }, 'moderation: appeals placed on a GA agenda');
      },
    },
    recurring: [daily(LIFT_ENDED_JOB), hourly(URGENT_EXPIRY_JOB), hourly(ATTACH_APPEALS_JOB)],
  };
}
