import { systemActor } from '../../app/audit.js';
import type { AppContext } from '../../app/context.js';
import { daily, type JobHandler, type Recurring } from '../../app/jobs.js';
import { sendDuePublications } from './publication.usecases.js';

/**
 * Governance's scheduled jobs, wired in at start: on each meeting's publication date,
 * members are told the final agenda and proposals are out (05:00 UTC, the Norwegian
 * morning). Idempotent: a meeting is published once.
 */
export function governanceJobs(
  ctx: Pick<AppContext, 'db' | 'clock' | 'config' | 'logger' | 'kickOutbox'>,
): { handlers: Record<string, JobHandler>; recurring: Recurring[] } {
  return {
    handlers: {
      'governance.publication': async () => {
        const { published } = await sendDuePublications(ctx, { actor: systemActor });
        ctx.logger.info({ published: published.length }, 'publication job done');
      },
    },
    recurring: [daily('governance.publication', 5)],
  };
}
